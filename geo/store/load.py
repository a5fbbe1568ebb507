"""Read an incident from the store as the domain's values: a Corpus of Articles and an EventTable of
Events with their Claims and Facts (geo.corpus, geo.events), the same values the CSV loader gives.

Coordinates are the ones stored (geocoded once, on import or ingest), so loading needs no gazetteer.
Problems found when the incident's curated files were imported are returned with the table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.corpus.articles import Article, Corpus
from geo.errors import Problem
from geo.events import model as event_model
from geo.events.dates import parse_iso_date
from geo.events.facts import Fact as DomainFact
from geo.events.table import EventTable
from geo.store.mentions import applied_mention
from geo.store.models import Claim, Event, Fact, Incident, Mention, Report

if TYPE_CHECKING:
    from geo.places.toponyms import PlaceMention

STATUS_CHOICES: dict[str, tuple[str, ...] | None] = {
    "accepted": ("accepted",), "candidate": ("candidate",), "rejected": ("rejected",), "all": None,
}


def statuses_for(choice: str) -> tuple[str, ...] | None:
    """'accepted' | 'candidate' | 'rejected' | 'all' -> the statuses to load (None = every one)."""
    if choice not in STATUS_CHOICES:
        raise ValueError(f"status {choice!r} not one of {', '.join(STATUS_CHOICES)}")
    return STATUS_CHOICES[choice]


def incident_corpus(session: Session, incident: Incident) -> Corpus:
    # a report that sources context-layer claims is an imported dataset file (geo.context), not a news report
    dataset_files = select(Claim.report_id).join(Event, Claim.event_id == Event.id).where(
        Claim.incident_id == incident.id, Event.layer == "context").distinct()
    reports = session.scalars(select(Report).where(Report.incident_id == incident.id, Report.id.not_in(dataset_files))
                              .order_by(Report.key)).all()
    articles = [
        Article(id=r.key, path=Path(r.source_name or f"{r.key}.txt"), text=r.text, title=r.title,
                publisher=r.publisher, published=r.published, date_method=r.date_method or "unknown",
                date_note=r.date_note, publisher_note=r.publisher_note)
        for r in reports
    ]
    return Corpus(articles=articles)


def _domain_event(event: Event, claims: tuple[event_model.Claim, ...]) -> event_model.Event:
    if event.date:
        span = parse_iso_date(event.date)
        first, last = span.start, event.day_last or span.end
    else:  # no quote dates it: the open span, never a guessed day
        first, last = date.min, date.max
    values: dict[str, Any] = {
        "id": event.key, "date_start": first, "date_end": last,
        "date_precision": event.date_precision, "actor": event.actor, "target": event.target,
        "event_type": event.event_type, "place": event.place, "geo_precision": event.geo_precision,
        "origin": event.origin, "fatalities_low": event.fatalities_low, "fatalities_high": event.fatalities_high,
        "summary": event.summary, "lat": event.lat, "lon": event.lon, "origin_lat": event.origin_lat,
        "origin_lon": event.origin_lon, "claims": claims, "ongoing": event.ongoing,
        "injuries_low": event.injuries_low, "injuries_high": event.injuries_high,
        "fatalities_qualifier": event.fatalities_qualifier, "status": event.status, "layer": event.layer,
        "uncertainty_wkt": event.uncertainty_wkt,
    }
    names = {f.name for f in dataclasses.fields(event_model.Event)}
    return event_model.Event(**{k: v for k, v in values.items() if k in names})


def incident_table(session: Session, incident: Incident, statuses: Iterable[str] | None = ("accepted",),
                   corpus: Corpus | None = None) -> EventTable:
    """The incident's events (of the given statuses; None = all), claims and facts, in their stored order."""
    corpus = corpus or incident_corpus(session, incident)
    query = select(Event).where(Event.incident_id == incident.id, Event.layer == "report")  # context: geo.context
    if statuses is not None:
        query = query.where(Event.status.in_(list(statuses)))
    events = session.scalars(query.order_by(Event.position, Event.id)).all()
    event_keys = {e.id: e.key for e in events}
    facts = session.scalars(select(Fact).where(Fact.incident_id == incident.id).order_by(Fact.position)).all()
    fact_keys = {f.id: f.key for f in facts}
    rows = session.execute(select(Claim, Report.key).join(Report, Claim.report_id == Report.id)
                           .where(Claim.incident_id == incident.id, Claim.event_id.is_(None)
                                  | Claim.event_id.in_(query.with_only_columns(Event.id)))
                           .order_by(Claim.position, Claim.id)).all()
    claims = []
    for stored, report_key in rows:
        owner = event_keys.get(stored.event_id) if stored.event_id else fact_keys.get(stored.fact_id or -1)
        if owner is not None:
            claims.append(event_model.Claim(owner, report_key, stored.field, stored.value, stored.quote))
    by_owner: dict[str, list[event_model.Claim]] = {}
    for claim in claims:
        by_owner.setdefault(claim.event_id, []).append(claim)
    return EventTable(
        events=[_domain_event(e, tuple(by_owner.get(e.key, []))) for e in events],
        claims=claims,
        problems=[Problem(where, message) for where, message in incident.meta.get("problems", [])],
        facts=[DomainFact(f.key, f.subject, f.field, f.unit, f.measured_by, f.summary,
                          tuple(by_owner.get(f.key, [])), caveat=str(f.extra.get("caveat", ""))) for f in facts],
        published={a.id: a.published for a in corpus.articles},
        datelined=frozenset(a.id for a in corpus.articles if a.date_method == "dateline"),
    )


def incident_mentions(session: Session, incident: Incident, reports: Iterable[str]) -> dict[str, list[PlaceMention]]:
    """Report key -> its stored place mentions in text order, each as the analyst corrected it (the chosen
    place over the geoparser's; a mention marked "not a place" left out), for the given reports."""
    wanted = set(reports)
    rows = session.execute(select(Mention, Report.key).join(Report, Mention.report_id == Report.id)
                           .where(Report.incident_id == incident.id)
                           .order_by(Report.key, Mention.start, Mention.id)).all()
    found: dict[str, list[PlaceMention]] = {key: [] for key in wanted}
    for mention, key in rows:
        placed = applied_mention(mention) if key in wanted else None
        if placed is not None:
            found[key].append(placed)
    return found
