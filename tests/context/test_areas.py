"""The context choropleth for any country: admin areas matched to Natural Earth admin-1 polygons."""

from __future__ import annotations

import csv
from pathlib import Path

import folium
import pandas as pd

from geo.context import query
from geo.context.areas import match_areas, per_area
from geo.context.importer import import_events
from geo.maps.context import admin_choropleth
from geo.store.engine import Store
from tests.context.synthetic import ACLED_COLUMNS

# (event id, country, admin1, lat, lon, fatalities): an export from West Africa and Eastern Europe
ROWS = [
    ("NGA1", "Nigeria", "Borno", 11.85, 13.16, 4), ("NGA2", "Nigeria", "Borno", 12.0, 13.5, 1),
    ("NGA3", "Nigeria", "Lagos", 6.45, 3.39, 0), ("UKR1", "Ukraine", "Donetsk", 48.0, 37.8, 3),
    ("UKR2", "Ukraine", "Kharkiv Oblast", 49.99, 36.23, 2), ("PAK1", "Pakistan", "Punjab", 31.5, 74.3, 1),
    ("IND1", "India", "Punjab", 30.9, 75.8, 0), ("XXX1", "Nigeria", "Atlantis", 9.0, 8.0, 0),
    ("XXX2", "Nigeria", "", 9.1, 8.1, 0),
]


def _export(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for key, country, admin1, lat, lon, deaths in ROWS:
            row: dict[str, object] = dict.fromkeys(ACLED_COLUMNS, "")
            row.update(event_id_cnty=key, event_date="2024-03-01", time_precision=1, event_type="Battles",
                       actor1="A", country=country, admin1=admin1, latitude=lat, longitude=lon, geo_precision=1,
                       fatalities=deaths)
            writer.writerow(row)
    return path


def test_an_export_from_another_region_gets_its_choropleth(store: Store, tmp_path: Path) -> None:
    assert import_events(store, "elsewhere", "acled", _export(tmp_path / "acled.csv")).imported == len(ROWS)
    incident = query.incident_id(store, "elsewhere")
    assert incident is not None
    shaded, unmatched = match_areas(per_area(store, incident, query.ContextFilter()))
    got = {(r.adm0_a3, r.iso_3166_2): (r.events, r.fatalities) for r in shaded.itertuples()}
    assert got == {("NGA", "NG-BO"): (2, 5), ("NGA", "NG-LA"): (1, 0), ("UKR", "UA-14"): (1, 3),
                   ("UKR", "UA-63"): (1, 2), ("PAK", "PK-PB"): (1, 1), ("IND", "IN-PB"): (1, 0)}
    # listed, not dropped: every event is either shaded or in the list
    assert sorted(unmatched["admin1"]) == ["(not given)", "Atlantis"]
    assert shaded["events"].sum() + unmatched["events"].sum() == len(ROWS)
    assert set(unmatched["reason"]) == {"no admin area given", "no polygon of that name in Nigeria"}
    fmap = folium.Map(tiles=None)
    admin_choropleth(shaded).add_to(fmap)
    assert "Borno (Nigeria): 2 events, at least 5 killed" in fmap.get_root().render()


def test_a_name_several_countries_use_is_listed_without_a_country() -> None:
    frame = pd.DataFrame([("", "Punjab", 3, 0), ("Atlantis", "Borno", 2, 1)],
                         columns=["country", "admin1", "events", "fatalities"])
    shaded, unmatched = match_areas(frame)
    assert list(shaded["iso_3166_2"]) == ["NG-BO"]  # a country Natural Earth does not know: the name decides
    assert unmatched.to_dict("records") == [{"country": "", "admin1": "Punjab", "events": 3,
                                             "reason": "2 countries have an area of that name"}]
