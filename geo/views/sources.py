"""HTML for the sources page: a report's text with its place mentions and quoted claims marked.

Report text is untrusted. Every slice of it goes through html.escape, marks are added only around
escaped slices, and titles are attribute-escaped; so a report that contains `<script>` or
`<img onerror=…>` shows those characters and runs nothing.

A report may be huge or name a place thousands of times, so the work is bounded: the highlighter is one
sweep over the span boundaries (linear in text and marks), marks beyond MAX_MARKS and text beyond
MAX_SHOWN_CHARS are left out, and the page says so above the text.
"""

from __future__ import annotations

import html
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PLACE = "place"
QUOTE = "quote"
PLACE_STYLE = "background:#ffe58a;padding:0 1px;border-radius:2px"
#: At most this many marks (place mentions and quotes) per report; the rest of the text is plain.
MAX_MARKS = 5_000
#: At most this many characters of a report are shown on the page.
MAX_SHOWN_CHARS = 500_000
#: Hover titles name at most this many of the marks covering a piece of text.
MAX_TITLES = 8
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
    """Spans where each claim's quote occurs in text (every occurrence, up to one more than MAX_MARKS in
    all, so the highlighter can say it capped them); a quote not found is skipped."""
    spans: list[Span] = []
    for claim in claims:
        quote = claim.quote
        if not quote:
            continue
        start = text.find(quote)
        while start != -1 and len(spans) <= MAX_MARKS:
            spans.append(Span(start, start + len(quote), QUOTE, f"{claim.event_id}: {claim.field} = {claim.value}"))
            start = text.find(quote, start + 1)
    return spans


def highlight_html(text: str, spans: Sequence[Span]) -> str:
    """text as HTML with places in <mark> and quotes underlined; spans may overlap or nest.

    The text is cut at every span boundary; each piece is escaped and wrapped in the marks of the
    spans covering it, so overlapping marks never produce broken HTML. One sweep over the cuts keeps
    the spans covering the current piece, so the work is linear in the text and the marks.
    """
    shown = text[:MAX_SHOWN_CHARS]
    n = len(shown)
    clean = sorted((s for s in spans if 0 <= s.start < s.end <= n), key=lambda s: s.start)
    notes = _cap_notes(len(text), n, len(clean))
    clean = clean[:MAX_MARKS]
    opening: defaultdict[int, list[int]] = defaultdict(list)
    closing: defaultdict[int, list[int]] = defaultdict(list)
    for i, span in enumerate(clean):
        opening[span.start].append(i)
        closing[span.end].append(i)
    cuts = sorted({0, n, *opening, *closing})
    active: dict[str, dict[int, str]] = {PLACE: {}, QUOTE: {}}
    out = []
    for a, b in itertools.pairwise(cuts):
        for i in closing.get(a, ()):
            active[clean[i].kind].pop(i, None)
        for i in opening.get(a, ()):
            active.setdefault(clean[i].kind, {})[i] = clean[i].title
        out.append(_marked(html.escape(shown[a:b]), active))
    return (
        "".join(f'<div class="report-cap" style="font:13px system-ui,sans-serif;color:#8a5300;margin:4px 0">'
                f"{html.escape(note)}</div>" for note in notes)
        + '<div class="report-text" style="white-space:pre-wrap;font:15px/1.6 Georgia,serif;color:#222;'
        'max-height:640px;overflow:auto;padding:12px 16px;border:1px solid #ddd;border-radius:6px;'
        'background:#fffdf8">' + "".join(out) + "</div>"
    )


def _cap_notes(length: int, shown: int, marks: int) -> list[str]:
    notes = []
    if shown < length:
        notes.append(f"Long report: showing the first {shown:,} of {length:,} characters.")
    if marks > MAX_MARKS:
        notes.append(f"Many marks: showing the first {MAX_MARKS:,} of {marks:,} marks (place mentions and "
                     "quotes); the text after the last one is not marked.")
    return notes


def _title(titles: dict[int, str]) -> str:
    names = list(dict.fromkeys(itertools.islice(titles.values(), MAX_TITLES)))
    more = len(titles) - MAX_TITLES
    return html.escape("; ".join(names) + (f" (+{more} more)" if more > 0 else ""), quote=True)


def _marked(piece: str, active: dict[str, dict[int, str]]) -> str:
    if active[PLACE]:
        piece = f'<mark class="place" style="{PLACE_STYLE}" title="{_title(active[PLACE])}">{piece}</mark>'
    if active[QUOTE]:
        piece = f'<span class="quote" style="{QUOTE_STYLE}" title="{_title(active[QUOTE])}">{piece}</span>'
    return piece


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
WORD_JOINER = "\u2060"
_DIRECTIVE_COLON = re.compile(r":(?=[A-Za-z])")
#: where GFM's autolink literals start: "<scheme>://", "www.", and the "@" of an e-mail address
_AUTOLINK_MARKS = re.compile(r"(?i)(?<=\w)(?=://|@\w)|(?<=\bwww)(?=\.)")


def markdown_text(value: object) -> str:
    """Any text as Markdown that shows exactly that text (for Streamlit captions, labels, warnings).

    The characters that make Markdown structure (links, images the browser would fetch, HTML,
    emphasis, code, LaTeX, Streamlit's :colour[...] directives, headings) are backslash-escaped,
    as CommonMark allows; bare URLs and e-mail addresses are kept from becoming links (below); line
    breaks become spaces. Other punctuation such as "actor: Iran" is left alone.
    """
    text = " ".join(str(value).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # No bare-URL or e-mail autolinks either. GFM finds them in the text *after* escapes are resolved, so a
    # backslash does not stop them: an invisible WORD JOINER breaks "://", "www." and "@" for the matcher
    # and leaves the look (and the words) as they were.
    # ":name" right before a letter starts a text directive (Streamlit's :red[...], remark-directive), which
    # swallows the word: escape that colon
    text = _DIRECTIVE_COLON.sub(r"\\:", text)
    return _AUTOLINK_MARKS.sub(WORD_JOINER, text)


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
