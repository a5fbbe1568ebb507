"""Relative dates re-resolved when a report's publication date is corrected.

"Yesterday", "on Tuesday", "earlier this month" mean a day or a month only against the report's publication
date (geo.events.dates). When an analyst corrects that date, every candidate or accepted event whose date
came from such a phrase in this report is dated again against the new day, with the phrase's own precision,
in the caller's transaction and logged (action "redate"), so the correction and its consequences are one
change.

An event's date "came from" a phrase when the stored date is exactly what the phrase meant against the old
publication date: a date another report gives, or a calendar date that does not depend on publication
("24 July 2025"), is left as it is. A date an analyst set (an "update" in the change log that changed the
date) is never overwritten; it is listed as kept, with who set it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.events.dates import ResolvedDate, month_span, resolve_date
from geo.store import repo
from geo.store.models import Change, Claim, Event, Report

#: the statuses whose dates follow the report (a rejected event is left as it was)
REDATED_STATUSES = ("candidate", "accepted")
DATE_COLUMNS = ("date", "date_end", "date_precision")
#: what the extractor dates an event by when no phrase dates it (geo.extract.candidates)
FALLBACK = "publication month of its first report"


@dataclass(frozen=True)
class Redated:
    """An event dated again: from what to what, by which words of the report."""

    event_key: str
    phrase: str
    before: str
    after: str


@dataclass(frozen=True)
class KeptDate:
    """An event whose date follows the report's phrase but stays: an analyst set it, or another report
    gives the same date."""

    event_key: str
    date: str
    why: str


@dataclass(frozen=True)
class Redating:
    redated: tuple[Redated, ...] = ()
    kept: tuple[KeptDate, ...] = ()


def redate_report_events(session: Session, report: Report, old_published: date | None, who: str) -> Redating:
    """Re-resolve the relative date phrases of this report's date claims against its (new) publication date,
    and the publication-month dates of events no phrase dates."""
    new_published = report.published
    if new_published is None or new_published == old_published:
        return Redating()
    redated: list[Redated] = []
    kept: list[KeptDate] = []
    done: set[int] = set()
    reason = f"date re-resolved: {report.key} now published {new_published.isoformat()}"
    for event, phrase, old, new in [*_phrase_dated(session, report, old_published),
                                    *_month_dated(session, report, old_published)]:
        if event.id in done or _span(old) == _span(new):
            continue  # a phrase that does not depend on the publication date
        why = _keep_reason(session, event, report, old)
        if why == "":
            continue  # dated by something else than this phrase (another of its claims may be the one)
        done.add(event.id)
        if why:
            kept.append(KeptDate(event.key, _label(event), why))
        else:
            before = _label(event)
            repo.set_event_dates(session, event.id, _values(new), who, reason)
            redated.append(Redated(event.key, phrase, before, _label(event)))
    return Redating(tuple(redated), tuple(kept))


def last_known_published(session: Session, report: Report) -> date | None:
    """The report's latest publication date in the change log (None if it never had one): what its events'
    relative dates were resolved against, when the date has since been removed. Call before logging a change."""
    changes = session.scalars(select(Change).where(Change.table_name == "reports", Change.row_id == report.id)
                              .order_by(Change.id.desc()))
    for change in changes:
        value = (change.after or {}).get("published")
        if value:
            return date.fromisoformat(value)
    return None


_Moved = tuple[Event, str, ResolvedDate, ResolvedDate]


def _phrase_dated(session: Session, report: Report, old_published: date | None) -> list[_Moved]:
    """(event, phrase, what it meant, what it means now) for this report's date claims on live events."""
    if old_published is None:
        return []
    rows = session.execute(
        select(Claim, Event).join(Event, Claim.event_id == Event.id)
        .where(Claim.report_id == report.id, Claim.field == "date", Event.status.in_(REDATED_STATUSES))
        .order_by(Event.position, Event.id, Claim.position)).all()
    moved = []
    for claim, event in rows:
        old = resolve_date(claim.quote, old_published)
        new = resolve_date(claim.quote, report.published) if report.published else None
        if old is not None and new is not None:
            moved.append((event, claim.quote, old, new))
    return moved


def _month_dated(session: Session, report: Report, old_published: date | None) -> list[_Moved]:
    """Live events on this report that no date claim dates, with the publication month of their first report
    before and after the change (the extractor's fallback; an open span when no report had a date)."""
    events = session.scalars(
        select(Event).where(Event.id.in_(select(Claim.event_id).where(Claim.report_id == report.id)),
                            Event.status.in_(REDATED_STATUSES), Event.layer == "report",
                            ~Event.id.in_(select(Claim.event_id).where(Claim.field == "date",
                                                                       Claim.event_id.is_not(None))))
        .order_by(Event.position, Event.id)).all()
    moved = []
    for event in events:
        others = [d for d in session.scalars(
            select(Report.published).join(Claim, Claim.report_id == Report.id)
            .where(Claim.event_id == event.id, Report.id != report.id)) if d is not None]
        old = _first_month([*others, old_published])
        new = _first_month([*others, report.published])
        moved.append((event, FALLBACK, old, new))
    return moved


def _first_month(days: list[date | None]) -> ResolvedDate:
    known = [d for d in days if d is not None]
    if not known:
        return ResolvedDate(FALLBACK, date.min, date.max, "unknown")
    first = min(known)
    return ResolvedDate(FALLBACK, *month_span(first.year, first.month), "month")


def _keep_reason(session: Session, event: Event, report: Report, old: ResolvedDate) -> str | None:
    """Why the event keeps its date (said to the analyst); "" when it was dated by something else than this
    phrase (nothing to say); None when it follows the phrase."""
    setter = analyst_date_setter(session, event)
    if setter:
        return f"date set by {setter}; an analyst's date is never overwritten"
    if _stored(event) != _values(old):
        return ""
    return _supported_elsewhere(session, event, report) or None


def _supported_elsewhere(session: Session, event: Event, report: Report) -> str:
    """Why the date stays although this report's phrase moved: another report's date claim gives it."""
    others = session.execute(
        select(Claim.quote, Report.key, Report.published).join(Report, Claim.report_id == Report.id)
        .where(Claim.event_id == event.id, Claim.field == "date", Claim.report_id != report.id))
    for quote, key, published in others:
        resolved = resolve_date(quote, published) if published else None
        if resolved is not None and _values(resolved) == _stored(event):
            return f"report {key} gives the same date"
    return ""


def analyst_date_setter(session: Session, event: Event) -> str:
    """Who last set this event's date by hand (an edit that changed it), or "" if nobody did."""
    return repo.analyst_setter(session, event.id, DATE_COLUMNS)


def _span(resolved: ResolvedDate) -> tuple[date, date, str]:
    return resolved.start, resolved.end, resolved.precision


def _values(resolved: ResolvedDate) -> dict[str, str]:
    return repo.date_values(resolved.start, resolved.end, resolved.precision)


def _stored(event: Event) -> dict[str, str]:
    return {k: getattr(event, k) or "" for k in DATE_COLUMNS}


def _label(event: Event) -> str:
    return f"{event.date}..{event.date_end}" if event.date_end else (event.date or "undated")
