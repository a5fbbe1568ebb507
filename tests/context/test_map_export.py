"""The context map layer and the exports at scale (no browser here; see test_browser_context.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import folium
import numpy as np
import pyogrio
import pytest

from geo.context import query
from geo.context.export import context_map_html, stream_csv, stream_geojson, write_geopackage, write_stream
from geo.context.importer import import_events
from geo.context.query import ContextPoints
from geo.events.table import to_geodataframe
from geo.export.html import EXTERNAL_RESOURCE
from geo.maps.context import SCALE, ContextLayer, add_to_map, context_group, legend_html
from geo.store.engine import Store
from tests.context.conftest import ACLED_EDGE, UCDP_EDGE


@pytest.fixture
def incident(store: Store) -> int:
    import_events(store, "ctx", "acled", ACLED_EDGE)
    import_events(store, "ctx", "ucdp", UCDP_EDGE)
    found = query.incident_id(store, "ctx")
    assert found is not None
    return found


def _points(n: int) -> ContextPoints:
    rng = np.random.default_rng(3)
    return ContextPoints(ids=np.arange(n), lat=rng.uniform(25, 30, n).round(4), lon=rng.uniform(60, 66, n).round(4),
                         type_index=rng.integers(0, 3, n).astype(np.int16), types=("A", "B", "C"))


def test_layer_sends_integer_columns_not_markers() -> None:
    points = _points(1_000)
    layer = ContextLayer(points, ["#111111", "#222222", "#333333"])
    assert layer.data["lat"][:3] == [round(v * SCALE) for v in points.lat[:3]]
    assert len(layer.data["lon"]) == len(layer.data["type"]) == 1_000
    fmap = folium.Map(tiles=None)
    folium.LayerControl().add_to(fmap)
    add_to_map(fmap, context_group(points))
    page = fmap.get_root().render()
    assert page.count("L.circleMarker") == 0 and "L.GridLayer.extend" in page
    # the group is declared before the layer control that names it
    assert page.index("L.featureGroup(") < page.index("L.control.layers(")


def test_payload_stays_small_at_100000() -> None:
    page = folium.Map(tiles=None)
    context_group(_points(100_000)).add_to(page)
    assert len(page.get_root().render().encode()) < 5_000_000


def test_legend_escapes_type_names() -> None:
    assert "<script>" not in legend_html(["<script>x</script>"]) and "&lt;script&gt;" in legend_html(["<script>"])


def test_streamed_csv_and_geojson_hold_every_event_escaped(store: Store, incident: int, tmp_path: Path) -> None:
    pieces = list(stream_csv(store, incident))
    rows = list(csv.DictReader(io.StringIO("".join(pieces))))
    assert len(rows) == 10
    hostile = next(r for r in rows if r["key"] == "acled:IRN200001")
    assert hostile["notes"].startswith("<script>")  # CSV is text: kept as given
    zahedan = next(r for r in rows if r["key"] == "acled:IRN200002")
    assert "زاهدان" in zahedan["notes"]
    formula = [r for r in rows if r["notes"].startswith("=")]
    assert formula == []  # '=HYPERLINK' only inside the hostile note, not at the start of a cell
    size = write_stream(stream_geojson(store, incident), tmp_path / "ctx.geojson")
    collection = json.loads((tmp_path / "ctx.geojson").read_text(encoding="utf-8"))
    assert size > 0 and len(collection["features"]) == 10
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Point" and len(first["geometry"]["coordinates"]) == 2


def test_csv_cells_that_would_run_as_formulas_are_escaped(store: Store, tmp_path: Path) -> None:
    source = ACLED_EDGE.read_text(encoding="utf-8").replace("Last good row.", "=1+1")
    path = tmp_path / "formula.csv"
    path.write_text(source, encoding="utf-8")
    import_events(store, "formula", "acled", path)
    incident = query.incident_id(store, "formula")
    assert incident is not None
    rows = list(csv.DictReader(io.StringIO("".join(stream_csv(store, incident)))))
    assert next(r for r in rows if r["key"] == "acled:PAK100009")["notes"] == "'=1+1"


def test_geopackage_has_both_layers(store: Store, incident: int, tmp_path: Path) -> None:
    path = tmp_path / "all.gpkg"
    counts = write_geopackage(store, incident, path)
    assert counts == {"report_events": 0, "context_events": 10}
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert {"report_events", "context_events"} <= layers
    frame = pyogrio.read_dataframe(path, layer="context_events")
    assert frame.crs.to_epsg() == 4326 and set(frame["geo_precision"]) >= {"town", "near town", "province"}


def test_offline_html_map_has_no_external_resource(store: Store, incident: int, dataset) -> None:
    types = query.event_types(store, incident)
    page = context_map_html(dataset.table.events, query.points(store, incident,
                                                                               query.ContextFilter(), types))
    assert EXTERNAL_RESOURCE.search(page) is None
    assert "smContextLayers" in page


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_snapshot_aggregates_instead_of_drawing_every_event(fmt: str, dataset) -> None:
    from geo.context.snapshot import context_snapshot

    picture = context_snapshot(_points(100_000), to_geodataframe(dataset.table.events), "<Context> & strikes", fmt)
    assert picture.startswith(b"\x89PNG" if fmt == "png" else b"%PDF")
    assert len(picture) < 3_000_000  # hexagons, not 100,000 markers
