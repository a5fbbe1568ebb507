"""A self-contained interactive HTML of the briefing map: opens offline, on any machine.

The map is the dashboard's (geo.maps.build.build_map), rendered with its assets pointed at a private
base; every <script src>/<link href> under that base is then replaced by the file's contents (from
geo.maps.assets), Leaflet's CSS images become data: URIs, and Leaflet's default marker images are set
to data: URIs too. Anything else that would load from elsewhere is an error, not a silent leak.
A header carries the title, caption, attribution and timestamp (all html-escaped).
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from geo.export.briefing import Briefing
from geo.maps import assets
from geo.maps.build import build_map
from geo.maps.literal_render import HTML_ENV
from geo.maps.places import MentionedPlace
from geo.maps.style import ATTRIBUTION

#: Where the rendered map points its assets before they are inlined (never seen by a browser).
INLINE_BASE = "geo-export-inline"

_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""", re.I)
_LINK_HREF = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*/?>""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
#: Resource URLs a browser would fetch from the network (attribution <a href> links are not resources).
EXTERNAL_RESOURCE = re.compile(
    r"""(?:<(?:script|img|iframe|source|embed|audio|video)\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*['"]?\s*(?:https?:)?//)|(?:@import\s+['"]?\s*(?:https?:)?//)""",
    re.I,
)


class InlineError(RuntimeError):
    """The rendered map asks for a resource that cannot be inlined."""


def data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(css: str, folder: Path) -> str:
    """CSS with every relative url(...) replaced by a data: URI of the file next to it."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            return match.group(0)
        if re.match(r"^(?:[a-z]+:)?//", target, re.I):
            raise InlineError(f"stylesheet in {folder} refers to {target}")
        path = (folder / target.split("?")[0].split("#")[0]).resolve()
        if not path.is_file():
            raise InlineError(f"stylesheet in {folder} refers to missing file {target}")
        return f'url("{data_uri(path)}")'

    return _CSS_URL.sub(replace, css)


_SOURCE_MAP = re.compile(r"^\s*(?://[#@]\s*sourceMappingURL=\S*|/\*[#@]\s*sourceMappingURL=[^*]*\*/)\s*$", re.M)


def _script_safe(text: str) -> str:
    # A literal "</script" inside inlined code would end the element early; a source-map comment
    # would point at a file that does not travel with the export.
    return re.sub(r"</(script)", r"<\\/\1", _SOURCE_MAP.sub("", text), flags=re.I)


def _style_safe(text: str) -> str:
    return re.sub(r"</(style)", r"\\3c /\1", _SOURCE_MAP.sub("", text), flags=re.I)


def inline_assets(page: str, base: str = INLINE_BASE, asset_list: Iterable[assets.Asset] = assets.ALL_ASSETS) -> str:
    """Replace every <script src>/<link href> pointing under base with the inlined file."""
    by_url = {assets.url(a, base): a for a in asset_list}
    for asset in by_url.values():
        if not asset.source.exists():
            raise InlineError(f"{asset.source} is missing: run `make assets` (python -m geo assets)")

    def script(match: re.Match[str]) -> str:
        src = match.group(1)
        asset = by_url.get(src)
        if asset is None:
            raise InlineError(f"script {src!r} is not a known offline asset")
        return f"<script>/* {asset.vendored} */\n{_script_safe(asset.source.read_text(encoding='utf-8'))}\n</script>"

    def link(match: re.Match[str]) -> str:
        href = match.group(1)
        tag = match.group(0)
        if "stylesheet" not in tag.lower():
            if href.startswith(base) or re.match(r"^(?:https?:)?//", href, re.I):
                raise InlineError(f"link {href!r} would load a resource")
            return tag
        asset = by_url.get(href)
        if asset is None:
            raise InlineError(f"stylesheet {href!r} is not a known offline asset")
        css = _inline_css(asset.source.read_text(encoding="utf-8"), asset.source.parent)
        return f"<style>/* {asset.vendored} */\n{_style_safe(css)}\n</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _LINK_HREF.sub(link, page)
    page = _inline_default_icon(page, base)
    if base in page:
        where = page.index(base)
        raise InlineError(f"unhandled reference to the asset base near: {page[max(0, where - 80):where + 80]!r}")
    leak = EXTERNAL_RESOURCE.search(page)
    if leak:
        raise InlineError(f"the page would load from the network: {page[leak.start():leak.start() + 120]!r}")
    return page


def _inline_default_icon(page: str, base: str) -> str:
    """Leaflet's default marker images as data: URIs (an empty imagePath keeps them unprefixed)."""
    setting = f"L.Icon.Default.imagePath = {json.dumps(assets.leaflet_image_path(base))};"
    if setting not in page:
        return page
    images = assets.LEAFLET_IMAGES
    options = {
        "iconUrl": data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": data_uri(images / "marker-shadow.png"),
    }
    return page.replace(setting, f'L.Icon.Default.imagePath = ""; L.Icon.Default.mergeOptions({json.dumps(options)});')


HEADER_CSS = """
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; }
  .briefing-header { flex: 0 0 auto; padding: 8px 16px; background: #ffffff; border-bottom: 1px solid #bbb;
    font: 14px/1.35 system-ui, "DejaVu Sans", sans-serif; color: #1b1b1b; }
  .briefing-header h1 { font-size: 20px; margin: 0 0 2px 0; }
  .briefing-header .caption { margin: 0; }
  .briefing-header .meta { margin: 0; font-size: 11px; color: #555; }
  .folium-map { flex: 1 1 auto; height: auto !important; min-height: 0; }
</style>
"""


_HEADER = HTML_ENV.from_string("""\
<div class="briefing-header"><h1>{{ b.title }}</h1><p class="caption">{{ b.summary_line }}</p>
<p class="meta">Reports: {{ reports }} · {{ attribution }} · {{ b.timestamp }}</p></div>""")
_HEAD = HTML_ENV.from_string("""\
<title>{{ title }}</title>
{% for name, value in meta %}<meta name="strike-map:{{ name }}" content="{{ value }}">
{% endfor %}""")


def header_html(briefing: Briefing) -> str:
    reports = ", ".join(r.short for r in briefing.reports) or "none"
    return _HEADER.render(b=briefing, reports=reports, attribution=ATTRIBUTION)


def head_html(briefing: Briefing) -> str:
    """<title> and one <meta name="strike-map:…"> per metadata field (filters, extent, selection)."""
    meta = [(name.lower().replace(" ", "-"), value) for name, value in briefing.metadata.items() if value]
    return _HEAD.render(title=briefing.title, meta=meta)


def briefing_html(briefing: Briefing, *, places: Sequence[MentionedPlace] = ()) -> bytes:
    """The interactive map of the briefing, as on screen (extent, selection, layers), in one HTML file."""
    fmap = build_map(
        list(briefing.events), places, asset_base=INLINE_BASE, standalone=True, colours=briefing.colours or None,
        shapes=briefing.shapes or None, view=briefing.view, report_labels={r.id: r.short for r in briefing.reports},
        region=briefing.region,
    )
    page = inline_assets(fmap.get_root().render())
    page = page.replace("<head>", f"<head>\n{head_html(briefing)}", 1)
    page = page.replace("</head>", f"{HEADER_CSS}</head>", 1)
    page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header_html(briefing), page, count=1)
    return page.encode("utf-8")
