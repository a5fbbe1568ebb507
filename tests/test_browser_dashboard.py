"""The dashboard in a real browser (Playwright + system Chromium), fully offline.

The map renders with one marker per located event, nothing is requested from any host but
127.0.0.1, a sidebar filter changes the markers, a marker click selects its table row and a row
selection highlights its marker, and a report carrying <script>/<img onerror> shows as text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from geo.events.filter import EventFilter, filter_events
from geo.events.table import load_events
from tests.browser_support import ROOT, BrowserPage, StreamlitServer, free_port, stop, wait_for_health

pytestmark = pytest.mark.browser

TIMEOUT = 90_000
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
MARKER = ".leaflet-marker-icon.strike-marker-icon"
HOSTILE_ID = "999_hostile_report"
HOSTILE_TEXT = (
    "Explosions were heard near Saravan <script>window.pwned = 1;</script> late on Wednesday, and officials in "
    'Balochistan <img src=x onerror="window.pwned = 2"> said nothing. ${window.pwned = 3} `backtick`\n'
)


def located(flt: EventFilter | None = None) -> list:
    return [e for e in filter_events(load_events().events, flt or EventFilter()) if e.lat is not None]


IDLE = "() => !document.querySelector('[data-testid=stStatusWidget]')"


def open_map(browser: BrowserPage, url: str):
    """The Map page as a person finds it ready: markers drawn, the extent the map reports back in the link
    (the rerun that report starts), and no run in progress. A click made before that rerun ends can be
    overtaken by it (a navigation, for one, is replaced by the rerun of the Map page)."""
    page = browser.page
    page.goto(url, wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKER).first.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => location.search.includes('bbox=')", timeout=TIMEOUT)
    page.wait_for_function(IDLE, timeout=TIMEOUT)
    return page, frame


def wait_for_markers(page, frame, count: int) -> None:
    page.wait_for_function(
        """([sel, marker, n]) => {
            const f = document.querySelector(sel);
            if (!f || !f.contentDocument) return false;
            return f.contentDocument.querySelectorAll(marker).length === n;
        }""",
        arg=[MAP_FRAME, MARKER, count],
        timeout=TIMEOUT,
    )


def selected_rows(page) -> list[str]:
    rows = page.locator("[data-testid=stDataFrame] [role=row][aria-selected=true] td:first-of-type")
    return [t.strip() for t in rows.all_inner_texts()]


def assert_clean(browser: BrowserPage) -> None:
    assert browser.external_requests() == []
    assert browser.console_errors == []
    assert browser.page_errors == []


def test_map_renders_every_marker_offline(streamlit_app, browser_page):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    assert frame.locator(".leaflet-overlay-pane path").count() > 20  # the vector basemap is drawn
    assert frame.locator(".strike-arrowhead").count() == sum(1 for e in located() if e.origin_lat is not None)
    assert frame.locator(".strike-legend").count() == 1
    assert frame.locator(".border-label").inner_text().startswith("Border 8")
    box = page.locator(MAP_FRAME).bounding_box()
    assert box and box["height"] > 500  # not the 0-px iframe of a failed script chain
    page.wait_for_timeout(1000)
    assert_clean(browser_page)


def test_a_filter_changes_the_markers_and_the_link(streamlit_app, browser_page):
    iran = EventFilter(actors=frozenset({"Iran"}))
    page, frame = open_map(browser_page, f"{streamlit_app}/?actor=Iran")
    wait_for_markers(page, frame, len(located(iran)))
    # add Pakistan in the sidebar's actor filter
    actor_box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Actor")
    actor_box.locator("input").click()
    page.keyboard.type("Pakistan")
    page.keyboard.press("Enter")
    both = EventFilter(actors=frozenset({"Iran", "Pakistan"}))
    assert len(located(both)) > len(located(iran))
    wait_for_markers(page, frame, len(located(both)))
    page.wait_for_function("() => location.search.includes('actor=Pakistan')", timeout=TIMEOUT)
    assert "actor=Iran" in page.evaluate("location.search")
    # the link restores the view after a reload
    page.reload(wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKER).first.wait_for(timeout=TIMEOUT)
    wait_for_markers(page, frame, len(located(both)))
    assert_clean(browser_page)


MAP_JS = "document.querySelector(\"iframe[title='streamlit_folium.st_folium']\").contentWindow"
WATCH_HEIGHT = """(sel) => {
    window.__minMapHeight = Infinity;
    const tick = () => {
        const f = document.querySelector(sel);
        const h = f ? f.getBoundingClientRect().height : 0;
        window.__minMapHeight = Math.min(window.__minMapHeight, h);
        requestAnimationFrame(tick);
    };
    tick();
}"""


def test_a_filter_change_updates_the_map_in_place_keeping_view_and_layers(streamlit_app, browser_page):
    page, frame = open_map(browser_page, streamlit_app)
    wait_for_markers(page, frame, len(located()))
    # the analyst zooms in and switches the places layer off
    page.evaluate(f"() => {{ const w = {MAP_JS}; w.map.setView([27.5, 62.5], 8); w.map.__same = 'yes'; }}")
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Places named in the reports").click()
    page.wait_for_function("() => location.search.includes('hide=Places')", timeout=TIMEOUT)
    page.wait_for_function("() => location.search.includes('bbox=')", timeout=TIMEOUT)
    page.evaluate(WATCH_HEIGHT, MAP_FRAME)
    actor_box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Actor")
    actor_box.locator("input").click()
    page.keyboard.type("Pakistan")
    page.keyboard.press("Enter")
    wait_for_markers(page, frame, len(located(EventFilter(actors=frozenset({"Pakistan"})))))
    state = page.evaluate(f"""() => {{
        const w = {MAP_JS};
        const places = w.smMap.layers['Places named in the reports'];
        return {{same: w.map.__same, zoom: w.map.getZoom(), lat: w.map.getCenter().lat, lng: w.map.getCenter().lng,
                 placesShown: w.map.hasLayer(places), minHeight: window.__minMapHeight}};
    }}""")
    assert state["same"] == "yes"  # the same Leaflet map: updated, not re-created
    assert state["zoom"] == 8 and abs(state["lat"] - 27.5) < 0.01 and abs(state["lng"] - 62.5) < 0.01
    assert state["placesShown"] is False  # the layer the analyst switched off stays off
    assert state["minHeight"] > 500  # the frame never dropped to 0 px during the update
    assert "actor=Pakistan" in page.evaluate("location.search")
    assert_clean(browser_page)


def test_clicking_a_marker_selects_its_row_and_opens_its_popup(streamlit_app, browser_page):
    page, frame = open_map(browser_page, streamlit_app)
    # the click event on the marker itself: the drill "across the south" now sits at a neutral spot of its
    # area near Kerman, so a pointer click at Kerman's pixel can land on the drill's marker first
    frame.locator(f"{MARKER}[title^='kerman-bombing:']").dispatch_event("click")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stDataFrame] [role=row][aria-selected=true]')]
                 .some(r => r.textContent.includes('kerman-bombing'))""",
        timeout=TIMEOUT,
    )
    assert selected_rows(page) == ["kerman-bombing"]
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".strike-marker.selected").first.wait_for(timeout=TIMEOUT)
    assert frame.locator(".strike-marker.selected").count() == 1
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=TIMEOUT)
    assert "Kerman" in popup.inner_text() and "over 80" in popup.inner_text()
    page.wait_for_function("() => location.search.includes('select=kerman-bombing')", timeout=TIMEOUT)
    assert_clean(browser_page)


def test_selecting_a_row_highlights_its_marker(streamlit_app, browser_page):
    page, frame = open_map(browser_page, f"{streamlit_app}/?actor=Pakistan")  # a short list: every row in view
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    # the grid draws its rows after the page settles: wait for the row, not a fixed time
    row = page.wait_for_function("""() => {
        const i = [...document.querySelectorAll('[data-testid=stDataFrame] [role=row]')]
                  .findIndex(r => r.textContent.includes('pakistan-strike-saravan'));
        return i >= 1 ? i : null;
    }""", timeout=TIMEOUT).json_value() - 1
    assert row >= 0  # the table's own order (the header row is the first)
    box = grid.bounding_box()
    header = row_height = 35  # Streamlit's default dataframe row height (header included)
    page.mouse.click(box["x"] + 18, box["y"] + header + row_height * row + row_height / 2)  # the row's checkbox
    page.wait_for_function(
        """([sel]) => {
            const f = document.querySelector(sel);
            return f && f.contentDocument && f.contentDocument.querySelectorAll('.strike-marker.selected').length === 1;
        }""",
        arg=[MAP_FRAME],
        timeout=TIMEOUT,
    )
    frame = page.frame_locator(MAP_FRAME)
    selected = frame.locator(".leaflet-marker-icon.strike-marker-icon:has(.strike-marker.selected)")
    assert selected.get_attribute("title").startswith("pakistan-strike-saravan:")
    assert selected_rows(page) == ["pakistan-strike-saravan"]
    assert_clean(browser_page)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of the project with a sixth report that carries markup and script."""
    root = tmp_path_factory.mktemp("hostile-app")
    for name in ("app.py",):
        shutil.copy2(ROOT / name, root / name)
    for name in ("geo", "ui", "data", "static", ".streamlit"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / ".cache").exists():
        (root / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)
    (root / "data" / "articles" / f"{HOSTILE_ID}.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    server = _start_in(root, tmp_path_factory.mktemp("hostile-log"))
    try:
        yield server.base_url
    finally:
        stop(server.process)


def _start_in(root: Path, log_dir: Path) -> StreamlitServer:
    """Like browser_support.start_streamlit, in another project folder."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"streamlit-{port}.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_health(base_url, process)
    except Exception:
        stop(process)
        raise
    return StreamlitServer(base_url, process, log_path)


def deep_link_probe_errors(browser: BrowserPage, failed: list[str]) -> list[str]:
    """Console errors left after removing the 404s of Streamlit's own probe for a base path
    (opening /<page>?… makes the frontend try /<page>/_stcore/health and /host-config first)."""
    probes = [url for url in failed if "/_stcore/" in url]
    assert probes == failed, f"unexpected failed requests: {sorted(set(failed) - set(probes))}"
    allowed = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    return [e for e in browser.console_errors if not (probes and e == allowed)]


def test_a_deep_link_on_a_fresh_server_gets_the_shared_sidebar(hostile_app, browser_page):
    page = browser_page.page
    page.goto(f"{hostile_app}/events?actor=Iran", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Events").first.wait_for(timeout=TIMEOUT)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Filters", exact=True).wait_for(timeout=10_000)
    # app.py's navigation (a legacy pages/-folder navigation would list "app" and "shared")
    assert sidebar.get_by_role("link", name="Map").count() == 1
    assert sidebar.get_by_role("link", name="app").count() == 0
    page.get_by_text("actor: Iran", exact=False).first.wait_for(timeout=10_000)  # the URL's filter applies


def test_a_report_with_script_shows_as_text_and_runs_nothing(hostile_app, browser_page):
    page = browser_page.page
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    page.goto(hostile_app, wait_until="domcontentloaded")  # the map, with the sixth report's places on it
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKER).first.wait_for(timeout=TIMEOUT)
    page.goto(f"{hostile_app}/sources?report={HOSTILE_ID}", wait_until="domcontentloaded")
    text = page.locator(".report-text")
    text.wait_for(timeout=TIMEOUT)
    page.get_by_text("unattributed · Explosions were heard", exact=False).first.wait_for(timeout=TIMEOUT)
    shown = text.inner_text()
    assert "<script>window.pwned = 1;</script>" in shown
    assert '<img src=x onerror="window.pwned = 2">' in shown
    assert "${window.pwned = 3}" in shown
    assert text.locator("mark").count() >= 2  # Saravan and Balochistan still found and marked
    assert text.locator("script, img").count() == 0
    page.wait_for_timeout(1000)
    for frame_ in page.frames:
        assert frame_.evaluate("typeof window.pwned") == "undefined"
    assert not [url for url in browser_page.requests if url.rstrip("/").endswith("/x")]
    assert browser_page.external_requests() == []
    assert deep_link_probe_errors(browser_page, failed) == []
    assert browser_page.page_errors == []


def test_a_crafted_link_is_shown_as_text_and_fetches_nothing(streamlit_app, browser_page):
    page = browser_page.page
    crafted = "![x](http://198.51.100.7/pixel.png)"
    page.goto(f"{streamlit_app}/?actor={quote(crafted)}", wait_until="domcontentloaded")
    warning = page.locator("[data-testid=stSidebar] [data-testid=stAlert]").first
    warning.wait_for(timeout=TIMEOUT)
    assert crafted in warning.inner_text().replace("\u2060", "")  # an invisible word joiner breaks the autolink
    page.frame_locator(MAP_FRAME).locator(MARKER).first.wait_for(timeout=TIMEOUT)
    assert warning.locator("img").count() == 0
    assert_clean(browser_page)


def test_events_page_draws_the_timeline_offline(streamlit_app, browser_page):
    page, _ = open_map(browser_page, streamlit_app)  # land first, then navigate as a user does
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    page.get_by_role("link", name="Events").click()
    page.get_by_role("heading", name="Timeline").wait_for(timeout=TIMEOUT)
    chart = page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first
    chart.wait_for(state="attached", timeout=TIMEOUT)
    chart.scroll_into_view_if_needed(timeout=TIMEOUT)  # drawn once in view, as a reader scrolls to it
    chart.wait_for(timeout=TIMEOUT)
    box = chart.bounding_box()
    assert box and box["height"] > 100
    assert failed == []
    assert_clean(browser_page)


def test_typing_an_id_and_enter_in_the_report_filter_picks_that_report_only(streamlit_app, browser_page):
    from geo.corpus.articles import load_corpus

    wanted = next(a.id for a in load_corpus().articles if a.id.startswith("002"))
    page, _ = open_map(browser_page, streamlit_app)
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Report")
    box.locator("input").click()
    page.keyboard.type("002")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('report=')", timeout=TIMEOUT)
    reports = page.evaluate("() => new URLSearchParams(location.search).getAll('report')")
    assert reports == [wanted]
    assert_clean(browser_page)


def test_the_time_slider_shows_the_events_up_to_a_day(streamlit_app, browser_page):
    page, frame = open_map(browser_page, streamlit_app)
    events = located()
    wait_for_markers(page, frame, len(events))
    first_day = min(e.date_start for e in events)
    visible = page.evaluate(f"""() => {{
        const doc = {MAP_JS}.document;
        const range = doc.querySelector('.sm-time input');
        range.value = 0;
        range.dispatchEvent(new Event('input'));
        return {{label: doc.querySelector('.sm-time-label').textContent,
                 shown: [...doc.querySelectorAll('.strike-marker-icon')].filter(m => m.style.display !== 'none')
                        .length}};
    }}""")
    assert visible["shown"] == sum(1 for e in events if e.date_start == first_day)
    assert visible["label"] == f"up to {first_day.day} {first_day:%b %Y}"
    frame.locator(".sm-time .sm-play").click()  # play: from the first day to all dates
    page.wait_for_function(f"() => {MAP_JS}.document.querySelector('.sm-time-label').textContent === 'all dates'",
                           timeout=TIMEOUT)
    assert frame.locator(".strike-marker-icon:visible").count() == len(events)
    assert_clean(browser_page)


GRID_ROWS_JS = """() => [...document.querySelectorAll('[data-testid=stDataFrame] [role=row][aria-rowindex]')]
    .map(r => [Number(r.getAttribute('aria-rowindex')), (r.querySelector('td') || {}).textContent || ''])
    .filter(([i, id]) => i > 1 && id)"""


def test_a_marker_click_brings_its_row_below_the_list_fold_into_view(streamlit_app, browser_page):
    page, frame = open_map(browser_page, streamlit_app)
    scroller = page.locator("[data-testid=stDataFrame] .dvn-scroller").first
    scroller.wait_for(timeout=TIMEOUT)
    first_rows = {id_ for _, id_ in page.evaluate(GRID_ROWS_JS)}
    # the rows at the end of the list (the grid draws the rows in view): scroll there, read them, scroll back
    scroller.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_function(f"() => ({GRID_ROWS_JS})().some(([i]) => i > {len(first_rows) + 1})", timeout=TIMEOUT)
    last_rows = [id_ for _, id_ in page.evaluate(GRID_ROWS_JS) if id_ not in first_rows]
    scroller.evaluate("el => { el.scrollTop = 0; }")
    page.wait_for_function(f"() => ({GRID_ROWS_JS})().some(([i]) => i === 2)", timeout=TIMEOUT)
    markers = {m.get_attribute("title").split(":")[0] for m in frame.locator(MARKER).all()}
    below = [id_ for id_ in last_rows if id_ in markers]
    assert below, "some event with a marker is below the list's fold"
    frame.locator(f"{MARKER}[title^='{below[-1]}:']").dispatch_event("click")
    page.wait_for_function(
        """(id) => [...document.querySelectorAll('[data-testid=stDataFrame] [role=row][aria-selected=true]')]
                 .some(r => r.textContent.includes(id))""", arg=below[-1], timeout=TIMEOUT)
    # in view: the grid draws only the rows its scroll shows (its accessible rows carry no layout), so the row's
    # place is its index (aria-rowindex: the header is 1) times the row height, against the scroll
    page.wait_for_function(
        """(id) => {
            const sc = document.querySelector('[data-testid=stDataFrame] .dvn-scroller'), h = 35;
            const row = [...document.querySelectorAll('[data-testid=stDataFrame] [role=row][aria-selected=true]')]
                .find(r => r.textContent.includes(id));
            if (!row) return false;
            const top = (Number(row.getAttribute('aria-rowindex')) - 2) * h;
            return top >= sc.scrollTop && top + h <= sc.scrollTop + sc.clientHeight - h;
        }""", arg=below[-1], timeout=TIMEOUT)
    assert scroller.evaluate("el => el.scrollTop") > 0
    assert_clean(browser_page)
