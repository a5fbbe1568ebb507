"""The Context page (AppTest): empty store, then an imported export on the map, in the table and charts."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.context import grid, query
from geo.context.importer import import_events
from geo.store.engine import URL_ENV, open_store
from geo.store.migrate import upgrade
from tests.conftest import ROOT
from tests.context.conftest import ACLED_EDGE, UCDP_EDGE
from tests.context.synthetic import write_acled

MAP_KEY = "context_map"  # ui/context.py's map key (importing the page would run it)


def _page(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    monkeypatch.setenv(URL_ENV, url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("ui/context.py").run()
    assert not at.exception, at.exception
    return at


def test_without_context_events_the_page_says_how_to_import(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = _page(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert any("import-events --incident SLUG" in i.value for i in at.info)


def test_imported_events_reach_map_table_charts_and_exports(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ctx.sqlite'}"
    store = open_store(url)
    upgrade(store)
    import_events(store, "ctx-page", "acled", ACLED_EDGE)
    import_events(store, "ctx-page", "ucdp", UCDP_EDGE)
    store.dispose()
    at = _page(monkeypatch, url)
    assert any("**10** context events in and around the view, counted per cell" in m.value for m in at.markdown)
    assert "smContextCells" in _map_script(at)  # opened on the layer's extent, below zoom 8: counts per cell
    table = at.dataframe[0].value
    assert len(table) == 10 and "acled:IRN200001" in set(table["key"])
    assert any("10 events match; rows 1–10" in c.value for c in at.caption)
    assert {"Per week", "Per admin area", "Near a strike, before it", "Exports"} <= {h.value for h in at.subheader}
    near = at.dataframe[-1].value
    assert "distance_km" in near.columns and (near["distance_km"] <= 50).all()
    labels = sorted(b.proto.label for b in at.get("download_button"))
    assert labels == ["Context CSV", "Context GeoJSON", "GeoPackage (all events)"]
    at.multiselect(key="context_types").set_value(["Riots"]).run()
    assert any("**1** context events in and around the view" in m.value for m in at.markdown)


def _map_script(at: AppTest) -> str:
    return next(e for e in at.get("component_instance") if "smContextLayers" in e.proto.json_args).proto.json_args


def _pan(at: AppTest, bbox: tuple[float, float, float, float], zoom: int) -> None:
    """What st_folium reports after the analyst pans and zooms (the component's value, as its on_change
    stores it), then the rerun it triggers."""
    west, south, east, north = bbox
    at.session_state[MAP_KEY] = {"bounds": {"_southWest": {"lat": south, "lng": west},
                                            "_northEast": {"lat": north, "lng": east}}, "zoom": zoom,
                                 "last_object_clicked": None}
    at.run()
    assert not at.exception, at.exception


def test_a_pan_and_zoom_ask_the_store_for_that_view(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ctx.sqlite'}"
    store = open_store(url)
    upgrade(store)
    import_events(store, "ctx-pan", "acled", write_acled(tmp_path / "acled.csv", 400))
    incident = query.incident_id(store, "ctx-pan")
    assert incident is not None
    at = _page(monkeypatch, url)
    view = (62.8, 25.8, 63.3, 26.2)  # around Turbat, zoom 10: the events themselves
    request = grid.request_for(view, 10)
    inside = query.count(store, incident, query.ContextFilter(bbox=request.bbox), located=True)
    assert 0 < inside < 400
    monkeypatch.setattr(grid, "POINT_CAP", 1_000)
    _pan(at, view, 10)
    assert any(f"**{inside:,}** context events in and around the view" in m.value and "more; zoom in" not in m.value
               for m in at.markdown)
    assert "smContextCells" not in _map_script(at)
    monkeypatch.setattr(grid, "POINT_CAP", 5)
    _pan(at, (62.81, 25.81, 63.31, 26.21), 11)  # a new zoom: a new request, capped
    capped = grid.request_for((62.81, 25.81, 63.31, 26.21), 11)
    total = query.count(store, incident, query.ContextFilter(bbox=capped.bbox), located=True)
    assert total > 5
    assert any(f"**5** context events in and around the view (the first 5 of {total:,}: {total - 5:,} more; zoom in)"
               in m.value for m in at.markdown)
    _pan(at, (55.0, 20.0, 75.0, 35.0), 5)  # back out: counts per cell, of every event in and around the view
    located = query.count(store, incident, query.ContextFilter(), located=True)
    assert any(f"**{located:,}** context events in and around the view, counted per cell of "
               f"{grid.cell_degrees(5):.3g}°" in m.value for m in at.markdown)
    # the table below the map is the filter's, not the view's: paged, saying how many there are
    assert len(at.dataframe[0].value) == 250 and any("400 events match; rows 1–250" in c.value for c in at.caption)
    first_page = set(at.dataframe[0].value["key"])
    at.number_input(key="context_table_page").set_value(2).run()
    assert any("400 events match; rows 251–400" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 150 and not first_page & set(at.dataframe[0].value["key"])
    store.dispose()
