"""A cluster of mentions as a candidate event: fields by vote over the reports, every claim kept."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date

from geo.events.claim_values import Quantity
from geo.events.dates import ResolvedDate, month_span
from geo.events.model import DATE_PRECISIONS, UNKNOWN_ACTOR, Claim, Event, Figure
from geo.extract.fields import Evidence
from geo.extract.mentions import EventMention
from geo.extract.merge import Cluster, location_level
from geo.extract.model import UNKNOWN_DATE_PRECISION, UNKNOWN_END, UNKNOWN_START, Candidate

_PRECISION_ORDER = DATE_PRECISIONS  # finest first: "in recent weeks" resolves to a range (issue 11)


def build_candidate(cluster: Cluster, event_id: str, published: dict[str, date | None]) -> Candidate:
    mentions = cluster.mentions
    event_type = _event_type(cluster)
    when, date_reason = _date(mentions, published)
    actor = _vote([m.actor[1].name for m in mentions if m.actor]) or UNKNOWN_ACTOR
    target = _vote([m.target[1].name for m in mentions if m.target and m.target[1].name != actor]) or ""
    place = _place(mentions)
    counts = [m.fatalities[1] for m in mentions if m.fatalities]
    low, high = fatality_range(counts)
    claims = tuple(_dedupe([c for m in mentions for c in _claims(m, event_id)]))
    place_name = place.place[1].name if place and place.place else ""
    event = Event(
        id=event_id, date_start=when[0], date_end=when[1], date_precision=when[2], actor=actor, target=target,
        event_type=event_type, place=place_name, geo_precision=place.place[2] if place and place.place else "",
        origin="", fatalities_low=low, fatalities_high=high, summary=_summary(event_type, actor, place_name),
        lat=place.place[1].lat if place and place.place else None,
        lon=place.place[1].lon if place and place.place else None,
        origin_lat=None, origin_lon=None, claims=claims,
    )
    return Candidate(event, _confidence(cluster, event), _reason(cluster, event, date_reason))


def fatality_range(counts: list[Quantity]) -> tuple[int | None, int | None]:
    """The bounds every report's figure fits in (`Figure.combined`, the one rule the table and the checks use):
    "over 90" is at least 91 with no ceiling, "up to 10" is 0-10, and one open-ended claim leaves the range
    open, since that report sets no ceiling."""
    figure = Figure.combined(counts)
    return figure.low, figure.high


def _event_type(cluster: Cluster) -> str:
    specific = cluster.specific_types
    return specific.most_common(1)[0][0] if specific else "armed attack"


def _vote(values: list[str]) -> str | None:
    return Counter(values).most_common(1)[0][0] if values else None


def _date(mentions: list[EventMention], published: dict[str, date | None]) -> tuple[tuple[date, date, str], str]:
    dated: dict[str, ResolvedDate] = {}
    support: Counter[str] = Counter()
    for m in mentions:
        if m.date:
            resolved = m.date[1]
            dated.setdefault(resolved.iso, resolved)
            support[resolved.iso] += 1
    if dated:
        best = min(dated.values(), key=lambda r: (-support[r.iso], _PRECISION_ORDER.index(r.precision), r.start))
        return (best.start, best.end, best.precision), f"date from {best.phrase!r}"
    days = sorted(d for m in mentions if (d := published.get(m.report_id)))
    if days:
        start, end = month_span(days[0].year, days[0].month)
        return (start, end, "month"), "undated in the text: publication month of its first report"
    return (UNKNOWN_START, UNKNOWN_END, UNKNOWN_DATE_PRECISION), "undated, publication date unknown"


def _place(mentions: list[EventMention]) -> EventMention | None:
    placed = [m for m in mentions if m.place]
    if not placed:
        return None
    names = Counter(m.place[1].place_id for m in placed if m.place)
    return min(placed, key=lambda m: (location_level(m.place[2]), -names[m.place[1].place_id]) if m.place else (9, 0))


def _claim(mention: EventMention, event_id: str, name: str, value: str, quote: Evidence) -> Claim:
    return Claim(event_id, mention.report_id, name, value, quote.value, quote.start, quote.end)


def _claims(m: EventMention, event_id: str) -> list[Claim]:
    s = m.sentence
    claims = [_claim(m, event_id, "type", m.event_type, Evidence(s.text, s.start, s.end))]
    if m.date:
        claims.append(_claim(m, event_id, "date", m.date[1].phrase, m.span(m.date[0].start, m.date[0].end)))
    for name, part in (("actor", m.actor), ("target", m.target)):
        if part:
            claims.append(_claim(m, event_id, name, part[1].name, m.span(part[0].start, part[0].end)))
    if m.place:
        claims.append(_claim(m, event_id, "place", m.place[1].name, m.span(m.place[0].start, m.place[0].end)))
    for name, count in (("fatalities", m.fatalities), ("injuries", m.injuries)):
        if count:
            claims.append(_claim(m, event_id, name, str(count[1]), count[0]))
    if m.casualties:
        claims.append(_claim(m, event_id, "casualties", m.casualties[1], m.casualties[0]))
    return [_verbatim(c, m.text) for c in claims]


def _verbatim(claim: Claim, text: str) -> Claim:
    assert claim.start is not None and claim.end is not None
    return Claim(claim.event_id, claim.report_id, claim.field, claim.value, text[claim.start:claim.end],
                 claim.start, claim.end)


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen: set[tuple[str, str, str, int | None]] = set()
    kept = []
    for claim in claims:
        key = (claim.report_id, claim.field, claim.value, claim.start)
        if key not in seen:
            seen.add(key)
            kept.append(claim)
    return kept


def _summary(event_type: str, actor: str, place: str) -> str:
    by = f" by {actor}" if actor != UNKNOWN_ACTOR else " (actor not named)"
    return f"{event_type}{by}" + (f" in {place}" if place else "")


def _confidence(cluster: Cluster, event: Event) -> float:
    mentions = cluster.mentions
    score = 0.25
    score += 0.2 * any(m.date for m in mentions)
    score += 0.2 * (event.actor != UNKNOWN_ACTOR)
    score += 0.2 * bool(event.place)
    score += 0.05 * (event.fatalities_low is not None)
    score += 0.05 * min(2, len(event.reports) - 1)
    if not cluster.specific_types:
        score *= 0.6  # only bare "attack"/"strike" words
    return round(min(score, 0.95), 2)


def _reason(cluster: Cluster, event: Event, date_reason: str) -> str:
    words = sorted({m.trigger.surface.lower() for m in cluster.mentions})
    reports = len(event.reports)
    parts = [f"event words {', '.join(repr(w) for w in words[:4])} in {reports} report{'s' * (reports > 1)}",
             date_reason]
    parts.append(f"actor {event.actor}" if event.actor != UNKNOWN_ACTOR else "no actor named")
    parts.append(f"place {event.place} ({event.geo_precision})" if event.place else "no place named")
    return "; ".join(parts)


def slug(text: str) -> str:
    """ASCII id part: "Sarāvān 2024-01-18" -> "saravan-2024-01-18"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
