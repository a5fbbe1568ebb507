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
    #: an actor the sentence says condemned this event (so it is not the one who did it)
    condemned_by: str | None = None
    #: (report id, event-word offset) of the earlier mention a bare "the strike" refers back to
    antecedent: tuple[str, int] | None = None

    @property
    def key(self) -> tuple[str, int]:
        return self.report_id, self.trigger.start

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
    return _link_back_references(found)


#: events that consist in saying something: the speaker is the actor ("Armenia announced a ceasefire")
SPEECH_ACTS = frozenset({"diplomatic", "ceasefire"})
#: events whose "from X" names where the weapons came from, not where they struck
ORIGIN_IS_NOT_PLACE = frozenset({"air/missile strike", "shelling", "armed attack", "aircraft shot down"})
#: a determiner before a bare event word that points back to an event already told ("The strike killed")
_BACK_REFERENCE = re.compile(r"\b(?:the|this|that|these|those|its|their)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_BACK_SENTENCES = 1


def _link_back_references(mentions: list[EventMention]) -> list[EventMention]:
    """A bare, definite event word with no date or actor of its own ("The strike killed at least seven")
    refers to the nearest earlier specific mention in its own or the previous sentence: linked, not copied."""
    linked = []
    for i, mention in enumerate(mentions):
        words_before = mention.text[max(mention.sentence.start, mention.trigger.start - 30):mention.trigger.start]
        if mention.generic and not mention.date and not mention.actor and _BACK_REFERENCE.search(words_before):
            earlier = [m for m in mentions[:i] if not m.generic
                       and m.sentence.start >= _sentence_floor(mentions, mention)]
            if earlier:
                mention = replace(mention, antecedent=earlier[-1].key)
        linked.append(mention)
    return linked


def _sentence_floor(mentions: list[EventMention], mention: EventMention) -> int:
    starts = sorted({m.sentence.start for m in mentions if m.sentence.start <= mention.sentence.start})
    return starts[-_BACK_SENTENCES - 1] if len(starts) > _BACK_SENTENCES else 0


def _mentions(report_id: str, text: str, published: date | None, sentence: Sentence, trigger: Trigger,
              window: tuple[int, int, bool], places: list[PlaceMention], actors: list[ActorMention],
              metonyms: set[int]) -> list[EventMention]:
    low, high, first = window
    back = low if first else trigger.start
    date = _date(text, published, trigger, sentence.start + dateline_length(sentence.text), high)
    speaks = trigger.event_type in SPEECH_ACTS
    actor_found = actor_of(text, actors, trigger.start, trigger.end, low, high, speaks)
    if actor_found is None and speaks and low > sentence.start:  # "X condemned the strikes and summoned ..."
        actor_found = actor_of(text, actors, trigger.start, trigger.end, sentence.start, high, speaks)
    actor = actor_found[0] if actor_found else None
    target = target_of(text, actors, actor, trigger.end, high)
    used = metonyms | ({actor.start} if actor else set())
    origins_too = trigger.event_type not in ORIGIN_IS_NOT_PLACE
    after = places_for(text, places, used, trigger.start, high, origins_too)
    chosen = most_specific(after or places_for(text, places, used, back, trigger.start, origins_too))
    fatalities = count_near(text, KILL_CUE, back, high)
    injuries = count_near(text, HURT_CUE, back, high)
    casualties = None
    if fatalities and (kind := casualty_kind(text[fatalities[1].start:fatalities[1].end])):
        casualties = (fatalities[1], kind)
    base = EventMention(report_id, text, sentence, trigger, date, None, None, None,
                        (fatalities[1], fatalities[0]) if fatalities else None,
                        (injuries[1], injuries[0]) if injuries else None, casualties)
    with_roles = replace(_with_roles(base, actor, target), condemned_by=_condemner(text, actors, sentence, trigger))
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


_CONDEMNED = re.compile(r"\b(?:condemned|condemns|denounced|denounces|protested|critici[sz]ed)\s+(?:the\s+|this\s+|"
                        r"that\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def _condemner(text: str, actors: list[ActorMention], sentence: Sentence, trigger: Trigger) -> str | None:
    """ "Pakistan strongly condemned the attack": Pakistan, who is then not the attacker."""
    if not _CONDEMNED.search(text[max(sentence.start, trigger.start - 40):trigger.start]):
        return None
    before = [a for a in actors if sentence.start <= a.start and a.end <= trigger.start]
    return before[-1].name if before else None
