"""What the browser's add-reports and review pages need from the store beyond geo.store.repo, kept apart
from it: a new incident from a form, a report's metadata corrected, candidates stored with their claims,
an analyst's new claim, and the stamp that tells a page the incident changed. Each writes its change-log
entries through repo.log_change in the caller's transaction, like repo itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geo.store import repo
from geo.store.mentions import applied_mention
from geo.store.models import Change, Event, Incident, Mention, Report
from geo.store.redate import Redating, last_known_published, redate_report_events
from geo.store.replace import Replacing, replace_mention_events

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
REPORT_FIELDS = ("title", "publisher", "published")


@dataclass(frozen=True)
class IncidentSummary:
    slug: str
    title: str
    countries: tuple[str, ...]
    window: tuple[date | None, date | None]


def slug_for(title: str, taken: Iterable[str] = ()) -> str:
    """A URL-safe slug from a title ('Thailand–Cambodia border, July 2025' -> 'thailand-cambodia-border-july-2025')."""
    dashed = re.sub(r"[\u2010-\u2015\u2212]", "-", title)
    ascii_title = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode().lower()
    base = _SLUG_UNSAFE.sub("-", ascii_title).strip("-")[:60].strip("-") or "incident"
    used, slug, n = set(taken), base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug


def parse_countries(text: str) -> tuple[str, ...]:
    """'th, kh' -> ('TH', 'KH'); a code that is not two letters raises repo.InvalidValue naming it."""
    codes = tuple(dict.fromkeys(c.strip().upper() for c in re.split(r"[,\s]+", text) if c.strip()))
    bad = [c for c in codes if not _COUNTRY.match(c)]
    if bad:
        raise repo.InvalidValue(f"countries: {', '.join(bad)} not two-letter ISO codes (e.g. TH, KH)")
    return codes


def list_incidents(session: Session) -> list[IncidentSummary]:
    rows = session.scalars(select(Incident).order_by(Incident.created_at, Incident.id)).all()
    return [IncidentSummary(i.slug, i.title, i.country_codes, (i.window_start, i.window_end)) for i in rows]


def create_incident(session: Session, title: str, countries: Sequence[str], who: str,
                    window: tuple[date | None, date | None] = (None, None)) -> Incident:
    """A new incident (a fresh slug from its title); the window must run forwards."""
    title = " ".join(title.split())
    if not title:
        raise repo.InvalidValue("title: an incident needs a title")
    if window[0] and window[1] and window[0] > window[1]:
        raise repo.InvalidValue(f"date window: {window[0]} is after {window[1]}")
    slug = slug_for(title, session.scalars(select(Incident.slug)))
    incident, _ = repo.ensure_incident(session, slug, who, title, countries, window)
    return incident


def incident_stamp(session: Session, slug: str) -> tuple[str, int]:
    """(slug, last change id): equal stamps mean nothing in the incident changed."""
    incident = repo.get_incident(session, slug)
    if incident is None:
        return (slug, -1)
    last = session.scalar(select(func.max(Change.id)).where(Change.incident_id == incident.id))
    return (slug, int(last or 0))


def update_report(session: Session, report_id: int, changes: Mapping[str, Any], who: str) -> Redating:
    """Correct a report's title, publisher or publication date (logged; the date becomes the analyst's).

    A new publication date re-dates, in this transaction, the events whose date came from one of the
    report's relative phrases ("yesterday") or its publication month; see geo.store.redate. Returns what was
    re-dated and kept."""
    unknown = sorted(set(changes) - set(REPORT_FIELDS))
    if unknown:
        raise repo.InvalidValue(f"not report fields: {', '.join(unknown)}")
    report = session.get(Report, report_id)
    if report is None:
        raise repo.NotFound(f"no report {report_id}")
    before = {k: v for k, v in repo.row_values(report).items() if k != "text"}
    old_published = report.published or last_known_published(session, report)
    for name, value in changes.items():
        setattr(report, name, value)
    if "published" in changes:
        report.date_method = "inferred" if changes["published"] else "unknown"
        report.date_note = f"set by {who}" if changes["published"] else ""
    after = {k: v for k, v in repo.row_values(report).items() if k != "text"}
    repo.log_change(session, who, report, "update", before, after, report.incident_id)
    return redate_report_events(session, report, old_published, who)


def correct_mention(session: Session, mention_id: int, place: Mapping[str, Any] | None, who: str) -> Replacing:
    """The analyst's place for a mention (repo.correct_mention; None: not a place), and, in this transaction,
    the candidate and accepted events it placed placed again (geo.store.replace). Returns what moved and what
    was kept."""
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise repo.NotFound(f"no place mention {mention_id}")
    before = applied_mention(mention)
    repo.correct_mention(session, mention_id, place, who)
    return replace_mention_events(session, mention, before, who)


def add_event_claim(session: Session, event_id: int, report_id: int, field: str, value: str, quote: str,
                    who: str) -> None:
    """An analyst's claim for an event: the quote must occur verbatim in the report."""
    event = session.get(Event, event_id)
    report = session.get(Report, report_id)
    if event is None or report is None or event.incident_id != report.incident_id:
        raise repo.NotFound("no such event and report in one incident")
    if not quote or quote not in report.text:
        raise repo.InvalidValue(f"quote: not found verbatim in report {report.key!r}")
    incident = session.get(Incident, event.incident_id)
    assert incident is not None
    repo.add_claim(session, incident, report, field, value, quote, who, event=event)

