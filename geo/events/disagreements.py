"""Where the reports disagree: per event (or fact) and field, each distinct value with the reports that give it.

Values are compared by meaning, not spelling: dates by the day or month they resolve to, counts by their
number ("at least 7" and "7" agree; "over 80" and "over 90" do not), lengths at two significant figures
(a 560-mile border and a 900 km one are the same figure in two units), names case-insensitively.
Places are not compared: a town and its province are two precisions, not a conflict.
A fact with a measurement of its own also disagrees when the reports' figures differ from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from geo.events.claim_values import parse_quantity
from geo.events.dates import resolved_claim_date
from geo.events.facts import Fact, fact_figures
from geo.events.model import Claim, Event

COMPARED_FIELDS: tuple[str, ...] = ("date", "actor", "target", "fatalities", "border_length_km")


@dataclass(frozen=True)
class Disagreement:
    """One field of one event or fact on which reports give different values."""

    event_id: str
    field: str
    #: (value as the reports give it, sorted ids of the reports giving it), most-supported first
    values: tuple[tuple[str, tuple[str, ...]], ...]
    #: the project's own measurement, for facts ("" for events)
    reference: str = ""

    def by_report(self) -> dict[str, list[str]]:
        """report id -> the values it gives."""
        out: dict[str, list[str]] = {}
        for value, reports in self.values:
            for report in reports:
                out.setdefault(report, []).append(value)
        return out

    def __str__(self) -> str:
        parts = [f"{value} ({', '.join(r[:3] for r in reports)})" for value, reports in self.values]
        if self.reference:
            parts.append(self.reference)
        return f"{self.event_id} · {self.field}: " + " vs ".join(parts)


def _sig2(number: float) -> float:
    return float(f"{number:.2g}")


def _keyer(field: str, published: dict[str, date | None]) -> Callable[[Claim], tuple[str, str] | None]:
    """claim -> (comparison key, value to show), or None if it cannot be compared."""

    def key(claim: Claim) -> tuple[str, str] | None:
        if field == "date":
            resolved = resolved_claim_date(claim, published)
            return (resolved.iso, resolved.iso) if resolved else None
        if field in ("fatalities", "border_length_km"):
            quantity = parse_quantity(claim.value)
            if quantity is None:
                return None
            number = quantity.number if field == "fatalities" else _sig2(quantity.number)
            return (f"{quantity.qualifier}|{number}" if quantity.qualifier in ("over", "more than") else str(number),
                    claim.value)
        return claim.value.casefold(), claim.value

    return key


def compare_claims(record_id: str, field: str, claims: list[Claim],
                   published: dict[str, date | None]) -> Disagreement | None:
    """The Disagreement among claims on one field, or None if they agree (or there is one value)."""
    key = _keyer(field, published)
    groups: dict[str, tuple[list[str], set[str]]] = {}
    for claim in claims:
        keyed = key(claim)
        if keyed is None:
            continue
        shown, reports = groups.setdefault(keyed[0], ([], set()))
        if keyed[1] not in shown:
            shown.append(keyed[1])
        reports.add(claim.report_id)
    if len(groups) < 2:
        return None
    values = sorted(
        ((" / ".join(shown), tuple(sorted(reports))) for shown, reports in groups.values()),
        key=lambda item: (-len(item[1]), item[0]),
    )
    return Disagreement(record_id, field, tuple(values))


def find_disagreements(events: Sequence[Event], facts: Sequence[Fact],
                       published: Mapping[str, date | None]) -> list[Disagreement]:
    """Every disagreement in the table: events in table order, then facts."""

    found: list[Disagreement] = []
    for event in events:
        for field in COMPARED_FIELDS:
            claims = [c for c in event.claims if c.field == field]
            disagreement = compare_claims(event.id, field, claims, published)
            if disagreement:
                found.append(disagreement)
    for fact in facts:
        claims = [c for c in fact.claims if c.field == fact.field]
        disagreement = compare_claims(fact.id, fact.field, claims, published)
        figures = fact_figures(fact)
        if figures.measured is None:
            if disagreement:
                found.append(disagreement)
            continue
        reference = f"measured {figures.measured:.0f} {fact.unit} ({fact.method})"
        measured_key = _sig2(figures.measured)
        off = [c for c in figures.claims if _sig2(c.value.number) != measured_key]
        if disagreement:
            found.append(Disagreement(fact.id, fact.field, disagreement.values, reference))
        elif off:
            values = ((claims[0].value, tuple(sorted({c.report_id for c in claims}))),)
            found.append(Disagreement(fact.id, fact.field, values, reference))
    return found
