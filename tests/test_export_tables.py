"""Event table exports: CSV and GeoJSON round-trip through geopandas with the table's rows; KML; claims."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime

import geopandas as gpd
import pandas as pd
import pytest

from geo.corpus.articles import load_corpus
from geo.events.filter import EventFilter, filter_events
from geo.export import FORMATS, file_name, format_for_path
from geo.export.briefing import Briefing, build_briefing
from geo.export.tables import claims_csv, events_csv, events_geojson, events_kml

FIXED_TIME = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


@pytest.fixture(scope="module", params=["all", "iran", "16-18 Jan"])
def case(dataset, request, table):
    flt = {
        "all": EventFilter(),
        "iran": EventFilter(actors=frozenset({"Iran"})),
        "16-18 Jan": EventFilter(since=date(2024, 1, 16), until=date(2024, 1, 18)),
    }[request.param]
    return flt, build_briefing(dataset, flt, generated_at=FIXED_TIME)


def test_filters_select_different_rows(dataset, table):
    everything = build_briefing(dataset, EventFilter())
    iran = build_briefing(dataset, EventFilter(actors=frozenset({"Iran"})))
    assert len(everything.events) == len(table.events)
    assert 0 < len(iran.events) < len(everything.events)


def test_csv_round_trips_through_geopandas_with_the_table_rows(tmp_path, table, case):
    flt, briefing = case
    expected = filter_events(table.events, flt)
    path = tmp_path / "events.csv"
    path.write_bytes(events_csv(briefing))
    gdf = gpd.read_file(path, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat", KEEP_GEOM_COLUMNS="NO")
    assert list(gdf["id"]) == [e.id for e in expected]
    for event, (_, row) in zip(expected, gdf.iterrows(), strict=True):
        if event.lat is None:
            # an event no report places (issue 11 added two) has no point: GDAL reads it as empty or NaN
            assert row.geometry is None or pd.isna(row.geometry) or row.geometry.is_empty
        else:
            assert row.geometry.x == pytest.approx(event.lon) and row.geometry.y == pytest.approx(event.lat)
        assert row["actor"] == event.actor and row["event_type"] == event.event_type
        assert int(row["claims_count"]) == len(event.claims)
        for claim in event.claims:
            assert claim.quote in row["claims"]


def test_geojson_round_trips_with_claims_as_lists(tmp_path, table, case):
    flt, briefing = case
    expected = filter_events(table.events, flt)
    data = events_geojson(briefing)
    path = tmp_path / "events.geojson"
    path.write_bytes(data)
    gdf = gpd.read_file(path)
    assert list(gdf["id"]) == [e.id for e in expected]
    assert gdf.crs.to_epsg() == 4326
    located = {e.id: e for e in expected if e.lat is not None}
    for _, row in gdf.iterrows():
        if row["id"] in located:
            assert row.geometry.x == pytest.approx(located[row["id"]].lon)
    features = json.loads(data)["features"]
    for event, feature in zip(expected, features, strict=True):
        claims = feature["properties"]["claims"]
        assert isinstance(claims, list)
        assert [(c["report_id"], c["field"], c["value"], c["quote"]) for c in claims] == [
            (c.report_id, c.field, c.value, c.quote) for c in event.claims]
    assert json.loads(data)["description"].endswith(f"Filters: {flt.describe()}")


def test_claims_csv_has_one_row_per_claim_quoted_verbatim(table, case):
    flt, briefing = case
    frame = pd.read_csv(io.BytesIO(claims_csv(briefing)), dtype=str, keep_default_na=False)
    expected = [c for e in filter_events(table.events, flt) for c in e.claims]
    assert len(frame) == len(expected)
    texts = {a.id: a.text for a in load_corpus().articles}
    for _, row in frame.iterrows():
        assert row["quote"] in texts[row["report_id"]]


def test_kml_has_a_placemark_per_located_event_and_opens_in_geopandas(tmp_path, case):
    _, briefing = case
    data = events_kml(briefing)
    root = ET.fromstring(data)
    folders = {f.findtext("k:name", namespaces=KML_NS): f for f in root.iter(f"{{{KML_NS['k']}}}Folder")}
    placemarks = folders["Events"].findall("k:Placemark", KML_NS)
    assert len(placemarks) == len(briefing.mapped)
    path = tmp_path / "events.kml"
    path.write_bytes(data)
    layer = gpd.read_file(path, layer="Events")
    assert sorted(layer["event_id"]) == sorted(e.id for e in briefing.mapped)
    spans = [p.find("k:TimeSpan", KML_NS) for p in placemarks]
    assert all(s is not None and s.findtext("k:begin", namespaces=KML_NS) for s in spans)
    strikes = [e for e in briefing.mapped if e.origin_lat is not None]
    assert len(folders["Strike paths (origin → target)"].findall("k:Placemark", KML_NS)) == len(strikes)


def test_report_text_is_escaped_in_kml_balloons(table):
    event = next(e for e in table.events if e.lat is not None)
    evil = replace(event, summary='<script>alert("x")</script> & <b>bold</b>')
    briefing = Briefing(events=(evil,), caption="test", generated_at=FIXED_TIME)
    root = ET.fromstring(events_kml(briefing))
    placemark = next(root.iter(f"{{{KML_NS['k']}}}Placemark"))
    description = placemark.findtext("k:description", namespaces=KML_NS)
    assert "<script>" not in description.replace("&lt;script&gt;", "")
    assert "&lt;script&gt;" in description


def test_format_registry_and_file_names():
    assert format_for_path("out/brief.PNG").key == "png"
    assert format_for_path("x.claims.csv").key == "claims_csv"
    assert format_for_path("x.csv").key == "csv"
    assert format_for_path("x.txt") is None
    assert set(FORMATS) == {"png", "pdf", "html", "csv", "claims_csv", "geojson", "kml", "kmz"}
    name = file_name("16–18 Jan 2024 · actor: Iran/../x", FORMATS["pdf"])
    assert name == "strike-briefing_16-18-jan-2024-actor-iran-x.pdf"
