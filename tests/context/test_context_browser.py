"""The Context page in a real browser: it opens on counts per cell, a zoom brings the events in the view, and a
click on a context point shows that event's source and notes.

`streamlit run app.py` on 127.0.0.1 with a throw-away SQLite store holding a small ACLED export, system
Chromium. The click is a real pointer click on the dot's pixel in the st_folium frame: the canvas layer
finds the dot, st_folium returns it as last_object_clicked, and the page reads the details from the store.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.context.importer import import_events
from geo.store.engine import open_store
from geo.store.migrate import upgrade
from tests.browser_support import BrowserPage, start_streamlit, stop
from tests.context.synthetic import ACLED_COLUMNS

pytestmark = pytest.mark.browser
URL_ENV = "STRIKE_MAP_DATABASE_URL"
TIMEOUT = 180_000
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
MAP_JS = f"document.querySelectorAll(\"{MAP_FRAME}\")[0].contentWindow"
#: a point in open country, away from every report event (whose markers sit above the context layer)
LAT, LON = 28.5123, 63.4567
NOTES = 'Clash <img src=x onerror="window.pwned = 1"> **not bold** =HYPERLINK("http://example.invalid/x")'
SOURCE = "<b>Local</b> [source](http://example.invalid/y)"


def _row(event_id: str, lat: float, lon: float, notes: str, source: str) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(event_id_cnty=event_id, event_date="2024-01-10", time_precision=1, event_type="Battles",
               sub_event_type="Armed clash", actor1="Armed group A", actor2="Armed group B", admin1="Balochistan",
               location="Open country", latitude=lat, longitude=lon, geo_precision=1, source=source, notes=notes,
               fatalities=2)
    return row


@pytest.fixture(scope="module")
def context_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("context-app")
    export = folder / "acled.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        writer.writerow(_row("TST000001", LAT, LON, NOTES, SOURCE))
        writer.writerow(_row("TST000002", 29.9, 65.9, "Another event, elsewhere.", "Dawn"))
    url = f"sqlite:///{folder / 'store.sqlite'}"
    store = open_store(url)
    upgrade(store)
    assert import_events(store, "context-browser", "acled", Path(export)).imported == 2
    store.dispose()
    server = start_streamlit(folder, env={URL_ENV: url})
    try:
        yield server.base_url
    finally:
        stop(server.process)


def _layer_drawn(page, kind: str, timeout: int = 60_000) -> None:
    """Wait until the map holds one context layer of that kind ('cells': counts per cell made by the database;
    'points': the events in the view), drawn."""
    state = f"""() => {{
        const f = document.querySelectorAll("{MAP_FRAME}")[0];
        const w = f && f.contentWindow;
        return ((w && w.smContextLayers) || []).map(l => ({{live: !!l._map, cells: l.smContextCells !== undefined,
            loading: l.isLoading(), tiles: Object.keys(l._tiles).length, zoom: w.map.getZoom()}}));
    }}"""
    try:
        page.wait_for_function(f"""(kind) => {{
            const live = ({state})().filter(l => l.live);
            return live.length === 1 && live[0].cells === (kind === 'cells') && !live[0].loading && live[0].tiles > 0;
        }}""", arg=kind, timeout=timeout)
    except Exception as exc:  # say what the map held instead
        raise AssertionError(f"no drawn {kind} layer: {page.evaluate(state)}") from exc


def test_a_zoom_made_as_soon_as_the_map_exists_is_kept(context_app: str, browser_page: BrowserPage) -> None:
    """The analyst zooms in the moment the map appears, before the map's first report of its view has reached
    Python and before the layers for that view have landed. The zoom must hold and bring the events in the
    view. It used to be undone: the map opened at zoom 5 and then fitted itself to the layer's
    extent with Leaflet's zoom animation, which ends by setting the zoom it started for (7), and Leaflet drops
    a setView that comes while that animation runs (notes/issue-17.md, Stop 10)."""
    page = browser_page.page
    page.goto(f"{context_app}/context", wait_until="domcontentloaded")
    # Checked on every animation frame of the page, and the zoom is made inside the same check: it comes within
    # a frame of streamlit-folium handing over the map (before its first report of the view reaches Python).
    opened = page.wait_for_function(f"""() => {{
        const f = document.querySelectorAll("{MAP_FRAME}")[0], w = f && f.contentWindow;
        if (!w || !w.map) return false;
        const before = {{zoom: w.map.getZoom(), animating: !!w.map._animatingZoom}};
        w.map.setView([{LAT}, {LON}], 11, {{animate: false}});
        return before;
    }}""", polling="raf", timeout=TIMEOUT).json_value()
    # the view the analyst chose, once the first run and the reruns it set off have all landed
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
    zoom = page.evaluate(f"() => {MAP_JS}.map.getZoom()")
    assert zoom == 11, f"the zoom made when the map appeared ({opened}) was undone: the map is at {zoom}"
    _layer_drawn(page, "points")  # the map reported its view; the page sent the events in it
    assert browser_page.page_errors == []


def test_a_click_on_a_context_point_shows_its_source_and_notes_as_text(context_app: str,
                                                                        browser_page: BrowserPage) -> None:
    page = browser_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{context_app}/context", wait_until="domcontentloaded")
    _layer_drawn(page, "cells", TIMEOUT)  # opened on the layer's extent, below zoom 8: counts per cell
    page.evaluate(f"() => {MAP_JS}.map.setView([{LAT}, {LON}], 11, {{animate: false}})")
    _layer_drawn(page, "points")  # the map reported its view; the page sent the events in it
    point = page.evaluate(f"""() => {{
        const w = {MAP_JS}, p = w.map.latLngToContainerPoint([{LAT}, {LON}]);
        const box = document.querySelectorAll("{MAP_FRAME}")[0].getBoundingClientRect();
        const map = w.map.getContainer().getBoundingClientRect();
        return {{x: box.left + map.left + p.x, y: box.top + map.top + p.y}};
    }}""")
    page.mouse.click(point["x"], point["y"])
    details = page.locator(".st-key-context_details")
    details.get_by_text("context event(s) at", exact=False).first.wait_for(timeout=TIMEOUT)
    text = details.inner_text()
    assert "1 context event(s) at 28.5123, 63.4567" in text
    assert 'Clash <img src=x onerror="window.pwned = 1"> **not bold** =HYPERLINK(' in text  # shown as written
    assert "<b>Local</b> [source](http://example.invalid/y)" in text
    assert "Another event" not in text
    assert details.locator("img").count() == 0 and details.locator("a").count() == 0
    assert details.locator("b").count() == 0 and details.locator("strong", has_text="not bold").count() == 0
    popup = page.frame_locator(MAP_FRAME).first.locator(".leaflet-popup-content")
    assert popup.inner_text().startswith("1 context event here")
    assert page.evaluate(f"() => [window.pwned, {MAP_JS}.pwned]") == [None, None]
    assert dialogs == []
    assert browser_page.external_requests() == []
    assert browser_page.page_errors == []
