"""A second incident from another region, in a real browser: the Map page opens on its countries and draws
its own border, with nothing of the seed incident on screen and no request leaving 127.0.0.1.

The incident is the one tests/test_region_incident.py ingests from the command line (Armenia–Azerbaijan,
September 2022, three reports written for the tests) into a fresh SQLite store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import shapely

from geo.store.engine import URL_ENV
from tests.browser_support import BrowserPage, start_streamlit, stop
from tests.test_region_incident import SEED_WORDS, SLUG, TITLE, Incident, _countries, incident  # noqa: F401

pytestmark = pytest.mark.browser

TIMEOUT = 120_000
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
MAP_JS = f"document.querySelector(\"{MAP_FRAME}\").contentWindow"


@pytest.fixture(scope="module")
def region_app(incident: Incident, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    server = start_streamlit(tmp_path_factory.mktemp("region-app"), env={URL_ENV: incident.url})
    try:
        yield server.base_url
    finally:
        stop(server.process)


def test_the_second_incidents_map_opens_on_its_region_with_its_border(region_app: str,
                                                                       browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto(f"{region_app}/?incident={SLUG}", wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-marker-icon.strike-marker-icon").first.wait_for(timeout=TIMEOUT)
    page.wait_for_function(f"() => {MAP_JS}.map && {MAP_JS}.map.getZoom() > 3", timeout=TIMEOUT)
    view = page.evaluate(f"""() => {{
        const m = {MAP_JS}.map;
        const c = m.getCenter();
        return {{lat: c.lat, lng: c.lng, zoom: m.getZoom()}};
    }}""")
    # the view opens on Armenia and Azerbaijan (their bounding box, slightly widened), not on Iran–Pakistan
    west, south, east, north = shapely.bounds(_countries("AM", "AZ")).tolist()
    assert west - 2 <= view["lng"] <= east + 2 and south - 2 <= view["lat"] <= north + 2, view
    frame_text = frame.locator("body").inner_text(timeout=TIMEOUT)
    assert "Armenia–Azerbaijan border" in frame_text or "Border 754 km" in frame_text
    assert "ARMENIA" in frame_text.upper() and "AZERBAIJAN" in frame_text.upper()
    page.get_by_text(TITLE).first.wait_for(timeout=TIMEOUT)
    page_text = page.locator("[data-testid=stMain]").inner_text()
    # neighbours such as Iran are labelled on the map as countries; the page, legend and layer list must not
    # speak of the seed incident
    controls = frame.locator(".leaflet-control-container").inner_text()
    leaked = [(w, "page" if w in page_text else "legend") for w in SEED_WORDS if w in page_text or w in controls]
    assert leaked == [], leaked
    assert browser_page.external_requests() == []
    assert browser_page.page_errors == []
    if os.environ.get("STRIKE_MAP_SCREENSHOTS"):  # for a person to look at
        page.screenshot(path=os.path.join(os.environ["STRIKE_MAP_SCREENSHOTS"], "region-map.png"))

