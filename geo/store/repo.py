"""The one way to change the store: every function here writes its rows and their change-log entries in
the caller's transaction (Store.write), so a change and its record are committed together or not at all.

Optimistic locking: edit_event / set_status take the version the analyst saw; if another analyst changed
the event since, StaleEdit carries both sides (theirs as stored, yours as asked) so nothing is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from geo.events.dates import parse_iso_date
from geo.store.engine import StoreError
from geo.store.mentions import correction_for
from geo.store.models import (
    EVENT_LAYERS,
    EVENT_STATUSES,
    Base,
    Briefing,
    Change,
    Claim,
    Event,
    Fact,
    Incident,
    Mention,
    Report,
)

#: event columns an analyst (or the importer) may set; the rest is bookkeeping
EVENT_FIELDS: tuple[str, ...] = (
    "status", "layer", "date", "date_end", "date_precision", "ongoing", "actor", "target", "event_type", "place",
    "lat", "lon", "origin", "origin_lat", "origin_lon", "geo_precision", "uncertainty_wkt", "fatalities_low",
    "fatalities_high", "fatalities_qualifier", "injuries_low", "injuries_high", "summary", "confidence", "reason",
    "extra",
)
_COUNTS = ("fatalities_low", "fatalities_high", "injuries_low", "injuries_high")
_FLOATS = ("lat", "lon", "origin_lat", "origin_lon", "confidence")


class InvalidValue(StoreError):
    """A value the store will not hold (wrong form or out of range), named by field."""


class NotFound(StoreError):
    pass


class StaleEdit(StoreError):
    """The event changed since the analyst loaded it. Holds the stored values and the refused edit."""

    def __init__(self, event_key: str, expected_version: int, current: dict[str, Any], attempted: dict[str, Any],
                 changed_by: str):
        self.event_key = event_key
        self.expected_version = expected_version
        self.current = current
        self.attempted = attempted
        self.changed_by = changed_by
        differing = sorted(k for k, v in attempted.items() if current.get(k) != v)
        super().__init__(
            f"event {event_key!r} was changed by {changed_by or 'another analyst'} since you opened it "
            f"(version {expected_version} -> {current.get('version')}); your edit was not saved. "
            f"Fields where yours differs from theirs: {', '.join(differing) or 'none'}. "
            "Review their values and apply yours again."
        )


def utcnow() -> datetime:
    return datetime.now(UTC)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_values(row: Base) -> dict[str, Any]:
    """A JSON-safe dict of a row's mapped columns (dates and times as ISO text)."""
    values: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def log_change(session: Session, who: str, row: Base, action: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None, incident_id: int | None, at: datetime | None = None) -> Change:
    """Record one change; the caller's transaction commits it with the change itself."""
    session.flush()
    change = Change(incident_id=incident_id, at=at or utcnow(), who=who, table_name=row.__tablename__,
                    row_id=row.id, action=action, before=before, after=after)  # type: ignore[attr-defined]
    session.add(change)
    return change


def _next_position(session: Session, column: Any, incident_id: int) -> int:
    """One past the largest position in use (rows keep the order they were added or imported in).

    Asked of the database once per table and incident in a session, then counted on in memory: a batch
    adds thousands of claims, and a MAX over the incident's rows for each would make it quadratic.
    """
    counters: dict[tuple[str, int], int] = session.info.setdefault("next_position", {})
    key = (str(column), incident_id)
    if key not in counters:
        session.flush()
        owner = column.class_.incident_id
        counters[key] = int(session.scalar(select(func.coalesce(func.max(column), -1))
                                           .where(owner == incident_id))) + 1
    counters[key] += 1
    return counters[key] - 1


# --- incidents -------------------------------------------------------------------------------------------

def get_incident(session: Session, slug: str) -> Incident | None:
    return session.scalars(select(Incident).where(Incident.slug == slug)).one_or_none()


def require_incident(session: Session, slug: str) -> Incident:
    incident = get_incident(session, slug)
    if incident is None:
        known = ", ".join(session.scalars(select(Incident.slug).order_by(Incident.slug))) or "none yet"
        raise NotFound(f"no incident {slug!r} in the store; incidents: {known}")
    return incident


def ensure_incident(session: Session, slug: str, who: str, title: str = "", countries: Iterable[str] = (),
                    window: tuple[date | None, date | None] = (None, None)) -> tuple[Incident, bool]:
    """The incident with this slug, created if new (True); an existing one keeps its title and countries."""
    incident = get_incident(session, slug)
    if incident is not None:
        return incident, False
    incident = Incident(slug=slug, title=title or slug, countries=",".join(countries), window_start=window[0],
                        window_end=window[1], created_at=utcnow(), created_by=who, meta={})
    session.add(incident)
    session.flush()
    log_change(session, who, incident, "insert", None, row_values(incident), incident.id)
    return incident, True


# --- reports and mentions --------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewReport:
    key: str
    text: str
    title: str = ""
    publisher: str = ""
    published: date | None = None
    date_method: str = "unknown"
    date_note: str = ""
    publisher_note: str = ""
    source_name: str = ""

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def find_report_by_hash(session: Session, incident: Incident, digest: str) -> Report | None:
    return session.scalars(
        select(Report).where(Report.incident_id == incident.id, Report.content_hash == digest)).one_or_none()


def _free_key(session: Session, incident: Incident, key: str, digest: str) -> str:
    def taken(name: str) -> bool:
        return session.scalar(select(Report.id).where(Report.incident_id == incident.id, Report.key == name)
                              .limit(1)) is not None

    candidate, n = key, 1
    while taken(candidate):
        candidate, n = f"{key}_{digest[:8]}" + (f"_{n}" if n > 1 else ""), n + 1
    return candidate


def add_report(session: Session, incident: Incident, new: NewReport, who: str) -> Report | None:
    """Store a report; None if the incident already holds the same text (by content hash).

    A key already used by a different text gets the hash's first 8 characters appended.
    """
    digest = new.content_hash
    if find_report_by_hash(session, incident, digest) is not None:
        return None
    position = _next_position(session, Report.position, incident.id)
    report = Report(
        incident_id=incident.id, key=_free_key(session, incident, new.key, digest), position=position,
        text=new.text, content_hash=digest, title=new.title, publisher=new.publisher, published=new.published,
        date_method=new.date_method, date_note=new.date_note, publisher_note=new.publisher_note,
        source_name=new.source_name, added_at=utcnow(), added_by=who,
    )
    session.add(report)
    after = {k: v for k, v in row_values(report).items() if k != "text"} | {"text_chars": len(new.text)}
    log_change(session, who, report, "insert", None, after, incident.id)
    return report


def add_mentions(session: Session, report: Report, mentions: Iterable[Any], who: str) -> int:
    """Store the geoparser's mentions (geo.places.toponyms.PlaceMention-like) of a report; one log entry."""
    rows = [{"report_id": report.id, "start": m.start, "end": m.end, "mention": m.mention, "place_id": m.place_id,
             "name": m.name, "kind": m.kind, "country_code": m.country_code, "lat": m.lat, "lon": m.lon,
             "confidence": m.confidence, "correction": None, "corrected_by": ""} for m in mentions]
    if rows:  # one multi-row INSERT: a report has dozens of mentions and the ORM's per-object work shows
        session.execute(insert(Mention), rows)
        session.expire(report, ["mentions"])
    log_change(session, who, report, "mentions", None, {"mentions": len(rows)}, report.incident_id)
    return len(rows)


def correct_mention(session: Session, mention_id: int, place: Mapping[str, Any] | None, who: str) -> Mention:
    """The analyst's choice of place for a mention ({place_id, name, kind, country_code, lat, lon}), or None:
    the words are not a place (geo.store.mentions reads it back). The mention only: an analyst's correction
    goes through intake.correct_mention, which also places again the events the mention placed."""
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise NotFound(f"no place mention {mention_id}")
    try:
        correction = correction_for(place)
    except ValueError as exc:
        raise InvalidValue(f"place mention {mention.mention!r}: {exc}") from None
    before = row_values(mention)
    mention.correction = correction
    mention.corrected_by, mention.corrected_at = who, utcnow()
    log_change(session, who, mention, "update", before, row_values(mention), mention.report.incident_id)
    return mention


# --- events, facts, claims -------------------------------------------------------------------------------

def _check_count(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"{name}: {value!r} is not a whole number")
    if value < 0:
        raise InvalidValue(f"{name}: {value} is negative")
    return value


def _check_event_values(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(EVENT_FIELDS))
    if unknown:
        raise InvalidValue(f"not event fields: {', '.join(unknown)}; fields: {', '.join(EVENT_FIELDS)}")
    checked = dict(values)
    if "status" in checked and checked["status"] not in EVENT_STATUSES:
        raise InvalidValue(f"status: {checked['status']!r} not one of {list(EVENT_STATUSES)}")
    if "layer" in checked and checked["layer"] not in EVENT_LAYERS:
        raise InvalidValue(f"layer: {checked['layer']!r} not one of {list(EVENT_LAYERS)}")
    for name in _COUNTS:
        if name in checked:
            checked[name] = _check_count(name, checked[name])
    for name in _FLOATS:
        if checked.get(name) is not None:
            checked[name] = float(checked[name])
    for name in ("date", "date_end"):
        if checked.get(name):
            try:
                parse_iso_date(checked[name])
            except ValueError as exc:
                raise InvalidValue(f"{name}: {checked[name]!r}: {exc}") from None
    return checked


def _set_days(event: Event) -> None:
    """day_first/day_last from the date as written (and date_end, if any), for filtering in SQL."""
    first = parse_iso_date(event.date) if event.date else None
    last = parse_iso_date(event.date_end) if event.date_end else first
    event.day_first = first.start if first else None
    event.day_last = last.end if last else None


def _check_bounds(event: Event) -> None:
    for low, high in (("fatalities_low", "fatalities_high"), ("injuries_low", "injuries_high")):
        lo, hi = getattr(event, low), getattr(event, high)
        if lo is not None and hi is not None and lo > hi:
            raise InvalidValue(f"{low}: {lo} is above {high} {hi}")
        if lo is None and hi is not None:
            raise InvalidValue(f"{low}: empty while {high} is {hi} (give a low bound; an empty high means open)")


def date_values(start: date | None, end: date | None, precision: str) -> dict[str, str]:
    """The store's date text for a span: 'YYYY-MM-DD' (day, or a range's first day) or 'YYYY-MM' (month) as
    its precision says, nothing when it is unknown, and date_end only when the span runs past what the date
    implies."""
    if precision not in ("day", "month", "range") or not isinstance(start, date) or start == date.min:
        return {"date": "", "date_end": "", "date_precision": precision}
    text = start.strftime("%Y-%m") if precision == "month" else start.isoformat()
    implied = parse_iso_date(text).end
    tail = end.isoformat() if isinstance(end, date) and end != implied and end != date.max else ""
    return {"date": text, "date_end": tail, "date_precision": "day" if precision == "range" and not tail
            else precision}


def get_event(session: Session, incident: Incident, key: str) -> Event | None:
    return session.scalars(select(Event).where(Event.incident_id == incident.id, Event.key == key)).one_or_none()


def upsert_event(session: Session, incident: Incident, key: str, values: Mapping[str, Any], who: str) -> Event:
    """Insert the event with this key, or update the stored one (version incremented); logged either way."""
    checked = _check_event_values(values)
    event = get_event(session, incident, key)
    now = utcnow()
    if event is None:
        position = _next_position(session, Event.position, incident.id)
        event = Event(incident_id=incident.id, key=key, position=position, version=1, created_at=now,
                      updated_at=now, updated_by=who, extra={}, **{"status": "candidate", "layer": "report"})
        for name, value in checked.items():
            setattr(event, name, value)
        _set_days(event)
        _check_bounds(event)
        session.add(event)
        log_change(session, who, event, "insert", None, row_values(event), incident.id)
        return event
    return _apply_edit(session, event, checked, who, "update")


def _apply_edit(session: Session, event: Event, changes: Mapping[str, Any], who: str, action: str,
                why: str = "", context: Mapping[str, Any] | None = None) -> Event:
    before = row_values(event)
    for name, value in changes.items():
        setattr(event, name, value)
    _set_days(event)
    _check_bounds(event)
    event.version += 1
    event.updated_at, event.updated_by = utcnow(), who
    log_change(session, who, event, action, before,
               row_values(event) | ({"why": why} if why else {}) | dict(context or {}), event.incident_id)
    return event


def _locked_event(session: Session, event_id: int) -> Event:
    event = session.scalars(select(Event).where(Event.id == event_id).with_for_update()).one_or_none()
    if event is None:
        raise NotFound(f"no event with id {event_id}")
    return event


def edit_event(session: Session, event_id: int, changes: Mapping[str, Any], expected_version: int,
               who: str) -> Event:
    """Apply an analyst's edit if the event is still at expected_version; StaleEdit otherwise."""
    checked = _check_event_values(changes)
    event = _locked_event(session, event_id)
    if event.version != expected_version:
        raise StaleEdit(event.key, expected_version, row_values(event), dict(changes), event.updated_by)
    return _apply_edit(session, event, checked, who, "update")


def set_status(session: Session, event_id: int, status: str, who: str, reason: str = "",
               expected_version: int | None = None) -> Event:
    """Accept, reject or return an event to candidate; with expected_version, refused if it changed since."""
    changes = _check_event_values({"status": status, **({"reason": reason} if reason else {})})
    event = _locked_event(session, event_id)
    if expected_version is not None and event.version != expected_version:
        raise StaleEdit(event.key, expected_version, row_values(event), changes, event.updated_by)
    return _apply_edit(session, event, changes, who, "status")


def set_event_dates(session: Session, event_id: int, values: Mapping[str, Any], who: str, reason: str) -> Event:
    """Date an event again for a reason that is not an analyst's edit (logged as "redate", version bumped, so
    an analyst editing it at the same moment is told it changed)."""
    checked = _check_event_values({k: values[k] for k in ("date", "date_end", "date_precision")})
    event = _locked_event(session, event_id)
    return _apply_edit(session, event, checked, who, "redate", why=reason)


#: the columns that say where an event is (an analyst's change to any of them makes the place theirs)
PLACE_FIELDS: tuple[str, ...] = ("place", "lat", "lon", "geo_precision", "uncertainty_wkt")


def analyst_setter(session: Session, event_id: int, columns: Iterable[str]) -> str:
    """Who last changed any of these columns of the event by hand (an analyst's edit), or "" if nobody did."""
    wanted = tuple(columns)
    edits = session.scalars(select(Change).where(Change.table_name == "events", Change.row_id == event_id,
                                                 Change.action == "update").order_by(Change.id.desc()))
    for change in edits:
        before, after = change.before or {}, change.after or {}
        if any(before.get(k) != after.get(k) for k in wanted):
            return change.who or "an analyst"
    return ""


def set_event_place(session: Session, event_id: int, values: Mapping[str, Any], who: str, reason: str,
                    mention_id: int) -> Event:
    """Place an event again because the place mention it was placed by was corrected (logged as "replace" with
    the mention's id, version bumped so an analyst editing it at the same moment is told it changed)."""
    checked = _check_event_values({k: v for k, v in values.items() if k in (*PLACE_FIELDS, "summary")})
    event = _locked_event(session, event_id)
    return _apply_edit(session, event, checked, who, "replace", why=reason, context={"mention_id": mention_id})


def add_claim(session: Session, incident: Incident, report: Report, field: str, value: str, quote: str, who: str,
              event: Event | None = None, fact: Fact | None = None, extra: Mapping[str, Any] | None = None,
              log: bool = True, start: int | None = None) -> Claim:
    """A claim on an event or a fact, with the quote's offsets in the report's text: `start` when the
    caller knows where the quote is (and it is there), else its first occurrence."""
    if (event is None) == (fact is None):
        raise InvalidValue("a claim is about one event or one fact")
    if start is None or report.text[start:start + len(quote)] != quote:
        start = report.text.find(quote) if quote else -1
    position = _next_position(session, Claim.position, incident.id)
    claim = Claim(incident_id=incident.id, event_id=event.id if event else None, fact_id=fact.id if fact else None,
                  report_id=report.id, position=position, field=field, value=value, quote=quote,
                  start=start if start >= 0 else None, end=start + len(quote) if start >= 0 else None,
                  extra=dict(extra or {}))
    session.add(claim)
    if log:
        log_change(session, who, claim, "insert", None, row_values(claim), incident.id)
    return claim


def merge_events(session: Session, keep_id: int, other_ids: Iterable[int], who: str) -> Event:
    """Fold other events into one: their claims move to it, they are rejected as merged (logged)."""
    keep = _locked_event(session, keep_id)
    for other_id in other_ids:
        other = _locked_event(session, other_id)
        if other.incident_id != keep.incident_id or other.id == keep.id:
            raise InvalidValue(f"cannot merge event {other.key!r} into {keep.key!r}")
        moved = session.scalars(select(Claim).where(Claim.event_id == other.id)).all()
        for claim in moved:
            claim.event_id = keep.id
        _apply_edit(session, other, {"status": "rejected", "reason": f"merged into {keep.key}"}, who, "merge")
        log_change(session, who, keep, "merge", None, {"merged": other.key, "claims": [c.id for c in moved]},
                   keep.incident_id)
    return keep


def split_event(session: Session, event_id: int, claim_ids: Iterable[int], new_key: str, who: str) -> Event:
    """Move some of an event's claims to a new candidate event (a copy of its fields) and log both sides."""
    source = _locked_event(session, event_id)
    wanted = set(claim_ids)
    claims = session.scalars(select(Claim).where(Claim.event_id == source.id, Claim.id.in_(wanted))).all()
    if not claims or len(claims) != len(wanted):
        raise InvalidValue(f"claims {sorted(wanted)} are not all claims of event {source.key!r}")
    incident = session.get(Incident, source.incident_id)
    assert incident is not None
    if get_event(session, incident, new_key) is not None:
        raise InvalidValue(f"event key {new_key!r} is already used in this incident")
    copied = {k: getattr(source, k) for k in EVENT_FIELDS}
    copied |= {"status": "candidate", "reason": f"split from {source.key}"}
    new = upsert_event(session, incident, new_key, copied, who)
    session.flush()
    for claim in claims:
        claim.event_id = new.id
    log_change(session, who, source, "split", None, {"split_to": new_key, "claims": sorted(wanted)}, incident.id)
    return new


def upsert_fact(session: Session, incident: Incident, key: str, values: Mapping[str, Any], who: str) -> Fact:
    fact = session.scalars(select(Fact).where(Fact.incident_id == incident.id, Fact.key == key)).one_or_none()
    if fact is None:
        position = _next_position(session, Fact.position, incident.id)
        fact = Fact(incident_id=incident.id, key=key, position=position, extra={}, **values)
        session.add(fact)
        log_change(session, who, fact, "insert", None, row_values(fact), incident.id)
        return fact
    before = row_values(fact)
    for name, value in values.items():
        setattr(fact, name, value)
    log_change(session, who, fact, "update", before, row_values(fact), incident.id)
    return fact


# --- briefings and the change log ------------------------------------------------------------------------

def mark_briefing(session: Session, incident: Incident, who: str, filter_values: Mapping[str, Any],
                  export_file: str = "", note: str = "") -> Briefing:
    briefing = Briefing(incident_id=incident.id, given_at=utcnow(), given_by=who, filter=dict(filter_values),
                        export_file=export_file, note=note)
    session.add(briefing)
    log_change(session, who, briefing, "insert", None, row_values(briefing), incident.id, at=briefing.given_at)
    return briefing


def last_briefing(session: Session, incident: Incident) -> Briefing | None:
    return session.scalars(select(Briefing).where(Briefing.incident_id == incident.id)
                           .order_by(Briefing.given_at.desc(), Briefing.id.desc()).limit(1)).one_or_none()


def list_changes_since(session: Session, incident: Incident, since: datetime | None = None) -> list[Change]:
    """The incident's change log after a time (all of it without one), oldest first."""
    query = select(Change).where(Change.incident_id == incident.id)
    if since is not None:
        query = query.where(Change.at > since)
    return list(session.scalars(query.order_by(Change.id)))
