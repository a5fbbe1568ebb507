"""What changed in an incident since the last briefing, from the change log, in the analysts' words:
new reports, new and changed events (figures before and after), status decisions, and new disagreements
(a field of one event on which the reports now say different things)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.export.briefing import ChangesBox
from geo.store import repo
from geo.store.models import Briefing, Change, Claim, Event, Report

FIGURES = ("fatalities_low", "fatalities_high", "injuries_low", "injuries_high")
_SHOWN = ("status", "date", "actor", "target", "event_type", "place", *FIGURES, "summary")


@dataclass(frozen=True)
class ChangeLine:
    at: datetime
    who: str
    what: str
    event_key: str = ""


@dataclass
class SinceBriefing:
    briefing: Briefing | None
    reports: list[ChangeLine] = field(default_factory=list)
    events: list[ChangeLine] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    @property
    def event_keys(self) -> set[str]:
        return {line.event_key for line in self.events if line.event_key}

    @property
    def empty(self) -> bool:
        return not (self.reports or self.events or self.disagreements)


def since_last_briefing(session: Session, slug: str) -> SinceBriefing:
    incident = repo.require_incident(session, slug)
    briefing = repo.last_briefing(session, incident)
    changes = repo.list_changes_since(session, incident, briefing.given_at if briefing else None)
    result = SinceBriefing(briefing)
    keys = dict(session.execute(select(Event.id, Event.key).where(Event.incident_id == incident.id)).all())
    for change in changes:
        if change.table_name == "reports" and change.action == "insert":
            after = change.after or {}
            result.reports.append(ChangeLine(change.at, change.who, f"new report {after.get('key', '')}"
                                             f" {after.get('title', '')}".strip()))
        elif change.table_name == "events":
            line = _event_line(change, keys.get(change.row_id, ""))
            if line:
                result.events.append(line)
    result.disagreements = _new_disagreements(session, incident.id, [c for c in changes if c.table_name == "claims"])
    return result


def _event_line(change: Change, key: str) -> ChangeLine | None:
    before, after = change.before or {}, change.after or {}
    if change.action == "insert":
        return ChangeLine(change.at, change.who, f"new event {key} ({after.get('status', '')})", key)
    if change.action in ("merge", "split"):
        return ChangeLine(change.at, change.who, f"{change.action}: {key} {_brief(after)}", key)
    diffs = [f"{name}: {_value(before.get(name))} → {_value(after.get(name))}" for name in _SHOWN
             if before.get(name) != after.get(name)]
    return ChangeLine(change.at, change.who, f"{key}: " + "; ".join(diffs), key) if diffs else None


def _brief(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in values.items() if k != "claims")


def _value(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _new_disagreements(session: Session, incident_id: int, claim_changes: Iterable[Change]) -> list[str]:
    """Event fields where a claim added since the briefing differs from another report's claim."""
    new_ids = {c.row_id for c in claim_changes if c.action == "insert"}
    if not new_ids:
        return []
    rows = session.execute(select(Claim, Event.key, Report.key).join(Event, Claim.event_id == Event.id)
                           .join(Report, Claim.report_id == Report.id)
                           .where(Claim.incident_id == incident_id, Event.status != "rejected")).all()
    grouped: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    for claim, event_key, report_key in rows:
        grouped.setdefault((event_key, claim.field), []).append((claim.id, claim.value, report_key))
    lines = []
    for (event_key, name), claims in grouped.items():
        values = {value for _, value, _ in claims}
        if len(values) > 1 and any(claim_id in new_ids for claim_id, _, _ in claims):
            said = "; ".join(f"{report}: {value}" for _, value, report in claims)
            lines.append(f"{event_key} · {name}: {said}")
    return lines


#: at most this many lines in the export's box (the "What changed" page lists them all)
BOX_LINES = 12


def changes_box(session: Session, slug: str, limit: int = BOX_LINES) -> ChangesBox:
    """The "changes since <time>" box of the briefing export: counts, then the newest changes first
    (new reports, new and changed events and figures, new disagreements), at most `limit` lines."""
    summary = since_last_briefing(session, slug)
    since = summary.briefing.given_at if summary.briefing else None
    if summary.empty:
        return ChangesBox(since, ("Nothing changed.",))
    counts = (f"{len(summary.reports)} new report{'s' * (len(summary.reports) != 1)} · "
              f"{len(summary.events)} event change{'s' * (len(summary.events) != 1)} · "
              f"{len(summary.disagreements)} new disagreement{'s' * (len(summary.disagreements) != 1)}")
    lines = [*(f"Report: {line.what}" for line in reversed(summary.reports)),
             *(f"Event: {line.what}" for line in reversed(summary.events)),
             *(f"Disagreement: {text}" for text in summary.disagreements)]
    if len(lines) > limit - 1:
        lines = [*lines[:limit - 2], f"… and {len(lines) - (limit - 2)} more (What changed page)"]
    return ChangesBox(since, (counts, *lines))
