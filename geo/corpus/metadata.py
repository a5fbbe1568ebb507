"""What a report's own text says about itself: headline, publisher, dateline.

These functions look only at the text. They propose metadata for a report that has no row in
data/articles.csv yet; the curated CSV records the decision and how it was made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: A dateline such as "date 2024-01-18 ISLAMABAD —" or "ISLAMABAD, Jan 18 (Reuters) -".
_ISO_DATELINE = re.compile(r"^\s*(?:date\s+)?(\d{4}-\d{2}-\d{2})\b")
#: Publisher credits the text itself carries, with the publisher name they imply.
_PUBLISHER_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/\s*AP\s*$"), "AP"),
    (re.compile(r"\(AP\)"), "AP"),
    (re.compile(r"\bAssociated Press\b"), "AP"),
    (re.compile(r"\(Reuters\)"), "Reuters"),
    (re.compile(r"\bCNA(?:'s|’s)?\b"), "CNA"),
    (re.compile(r"\(AFP\)"), "AFP"),
    (re.compile(r"\bBBC\b(?= News)"), "BBC"),
)
_HEADLINE_MAX_CHARS = 140


@dataclass(frozen=True)
class TextMetadata:
    title: str
    publisher: str
    published: date | None
    date_method: str  # "dateline" or "unknown"


def headline(text: str) -> str:
    """The first non-empty line if it reads as a headline (short, not a finished sentence)."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _ISO_DATELINE.match(line) or len(line) > _HEADLINE_MAX_CHARS:
            return ""
        if line.endswith(".") and not line.endswith("..."):
            return ""
        return line
    return ""


def publisher(text: str) -> str:
    """A publisher the text names as its own (a wire credit, a programme of the outlet)."""
    for pattern, name in _PUBLISHER_PATTERNS:
        if any(pattern.search(line) for line in text.splitlines()):
            return name
    return ""


def dateline(text: str) -> date | None:
    """An explicit ISO date at the start of the text, if there is one."""
    head = text.lstrip()[:200]
    match = _ISO_DATELINE.match(head)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def read_text_metadata(text: str) -> TextMetadata:
    """Title, publisher and date the text states; the dated line may be any of its first three non-empty
    lines (a headline above the dateline is the usual form)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()][:3]
    published = next((d for d in map(dateline, lines) if d), None)
    return TextMetadata(
        title=headline(text),
        publisher=publisher(text),
        published=published,
        date_method="dateline" if published else "unknown",
    )
