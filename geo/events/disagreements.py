"""Where the reports disagree: per event (or fact) and field, each distinct value with the reports that give it.

Values are grouped by meaning, not spelling: dates by the day or month they resolve to, counts by their
number and hedge ("at least 7" and "7" are one figure; "over 80" and "over 90" two), lengths at two
significant figures (a 560-mile border and a 900 km one are the same figure in two units), names
case-insensitively. Places are not compared: a town and its province are two precisions, not a conflict.

Differing is not contradicting. A disagreement `contradicts` only when two of its values cannot both be
true (values_contradict): two days that do not overlap; two counts whose bounds do not overlap ("7" vs "9";
never "over 80" vs "over 90", which are both lower bounds); "civilians" vs "militants" for who died;
two different actors. Targets and methods are never contradictions: a strike can hit several groups
(BLA, BLF and "Sarmachars", a Balochi word for guerrillas, can all be right) and "airstrikes" and "missile
strikes" can describe one raid; they are listed as compatible differences, so a briefing sees them without
reading them as a conflict. Order (briefing_order): contradictions first, who died before how many, then
the rest; the dispute more reports take part in first.
A fact with a measurement of its own also lists that measurement, with its caveat, as a reference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from geo.corpus.ids import short_report_id
from geo.events.claim_values import Quantity, parse_quantity, quantity_bounds, significant_figures
from geo.events.dates import resolved_claim_date
from geo.events.facts import Fact, fact_figures
from geo.events.model import Claim, Event

#: compared fields, in the order a briefing needs them (who died first)
COMPARED_FIELDS: tuple[str, ...] = (
    "casualties", "fatalities", "injuries", "date", "actor", "target", "method", "border_length_km",
)
#: fields whose differing values are descriptions that can all be true at once
COMPATIBLE_FIELDS: tuple[str, ...] = ("target", "method")
#: casualty groups that exclude each other (civilians are not fighters); "non-citizens" and "not stated"
#: exclude nothing
_EXCLUSIVE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"civilians"}), frozenset({"militants", "soldiers", "security forces"}),
)
#: how far an approximate figure ("about", "nearly") may be from its number, as a fraction of it
APPROXIMATE_SPREAD = 0.1


@dataclass(frozen=True)
class Disagreement:
    """One field of one event or fact on which reports give different values."""

    event_id: str
    field: str
    #: (value as the reports give it, sorted ids of the reports giving it), most-supported first
    values: tuple[tuple[str, tuple[str, ...]], ...]
    #: the project's own measurement, for facts ("" for events)
    reference: str = ""
    #: True when two of the values cannot both be true; False for compatible differences
    contradicts: bool = True

    def by_report(self) -> dict[str, list[str]]:
        """report id -> the values it gives."""
        out: dict[str, list[str]] = {}
        for value, reports in self.values:
            for report in reports:
                out.setdefault(report, []).append(value)
        return out

    def __str__(self) -> str:
        parts = [f"{value} ({', '.join(short_report_id(r) for r in reports)})" for value, reports in self.values]
        if self.reference:
            parts.append(self.reference)
        kind = "" if self.contradicts else " (compatible)"
        return f"{self.event_id} · {self.field}{kind}: " + " vs ".join(parts)


def _interval(quantity: Quantity, field: str) -> tuple[float, float]:
    """The values a figure allows: its bounds, widened by a hedge or (for lengths) by the precision
    it was written with ("900 km" is 850-950)."""
    low, high = quantity_bounds(quantity)
    upper = float("inf") if high is None else float(high)
    if quantity.qualifier in ("about", "around", "roughly", "some"):
        return low * (1 - APPROXIMATE_SPREAD), upper * (1 + APPROXIMATE_SPREAD)
    if quantity.qualifier in ("nearly", "almost"):
        return low * (1 - APPROXIMATE_SPREAD), upper
    if field == "border_length_km" and high is not None:
        digits = str(quantity.number)
        half = 10 ** (len(digits) - significant_figures(digits)) / 2
        return low - half, upper + half
    return float(low), upper


def values_contradict(field: str, a: Claim, b: Claim, published: Mapping[str, date | None]) -> bool:
    """True when the two claims on one field cannot both be true (module docstring)."""
    if field in COMPATIBLE_FIELDS or field == "place":
        return False
    if field == "date":
        ra, rb = resolved_claim_date(a, dict(published)), resolved_claim_date(b, dict(published))
        return bool(ra and rb) and (ra.end < rb.start or rb.end < ra.start)  # type: ignore[union-attr]
    if field in ("fatalities", "injuries", "border_length_km"):
        qa, qb = parse_quantity(a.value), parse_quantity(b.value)
        if qa is None or qb is None:
            return False
        (la, ha), (lb, hb) = _interval(qa, field), _interval(qb, field)
        return ha < lb or hb < la
    if field == "casualties":
        return any(a.value in one and b.value in other
                   for one in _EXCLUSIVE_GROUPS for other in _EXCLUSIVE_GROUPS if one is not other)
    return a.value.casefold() != b.value.casefold()


def contradicting_pair(disagreement: Disagreement, claims: Sequence[Claim],
                       published: Mapping[str, date | None]) -> tuple[Claim, Claim] | None:
    """Two claims of the disagreement's record and field that contradict (one report may relay both sides:
    "Pakistan said civilians were killed" and "Iran insisted its strikes were aimed only at Jaish al-Adl")."""
    own = [c for c in claims if c.event_id == disagreement.event_id and c.field == disagreement.field]
    for i, a in enumerate(own):
        for b in own[i + 1:]:
            if values_contradict(disagreement.field, a, b, published):
                return a, b
    return None


def briefing_order(disagreements: Sequence[Disagreement]) -> list[Disagreement]:
    """Contradictions before compatible differences; within each, who died, then how many, then the rest
    (COMPARED_FIELDS order); then the one more reports take part in; stable otherwise (table order)."""
    rank = {name: i for i, name in enumerate(COMPARED_FIELDS)}
    return sorted(disagreements, key=lambda d: (not d.contradicts, rank.get(d.field, len(rank)), -len(d.by_report())))


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
                   published: Mapping[str, date | None]) -> Disagreement | None:
    """The Disagreement among claims on one field, or None if they agree (or there is one value)."""
    key = _keyer(field, dict(published))
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
    contradicts = any(values_contradict(field, a, b, published) for i, a in enumerate(claims) for b in claims[i + 1:])
    return Disagreement(record_id, field, tuple(values), contradicts=contradicts)


def find_disagreements(events: Sequence[Event], facts: Sequence[Fact],
                       published: Mapping[str, date | None]) -> list[Disagreement]:
    """Every disagreement in the table, in briefing order (briefing_order): events in table order, then facts."""

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
        if fact.caveat:
            reference += f"; {fact.caveat}"
        measured_key = _sig2(figures.measured)
        off = [c for c in figures.claims if _sig2(c.value.number) != measured_key]
        if disagreement:
            found.append(Disagreement(fact.id, fact.field, disagreement.values, reference,
                                      disagreement.contradicts))
        elif off:
            values = ((claims[0].value, tuple(sorted({c.report_id for c in claims}))),)
            found.append(Disagreement(fact.id, fact.field, values, reference, contradicts=False))
    return briefing_order(found)
