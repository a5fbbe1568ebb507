"""Events placed again when the place mention they were placed by is corrected.

An extracted candidate takes its place name and coordinates from one place mention of a report (its place
claim's quote holds the mention's words and names the place); an event an analyst proposes from a quote takes
its coordinates from the report's own resolved mention of the name typed (geo.views.review.place_in_report).
When an analyst corrects that mention (intake.correct_mention), every candidate or accepted event it placed is
placed again in the same transaction and logged (action "replace", with the mention's id): name,
coordinates, location precision (the extractor's rule over the same words, geo.extract.fields.precision_of),
the uncertainty area (geo.events.precision; PostGIS computes its geometry from it) and a summary that named
the old place. "Not a place" leaves the event with no place and no coordinates: none is invented.

An event was placed by the mention when one of its place claims from the mention's report holds the mention
and names it, and the event is where the mention pointed before, or the last change to its place was a
re-placing by this mention (a second correction, or "not a place" undone). Kept, and said so: a place an
analyst set (an "update" in the change log that changed a place column) is never overwritten, and a place
another mention of the event's claims gives (another report names the same place) stays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.events.precision import place_area
from geo.store import repo
from geo.store.mentions import applied_mention
from geo.store.models import Change, Claim, Event, Mention, Report

if TYPE_CHECKING:
    from geo.places.toponyms import PlaceMention

#: the statuses whose places follow their mention (a rejected event is left as it was)
REPLACED_STATUSES = ("candidate", "accepted")
#: coordinates closer than this (degrees) are the same point
_SAME = 1e-6


@dataclass(frozen=True)
class Moved:
    """An event placed again: from which place to which ("" = no place now)."""

    event_key: str
    before: str
    after: str

    @property
    def unplaced(self) -> bool:
        return not self.after


@dataclass(frozen=True)
class KeptPlace:
    """An event the mention placed that keeps its place: an analyst set it, or another mention gives it."""

    event_key: str
    place: str
    why: str


@dataclass(frozen=True)
class Replacing:
    moved: tuple[Moved, ...] = ()
    kept: tuple[KeptPlace, ...] = ()


def replace_mention_events(session: Session, mention: Mention, before: PlaceMention | None, who: str) -> Replacing:
    """Place again the live events this mention placed, now that it reads as corrected (`before`: how it read
    until now, None when it was no place)."""
    after = applied_mention(mention)
    if _same_place(before, after):
        return Replacing()
    report = mention.report
    values = place_values(report.text, after)
    reason = (f"place mention “{mention.mention}” at character {mention.start} of {report.key} corrected: "
              + (f"now {after.name}" if after else "not a place"))
    moved: list[Moved] = []
    kept: list[KeptPlace] = []
    for event in _events_naming(session, mention, before):
        why = _keep_reason(session, event, mention, before)
        if why == "":
            continue  # placed by something else than this mention
        if why:
            kept.append(KeptPlace(event.key, event.place or "no place", why))
            continue
        old_place = event.place
        summary = _summary(event.summary, old_place, after.name if after else "")
        repo.set_event_place(session, event.id, values | {"summary": summary}, who, reason, mention.id)
        moved.append(Moved(event.key, old_place, event.place))
    return Replacing(tuple(moved), tuple(kept))


def place_values(text: str, place: PlaceMention | None) -> dict[str, Any]:
    """The event columns for a place the words of a report name (no place: every column empty)."""
    from geo.extract.fields import precision_of  # the extractor's rules (and the gazetteer module): only here

    if place is None:
        return {"place": "", "lat": None, "lon": None, "geo_precision": "", "uncertainty_wkt": ""}
    precision = precision_of(text, place)
    area = place_area(place.name, precision, (place.lat, place.lon))
    return {"place": place.name, "lat": place.lat, "lon": place.lon, "geo_precision": precision,
            "uncertainty_wkt": "" if area is None or area.is_empty else area.wkt}


def _events_naming(session: Session, mention: Mention, before: PlaceMention | None) -> Iterator[Event]:
    """Live events with a place claim from the mention's report whose quote holds the mention and names it."""
    names = {_folded(mention.mention), _folded(mention.name)} | ({_folded(before.name)} if before else set())
    rows = session.execute(
        select(Claim.value, Event).join(Event, Claim.event_id == Event.id)
        .where(Claim.report_id == mention.report_id, Claim.field == "place", Claim.start <= mention.start,
               Claim.end >= mention.end, Event.status.in_(REPLACED_STATUSES))
        .order_by(Event.position, Event.id, Claim.position))
    seen: set[int] = set()
    for value, event in rows:
        if event.id not in seen and _folded(value) in names:
            seen.add(event.id)
            yield event


def _keep_reason(session: Session, event: Event, mention: Mention, before: PlaceMention | None) -> str | None:
    """Why the event keeps its place (said to the analyst); "" when this mention did not place it (nothing to
    say); None when it follows the mention."""
    setter = repo.analyst_setter(session, event.id, repo.PLACE_FIELDS)
    if setter:
        return f"place set by {setter}; an analyst's place is never overwritten"
    if not _placed_by(session, event, mention, before):
        return ""
    return _named_elsewhere(session, event, mention) or None


def _placed_by(session: Session, event: Event, mention: Mention, before: PlaceMention | None) -> bool:
    if before is not None and _at(event, before) and _folded(event.place) in {_folded(before.name),
                                                                               _folded(mention.mention)}:
        return True
    last = _last_place_change(session, event)
    return last is not None and last.action == "replace" and (last.after or {}).get("mention_id") == mention.id


def _last_place_change(session: Session, event: Event) -> Change | None:
    changes = session.scalars(select(Change).where(Change.table_name == "events", Change.row_id == event.id)
                              .order_by(Change.id.desc()))
    for change in changes:
        before, after = change.before or {}, change.after or {}
        if change.action == "insert" or any(before.get(k) != after.get(k) for k in repo.PLACE_FIELDS):
            return change
    return None


def _named_elsewhere(session: Session, event: Event, mention: Mention) -> str:
    """Why the place stays although this mention moved: another mention in one of its place claims gives it."""
    claims = session.execute(select(Claim, Report.key).join(Report, Claim.report_id == Report.id)
                             .where(Claim.event_id == event.id, Claim.field == "place", Claim.start.is_not(None)))
    for claim, key in claims:
        others = session.scalars(select(Mention).where(
            Mention.report_id == claim.report_id, Mention.start >= claim.start, Mention.end <= claim.end,
            Mention.id != mention.id))
        for other in others:
            place = applied_mention(other)
            if place is not None and _at(event, place):
                return f"report {key} names the same place (“{other.mention}”)"
    return ""


def _at(event: Event, place: PlaceMention) -> bool:
    return event.lat is not None and event.lon is not None and abs(event.lat - place.lat) < _SAME \
        and abs(event.lon - place.lon) < _SAME


def _same_place(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.place_id, a.name, a.lat, a.lon, a.kind) == (b.place_id, b.name, b.lat, b.lon, b.kind)


def _summary(summary: str, old_place: str, new_place: str) -> str:
    """A summary that ends by naming the old place names the new one (or none); any other is the analyst's."""
    tail = f" in {old_place}"
    if not old_place or not summary.endswith(tail):
        return summary
    return summary[: -len(tail)] + (f" in {new_place}" if new_place else "")


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()
