"""The event model: an Event with the Claims that support it, and the vocabularies of its fields.

Values only (no loading): geo.events.table reads the curated CSVs into these, the store and the
extractor produce the same objects, and the map, the views and the exports consume them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from geo.corpus.ids import short_report_id
from geo.events.claim_values import Quantity, parse_quantity, quantity_bounds, range_label

EVENT_TYPES: tuple[str, ...] = (
    "air/missile strike", "bombing", "armed attack", "armed clash", "maritime attack", "explosion",
    "diplomatic", "military exercise",
)
#: day = one day; range = date..date_end (both days); month = only the month is known
DATE_PRECISIONS: tuple[str, ...] = ("day", "range", "month")
#: how well the text places an event, finest first (geo.events.precision draws each as an area)
GEO_PRECISIONS: tuple[str, ...] = (
    "exact", "town", "near town", "district", "province", "country", "region", "sea",
)
#: the columns of events.csv; the first twelve are the original schema and still load on their own
REQUIRED_EVENT_COLUMNS: tuple[str, ...] = (
    "id", "date", "date_precision", "actor", "target", "event_type", "place", "geo_precision", "origin",
    "fatalities_low", "fatalities_high", "summary",
)
EVENT_COLUMNS: tuple[str, ...] = (
    "id", "date", "date_end", "date_precision", "ongoing", "actor", "target", "event_type", "place",
    "geo_precision", "origin", "fatalities_low", "fatalities_high", "injuries_low", "injuries_high", "summary",
)
CLAIM_COLUMNS: tuple[str, ...] = ("event_id", "report_id", "field", "value", "quote")
#: what a claim can be about: an event's fields, or a fact's (data/facts.csv) one measurable field.
#: casualties = who died, as the report says (CASUALTY_GROUPS); method = how, in the report's words
#: ("airstrikes", "twin bombings"); ongoing = "yes" when the report says it is still under way.
EVENT_CLAIM_FIELDS: tuple[str, ...] = (
    "date", "after", "before", "actor", "target", "place", "fatalities", "injuries", "casualties", "method", "ongoing",
)
#: values of a casualties claim. "non-citizens" is a nationality ("the dead were not Iranian citizens"):
#: it says nothing on whether they were civilians or fighters.
CASUALTY_GROUPS: tuple[str, ...] = (
    "civilians", "militants", "soldiers", "security forces", "non-citizens", "not stated",
)
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
class Figure:
    """A count as the sources allow it: inclusive bounds, high None when no source caps it.

    "over 90" is Figure(91, None, "over"): at least 91, no ceiling; "at least 9" is (9, None);
    "up to 10" is (0, 10); "about 50" is (50, 50, "about") - a hedge, not a bound.
    """

    low: int | None
    high: int | None
    qualifier: str = ""

    @property
    def open(self) -> bool:
        """True when a lower bound is known and nothing caps it."""
        return self.low is not None and self.high is None

    @classmethod
    def of(cls, quantity: Quantity) -> Figure:
        low, high = quantity_bounds(quantity)
        return cls(low, high, quantity.qualifier)

    @classmethod
    def combined(cls, quantities: list[Quantity]) -> Figure:
        """The range every claim fits in: the lowest lower bound; open if any claim is open."""
        if not quantities:
            return cls(None, None)
        figures = [cls.of(q) for q in quantities]
        low = min(f.low for f in figures if f.low is not None)
        high = None if any(f.high is None for f in figures) else max(f.high for f in figures if f.high is not None)
        qualifier = next(f.qualifier for f in figures if f.low == low)
        return cls(low, high, qualifier)


def figure_label(claimed: list[Quantity], low: int | None, high: int | None) -> str:
    """An honest range from the claims ("7–9+", "over 80–over 90", "2"); from the bounds when no claim
    gives a number ("11", "5–8", "12+"); "unknown" if neither."""
    if claimed:
        label = range_label(claimed)
        opened = Figure.combined(claimed).open
        return f"{label}+" if opened and not label.split("–")[-1].startswith(("over", "more than", "at least")) \
            else label
    if low is None:
        return "unknown"
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


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
    #: still under way as of date_end (the reports' words, see the "ongoing" claims)
    ongoing: bool = False
    injuries_low: int | None = None
    injuries_high: int | None = None

    @property
    def reports(self) -> tuple[str, ...]:
        """Sorted ids of the reports that make a claim about this event."""
        return tuple(sorted({c.report_id for c in self.claims}))

    @property
    def date_label(self) -> str:
        """The events.csv `date` form: YYYY-MM-DD (a day, or a range's first day) or YYYY-MM."""
        return self.date_start.strftime("%Y-%m") if self.date_precision == "month" else self.date_start.isoformat()

    @property
    def when(self) -> str:
        """The date as a briefing says it: "2024-01-18", "2024-01 (month)", "2024-01-18 – 2024-01-31",
        "ongoing as of 2024-01-19"."""
        if self.date_precision == "month":
            text = f"{self.date_start:%Y-%m} (month)"
        elif self.date_end != self.date_start:
            text = f"{self.date_start.isoformat()} – {self.date_end.isoformat()}"
        else:
            text = self.date_start.isoformat()
        if self.ongoing:
            return f"ongoing as of {self.date_end.isoformat()}" if self.date_precision != "month" \
                else f"{text}, ongoing"
        return text

    def _figure_claims(self, field_name: str) -> list[Quantity]:
        return [q for c in self.claims if c.field == field_name and (q := parse_quantity(c.value))]

    @property
    def fatalities(self) -> Figure:
        claimed = self._figure_claims("fatalities")
        if claimed:
            return Figure.combined(claimed)
        return Figure(self.fatalities_low, self.fatalities_high)

    @property
    def injuries(self) -> Figure:
        claimed = self._figure_claims("injuries")
        if claimed:
            return Figure.combined(claimed)
        return Figure(self.injuries_low, self.injuries_high)

    @property
    def fatalities_label(self) -> str:
        """An honest range from the claims ("7–9+", "over 80–over 90", "2"); "unknown" if none."""
        return figure_label(self._figure_claims("fatalities"), self.fatalities_low, self.fatalities_high)

    @property
    def injuries_label(self) -> str:
        return figure_label(self._figure_claims("injuries"), self.injuries_low, self.injuries_high)

    @property
    def casualties_label(self) -> str:
        """Who died, as each report says: "civilians (004) / militants (001, 002)"; "" if no report says."""
        groups: dict[str, set[str]] = {}
        for claim in self.claims_for("casualties"):
            groups.setdefault(claim.value, set()).add(short_report_id(claim.report_id))
        return " / ".join(f"{value} ({', '.join(sorted(reports))})" for value, reports in groups.items())

    def claims_for(self, field_name: str) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.field == field_name)


