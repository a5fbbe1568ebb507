"""One report's event mentions: each event word with the fields its part of the sentence gives."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from geo.events.claim_values import Quantity
from geo.events.dates import ResolvedDate
from geo.extract.fields import (
    HURT_CUE,
    KILL_CUE,
    Evidence,
    actor_of,
    casualty_kind,
    count_near,
    dates_in,
    most_specific,
    nearest_date,
    places_for,
    precision_of,
    target_of,
)
from geo.extract.lexicon import ActorMention, find_actors
from geo.extract.sentences import Sentence, split_sentences
from geo.extract.triggers import Trigger, find_triggers
from geo.places.gazetteer import Gazetteer
from geo.places.toponyms import PlaceMention, find_places

#: "NEW DELHI, Feb 26 (Reuters) -", "date 2024-01-18 ISLAMABAD —": where and when the report was filed
_DATELINE = re.compile(
    r"^(?:date\s+\d{4}-\d{2}-\d{2}\s+)?[A-Z][A-Z .'’/-]+(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s*\([A-Za-z. ]+\))?\s*[-—–]\s+"
)


def dateline_length(sentence: str) -> int:
    """Characters of a dateline at the start of a sentence (0 if none): its place and date are the
    report's, not the event's."""
    match = _DATELINE.match(sentence)
    return match.end() if match else 0


@dataclass(frozen=True)
class EventMention:
    """What one sentence of one report says about one event."""

    report_id: str
    text: str
    sentence: Sentence
    trigger: Trigger
    date: tuple[Evidence, ResolvedDate] | None
    actor: tuple[Evidence, ActorMention] | None
    target: tuple[Evidence, ActorMention] | None
    place: tuple[Evidence, PlaceMention, str] | None  # evidence, place, location precision
    fatalities: tuple[Evidence, Quantity] | None
    injuries: tuple[Evidence, Quantity] | None
    casualties: tuple[Evidence, str] | None

    @property
    def event_type(self) -> str:
        return self.trigger.event_type

    @property
    def generic(self) -> bool:
        """A bare "attack"/"strike" word: a mention of some violent event, type not stated."""
        return self.event_type == "armed attack" and self.trigger.surface.lower().startswith(("attack", "strike",
                                                                                           "struck", "raid"))

    def span(self, start: int, end: int) -> Evidence:
        """The quote from the event word to a field's words, whichever comes first."""
        low, high = min(start, self.trigger.start), max(end, self.trigger.end)
        return Evidence(self.text[low:high], low, high)


def report_mentions(report_id: str, text: str, published: date | None, gazetteer: Gazetteer
                    ) -> list[EventMention]:
    """Every event mention in a report, in reading order."""
    places = find_places(text, gazetteer)
    actors = find_actors(text, places)
    metonyms = {a.start for a in actors if a.kind == "capital"}
    found: list[EventMention] = []
    for sentence in split_sentences(text):
        triggers = find_triggers(sentence.text, sentence.start)
        opening = sentence.start + dateline_length(sentence.text)
        for index, trigger in enumerate(triggers):
            low = triggers[index - 1].end if index else opening
            high = triggers[index + 1].start if index + 1 < len(triggers) else sentence.end
            found.extend(_mentions(report_id, text, published, sentence, trigger, (low, high, index == 0),
                                   places, actors, metonyms))
    return found


def _mentions(report_id: str, text: str, published: date | None, sentence: Sentence, trigger: Trigger,
              window: tuple[int, int, bool], places: list[PlaceMention], actors: list[ActorMention],
              metonyms: set[int]) -> list[EventMention]:
    low, high, first = window
    back = low if first else trigger.start
    date = _date(text, published, trigger, sentence.start + dateline_length(sentence.text), high)
    actor_found = actor_of(text, actors, trigger.start, trigger.end, low, high)
    actor = actor_found[0] if actor_found else None
    target = target_of(text, actors, actor, trigger.end, high)
    used = metonyms | ({actor.start} if actor else set())
    after = places_for(text, places, used, trigger.start, high)
    chosen = most_specific(after or places_for(text, places, used, back, trigger.start))
    fatalities = count_near(text, KILL_CUE, back, high)
    injuries = count_near(text, HURT_CUE, back, high)
    casualties = None
    if fatalities and (kind := casualty_kind(text[fatalities[1].start:fatalities[1].end])):
        casualties = (fatalities[1], kind)
    base = EventMention(report_id, text, sentence, trigger, date, None, None, None,
                        (fatalities[1], fatalities[0]) if fatalities else None,
                        (injuries[1], injuries[0]) if injuries else None, casualties)
    with_roles = _with_roles(base, actor, target)
    if not chosen:
        return [with_roles]
    return [_with_place(with_roles, text, p) for p in chosen]


def _date(text: str, published: date | None, trigger: Trigger, low: int, high: int
          ) -> tuple[Evidence, ResolvedDate] | None:
    found = dates_in(text, low, high, published)
    near = nearest_date([d for d in found if d[0] >= trigger.start], trigger.start, trigger.start, high) \
        or nearest_date(found, trigger.start, low, high)
    if near is None:
        return None
    start, end, resolved = near
    return Evidence(resolved.phrase, start, end), resolved


def _with_roles(mention: EventMention, actor: ActorMention | None, target: ActorMention | None) -> EventMention:
    return replace(
        mention,
        actor=(Evidence(actor.name, actor.start, actor.end), actor) if actor else None,
        target=(Evidence(target.name, target.start, target.end), target) if target else None,
    )


def _with_place(mention: EventMention, text: str, place: PlaceMention) -> EventMention:
    return replace(mention, place=(Evidence(place.name, place.start, place.end), place, precision_of(text, place)))
