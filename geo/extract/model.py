"""What the extractor proposes: a candidate event with its claims, a confidence and the reason for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from geo.events.model import EVENT_TYPES, Event

#: the curated table's types plus the ones the issue names that it lacks
EXTRACT_TYPES: tuple[str, ...] = (*EVENT_TYPES, "shelling", "ceasefire", "aircraft shot down")
#: how well the text places an event, most precise first
LOCATION_PRECISIONS: tuple[str, ...] = ("exact", "town", "near town", "district", "province", "country", "region")
#: who died, as a report states it (a claim with this field exists only where the words say so)
CASUALTY_KINDS: tuple[str, ...] = ("civilians", "militants", "soldiers", "security forces", "not stated")
#: an event no quote dates and no publication date bounds: the span is open on both sides
UNKNOWN_DATE_PRECISION = "unknown"
UNKNOWN_START = date.min
UNKNOWN_END = date.max
CANDIDATE = "candidate"


@dataclass(frozen=True)
class Candidate:
    """A proposed event (status candidate) with every claim behind it.

    `event.claims` hold the report, field, value, verbatim quote and its offsets. An event whose date no
    quote gives and no publication date bounds has date_precision "unknown" and the open span
    date.min..date.max (it could be any day), never a guessed day.
    """

    event: Event
    confidence: float
    reason: str
    status: str = CANDIDATE

    @property
    def date_known(self) -> bool:
        return self.event.date_precision != UNKNOWN_DATE_PRECISION
