"""Rules that keep an event table faithful to its sources, as functions over any list of events.

The curated table is held to them by the tests, and so can any other producer of Events (the extractor,
the store): run check_events / check_disagreements on its output. Each returns Problems ("event <id>,
field F: message"), empty when every rule holds:

- no ceiling from an open figure: when any claim is open-ended ("over 90", "at least 9", "the dead
  included ..."), the event's upper bound is empty, and its lower bound is no higher than any claim's;
- no bare point for an area: an event placed to a province, country, region or sea has an uncertainty
  area (polygon of positive size) and its marker lies inside it;
- not more precise than the claims, in date: the event's span holds the span its claims support
  (geo.events.table.derived_date); in place: a place finer than a country is named by a place claim, and
  a place the reports put "near" or "around" a town is not drawn as the town itself; "ongoing" only when
  a claim says so;
- every disagreement flagged as a contradiction has two claims that contradict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from geo.errors import Problem
from geo.events.claim_values import OPEN_QUALIFIERS, parse_quantity
from geo.events.dates import ResolvedDate
from geo.events.disagreements import Disagreement, contradicting_pair
from geo.events.model import Claim, Event, Figure
from geo.events.precision import AREA_PRECISIONS, uncertainty_area
from geo.events.table import derived_date

#: precisions no place claim has to name (a whole country, or coarser)
_COARSE = ("country", "region", "sea")
#: precisions that say the event is at the place itself
_AT_PLACE = ("exact", "town")
_NEAR_WORDS = ("near", "around", "outside", "close to", "vicinity")


def _where(event: Event, field: str) -> str:
    return f"event {event.id}, field {field}"


def check_figures(event: Event) -> list[Problem]:
    """No ceiling from an open-ended claim; no floor above a claim's."""
    problems = []
    for name in ("fatalities", "injuries"):
        claimed = [q for c in event.claims_for(name) if (q := parse_quantity(c.value))]
        if not claimed:
            continue
        low, high = (event.fatalities_low, event.fatalities_high) if name == "fatalities" \
            else (event.injuries_low, event.injuries_high)
        opened = [str(q) for q in claimed if q.qualifier in OPEN_QUALIFIERS]
        if opened and high is not None:
            problems.append(Problem(_where(event, f"{name}_high"),
                                    f"{high} is a ceiling, but {opened[0]!r} sets none"))
        floor = Figure.combined(claimed).low
        if low is not None and floor is not None and low > floor:
            problems.append(Problem(_where(event, f"{name}_low"), f"{low} is above the claims' lowest bound {floor}"))
    return problems


def check_area(event: Event) -> list[Problem]:
    """An area-precision event is drawn as an area, with its marker inside it."""
    if event.geo_precision not in AREA_PRECISIONS or event.lat is None or event.lon is None:
        return []
    from shapely.geometry import Point

    area = uncertainty_area(event)
    if area is None or area.is_empty or area.area <= 0:
        return [Problem(_where(event, "geo_precision"), f"{event.geo_precision} precision but no area to draw")]
    if not area.buffer(1e-6).contains(Point(event.lon, event.lat)):
        return [Problem(_where(event, "place"), "the marker lies outside the event's area")]
    return []


def check_place_precision(event: Event) -> list[Problem]:
    """A place finer than a country is one a report names; "near X" is not drawn as X itself."""
    if not event.place or event.geo_precision in _COARSE:
        return []
    named = [c for c in event.claims_for("place") if c.value.casefold() == event.place.casefold()]
    if not named:
        return [Problem(_where(event, "place"),
                        f"{event.place!r} at {event.geo_precision} precision, but no place claim names it")]
    near = re.compile(rf"\b(?:{'|'.join(_NEAR_WORDS)})\s+(?:[\w-]+\s+){{0,4}}?{re.escape(event.place.split(',')[0])}",
                      re.IGNORECASE)
    if event.geo_precision in _AT_PLACE and any(near.search(c.quote) for c in named):
        return [Problem(_where(event, "geo_precision"),
                        f"{event.geo_precision!r} but a report puts it only near {event.place!r}")]
    return []


def check_date_precision(event: Event, published: Mapping[str, date | None],
                         event_dates: dict[str, ResolvedDate], datelined: frozenset[str] | None) -> list[Problem]:
    """The event's span holds what its claims support; "ongoing" only when a claim says so."""
    problems = []
    supported = derived_date(event.claims, dict(published), event_dates, datelined)
    if supported and (event.date_start > supported.start or event.date_end < supported.end):
        problems.append(Problem(
            _where(event, "date"),
            f"{event.date_start}..{event.date_end} is narrower than the claims allow "
            f"({supported.start}..{supported.end}, from {supported.phrase!r})"))
    if event.ongoing and not event.claims_for("ongoing"):
        problems.append(Problem(_where(event, "ongoing"), "ongoing, but no claim says it is under way"))
    return problems


def check_events(events: Sequence[Event], published: Mapping[str, date | None] | None = None,
                 datelined: frozenset[str] | None = None) -> list[Problem]:
    """Every rule of the module docstring over these events (dates only when publication dates are given)."""
    event_dates = {e.id: ResolvedDate(e.date_label, e.date_start, e.date_end, e.date_precision) for e in events}
    problems: list[Problem] = []
    for event in events:
        problems += check_figures(event) + check_area(event) + check_place_precision(event)
        if published is not None:
            problems += check_date_precision(event, published, event_dates, datelined)
    return problems


def check_disagreements(disagreements: Sequence[Disagreement], claims: Sequence[Claim],
                        published: Mapping[str, date | None]) -> list[Problem]:
    """Each disagreement has two values, and one flagged as a contradiction has two claims that contradict."""
    problems = []
    for item in disagreements:
        where = f"disagreement {item.event_id}, field {item.field}"
        if len(item.values) < 2 and not item.reference:
            problems.append(Problem(where, "fewer than two values"))
        if item.contradicts and contradicting_pair(item, claims, published) is None:
            problems.append(Problem(where, "flagged as a contradiction, but no two claims contradict"))
    return problems
