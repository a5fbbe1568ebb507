"""Facts the reports state (not events): data/facts.csv, with their claims in data/claims.csv.

A fact has a measurement the project can make itself from its own data (e.g. the Iran–Pakistan border's
geodesic length on the Natural Earth 1:10m layer), so each report's figure can be set beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from geo.csvfile import read_rows
from geo.errors import DataError, Problem
from geo.events.claim_values import Quantity, parse_quantity
from geo.events.model import FACT_FIELDS, Claim

FACT_COLUMNS: tuple[str, ...] = ("id", "subject", "field", "unit", "measured_by", "summary", "caveat")
#: the original columns; a file without `caveat` still loads
REQUIRED_FACT_COLUMNS: tuple[str, ...] = FACT_COLUMNS[:-1]


def _border_pair(fact: Fact) -> tuple[str, str] | None:
    """The two countries whose border the fact is about, as its subject names them."""
    from geo.boundaries.borders import countries_named

    named = countries_named(fact.subject)
    return (named[0], named[1]) if len(named) == 2 else None


def _border_geodesic_km(fact: Fact) -> float | None:
    from geo.boundaries.region import Region

    pair = _border_pair(fact)
    if pair is None:
        return None
    borders = Region.of(pair).borders
    return float(borders["length_km"].sum()) if len(borders) else None


def _border_method(fact: Fact) -> str:
    from geo.boundaries.region import Region

    pair = _border_pair(fact)
    name = Region.of(pair).border_name if pair else ""
    return f"Natural Earth 1:10m {name or 'border'}, geodesic length on WGS84"


def _border_subject_problem(subject: str) -> str:
    from geo.boundaries.borders import countries_named

    named = countries_named(subject)
    if len(named) != 2:
        return (f"names {len(named)} countries ({', '.join(named) or 'none'}); a border length is measured "
                "between the two countries the subject names, e.g. 'Length of the Iran–Pakistan border'")
    from geo.boundaries.region import Region

    if not len(Region.of(named).borders):
        return f"{named[0]} and {named[1]} share no land border in Natural Earth"
    return ""


@dataclass(frozen=True)
class Measure:
    """How the project measures a fact itself: the value in the fact's unit (None when it cannot), how it
    was measured, and what is wrong with a subject it cannot measure ('' when nothing)."""

    value: Callable[[Fact], float | None]
    method: Callable[[Fact], str]
    subject_problem: Callable[[str], str]


#: measured_by name -> how. The border is the one between the two countries the fact's subject names; where a
#: full-detail regional line is committed for that pair (data/boundaries/border_*.geojson) it is measured.
MEASURES: dict[str, Measure] = {
    "natural_earth_border_geodesic": Measure(_border_geodesic_km, _border_method, _border_subject_problem),
}


@dataclass(frozen=True)
class Fact:
    id: str
    subject: str
    field: str
    unit: str
    measured_by: str
    summary: str
    claims: tuple[Claim, ...] = ()
    #: why the measurement differs from the reports without them being wrong (e.g. a generalised line)
    caveat: str = ""

    def with_claims(self, claims: tuple[Claim, ...]) -> Fact:
        return replace(self, claims=claims)

    def measured(self) -> float | None:
        """The project's own measurement, in self.unit (None if the fact has none)."""
        if not self.measured_by:
            return None
        return MEASURES[self.measured_by].value(self)

    @property
    def method(self) -> str:
        return MEASURES[self.measured_by].method(self) if self.measured_by else ""


@dataclass(frozen=True)
class FigureClaim:
    """One report's figure for a fact, as a quantity, with its words."""

    report_id: str
    value: Quantity
    quote: str


@dataclass(frozen=True)
class FactFigures:
    fact_id: str
    subject: str
    unit: str
    claims: tuple[FigureClaim, ...]
    measured: float | None
    method: str
    caveat: str = ""

    def lines(self) -> list[str]:
        out = [f"{c.report_id[:3]}: {c.value} {self.unit}  ({c.quote!r})" for c in self.claims]
        if self.measured is not None:
            out.append(f"measured: {self.measured:.0f} {self.unit}  ({self.method})")
        if self.caveat:
            out.append(f"caveat: {self.caveat}")
        return out


def read_facts(path: Path, problems: list[Problem]) -> list[Fact]:
    """Rows of facts.csv; a bad row is reported by line and field and skipped."""

    facts: list[Fact] = []
    seen: set[str] = set()
    for line, row in read_rows(path, FACT_COLUMNS, REQUIRED_FACT_COLUMNS, problems):
        where = f"{path.name} line {line}"
        bad = []
        for name in ("id", "subject", "field", "unit"):
            if not row[name]:
                bad.append((name, "empty"))
        if row["id"] in seen:
            bad.append(("id", f"duplicate id {row['id']!r}; first row kept"))
        if row["field"] and row["field"] not in FACT_FIELDS:
            bad.append(("field", f"{row['field']!r} not one of {list(FACT_FIELDS)}"))
        if row["measured_by"] and row["measured_by"] not in MEASURES:
            bad.append(("measured_by", f"{row['measured_by']!r} not one of {sorted(MEASURES)}"))
        elif row["measured_by"] and row["subject"] and (problem := _subject_problem(row)):
            bad.append(("subject", f"{row['subject']!r} {problem}"))
        if bad:
            problems.extend(Problem(f"{where}, field {name}", message) for name, message in bad)
            continue
        seen.add(row["id"])
        facts.append(Fact(row["id"], row["subject"], row["field"], row["unit"], row["measured_by"], row["summary"],
                          caveat=row.get("caveat", "")))
    return facts


def _subject_problem(row: dict[str, str]) -> str:
    """What keeps the fact's measure from measuring its subject; '' when nothing does, or when the boundary
    layers it needs are unreadable (the pages and commands that draw them say so; the fact still loads)."""
    try:
        return MEASURES[row["measured_by"]].subject_problem(row["subject"])
    except DataError:
        return ""


def fact_figures(fact: Fact) -> FactFigures:
    claims = tuple(
        FigureClaim(c.report_id, q, c.quote)
        for c in sorted(fact.claims, key=lambda c: c.report_id)
        if c.field == fact.field and (q := parse_quantity(c.value))
    )
    return FactFigures(fact.id, fact.subject, fact.unit, claims, fact.measured(), fact.method, fact.caveat)


def border_length_claims(facts: Iterable[Fact]) -> FactFigures | None:
    """Each report's figure for the border length (km) and the measured geodesic length; None when
    the incident has no such fact (facts.csv missing or without the row)."""
    for fact in facts:
        if fact.field == "border_length_km":
            return fact_figures(fact)
    return None
