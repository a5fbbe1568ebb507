"""The map's tools in a real browser (Playwright + system Chromium), offline: place search, distance
measure, markers that never hide each other, the keyboard, the legend, and the print view."""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from geopy.distance import geodesic
from pypdf import PdfReader

from geo.events.filter import EventFilter, filter_events
from geo.events.table import load_events
from geo.places.gazetteer import load_gazetteer
from geo.places.search import search_places
from tests.browser_support import BrowserPage
from tests.test_browser_dashboard import (
    IDLE,
    MAP_FRAME,
    MAP_JS,
    MARKER,
    TIMEOUT,
    assert_clean,
    located,
    open_map,
    selected_rows,
    wait_for_markers,
)

pytestmark = pytest.mark.browser


def _iranian_saravan():
    return next(c for c in search_places("saravan", load_gazetteer()) if c.country_code == "IR")


def test_place_search_flies_to_the_place_and_keeps_the_map(streamlit_app, browser_page: BrowserPage):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Places named in the reports").click()
    page.wait_for_function("() => location.search.includes('hide=Places')", timeout=TIMEOUT)
    page.evaluate(f"() => {{ {MAP_JS}.map.__same = 'yes'; }}")
    box = page.get_by_label("Find a place", exact=True)
    box.fill("sarāvān")  # diacritics and case do not matter
    box.press("Enter")
    place = _iranian_saravan()
    choice = page.get_by_role("button", name=place.label)
    choice.wait_for(timeout=TIMEOUT)
    choice.click()
    page.wait_for_function(f"() => {MAP_JS}.smMap && {MAP_JS}.smMap.found", timeout=TIMEOUT)
    state = page.evaluate(f"""() => {{
        const w = {MAP_JS};
        const c = w.map.getCenter();
        return {{same: w.map.__same, lat: c.lat, lng: c.lng, zoom: w.map.getZoom(),
                 label: w.document.querySelector('.sm-found-label').textContent,
                 places: w.map.hasLayer(w.smMap.layers['Places named in the reports']),
                 markers: w.document.querySelectorAll('.strike-marker-icon').length}};
    }}""")
    assert state["same"] == "yes"  # the same Leaflet map: moved, not rebuilt
    assert abs(state["lat"] - place.lat) < 0.01 and abs(state["lng"] - place.lon) < 0.01
    assert state["zoom"] == place.zoom
    assert state["label"] == place.label
    assert state["places"] is False  # the layer the analyst switched off stays off
    assert state["markers"] == len(located())
    assert_clean(browser_page)


def test_measuring_between_two_points_gives_the_geodesic_km(streamlit_app, browser_page: BrowserPage):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    frame.locator("#polyline-measure-control").click()
    box = page.locator(MAP_FRAME).bounding_box()
    # two points in the lower half of the map, away from markers and controls
    a = (box["width"] * 0.30, box["height"] * 0.80)
    b = (box["width"] * 0.62, box["height"] * 0.70)
    for x, y in (a, b):
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.mouse.click(box["x"] + b[0], box["y"] + b[1])  # clicking the last point again finishes the line
    ends = page.evaluate(f"""([a, b]) => {{
        const w = {MAP_JS};
        return [a, b].map(p => w.map.containerPointToLatLng(p)).map(l => [l.lat, l.lng]);
    }}""", [list(a), list(b)])
    total = frame.locator(".polyline-measure-tooltip-total").last.inner_text()
    value, unit = total.replace("\xa0", " ").split()
    assert unit == "km"
    expected = geodesic(ends[0], ends[1]).km
    assert expected > 100  # a distance on the map's scale, not a rounding artefact
    assert abs(float(value) - expected) <= 0.01 * expected, (total, expected)
    assert_clean(browser_page)


TOPMOST = """() => {
    const doc = MAP_WINDOW.document;
    return [...doc.querySelectorAll('.strike-marker-icon')].filter(m => m.style.display !== 'none').map(m => {
        const r = m.getBoundingClientRect();
        const hit = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        const owner = hit && hit.closest('.leaflet-marker-icon');
        return {title: m.title, ok: owner === m,
                hit: hit ? (owner ? owner.title : hit.className.baseVal ?? hit.className) : null,
                inside: r.left >= 0 && r.top >= 0 && r.right <= doc.documentElement.clientWidth
                        && r.bottom <= doc.documentElement.clientHeight};
    });
}""".replace("MAP_WINDOW", MAP_JS)


def test_every_marker_is_topmost_at_its_own_centre_at_the_opening_zoom(streamlit_app, browser_page: BrowserPage):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    page.wait_for_function(f"() => {MAP_JS}.smMap.leaders.getLayers().length > 0", timeout=TIMEOUT)
    found = page.evaluate(TOPMOST)
    assert len(found) == len(located())
    assert [f for f in found if not f["ok"]] == []
    # the fan is redone at every zoom: one step in and out again, still every marker on top of its place
    page.evaluate(f"() => {{ const w = {MAP_JS}; w.map.setZoom(w.map.getZoom() + 1, {{animate: false}}); }}")
    page.evaluate(f"() => {{ const w = {MAP_JS}; w.map.setZoom(w.map.getZoom() - 1, {{animate: false}}); }}")
    assert [f for f in page.evaluate(TOPMOST) if not f["ok"]] == []
    assert_clean(browser_page)


def test_a_fanned_marker_has_a_leader_line_to_its_true_place(streamlit_app, browser_page: BrowserPage):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    page.wait_for_function(f"() => {MAP_JS}.smMap.leaders.getLayers().length > 0", timeout=TIMEOUT)
    lines = page.evaluate(f"""() => {{
        const w = {MAP_JS}, out = [];
        w.map.eachLayer(l => {{
            if (l instanceof w.L.Marker && l.smOffset && (l.smOffset.x || l.smOffset.y)) {{
                const truth = w.L.latLng(l.options.smTrue);
                const shown = w.map.layerPointToLatLng(w.map.latLngToLayerPoint(truth).add(l.smOffset));
                const line = w.smMap.leaders.getLayers().some(x => x instanceof w.L.Polyline
                    && !(x instanceof w.L.CircleMarker) && x.getLatLngs()[0].equals(truth)
                    && x.getLatLngs()[1].distanceTo(shown) < 1);
                const dot = w.smMap.leaders.getLayers().some(x => x instanceof w.L.CircleMarker
                    && x.getLatLng().equals(truth));
                out.push({{title: l.options.title, line: line, dot: dot}});
            }}
        }});
        return out;
    }}""")
    assert lines  # the opening view has markers that overlap (e.g. near Kerman and around Saravan)
    assert all(x["line"] and x["dot"] for x in lines), lines


ACTIVE = f"""() => {{
    const doc = {MAP_JS}.document, a = doc.activeElement;
    if (!a || a === doc.body) return null;
    return {{tag: a.tagName.toLowerCase(), title: a.getAttribute('title') || '',
             marker: a.classList.contains('strike-marker-icon')}};
}}"""


def test_enter_on_a_focused_marker_selects_its_row_like_a_click(streamlit_app, browser_page: BrowserPage):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    # the map has reported its first view and the page has rerun on it: the markers are the settled ones
    page.wait_for_function("() => location.search.includes('bbox=')", timeout=TIMEOUT)
    frame.locator(f"{MARKER}[title^='kerman-bombing:']").focus()
    page.wait_for_function(f"() => {{ const a = ({ACTIVE})(); return a && a.title.startsWith('kerman-bombing:'); }}",
                           timeout=TIMEOUT)
    page.keyboard.press("Enter")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stDataFrame] [role=row][aria-selected=true]')]
                 .some(r => r.textContent.includes('kerman-bombing'))""",
        timeout=TIMEOUT,
    )
    assert selected_rows(page) == ["kerman-bombing"]
    frame.locator(".strike-marker.selected").first.wait_for(timeout=TIMEOUT)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=TIMEOUT)
    assert "Kerman" in popup.inner_text()
    # the marker that replaced it after the update has the focus: the keyboard user is where they were
    page.wait_for_function(f"() => {{ const a = ({ACTIVE})(); return a && a.title.startsWith('kerman-bombing:'); }}",
                           timeout=TIMEOUT)
    assert_clean(browser_page)


def test_tab_reaches_the_markers_and_no_unlabelled_shape(streamlit_app, browser_page: BrowserPage):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    page.evaluate(f"() => {{ const w = {MAP_JS}; w.focus(); w.document.body.focus(); }}")
    stops = []
    for _ in range(len(located()) + 20):
        page.keyboard.press("Tab")
        stop = page.evaluate(ACTIVE)
        if stop is None:
            break
        stops.append(stop)
    assert [s for s in stops if s["tag"] == "path"] == []  # areas, borders, arrows: not tab stops
    assert stops and stops[0]["marker"]  # the first stop in the map is a marker
    titles = page.evaluate(f"() => [...{MAP_JS}.document.querySelectorAll('.strike-marker-icon')].map(m => m.title)")
    assert {s["title"] for s in stops if s["marker"]} == set(titles)
    assert any(s["title"].startswith("Measure a distance") for s in stops)  # the measure tool too
    assert_clean(browser_page)


LEGEND_STATE = f"""() => {{
    const w = {MAP_JS}, doc = w.document, legend = doc.querySelector('.strike-legend');
    const box = r => [r.left, r.top, r.right, r.bottom];
    const markers = [...doc.querySelectorAll('.strike-marker-icon')].filter(m => m.style.display !== 'none')
        .map(m => box(m.getBoundingClientRect()));
    const ext = markers.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]),
                                          Math.max(a[3], b[3])]);
    const l = box(legend.getBoundingClientRect()), map = box(w.map.getContainer().getBoundingClientRect());
    const overlap = !(l[2] <= ext[0] || ext[2] <= l[0] || l[3] <= ext[1] || ext[3] <= l[1]);
    return {{open: legend.open, overlap: overlap, inside: l[0] >= map[0] && l[1] >= map[1] && l[2] <= map[2]
             && l[3] <= map[3], remembered: w.localStorage.getItem('sm-legend-open')}};
}}"""


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 720), (390, 844)])
def test_an_open_legend_never_covers_the_events(streamlit_app, browser_page: BrowserPage, size):
    page = browser_page.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    page.wait_for_function(f"() => {MAP_JS}.smMap.leaders.getLayers().length > 0", timeout=TIMEOUT)
    state = page.evaluate(LEGEND_STATE)
    assert not (state["open"] and state["overlap"]), state
    assert state["inside"]  # never pushed out of the map
    if size[0] >= 1280:
        assert state["open"]  # on these screens there is a corner where it fits
    # the analyst opens (or closes) it: it goes where it covers nothing if it can, and the choice is kept
    frame.locator(".strike-legend summary").click()
    page.wait_for_function(f"() => {MAP_JS}.localStorage.getItem('sm-legend-open') !== null", timeout=TIMEOUT)
    chosen = page.evaluate(LEGEND_STATE)
    assert chosen["remembered"] == ("1" if chosen["open"] else "0")
    page.reload(wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKER).first.wait_for(timeout=TIMEOUT)
    wait_for_markers(page, frame, len(located()))
    page.wait_for_function(f"() => {MAP_JS}.smMap.leaders.getLayers().length > 0", timeout=TIMEOUT)
    again = page.evaluate(LEGEND_STATE)
    if not chosen["open"]:
        assert not again["open"]  # closed stays closed
    assert not (again["open"] and again["overlap"])  # open only where it covers nothing
    page.evaluate(f"() => {MAP_JS}.localStorage.removeItem('sm-legend-open')")  # the next test starts afresh
    assert_clean(browser_page)


def test_the_print_view_prints_this_view_on_a4_landscape_without_controls(streamlit_app, browser_page: BrowserPage,
                                                                          tmp_path):
    iran = EventFilter(actors=frozenset({"Iran"}))
    chosen = sorted(located(iran), key=lambda e: e.id)[0].id
    page, _frame = open_map(browser_page, f"{streamlit_app}/?actor=Iran&select={chosen}")
    link = page.locator("[data-testid=stLinkButton] a", has_text="Print view").first
    link.wait_for(timeout=TIMEOUT)
    href = link.get_attribute("href")
    query = parse_qs(urlparse(href).query)
    assert query["actor"] == ["Iran"] and query["select"] == [chosen]
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(urlparse(r.url).path))
    page.goto(urljoin(page.url, href), wait_until="domcontentloaded")  # as the new tab the link opens
    page.locator(".sm-print-table").wait_for(timeout=TIMEOUT)
    page.locator("[data-testid=stImage] img").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=TIMEOUT)
    shown = filter_events(load_events().events, iran)
    rows = page.locator(".sm-print-table tbody tr")
    assert rows.count() == len(shown)
    assert page.locator(".sm-print-selected").all_inner_texts()[0].count(chosen) == 1
    cited = {r for e in shown for r in e.reports}
    assert page.locator(".sm-print-sources li").count() == len(cited)
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['[data-testid=stSidebar]', '[data-testid=stHeader]', '[data-testid=stButton]',
                                     '[data-testid=stLinkButton]', '.sm-screen-only']
        .flatMap(sel => [...document.querySelectorAll(sel)])
        .every(el => getComputedStyle(el).display === 'none' || el.closest('[style*="display: none"]'))""")
    assert hidden
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    reader = PdfReader(str(pdf))
    assert 1 <= len(reader.pages) <= 4
    for sheet in reader.pages:  # A4 landscape: 297 x 210 mm = 841.9 x 595.3 pt
        assert abs(float(sheet.mediabox.width) - 841.9) < 2 and abs(float(sheet.mediabox.height) - 595.3) < 2
    text = " ".join(sheet.extract_text() for sheet in reader.pages)
    assert all(e.id in text for e in shown)
    for control in ("Fit to filter", "Print view", "Add reports", "Find a place", "Deploy"):
        assert control not in text
    # a page opened by its own path: Streamlit's front end first probes /print/_stcore/ for a base path (404s)
    assert all(path.startswith("/print/_stcore/") for path in failed), failed
    assert browser_page.external_requests() == []
    assert browser_page.page_errors == []


@pytest.mark.parametrize("size", [(1600, 1000), (390, 844)])
def test_a_selected_events_popup_fits_inside_the_map(streamlit_app, browser_page: BrowserPage, size):
    """A shared link with one event selected opens its popup; on a phone it must fit in the narrow map (it was
    380 px wide in a ~358 px map, cut off on the right)."""
    page = browser_page.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page, frame = open_map(browser_page, f"{streamlit_app}/?select=kerman-bombing")
    popup = frame.locator(".leaflet-popup-content-wrapper")
    popup.wait_for(timeout=TIMEOUT)
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    box = page.evaluate(f"""() => {{
        const w = {MAP_JS}, r = w.document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
        const m = w.map.getContainer().getBoundingClientRect();
        return {{left: r.left - m.left, right: m.right - r.right, width: r.width, map: m.width}};
    }}""")
    assert box["left"] >= 0 and box["right"] >= 0, box  # nothing of the popup outside the map
    assert "kerman-bombing" in popup.inner_text()
    assert_clean(browser_page)


def test_a_selection_made_while_the_events_layer_is_off_shows_when_it_is_switched_on(streamlit_app,
                                                                                     browser_page: BrowserPage):
    """A shared link selecting an event with the events layer switched off: once the analyst switches the layer
    on, that marker is the selected one (the selection was applied only to markers on the map before)."""
    chosen = "pakistan-strike-saravan"
    page = browser_page.page
    page.goto(f"{streamlit_app}/?select={chosen}&hide=Strikes%20and%20events", wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-control-layers").wait_for(timeout=TIMEOUT)
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    assert frame.locator(MARKER).count() == 0  # the layer is off
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Strikes and events").click()
    selected = frame.locator(f"{MARKER}:has(.strike-marker.selected)")
    selected.first.wait_for(timeout=TIMEOUT)
    assert selected.count() == 1
    assert selected.get_attribute("title").startswith(f"{chosen}:")
    assert_clean(browser_page)


def test_an_open_popup_stays_open_through_a_filter_change_that_keeps_its_event(streamlit_app,
                                                                             browser_page: BrowserPage):
    """The analyst reads a popup and widens the filter: the markers are re-created, the popup comes back on the
    same event (it closed with its old marker before). Closed by the analyst, it stays closed."""
    chosen = "pakistan-strike-saravan"
    page, frame = open_map(browser_page, f"{streamlit_app}/?actor=Pakistan")
    frame.locator(f"{MARKER}[title^='{chosen}:']").dispatch_event("click")
    # .first: while an update replaces the marker, the old popup may still be fading out beside the new one
    frame.locator(".leaflet-popup-content", has_text=chosen).first.wait_for(timeout=TIMEOUT)
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    actor_box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Actor")
    actor_box.locator("input").click()
    page.keyboard.type("Iran")
    page.keyboard.press("Enter")
    wait_for_markers(page, frame, len(located(EventFilter(actors=frozenset({"Iran", "Pakistan"})))))
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    frame.locator(".leaflet-popup-content", has_text=chosen).first.wait_for(timeout=TIMEOUT)
    page.wait_for_function("""([sel]) => document.querySelector(sel).contentDocument
                                .querySelectorAll('.leaflet-popup').length === 1""", arg=[MAP_FRAME],
                           timeout=TIMEOUT)  # the old one has faded out
    frame.locator(".leaflet-popup-close-button").click()  # the analyst closes it
    actor_box.locator("input").click()
    page.keyboard.type("Houthis")
    page.keyboard.press("Enter")
    wait_for_markers(page, frame, len(located(EventFilter(actors=frozenset({"Iran", "Pakistan", "Houthis"})))))
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    page.wait_for_function("""([sel]) => document.querySelector(sel).contentDocument
                                .querySelectorAll('.leaflet-popup').length === 0""", arg=[MAP_FRAME],
                           timeout=TIMEOUT)  # closed, faded out, and not opened again
    assert_clean(browser_page)
