"""Filters, aggregation and distance over the context layer (SQLite here; PostGIS in test_postgis.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.context import analysis, query
from geo.context.areas import per_admin1, per_area
from geo.context.importer import import_events
from geo.store.engine import Store
from tests.context.conftest import ACLED_EDGE, UCDP_EDGE


@pytest.fixture
def incident(store: Store) -> int:
    import_events(store, "ctx", "acled", ACLED_EDGE)
    import_events(store, "ctx", "ucdp", UCDP_EDGE)
    found = query.incident_id(store, "ctx")
    assert found is not None
    return found


def test_filters_run_in_sql(store: Store, incident: int) -> None:
    everything = query.table(store, incident, query.ContextFilter())
    assert len(everything) == 10
    january_20 = query.table(store, incident, query.ContextFilter(since=date(2024, 1, 20), until=date(2024, 1, 20)))
    # the day itself, the ACLED week around the 17th and the whole-month events overlap it
    assert set(january_20["key"]) == {"acled:IRN200002", "acled:PAK100002", "acled:PAK100003", "ucdp:510003"}
    battles = query.table(store, incident, query.ContextFilter(event_types=("Battles",)))
    assert list(battles["key"]) == ["acled:PAK100002"]
    boxed = query.table(store, incident, query.ContextFilter(bbox=(60.0, 27.0, 63.0, 30.0)))
    assert set(boxed["key"]) == {"acled:IRN200001", "acled:IRN200002", "ucdp:510001"}
    assert query.incidents_with_context(store) == ["ctx"]


def test_points_keep_type_colours_fixed_across_filters(store: Store, incident: int) -> None:
    types = query.event_types(store, incident)
    only = query.points(store, incident, query.ContextFilter(event_types=("Riots",)), types)
    assert len(only) == 1 and only.types[only.type_index[0]] == "Riots"
    assert only.lat[0] == pytest.approx(25.1264)


def test_details_at_a_clicked_point_bring_source_and_notes(store: Store, incident: int) -> None:
    found = query.details_at(store, incident, 27.3709, 62.3342, query.ContextFilter())
    assert sorted(found["key"]) == ["acled:IRN200001", "ucdp:510001"]
    assert "IRNA" in set(found["source"])


def test_per_week_and_per_admin(store: Store, incident: int) -> None:
    weekly = analysis.per_week(store, incident, query.ContextFilter())
    by_week = weekly.groupby("week")[["events", "fatalities"]].sum()
    # Monday 2024-01-15: IRN200001 (2 killed), IRN200002, PAK100001 (5), UCDP 510001 (2..4 -> 2), 510002 (7..9 -> 7)
    assert by_week.loc["2024-01-15"].tolist() == [5, 16]
    assert by_week["events"].sum() == 10
    areas = analysis.per_admin(store, incident, query.ContextFilter()).set_index("admin1")
    assert areas.loc["Balochistan", "events"] == 4
    assert areas.loc["(not given)", "events"] == 1
    for flt in (query.ContextFilter(), query.ContextFilter(event_types=("Battles", "Riots"))):
        summed = per_admin1(per_area(store, incident, flt)).set_index("admin1").sort_index()
        counted = analysis.per_admin(store, incident, flt).set_index("admin1").sort_index()
        pd.testing.assert_frame_equal(summed, counted, check_dtype=False)
        assert summed["events"].sum() == query.count(store, incident, flt)


def test_near_a_strike_in_the_days_before(store: Store, incident: int) -> None:
    strike = analysis.Around(lat=27.3709, lon=62.3342, day=date(2024, 1, 17), km=30, days=90)
    found = analysis.near(store, incident, strike)
    assert list(found["key"]) == ["acled:IRN200001", "ucdp:510001"] or \
        list(found["key"]) == ["ucdp:510001", "acled:IRN200001"]
    assert found["distance_km"].max() < 0.01
    wider = analysis.near(store, incident, analysis.Around(lat=27.3709, lon=62.3342, day=date(2024, 1, 21), km=200))
    # Panjgur is ~180 km east of Saravan; Zahedan ~240 km north, outside
    assert "acled:PAK100001" in set(wider["key"]) and "acled:IRN200002" not in set(wider["key"])
    assert wider["distance_km"].is_monotonic_increasing
    later = analysis.near(store, incident, analysis.Around(lat=27.3709, lon=62.3342, day=date(2024, 1, 16), km=30))
    assert later.empty  # the strike's own day is not "before" it


def test_box_never_cuts_the_circle_short() -> None:
    for lat in (0.0, 25.0, 60.0, -70.0):
        west, south, east, north = analysis._box(lat, 25.0, 100.0)
        for azimuth in range(0, 360, 15):  # points exactly 100 km away in every direction are inside the box
            lon2, lat2, _ = analysis.WGS84.fwd(25.0, lat, azimuth, 100_000)
            assert west <= lon2 <= east and south <= lat2 <= north, (lat, azimuth)


def test_the_report_table_and_corpus_leave_the_context_layer_out(store: Store, incident: int) -> None:
    from geo.store.load import incident_corpus, incident_table
    from geo.store.models import Incident

    with store.read() as session:
        stored = session.get(Incident, incident)
        assert stored is not None
        assert incident_table(session, stored, statuses=None).events == []
        assert incident_corpus(session, stored).articles == []  # the export files are not news reports
