"""The briefing page: AppTest for its elements, and a real browser downloading exports of a filtered view."""

from __future__ import annotations

import io

import geopandas as gpd
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from geo.dataset import load_dataset
from geo.events.filter import EventFilter, filter_events
from geo.events.table import load_events
from geo.export import FORMATS
from geo.export.briefing import DEFAULT_TITLE
from tests.conftest import ROOT
from ui.shared import FILTER_KEY, WIDGET_KEYS


@pytest.fixture
def briefing_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("ui/briefing.py").run()
    assert not at.exception, at.exception
    return at


def test_page_offers_every_format_and_a_preview(briefing_page):
    at = briefing_page
    assert [t.value for t in at.title] == ["Briefing export"]
    buttons = at.get("download_button")
    assert sorted(b.proto.label for b in buttons) == sorted(f.label for f in FORMATS.values())
    # the PDF and HTML are made when clicked; the PNG (the preview's) and the quick formats come with the page,
    # as files of this session that no other session's run can delete before the browser fetches them
    # (ui/briefing.py MADE_NOW; the page module is not imported here: importing a page runs it)
    by_label = {b.proto.label: b.proto for b in buttons}
    for fmt in FORMATS.values():
        proto = by_label[fmt.label]
        if fmt.key not in ("pdf", "html"):
            assert proto.url and not proto.deferred_file_id, fmt.key
        else:
            assert proto.deferred_file_id and not proto.url, fmt.key
    assert len(at.get("image")) == 1  # the PNG preview
    assert any("all dates" in c.value for c in at.caption)


def test_preview_has_a_meaningful_alt_text(briefing_page):
    """Issue 15: the preview image had an empty alt text; it says title, extent and number of events, and
    follows the submitted title and the filter."""
    at = briefing_page
    alt = at.get("image")[0].proto.imgs[0].alt
    assert alt.startswith(f"Map preview: {load_dataset().title or DEFAULT_TITLE}") and "extent fitted" in alt
    assert f"{len(load_events().events)} events" in alt and "all dates" in alt
    at.text_input(key="briefing_title").input("Morning brief")
    at.multiselect(key=WIDGET_KEYS["actor"]).select("Iran")
    next(b for b in at.button if b.label == "Make export").click().run()
    assert not at.exception
    iran = len(filter_events(load_events().events, EventFilter(actors=frozenset({"Iran"}))))
    alt = at.get("image")[0].proto.imgs[0].alt
    assert alt.startswith("Map preview: Morning brief") and f"{iran} events" in alt and "actor: Iran" in alt


def test_page_follows_the_sidebar_filter(briefing_page):
    at = briefing_page
    # choose an actor in the shared sidebar (ui.shared), which leaves its filter in session state
    at.multiselect(key=WIDGET_KEYS["actor"]).select("Iran").run()
    assert not at.exception
    assert at.session_state[FILTER_KEY] == EventFilter(actors=frozenset({"Iran"}))
    assert any("actor: Iran" in c.value for c in at.caption)
    names = [b.proto.label for b in at.get("download_button")]
    assert len(names) == len(FORMATS)


@pytest.mark.browser
def test_download_exports_of_a_filtered_view_in_a_browser(streamlit_app, browser_page, tmp_path):
    page = browser_page.page
    # a filtered link to the dashboard, then the Briefing page from the navigation (the filter carries over)
    page.goto(f"{streamlit_app}/?actor=Iran", wait_until="domcontentloaded")
    page.get_by_text("actor: Iran", exact=False).first.wait_for(timeout=120_000)
    page.get_by_role("link", name="Briefing").click()
    page.get_by_role("heading", name="Briefing export").wait_for(timeout=90_000)
    page.get_by_text("actor: Iran", exact=False).first.wait_for(timeout=90_000)
    csv_button = page.get_by_role("button", name=FORMATS["csv"].label)
    csv_button.wait_for(timeout=90_000)
    page.locator("img").filter(has=page.locator("xpath=self::*[contains(@src, 'media')]")).first.wait_for(
        timeout=90_000)

    with page.expect_download(timeout=90_000) as info:
        csv_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv") and "actor-iran" in download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = gpd.read_file(path, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat")
    expected = filter_events(load_events().events, EventFilter(actors=frozenset({"Iran"})))
    assert list(rows["id"]) == [e.id for e in expected]

    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name=FORMATS["png"].label).click()
    png = tmp_path / "snapshot.png"
    info.value.save_as(png)
    with Image.open(io.BytesIO(png.read_bytes())) as image:
        assert image.size == (1920, 1080)

    assert browser_page.external_requests() == []



@pytest.mark.browser
def test_a_typed_title_reaches_the_png_and_pdf_without_enter(streamlit_app, browser_page, tmp_path):
    """Issue 15: type a new title and make the export without pressing Enter; the downloaded PNG's text
    chunk and the PDF's document info carry the new title, not the previous one."""
    from pypdf import PdfReader

    page = browser_page.page
    page.goto(f"{streamlit_app}/briefing", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Briefing export").wait_for(timeout=120_000)
    title_box = page.get_by_label("Title on the map")
    title_box.wait_for(timeout=90_000)
    for title in ("Border strikes: first draft", "Border strikes: as briefed"):
        title_box.fill(title)  # typed, no Enter
        page.get_by_role("button", name="Make export").click()
        page.get_by_text(f"Files below carry the title “{title}”").wait_for(timeout=90_000)
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name=FORMATS["png"].label).click()
        png = tmp_path / "typed.png"
        info.value.save_as(png)
        with Image.open(png) as image:
            assert image.text["Title"] == title
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name=FORMATS["pdf"].label).click()
        pdf = tmp_path / "typed.pdf"
        info.value.save_as(pdf)
        assert PdfReader(pdf).metadata.title == title
    assert browser_page.external_requests() == []
