"""HTML for the sources page: a report's text with its place mentions and quoted claims marked.

Report text is untrusted. Every slice of it goes through html.escape, marks are added only around
escaped slices, and titles are attribute-escaped; so a report that contains `<script>` or
`<img onerror=…>` shows those characters and runs nothing.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PLACE = "place"
QUOTE = "quote"
PLACE_STYLE = "background:#ffe58a;padding:0 1px;border-radius:2px"
QUOTE_STYLE = "text-decoration:underline;text-decoration-color:#0072B2;text-decoration-thickness:2px;" \
    "text-underline-offset:3px"


@dataclass(frozen=True)
class Span:
    """A marked stretch of text: [start, end) character offsets, its kind and a hover title."""

    start: int
    end: int
    kind: str
    title: str = ""


def mention_spans(mentions: Iterable[Any]) -> list[Span]:
    """Spans for geo.places.toponyms PlaceMention-like objects (start, end, name, kind, country_code)."""
    spans = []
    for m in mentions:
        where = ", ".join(str(p) for p in (getattr(m, "kind", ""), getattr(m, "country_code", "")) if p)
        title = f"{m.name} ({where})" if where else str(m.name)
        spans.append(Span(int(m.start), int(m.end), PLACE, title))
    return spans


def quote_spans(text: str, claims: Iterable[Any]) -> list[Span]:
    """Spans where each claim's quote occurs in text (every occurrence); a quote not found is skipped."""
    spans = []
    for claim in claims:
        quote = claim.quote
        if not quote:
            continue
        start = text.find(quote)
        while start != -1:
            spans.append(Span(start, start + len(quote), QUOTE, f"{claim.event_id}: {claim.field} = {claim.value}"))
            start = text.find(quote, start + 1)
    return spans


def highlight_html(text: str, spans: Sequence[Span]) -> str:
    """text as HTML with places in <mark> and quotes underlined; spans may overlap or nest.

    The text is cut at every span boundary; each piece is escaped and wrapped in the marks of the
    spans covering it, so overlapping marks never produce broken HTML.
    """
    n = len(text)
    clean = [s for s in spans if 0 <= s.start < s.end <= n]
    cuts = sorted({0, n, *(s.start for s in clean), *(s.end for s in clean)})
    out = []
    for a, b in itertools.pairwise(cuts):
        piece = html.escape(text[a:b])
        covering = [s for s in clean if s.start <= a and b <= s.end]
        quotes = [s for s in covering if s.kind == QUOTE]
        places = [s for s in covering if s.kind == PLACE]
        if places:
            title = html.escape("; ".join(dict.fromkeys(s.title for s in places)), quote=True)
            piece = f'<mark class="place" style="{PLACE_STYLE}" title="{title}">{piece}</mark>'
        if quotes:
            title = html.escape("; ".join(dict.fromkeys(s.title for s in quotes)), quote=True)
            piece = f'<span class="quote" style="{QUOTE_STYLE}" title="{title}">{piece}</span>'
        out.append(piece)
    return (
        '<div class="report-text" style="white-space:pre-wrap;font:15px/1.6 Georgia,serif;color:#222;'
        'max-height:640px;overflow:auto;padding:12px 16px;border:1px solid #ddd;border-radius:6px;'
        'background:#fffdf8">' + "".join(out) + "</div>"
    )


def legend_html() -> str:
    return (
        f'<div style="font:13px system-ui,sans-serif;color:#444"><mark style="{PLACE_STYLE}">place named</mark>'
        f' (hover: where the gazetteer put it) · <span style="{QUOTE_STYLE}">quoted in the event table</span>'
        " (hover: which event and field)</div>"
    )


def claim_card_html(value: str, reports: Sequence[str], quotes: Sequence[tuple[str, str]],
                    labels: Mapping[str, str] | None = None) -> str:
    """One side of a disagreement: the value, who says it and in which words (report id, quote)."""
    labels = labels or {}
    who = ", ".join(html.escape(labels.get(r, r)) for r in reports)
    said = "".join(
        "<blockquote style='margin:6px 0;padding:2px 10px;border-left:3px solid #bbb;color:#333'>"
        f"“{html.escape(quote)}”<br><span style='color:#777;font-size:12px'>— "
        f"{html.escape(labels.get(report, report))}</span></blockquote>"
        for report, quote in quotes
    )
    return (
        "<div style='border:1px solid #ddd;border-radius:6px;padding:8px 12px;background:#fafafa;"
        "font:14px/1.45 system-ui,sans-serif'>"
        f"<div style='font-size:18px;font-weight:700'>{html.escape(value)}</div>"
        f"<div style='color:#555;font-size:12px;margin-bottom:4px'>{who}</div>{said}</div>"
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~$#])")


def markdown_text(value: object) -> str:
    """Any text as Markdown that shows exactly that text (for Streamlit captions, labels, warnings).

    The characters that make Markdown structure (links, images the browser would fetch, HTML,
    emphasis, code, LaTeX, Streamlit's :colour[...] directives, headings) are backslash-escaped,
    as CommonMark allows, and so are the marks of bare-URL autolinks ("://", "www."); line breaks
    become spaces. Other punctuation such as "actor: Iran" is left alone.
    """
    text = " ".join(str(value).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # no bare-URL autolinks either: "http://" and "www." lose their power, not their look
    return re.sub(r"(?i)(www)\.", r"\1\\.", text.replace("://", "\\://"))


#: claim fields as the disagreements view names them
FIELD_LABELS: dict[str, str] = {
    "casualties": "who died", "fatalities": "how many died", "injuries": "how many injured", "method": "how",
    "border_length_km": "length (km)",
}


def disagreement_heading(event_id: str, field: str, contradicts: bool) -> str:
    """Plain text for one disagreement's heading: "pakistan-strike-saravan · who died · the reports
    contradict each other" or "... · how · differently worded, compatible"."""
    kind = "the reports contradict each other" if contradicts else "worded differently, compatible"
    return f"{event_id} · {FIELD_LABELS.get(field, field)} · {kind}"
