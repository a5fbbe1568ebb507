"""Filtering the event table by date range, actor, target, event type and report.

An empty set means "no constraint". Dates are inclusive, and an event matches when its span
[date_start, date_end] overlaps [since, until]: a month-precision event (all of January) is inside a
day range within that month. An ongoing event's span has no end: it is under way from its date on, as
far as the reports know. `hide` drops events whose date is too vague for the view: "month" (known only
to the month) and "ongoing" (still under way, no end). Names match case-insensitively; a target matches
the event's target or any target a report names for it (the reports disagree on which group was hit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from geo.events.labels import date_range_label
from geo.events.table import Event

__all__ = ["EventFilter", "date_range_label", "filter_events"]


def _fold(values: frozenset[str]) -> frozenset[str]:
    return frozenset(v.casefold() for v in values)


#: what `hide` can drop -> how a caption or a checkbox says it
HIDE_CHOICES: dict[str, str] = {
    "month": "events dated only to a month",
    "ongoing": "ongoing events",
}


@dataclass(frozen=True)
class EventFilter:
    since: date | None = None
    until: date | None = None
    actors: frozenset[str] = field(default_factory=frozenset)
    event_types: frozenset[str] = field(default_factory=frozenset)
    reports: frozenset[str] = field(default_factory=frozenset)
    targets: frozenset[str] = field(default_factory=frozenset)
    #: HIDE_CHOICES keys
    hide: frozenset[str] = field(default_factory=frozenset)

    def matches(self, event: Event) -> bool:
        if "month" in self.hide and event.date_precision == "month":
            return False
        if "ongoing" in self.hide and event.ongoing:
            return False
        if self.since and event.date_end < self.since:  # "ongoing as of" its end: not known beyond it
            return False
        if self.until and event.date_start > self.until:
            return False
        if self.actors and event.actor.casefold() not in _fold(self.actors):
            return False
        if self.event_types and event.event_type.casefold() not in _fold(self.event_types):
            return False
        if self.reports and not set(event.reports) & self.reports:
            return False
        if self.targets:
            named = {event.target.casefold()} | {c.value.casefold() for c in event.claims if c.field == "target"}
            if not named & _fold(self.targets):
                return False
        return True

    def describe(self) -> str:
        """A caption for the filtered view, e.g. "16–18 Jan 2024 · actor: Iran"."""
        parts = [date_range_label(self.since, self.until)]
        for label, values in (("actor", self.actors), ("type", self.event_types),
                              ("target", self.targets), ("report", self.reports)):
            if values:
                shown = sorted(v.split("_")[0] if label == "report" else v for v in values)
                parts.append(f"{label}: {', '.join(shown)}")
        if self.hide:
            parts.append("hiding " + " and ".join(HIDE_CHOICES.get(h, h) for h in sorted(self.hide)))
        return " · ".join(parts)


def filter_events(events: list[Event], flt: EventFilter) -> list[Event]:
    """The events flt matches, in their original order."""
    return [e for e in events if flt.matches(e)]
