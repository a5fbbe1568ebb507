"""What the review page shows: an incident's events by status, each with its claims and their reports, the
report text with the supporting quotes marked, and the fields an analyst may edit (in their words).

Read straight from the store (not the cached Dataset): a reviewer must see the version they will edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.store import repo
from geo.store.mentions import applied_mention
from geo.store.models import Claim, Event, Mention, Report
from geo.views.sources import Span, highlight_html, mention_spans

#: the fields an analyst edits, in the order of the form, with their labels
EDITABLE: dict[str, str] = {
    "date": "Date (YYYY-MM-DD or YYYY-MM)", "date_precision": "Date precision", "actor": "Actor",
    "target": "Target", "event_type": "Event type", "place": "Place", "lat": "Latitude", "lon": "Longitude",
    "geo_precision": "Location precision", "fatalities_low": "Killed (low)", "fatalities_high": "Killed (high)",
    "injuries_low": "Injured (low)", "injuries_high": "Injured (high)", "summary": "Summary",
}
NUMBERS = ("fatalities_low", "fatalities_high", "injuries_low", "injuries_high")
FLOATS = ("lat", "lon")


@dataclass(frozen=True)
class ClaimView:
    id: int
    field: str
    value: str
    quote: str
    report_id: int
    report_key: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class EventView:
    id: int
    key: str
    status: str
    version: int
    values: dict[str, Any]
    claims: tuple[ClaimView, ...]
    updated_by: str

    @property
    def label(self) -> str:
        what = self.values.get("event_type") or "event"
        where = self.values.get("place") or "place not stated"
        when = self.values.get("date") or "undated"
        return f"{self.key} · {what} · {where} · {when}"

    @property
    def report_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(c.report_id for c in self.claims))


def event_views(session: Session, slug: str, statuses: tuple[str, ...] = ("candidate",)) -> list[EventView]:
    """The incident's events of these statuses, in the order they were proposed, each with its claims."""
    incident = repo.require_incident(session, slug)
    events = session.scalars(select(Event).where(Event.incident_id == incident.id, Event.status.in_(statuses))
                             .order_by(Event.position, Event.id)).all()
    rows = session.execute(select(Claim, Report.key).join(Report, Claim.report_id == Report.id)
                           .where(Claim.event_id.in_([e.id for e in events])).order_by(Claim.position)).all()
    by_event: dict[int, list[ClaimView]] = {}
    for claim, key in rows:
        by_event.setdefault(claim.event_id or 0, []).append(
            ClaimView(claim.id, claim.field, claim.value, claim.quote, claim.report_id, key, claim.start, claim.end))
    return [EventView(e.id, e.key, e.status, e.version, {k: getattr(e, k) for k in (*EDITABLE, "reason",
                                                                                     "confidence")},
                      tuple(by_event.get(e.id, [])), e.updated_by) for e in events]


def report_choices(session: Session, slug: str) -> dict[int, str]:
    """report id -> "key · publisher · title" for the incident's reports."""
    incident = repo.require_incident(session, slug)
    reports = session.scalars(select(Report).where(Report.incident_id == incident.id).order_by(Report.position))
    return {r.id: " · ".join(p for p in (r.key, r.publisher, r.title[:60]) if p) for r in reports}


def report_html(session: Session, report_id: int, claims: tuple[ClaimView, ...] = ()) -> str:
    """The report's text (escaped) with its place mentions marked and these claims' quotes underlined."""
    report = session.get(Report, report_id)
    if report is None:
        return ""
    stored = session.scalars(select(Mention).where(Mention.report_id == report_id))
    spans = mention_spans(m for m in map(applied_mention, stored) if m is not None)  # as corrected
    spans += [Span(c.start, c.end, "quote", f"{c.field} = {c.value}") for c in claims
              if c.report_id == report_id and c.start is not None and c.end is not None]
    return highlight_html(report.text, spans)


def parse_edit(raw: Mapping[str, str]) -> dict[str, Any]:
    """Form text -> event values (numbers as numbers, empty as None); ValueError names a bad field."""
    values: dict[str, Any] = {}
    for name, text in raw.items():
        text = text.strip()
        if name in NUMBERS:
            if text and not text.isdigit():
                raise ValueError(f"{EDITABLE[name]}: {text!r} is not a whole number")
            values[name] = int(text) if text else None
        elif name in FLOATS:
            try:
                values[name] = float(text) if text else None
            except ValueError:
                raise ValueError(f"{EDITABLE[name]}: {text!r} is not a number") from None
        else:
            values[name] = text
    return values


def changed_fields(view: EventView, values: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the analyst changed (so an edit never rewrites a field they did not touch)."""
    return {k: v for k, v in values.items() if view.values.get(k) != v and not (view.values.get(k) in (None, "")
                                                                                and v in (None, ""))}


def place_in_report(session: Session, report_id: int, place: str) -> dict[str, Any]:
    """lat/lon/geo_precision for a place an analyst names, from the report's own resolved mention of it
    (the analyst's correction first); empty when the report does not name it (never a guessed point)."""
    wanted = " ".join(place.split()).casefold()
    if not wanted:
        return {}
    for stored in session.scalars(select(Mention).where(Mention.report_id == report_id).order_by(Mention.start)):
        m = applied_mention(stored)
        if m is not None and wanted in (m.mention.casefold(), m.name.casefold()):
            return {"lat": m.lat, "lon": m.lon, "geo_precision": _precision(m.kind)}
    return {}


def _precision(kind: Any) -> str:
    return {"city": "town", "town": "town", "province": "province", "admin1": "province",
            "country": "country"}.get(str(kind or ""), "region")
