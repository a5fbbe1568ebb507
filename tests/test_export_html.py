"""The self-contained HTML export: everything inlined, no network, renders in headless Chromium."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from geo.events.filter import EventFilter
from geo.export.briefing import Briefing, build_briefing
from geo.export.html import EXTERNAL_RESOURCE, INLINE_BASE, InlineError, briefing_html, inline_assets
from geo.maps import assets

FIXED_TIME = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
RESOURCE_URL = re.compile(
    r"""<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""",
    re.I,
)


@pytest.fixture(scope="module")
def everything(dataset, table):
    return build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME)


@pytest.fixture(scope="module")
def page_text(everything) -> str:
    return briefing_html(everything).decode("utf-8")


def test_every_resource_is_inlined(page_text):
    # markup and stylesheets (the inlined JavaScript is code, not markup: the browser test covers it)
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", page_text, flags=re.S | re.I)
    urls = [next(g for g in m.groups() if g) for m in RESOURCE_URL.finditer(markup)]
    assert urls, "the inlined Leaflet CSS has images, as data: URIs"
    assert all(u.startswith(("data:", "#")) for u in urls), [u[:60] for u in urls if not u.startswith("data:")]
    assert re.findall(r"<script\b[^>]*>", page_text, re.I) == ["<script>"] * page_text.lower().count("<script")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"']*\.(?:js|css)""", page_text, re.I)
    assert INLINE_BASE not in page_text
    assert "<script src" not in page_text.lower()
    # the Leaflet library itself is in the file
    leaflet = assets.LEAFLET_JS.source.read_text(encoding="utf-8")
    assert leaflet[-2000:].strip()[:200] in page_text


def test_http_urls_are_only_attribution_links_and_namespaces(page_text):
    hosts = {m.group(1) for m in re.finditer(r"https?://([^/\s\"'<>)\\]+)", page_text)}
    # the SVG namespace, Leaflet's attribution link and a bug reference in a comment inside leaflet.js
    # and two formula references in comments inside the measuring plugin (Leaflet.PolylineMeasure)
    plugin = {"www.edwilliams.org", "www.movable-type.co.uk"}
    assert hosts <= {"www.w3.org", "leafletjs.com", "bugzilla.mozilla.org", *plugin}, hosts
    for host in plugin & hosts:
        assert host in assets.MEASURE_JS.source.read_text(encoding="utf-8")
    # and both non-namespace ones come with the library itself (its licence comment and attribution)
    assert "leafletjs.com" in assets.LEAFLET_JS.source.read_text(encoding="utf-8")
    assert "bugzilla.mozilla.org" in assets.LEAFLET_CSS.source.read_text(encoding="utf-8")
    assert "sourceMappingURL" not in page_text  # no pointer to a .map file next to the export


def test_header_has_title_caption_and_attribution(everything, page_text):
    assert f"<title>{everything.title}</title>" in page_text
    assert "Filters: all dates" in page_text
    assert "Natural Earth" in page_text and "GeoNames" in page_text
    assert "Generated 2024-02-01 12:00 UTC" in page_text


def test_report_text_is_escaped(table):
    event = next(e for e in table.events if e.lat is not None)
    evil = replace(event, summary='<img src=x onerror="alert(1)">', place="<b>Nowhere</b>, Iran")
    briefing = Briefing(events=(evil,), caption="<script>caption</script>", generated_at=FIXED_TIME,
                        title="<i>T</i>")
    text = briefing_html(briefing).decode("utf-8")
    assert '<img src=x onerror="alert(1)">' not in text
    assert "<script>caption</script>" not in text
    assert "<title><i>T</i></title>" not in text and "&lt;i&gt;T&lt;/i&gt;" in text


def test_inliner_refuses_what_it_cannot_inline():
    with pytest.raises(InlineError):
        inline_assets('<script src="https://cdn.example.org/leaflet.js"></script>')
    with pytest.raises(InlineError):
        inline_assets(f'<script src="{INLINE_BASE}/vendor/unknown.js"></script>')
    with pytest.raises(InlineError):
        inline_assets('<link rel="stylesheet" href="//cdn.example.org/x.css"/>')
    ok = inline_assets(f'<link rel="stylesheet" href="{assets.url(assets.LEAFLET_CSS, INLINE_BASE)}"/>')
    assert "<style>" in ok and "url(\"data:image/png;base64," in ok
    assert not EXTERNAL_RESOURCE.search(ok)


@pytest.mark.browser
def test_html_renders_offline_in_chromium_with_zero_external_requests(dataset, tmp_path, browser_page, table):
    flt = EventFilter(since=date(2024, 1, 15), until=date(2024, 1, 18))
    briefing = build_briefing(dataset, flt, generated_at=FIXED_TIME)
    path = tmp_path / "briefing.html"
    path.write_bytes(briefing_html(briefing))
    page = browser_page.page
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-container")
    page.wait_for_function(
        f"document.querySelectorAll('.strike-marker-icon').length >= {len(briefing.mapped)}", timeout=15000)
    assert page.locator(".strike-marker-icon").count() == len(briefing.mapped)
    assert page.locator("path.leaflet-interactive").count() > 0  # basemap and border drawn
    assert page.locator(".briefing-header h1").inner_text() == briefing.title
    box = page.locator(".folium-map").bounding_box()
    assert box and box["height"] > 300 and box["width"] > 600
    others = [u for u in browser_page.requests if not u.startswith(("file://", "data:"))]
    assert others == []
    assert browser_page.page_errors == []
    assert browser_page.console_errors == []


def test_places_layer_follows_the_report_filter(dataset, table):
    from geo.corpus.articles import load_corpus
    from geo.export import render

    cna = next(a.id for a in load_corpus().articles if a.id.startswith("004"))
    one = build_briefing(dataset, EventFilter(reports=frozenset({cna})), generated_at=FIXED_TIME)
    assert one.report_filter == {cna}
    circles_one = render(one, "html").decode("utf-8").count('"radius":')
    everything = build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME)
    circles_all = render(everything, "html").decode("utf-8").count('"radius":')
    assert 0 < circles_one < circles_all


def test_the_distance_measure_is_inlined(page_text):
    # the vendored plugin and its stylesheet travel inside the file, with the map's geodesic set-up
    assert "L.Control.PolylineMeasure = L.Control.extend" in page_text
    assert ".polyline-measure-tooltip" in page_text
    assert "L.CRS.Earth.smGeodesic" in page_text
