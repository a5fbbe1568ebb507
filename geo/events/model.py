"""The event model: an Event with the Claims that support it, and the vocabularies of its fields.

Values only (no loading): geo.events.table reads the curated CSVs into these, the store and the
extractor produce the same objects, and the map, the views and the exports consume them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from geo.events.claim_values import parse_quantity, range_label

EVENT_TYPES: tuple[str, ...] = (
    "air/missile strike", "bombing", "armed attack", "armed clash", "maritime attack", "explosion",
    "diplomatic", "military exercise",
)
DATE_PRECISIONS: tuple[str, ...] = ("day", "month")
GEO_PRECISIONS: tuple[str, ...] = ("town", "near town", "province", "country", "region", "sea")
EVENT_COLUMNS: tuple[str, ...] = (
    "id", "date", "date_precision", "actor", "target", "event_type", "place", "geo_precision", "origin",
    "fatalities_low", "fatalities_high", "summary",
)
CLAIM_COLUMNS: tuple[str, ...] = ("event_id", "report_id", "field", "value", "quote")
#: what a claim can be about: an event's fields, or a fact's (data/facts.csv) one measurable field
EVENT_CLAIM_FIELDS: tuple[str, ...] = ("date", "after", "actor", "target", "place", "fatalities")
FACT_FIELDS: tuple[str, ...] = ("border_length_km",)
CLAIM_FIELDS: tuple[str, ...] = (*EVENT_CLAIM_FIELDS, *FACT_FIELDS)
UNKNOWN_ACTOR = "unknown"


@dataclass(frozen=True)
class Claim:
    """One report's statement about one field of an event (or fact), with the words it used."""

    event_id: str
    report_id: str
    field: str
    value: str
    quote: str
    #: character offsets of the quote in the report's text, where known (extracted claims carry them)
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Event:
    id: str
    date_start: date
    date_end: date
    date_precision: str
    actor: str
    target: str
    event_type: str
    place: str
    geo_precision: str
    origin: str
    fatalities_low: int | None
    fatalities_high: int | None
    summary: str
    lat: float | None
    lon: float | None
    origin_lat: float | None
    origin_lon: float | None
    claims: tuple[Claim, ...] = ()

    @property
    def reports(self) -> tuple[str, ...]:
        """Sorted ids of the reports that make a claim about this event."""
        return tuple(sorted({c.report_id for c in self.claims}))

    @property
    def date_label(self) -> str:
        """The events.csv form: YYYY-MM-DD or YYYY-MM."""
        return self.date_start.isoformat() if self.date_precision == "day" else self.date_start.strftime("%Y-%m")

    @property
    def fatalities_label(self) -> str:
        """An honest range from the claims ("7–9", "over 80–over 90", "2"); "unknown" if none."""
        claimed = [q for c in self.claims if c.field == "fatalities" and (q := parse_quantity(c.value))]
        if claimed:
            return range_label(claimed)
        if self.fatalities_low is None:
            return "unknown"
        if self.fatalities_low == self.fatalities_high:
            return str(self.fatalities_low)
        return f"{self.fatalities_low}–{self.fatalities_high}"

    def claims_for(self, field_name: str) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.field == field_name)


