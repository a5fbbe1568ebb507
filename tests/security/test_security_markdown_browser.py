"""Report text through markdown_text in a real browser: no link, image or markup comes out of it.

GitHub-flavoured Markdown turns bare URLs, "www." names and e-mail addresses into links after escapes are
resolved, so this needs Streamlit's own renderer to check, not a string comparison.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import BrowserPage, start_streamlit, stop

pytestmark = pytest.mark.browser

HOSTILE = ('Officials said http://example.invalid/x and https://example.invalid/y, see www.example.invalid '
           'or write to press@example.invalid; [a link](http://example.invalid/z) ![img](http://example.invalid/i.png) '
           '<img src=x onerror="window.pwned=1"> **not bold** :red[not red] $x^2$')
APP = f'''
import streamlit as st
from geo.views.sources import markdown_text
text = {HOSTILE!r}
st.markdown(markdown_text(text))
st.caption(markdown_text(text))
st.warning(markdown_text(text))
st.write("done")
'''


@pytest.fixture(scope="module")
def markdown_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("markdown-app")
    app = Path(folder) / "markdown_app.py"
    app.write_text(APP, encoding="utf-8")
    server = start_streamlit(folder, app=str(app))
    try:
        yield server.base_url
    finally:
        stop(server.process)


def test_report_text_makes_no_link_image_or_markup(markdown_app: str, browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto(markdown_app, wait_until="domcontentloaded")
    page.get_by_text("done").wait_for(timeout=90_000)
    main = page.locator("[data-testid=stMain]")
    assert main.locator("a").count() == 0
    assert main.locator("img, strong, em, .katex").count() == 0
    shown = main.inner_text().replace("\u2060", "")
    assert shown.count("http://example.invalid/x") == 3 and shown.count("press@example.invalid") == 3
    assert shown.count("**not bold**") == 3 and shown.count(":red[not red]") == 3
    assert page.evaluate("() => window.pwned") is None
    assert browser_page.external_requests() == []
