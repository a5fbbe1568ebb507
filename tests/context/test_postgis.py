"""The context layer on PostgreSQL + PostGIS: COPY import, filters and aggregation in SQL, ST_DWithin distance.
Same answers as on SQLite (test_query_analysis.py). Skipped where PostgreSQL or PostGIS is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from geo.context import analysis, query
from geo.context.importer import import_events
from geo.store.engine import Store, open_store
from geo.store.migrate import upgrade
from tests.context.conftest import ACLED_EDGE, UCDP_EDGE, assert_cells_match_python
from tests.context.synthetic import write_acled
from tests.store.postgres import PostgresServer


@pytest.fixture(scope="module")
def pg_store(pg_server: PostgresServer) -> Iterator[Store]:
    store = open_store(pg_server.create_database("context"))
    upgrade(store)
    import_events(store, "ctx", "acled", ACLED_EDGE)
    import_events(store, "ctx", "ucdp", UCDP_EDGE)
    yield store
    store.dispose()


def _incident(store: Store) -> int:
    found = query.incident_id(store, "ctx")
    assert found is not None
    return found


def test_copy_import_and_filters(pg_store: Store) -> None:
    incident = _incident(pg_store)
    assert len(query.table(pg_store, incident, query.ContextFilter())) == 10
    january_20 = query.table(pg_store, incident, query.ContextFilter(since=date(2024, 1, 20), until=date(2024, 1, 20)))
    assert set(january_20["key"]) == {"acled:IRN200002", "acled:PAK100002", "acled:PAK100003", "ucdp:510003"}
    hostile = query.details_at(pg_store, incident, 27.3709, 62.3342, query.ContextFilter())
    assert any(str(n).startswith("<script>") for n in hostile["notes"])


def test_aggregation_in_the_database(pg_store: Store) -> None:
    incident = _incident(pg_store)
    weekly = analysis.per_week(pg_store, incident, query.ContextFilter()).groupby("week")[["events", "fatalities"]]
    assert weekly.sum().loc["2024-01-15"].tolist() == [5, 16]
    areas = analysis.per_admin(pg_store, incident, query.ContextFilter()).set_index("admin1")
    assert areas.loc["Balochistan", "events"] == 4


def test_st_dwithin_gives_the_geodesic_answer(pg_store: Store) -> None:
    incident = _incident(pg_store)
    wider = analysis.near(pg_store, incident, analysis.Around(lat=27.3709, lon=62.3342, day=date(2024, 1, 21), km=200))
    assert "acled:PAK100001" in set(wider["key"]) and "acled:IRN200002" not in set(wider["key"])
    assert wider["distance_km"].is_monotonic_increasing
    statement = analysis.near_postgis_statement(incident, analysis.Around(lat=27.4, lon=62.3, day=date(2024, 2, 1)))
    compiled = statement.compile(dialect=pg_store.engine.dialect)
    with pg_store.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")  # ten rows: make the planner show what it can use
        plan = "\n".join(r[0] for r in connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
    assert "ix_events_location" in plan


@pytest.fixture(scope="module")
def pg_synthetic(pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(pg_server.create_database("context_cells"))
    upgrade(store)
    import_events(store, "ctx", "acled", write_acled(tmp_path_factory.mktemp("cells") / "acled.csv", 3_000))
    import_events(store, "ctx", "acled", ACLED_EDGE)
    import_events(store, "ctx", "ucdp", UCDP_EDGE)
    yield store
    store.dispose()


def test_cells_in_sql_equal_a_python_count_on_postgis(pg_synthetic: Store) -> None:
    assert_cells_match_python(pg_synthetic, _incident(pg_synthetic))


def test_points_in_view_are_capped_on_postgis(pg_synthetic: Store) -> None:
    incident = _incident(pg_synthetic)
    box = (62.0, 25.0, 64.5, 27.5)
    inside = query.table(pg_synthetic, incident, query.ContextFilter(bbox=box)).dropna(subset=["lat", "lon"])
    found = query.points_in_view(pg_synthetic, incident, query.ContextFilter(), box,
                                 query.event_types(pg_synthetic, incident), cap=50)
    assert found.total == len(inside) > 50 and len(found.points) == 50 and found.left_out == len(inside) - 50
    assert list(found.points.ids) == sorted(found.points.ids)  # the first `cap` by id: the same on both backends
