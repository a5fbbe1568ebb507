"""Facts the reports state (not events): data/facts.csv, with their claims in data/claims.csv.

A fact has a measurement the project can make itself from its own data (e.g. the Iran–Pakistan border's
geodesic length on the Natural Earth 1:10m layer), so each report's figure can be set beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from geo.csvfile import read_rows
from geo.errors import Problem
from geo.events.claim_values import Quantity, parse_quantity
from geo.events.model import FACT_FIELDS, Claim

FACT_COLUMNS: tuple[str, ...] = ("id", "subject", "field", "unit", "measured_by", "summary")


def _border_geodesic_km() -> float:
    from geo.boundaries.layers import border_length_km

    return border_length_km()


#: measured_by name -> (function giving the value in the fact's unit, how it was measured)
MEASURES: dict[str, tuple[Callable[[], float], str]] = {
    "natural_earth_border_geodesic": (
        _border_geodesic_km,
        "Natural Earth 1:10m border (data/boundaries/border_iran_pakistan.geojson), geodesic length on WGS84",
    ),
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

    def with_claims(self, claims: tuple[Claim, ...]) -> Fact:
        return replace(self, claims=claims)

    def measured(self) -> float | None:
        """The project's own measurement, in self.unit (None if the fact has none)."""
        if not self.measured_by:
            return None
        return MEASURES[self.measured_by][0]()

    @property
    def method(self) -> str:
        return MEASURES[self.measured_by][1] if self.measured_by else ""


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

    def lines(self) -> list[str]:
        out = [f"{c.report_id[:3]}: {c.value} {self.unit}  ({c.quote!r})" for c in self.claims]
        if self.measured is not None:
            out.append(f"measured: {self.measured:.0f} {self.unit}  ({self.method})")
        return out


def read_facts(path: Path, problems: list[Problem]) -> list[Fact]:
    """Rows of facts.csv; a bad row is reported by line and field and skipped."""

    facts: list[Fact] = []
    seen: set[str] = set()
    for line, row in read_rows(path, FACT_COLUMNS, FACT_COLUMNS, problems):
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
        if bad:
            problems.extend(Problem(f"{where}, field {name}", message) for name, message in bad)
            continue
        seen.add(row["id"])
        facts.append(Fact(row["id"], row["subject"], row["field"], row["unit"], row["measured_by"], row["summary"]))
    return facts


def fact_figures(fact: Fact) -> FactFigures:
    claims = tuple(
        FigureClaim(c.report_id, q, c.quote)
        for c in sorted(fact.claims, key=lambda c: c.report_id)
        if c.field == fact.field and (q := parse_quantity(c.value))
    )
    return FactFigures(fact.id, fact.subject, fact.unit, claims, fact.measured(), fact.method)


def border_length_claims(facts: Iterable[Fact]) -> FactFigures | None:
    """Each report's figure for the border length (km) and the measured geodesic length; None when
    the incident has no such fact (facts.csv missing or without the row)."""
    for fact in facts:
        if fact.field == "border_length_km":
            return fact_figures(fact)
    return None
