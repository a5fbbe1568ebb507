"""The fields of one event mention, each with the words that support it (a `Evidence`).

Everything is read from the sentence that holds the event word, within the part of it that belongs to
that word (up to the next event word); nothing is carried over from other sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from text_to_num import alpha2digit

from geo.events.claim_values import Quantity, parse_count
from geo.events.dates import ResolvedDate, find_dates
from geo.extract.lexicon import GOVERNMENT_VERBS, ActorMention
from geo.places.toponyms import PlaceMention

#: a base for texts with no publication date: only dates that carry their own year are kept
_NO_BASE = date(2200, 1, 1)
_YEAR = re.compile(r"\b\d{4}\b")
_BEFORE_PLACE = re.compile(r"\b(?:in|on|into|at|near|across|against|inside|over|from|of|to|toward|towards|"
                           r"targeting|targeted|hit|struck|between)\s+(?:the\s+)?$", re.IGNORECASE)
_SPEECH = re.compile(
    r"\b(?:said|says|say|stated|announced|claimed|reported)\s+(?:that\s+)?(?P<own>its|it|their|they)?\b",
    re.IGNORECASE,
)
_ENVOY_OF = re.compile(r"^['’]s\s+(?:[\w-]+\s+)?(?:ambassadors?|envoys?|diplomats?|chargé|charge|embassy|"
                       r"high\s+commissioner)", re.IGNORECASE)
_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_CLAIMED_BY = re.compile(r"\bclaimed\s+by\s+(?:the\s+)?$", re.IGNORECASE)
_NEAR = re.compile(r"\b(?:near|outside|outskirts\s+of|close\s+to|around|vicinity\s+of)\s+(?:the\s+)?"
                   r"(?:(?:town|city|village|port)\s+of\s+)?$", re.IGNORECASE)
_DIRECTION = re.compile(r"\b(?:northern|southern|eastern|western|north-?\w*|south-?\w*|east|west|central)\s+$",
                        re.IGNORECASE)
_KILL = re.compile(r"\b(?:killed|killing|kills|dead|died|death\s+toll|deaths|lives|fatalities|casualties|"
                   r"nobody|no\s+one)\b", re.IGNORECASE)
_HURT = re.compile(r"\b(?:wounded|wounding|injured|injuring|injuries|hurt)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:—–]|\s-\s|\.\s")
_WORD_START = re.compile(r"(?<![\w'’-])[\w'’-]")
_QUALIFIER_START = re.compile(r"^(?:at\s+least|more\s+than|over|nearly|almost|about|around|roughly|some|up\s+to)\s",
                              re.IGNORECASE)
_CASUALTY_WORDS: tuple[tuple[str, str], ...] = (
    (r"civilians?|residents|villagers|tourists", "civilians"),
    (r"security\s+(?:personnel|forces|officers)|police(?:men|\s+officers)?|paramilitar\w*|guards?", "security forces"),
    (r"soldiers?|servicem[ae]n|troops|personnel|peacekeepers", "soldiers"),
    (r"militants?|fighters|terrorists|insurgents|rebels", "militants"),
)


@dataclass(frozen=True)
class Evidence:
    """A field's value and the span of the report's text that says so."""

    value: str
    start: int
    end: int


def dates_in(text: str, start: int, end: int, published: date | None) -> list[tuple[int, int, ResolvedDate]]:
    """Date phrases in text[start:end] with offsets; relative ones only if the publication date is known."""
    segment = text[start:end]
    base = published or _NO_BASE
    found = []
    cursor = 0
    for resolved in find_dates(segment, base):
        at = segment.find(resolved.phrase, cursor)
        if at < 0:
            continue
        cursor = at + len(resolved.phrase)
        if published is None and not _YEAR.search(resolved.phrase):
            continue
        found.append((start + at, start + cursor, resolved))
    return found


def nearest_date(dates: Sequence[tuple[int, int, ResolvedDate]], anchor: int, low: int, high: int
                 ) -> tuple[int, int, ResolvedDate] | None:
    """The date phrase closest to the event word inside [low, high)."""
    inside = [d for d in dates if low <= d[0] and d[1] <= high]
    return min(inside, key=lambda d: min(abs(d[0] - anchor), abs(d[1] - anchor))) if inside else None


def actor_of(text: str, actors: Sequence[ActorMention], trigger_start: int, trigger_end: int, low: int,
             high: int, speaker_acts: bool = False) -> tuple[ActorMention, str] | None:
    """Who did it, and how the sentence says so: "claimed by X", "X-claimed", "by X", or X as the subject
    before the event word (not after a preposition: "on Pakistan's province" names a target; not a
    compound: "Armenia–Azerbaijan clashes"). A speaker ("X said Y struck") is the doer only of its own
    act ("X said its strike"), or when speaking is the act (speaker_acts: diplomatic steps, ceasefires)."""
    actors = [a for a in actors if a.kind in ("group", "introduced") or not _compound(text, a.start, a.end)]
    for actor in actors:
        if low <= actor.start < high and _claims(text, actor, trigger_start, trigger_end):
            return actor, "claimed"
    after = [a for a in actors if trigger_end <= a.start < min(high, trigger_end + 60)]
    for actor in after:
        if _BY.search(text[max(trigger_end, actor.start - 12):actor.start]):
            return actor, "by"
    before = [a for a in actors if low <= a.start and a.end <= trigger_start]
    for actor in reversed(before):
        preceding = text[max(low, actor.start - 30):actor.start]
        if _ENVOY_OF.match(text[actor.end:actor.end + 40]):
            continue  # "Iran's ambassador": the country whose envoy is sent away, not the one sending
        possessive = text[actor.end:actor.end + 2] in ("'s", "’s") and trigger_start - actor.end <= 30
        possessive = possessive or (actor.kind == "demonym" and trigger_start - actor.end <= 20)
        if _BEFORE_PLACE.search(preceding) and not _BY.search(preceding) and not possessive:
            continue
        speech = _SPEECH.search(text[actor.end:trigger_start])
        if speech and not speech.group("own") and not speaker_acts:
            # "Pakistan said Indian aircraft had crossed ...": the speaker is not the doer, unless it speaks of
            # its own act ("Iran said its Tuesday strike ...")
            continue
        if actor.kind == "demonym" and not _demonym_acts(text, actor, trigger_start):
            continue
        return actor, "subject"
    return None


_FORCE_NOUNS = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}?(?:troops|forces|army|military|jets|warplanes|aircraft|air\s+force|navy|"
    r"militias?|drones|missiles?|artillery|government|officials|authorities|fighters|gunboats|police)\b",
    re.IGNORECASE,
)


def _demonym_acts(text: str, actor: ActorMention, trigger_start: int) -> bool:
    """ "Cambodian troops fired", "Iranian missile strikes": a nationality adjective stands for the doer only
    before armed forces or the event word itself, not before victims ("11 Iranian security personnel")."""
    if trigger_start - actor.end <= 20 or _FORCE_NOUNS.match(text[actor.end:]):
        return True
    return False


def _claims(text: str, actor: ActorMention, trigger_start: int, trigger_end: int) -> bool:
    """ "claimed by X" after the event word, "X-claimed <event>", "X claimed the <event>"."""
    if actor.start >= trigger_end:
        between = text[trigger_end:actor.start]
        return len(between) <= 80 and bool(_CLAIMED_BY.search(between))
    between = text[actor.end:trigger_start]
    return len(between) <= 40 and bool(
        re.match(r"^(?:-claimed\s|\s+(?:has\s+)?claimed\s+(?:responsibility\s+for\s+)?(?:the|an?)\s)", between))


def target_of(text: str, actors: Sequence[ActorMention], actor: ActorMention | None, trigger_end: int,
              high: int) -> ActorMention | None:
    """The first other actor named after the event word ("strikes on Cambodian military targets")."""
    for candidate in actors:
        if trigger_end <= candidate.start < high and (actor is None or candidate.name != actor.name):
            if _BY.search(text[max(0, candidate.start - 12):candidate.start]):
                continue
            return candidate
    return None


def places_for(text: str, places: Sequence[PlaceMention], used_as_actor: set[int], low: int, high: int,
               origins_too: bool = False) -> list[PlaceMention]:
    """Places in the event word's part of the sentence that say where it happened: not actors in that role,
    not modifiers, not "between X and Y" (a border or a relation), and not where it came from ("launched
    ... from Iraq, Syria and Yemen") unless origins_too (a diplomat recalled from a capital)."""
    kept = []
    for p in places:
        if not (low <= p.start and p.end <= high) or p.start in used_as_actor or is_modifier_or_speaker(text, p):
            continue
        if not origins_too and _FROM_LIST.search(text[max(low, p.start - 80):p.start]):
            continue
        if re.search(r"\bbetween\s+(?:the\s+)?$", text[max(0, p.start - 12):p.start], re.IGNORECASE):
            continue
        if re.search(r"\bbetween\s+(?:the\s+)?\w+\s+and\s+$", text[max(0, p.start - 40):p.start], re.IGNORECASE):
            continue
        kept.append(p)
    return kept


#: "from Iraq, Syria and " before a place: the list of where an attack came from
_FROM_LIST = re.compile(r"\bfrom\s+(?:the\s+)?(?:(?:[A-Z][\w'’-]*\s*)+(?:,\s*|\s+and\s+|,\s+and\s+))*$")


def _compound(text: str, start: int, end: int) -> bool:
    """ "Iran-Pakistan border", "Armenia–Azerbaijan clashes", "Iran-backed": the name modifies a noun."""
    return bool(re.match(r"^[-–]\w", text[end:end + 2])) or text[max(0, start - 1):start] in ("-", "–")


#: nouns after "<place>'s" that keep it a place ("Pakistan's western Balochistan province", "Iran's soil")
_GEO_POSSESSED = re.compile(
    r"^['’]s\s+(?:(?:north|south|east|west)\w*|central|border\w*|territory|soil|airspace|side|province|"
    r"region|city|town|village|capital|coast\w*|mountain\w*|interior|frontier|[A-Z])",
)


def is_modifier_or_speaker(text: str, place: PlaceMention) -> bool:
    """A place name that does not say where something happened: part of a compound ("Iran-Pakistan border",
    "Iran-backed"), a possessor of something not geographic ("Iran's Foreign Ministry"), or a government
    speaking or acting ("Iran said", "Islamabad called")."""
    after = text[place.end:place.end + 40]
    if _compound(text, place.start, place.end):
        return True
    if after[:2] in ("'s", "’s"):
        return not _GEO_POSSESSED.match(after)
    following = re.match(r"(?:,\s*\w+,)?\s*(\w+)", after)
    return bool(following and following.group(1).lower() in GOVERNMENT_VERBS)


_SPECIFIC = {"city": 0, "town": 0, "village": 0, "province": 2, "region": 3, "sea": 3, "country": 4}


def most_specific(places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The most specific places named; several countries in a row ("in Iraq and Syria") all count."""
    if not places:
        return []
    best = min(_SPECIFIC.get(p.kind, 3) for p in places)
    chosen = [p for p in places if _SPECIFIC.get(p.kind, 3) == best]
    if best == 4:  # countries: each a separate event only when coordinated ("in Iraq and Syria")
        return _coordinated(chosen)
    return chosen[:1]


def _coordinated(countries: Sequence[PlaceMention]) -> list[PlaceMention]:
    first = countries[0]
    group = [first]
    for place in countries[1:]:
        if place.name in {g.name for g in group}:
            continue
        group.append(place)
    return group if len(group) > 1 else [first]


def precision_of(text: str, place: PlaceMention) -> str:
    """How precisely the words place the event (exact never: a named town is not a point)."""
    before = text[max(0, place.start - 40):place.start]
    after = text[place.end:place.end + 20]
    if place.kind in ("city", "town", "village"):
        if re.match(r"\s+district\b", after, re.IGNORECASE):
            return "district"
        return "near town" if _NEAR.search(before) else "town"
    if place.kind == "province":
        return "district" if re.match(r"\s+district\b", after, re.IGNORECASE) else "province"
    if place.kind == "district":
        return "district"
    if place.kind == "country":
        return "region" if _DIRECTION.search(before) else "country"
    return "region"


def count_near(text: str, cue: re.Pattern[str], low: int, high: int) -> tuple[Quantity, Evidence] | None:
    """A count of people tied to a cue word ("killed", "wounded") in the same clause, with the words."""
    for match in cue.finditer(text, low, high):
        clause_low, clause_high = _clause(text, match.start(), low, high)
        found = _count_in(text, clause_low, clause_high, match.start())
        if found:
            return found
    return None


def _clause(text: str, position: int, low: int, high: int) -> tuple[int, int]:
    start = low
    for match in _CLAUSE_END.finditer(text, low, position):
        start = match.end()
    stop = _CLAUSE_END.search(text, position, high)
    return start, stop.start() if stop else high


def _count_in(text: str, low: int, high: int, cue: int) -> tuple[Quantity, Evidence] | None:
    starts = [m.start() for m in _WORD_START.finditer(text, low, high)]
    numbers = [s for s in starts if _count_starts_at(text, s, high)]
    for start in sorted(numbers, key=lambda s: abs(s - cue)):
        whole = parse_count(text[start:high])
        end = _shortest_end(text, start, high, whole) if whole else None
        if whole and end is not None and abs(start - cue) <= 120:
            return _whole_list(text, numbers, start, end, high) or (whole, Evidence(str(whole), start, end))
    return None


def _count_starts_at(text: str, start: int, high: int) -> bool:
    """Whether a count of people begins with the word at start (not somewhere after it)."""
    head = text[start:high]
    first = head.split(" ", 1)[0]
    if not (_QUALIFIER_START.match(head) or alpha2digit(first, "en", threshold=0)[:1].isdigit()
            or re.match(r"(?:nobody|no\b|none\b|without\b|(?:death\s+)?toll\s+of\b)", head, re.IGNORECASE)):
        return False
    whole = parse_count(head)
    if whole is None:
        return False
    rest = re.match(r"\S+\s*", head)
    return rest is None or parse_count(head[rest.end():]) != whole


def _whole_list(text: str, numbers: list[int], start: int, end: int, high: int
                ) -> tuple[Quantity, Evidence] | None:
    """The list a count belongs to ("four children, three women, and two men" for "two men"), if any."""
    for earlier in numbers:
        if start - 80 <= earlier < start:
            total = parse_count(text[earlier:high])
            if total is None:
                continue
            total_end = _shortest_end(text, earlier, high, total)
            if total_end is not None and total_end >= end:
                return total, Evidence(str(total), earlier, total_end)
    return None


def _shortest_end(text: str, start: int, high: int, value: Quantity) -> int | None:
    ends = [m.end() for m in re.finditer(r"[\w'’-]+", text[start:high])]
    for end in ends:
        if parse_count(text[start:start + end]) == value:
            return start + end
    return None


def casualty_kind(quote: str) -> str | None:
    """Who the dead were, when the counted words say it ("nine civilians", "four soldiers")."""
    for pattern, kind in _CASUALTY_WORDS:
        if re.search(rf"\b(?:{pattern})\b", quote, re.IGNORECASE):
            return kind
    return None


KILL_CUE = _KILL
HURT_CUE = _HURT
