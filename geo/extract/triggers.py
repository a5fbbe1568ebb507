"""Words that tell an event happened, by event type.

A generic word ("strikes", "attack", "raids", "struck") becomes an air/missile strike when the same
sentence names a weapon of the air (missile, drone, jet, air force ...), otherwise an armed attack.
Nouns that only describe ("a strike capability", "attack helicopters") are not listed; hypotheticals and
threats ("reserved the right to respond") have no trigger word at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AIR_CUES = re.compile(
    r"\b(?:missiles?|drones?|air\s*force|airstrikes?|air|jets?|warplanes?|aircraft|fighter|bombers?|"
    r"ballistic|rockets?|F-\d+|Typhoon|aerial)\b",
    re.IGNORECASE,
)
_GENERIC = "generic"

#: (event type, pattern); the first pattern to match a span claims it
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("diplomatic", r"\b(?:recall(?:ed|s|ing)?|withdr[ae]w|expel(?:led|s|ling)?|summon(?:ed|s|ing)?|"
                   r"bar(?:red|s)?|block(?:ed|s)?)\s+(?:[\w’'-]+\s+){0,4}?"
                   r"(?:ambassadors?|envoys?|diplomats?|chargé\s+d['’]affaires|charge\s+d['’]affaires|"
                   r"high\s+commissioners?)"),
    ("diplomatic", r"\b(?:cut|cuts|cutting|severed|severs|sever|suspended|suspends|downgrad(?:ed|es|ing))\s+"
                   r"(?:all\s+|its\s+|their\s+)?(?:diplomatic\s+)?(?:ties|relations)\b"),
    ("diplomatic", r"\b(?:closed|closes|shut)\s+(?:its\s+|the\s+)?(?:airspace|border\s+crossings?)\b"),
    ("diplomatic", r"\bsuspend(?:ed|s|ing)?\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:treaty|agreement|accord)\b"),
    ("ceasefire", r"\b(?:cease-?fire|truce)\b"),
    ("aircraft shot down", r"\b(?:shot|shoot|shoots|shooting)\s+down\b|\bdowned\s+(?:[\w-]+\s+){0,2}?"
                           r"(?:aircraft|jets?|planes?|drones?|helicopters?)\b"),
    ("military exercise", r"\b(?:drills?|military\s+exercises?|war\s*games|naval\s+exercises?)\b"),
    ("maritime attack", r"\battacks?\s+on\s+(?:[\w-]+\s+){0,2}?(?:vessels|ships|shipping|tankers)\b"),
    ("bombing", r"\b(?:(?:suicide\s+|car\s+|twin\s+)*bombings?|suicide\s+bombers?|car\s+bombs?|"
                r"blew\s+(?:himself|herself|themselves)\s+up|detonated\s+(?:explosives|a\s+bomb))\b"),
    ("shelling", r"\b(?:shell(?:ed|ing|s)|artillery\s+(?:fire|strikes?)|mortar\s+(?:fire|rounds)|"
                 r"fired\s+(?:[\w-]+\s+){0,3}?(?:rockets|artillery|shells)|rockets?\s+(?:hit|struck|landed))\b"),
    ("air/missile strike", r"\b(?:air\s*strikes?|air\s+raids?|missile\s+(?:strikes?|attacks?|raids?)|"
                           r"(?:launched|fired)\s+(?:[\w,-]+\s+){0,5}?(?:drones|missiles|rockets)|"
                           r"drone\s+(?:strikes?|attacks?|raids?)|(?:missile|rocket)\s+and\s+drone\s+"
                           r"(?:strikes?|attacks?|raids?)|bombed|bombard(?:ed|ment))\b"),
    ("armed clash", r"\b(?:clash(?:es|ed)?|firefights?|gun\s*battles?|exchanges?\s+of\s+fire|"
                    r"fighting|captur(?:ed|es)|seized|overran)\b"),
    ("armed attack", r"\b(?:ambush(?:ed|es)?|gunmen\s+(?:killed|attacked|opened\s+fire))\b"),
    ("explosion", r"\b(?:explosions?|blasts?)\b"),
    (_GENERIC, r"\b(?:strikes?|struck|raids?|attack(?:s|ed)?|assault)\b"),
)
_COMPILED = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PATTERNS)
#: "strike" used as an adjective or a plan, not an event
_NOT_EVENT = re.compile(
    r"^(?:strikes?|attacks?)\s+(?:capability|capabilities|helicopters?|drones?|group)\b|"
    r"^attack\s+on\s+its\s+soil\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    surface: str
    event_type: str


def find_triggers(sentence: str, offset: int = 0) -> list[Trigger]:
    """Event words in a sentence, in order, with offsets in the report (sentence offset added)."""
    taken: list[tuple[int, int]] = []
    found: list[Trigger] = []
    air = bool(_AIR_CUES.search(sentence))
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if _NOT_EVENT.match(sentence[start:]):
                continue
            taken.append((start, end))
            resolved = kind if kind != _GENERIC else ("air/missile strike" if air else "armed attack")
            found.append(Trigger(start + offset, end + offset, match.group(0), resolved))
    found.sort(key=lambda t: t.start)
    return _one_per_type(found)


def _one_per_type(triggers: list[Trigger]) -> list[Trigger]:
    """Several words for one event in a sentence ("the attacks ... the strikes") count once; a generic
    armed attack yields to a more specific violent type in the same sentence."""
    kept: list[Trigger] = []
    for trigger in triggers:
        if any(k.event_type == trigger.event_type for k in kept):
            continue
        kept.append(trigger)
    specific = {t.event_type for t in kept} & {"air/missile strike", "bombing", "shelling", "armed clash"}
    if specific:
        kept = [t for t in kept if t.event_type != "armed attack"]
    return kept
