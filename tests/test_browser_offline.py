"""Offline first, in a real browser: the landing page draws a Leaflet map with the Iran–Pakistan
border from files the app serves itself, and on every page the browser asks no host but 127.0.0.1
for anything (what each page draws is waited for, then the network must be idle)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from geo.maps.assets import LEAFLET_CSS, LEAFLET_JS
from geo.maps.style import BORDER_STYLE

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
TIMEOUT = 90_000


def test_leaflet_map_with_border_renders_with_zero_external_requests(streamlit_app, browser_page):
    page = browser_page.page
    page.goto(streamlit_app, wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").first.wait_for(timeout=TIMEOUT)
    border = frame.locator(f".leaflet-overlay-pane path[stroke='{BORDER_STYLE['color']}']")
    border.first.wait_for(timeout=TIMEOUT)
    # The border is a long line on screen, not a dot: its box spans a good part of the map.
    box = border.first.bounding_box()
    assert box is not None and box["height"] > 60
    # Leaflet really ran (a global L with a version) from the vendored copy, not a CDN.
    frame_handle = page.locator(MAP_FRAME).element_handle().content_frame()
    assert frame_handle.evaluate("() => window.L && window.L.version") == "1.9.3"
    page.wait_for_load_state("networkidle")  # late requests (fonts, images, metrics) have been made
    assert browser_page.external_requests() == []
    local_paths = {urlparse(u).path for u in browser_page.requests if u.startswith("http")}
    assert f"/app/static/{LEAFLET_JS.vendored}" in local_paths
    assert f"/app/static/{LEAFLET_CSS.vendored}" in local_paths
    assert browser_page.page_errors == []


#: url path -> what shows that the page has drawn its heavy part (chart, report text, preview image)
PAGES = {
    "events": ("Events", "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"),
    "sources": ("Sources", ".report-text"),  # in a tab behind the disagreements: drawn, not necessarily visible
    "briefing": ("Briefing export", "[data-testid='stImage'] img"),
    "print": ("Iran–Pakistan strikes, January 2024", "[data-testid='stImage'] img"),
    "context": ("Context: ACLED / UCDP events", "[data-testid='stMain']"),
    "add-reports": ("Add reports", "[data-testid='stMain'] [data-testid='stForm'], [data-testid='stFileUploader']"),
    "review": ("Review", "[data-testid='stMain']"),
    "changes": ("Since the last briefing", "[data-testid='stMain']"),
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_every_page_makes_no_request_beyond_127_0_0_1(streamlit_app, browser_page, path):
    heading, drawn = PAGES[path]
    page = browser_page.page
    page.goto(f"{streamlit_app}/{path}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=TIMEOUT)
    page.locator(drawn).first.wait_for(state="attached", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    assert browser_page.requests, "the recorder saw no request at all"
    assert browser_page.external_requests() == []
    assert browser_page.page_errors == []
