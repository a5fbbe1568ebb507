"""Toponym recognition and resolution: every place a text names, with offsets, coordinates and a confidence.

Recognition: the gazetteer finds names word by word (Gazetteer.find_names) in a same-length lower-cased copy;
a hit counts only at word boundaries and when written as a name (capitalised; abbreviations such as US
exactly as listed; multi-word names of countries, seas and regions also in lower case: "middle east").
Hits inside longer proper names are dropped for everything but countries: a place word followed by an
organisation word ("Washington Institute"), or next to other capitalised words that are not places
("Greg Barton", "CNA's Asia Now"), or after a title ("Mr Jordan Walsh"); so are towns named before a
feature word ("the Dnipro river"). Nationality adjectives
("Iranian") never match because the word boundary fails after the country name. In all-capital lines
only countries, provinces, seas, regions and large cities are taken. Overlapping hits keep the longest.

Resolution: three passes. The first collects the countries and provinces the text names unambiguously; the
second ranks each hit's candidates with that context (see geo.places.rank), kind cues ("the town of",
"province") and population; the third ranks again with what the second resolved around each name: the
countries of cities resolved with high confidence (weak context), the city before "<city>, <name>" and the
countries or provinces listed with it ("Georgia and Florida").

A given name followed by a surname ("Paris Hilton", "Jordan Henderson") is a person: neither word is taken.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from geo.places.build import ARTICLES
from geo.places.gazetteer import Gazetteer, NameMatch, PlaceRecord, load_gazetteer
from geo.places.names import is_english_word, is_given_name, is_surname
from geo.places.rank import MIN_SCORE, Context, NeighbourCues, Ranked, rank
from geo.places.results import remembered, text_key
from geo.places.text import match_form

#: lower-case words allowed inside a multi-word name
NAME_CONNECTORS = frozenset(
    "and of the o va e al el de la le du des di da do upon on under sur am an der bin ibn y i".split()
)
#: capitalised words that make the name before them an organisation, programme or title
ORG_WORDS = frozenset("""
    institute institution university college school academy ministry department agency council committee
    commission office bureau board authority court parliament assembly congress senate front army guard
    guards corps force forces brigade brigades militia movement party league union alliance group forum
    foundation fund bank company corporation inc ltd airlines airways airport times post news herald
    tribune journal gazette network channel radio tv television broadcasting press club team
    fc united society association organisation organization centre center museum hospital church mosque
    cathedral temple embassy consulate mission station project program programme initiative summit
    conference accord accords agreement treaty declaration doctrine prize award cup open policy studies
    rovers wanderers athletic albion hotspur
""".split())
#: words before a name that make it a person's (or a storm's, an operation's) name
TITLE_WORDS = frozenset("""
    mr mrs ms miss dr prof professor sir lord lady sheikh general gen col colonel major captain capt lt
    president minister premier senator governor mayor king queen prince princess imam ayatollah judge
    justice
    hurricane typhoon cyclone storm operation
""".split())
#: capitalised words that may stand next to a place without making a longer name
FREE_WORDS = frozenset("""
    a an the in on at of for from to into by near and or but as with across over under via after before
    since during until while when where if so not no also both all some many most every each this that
    these those there here it its his her their our your my we they he she i you who what why how
    north south east west northern southern eastern western central northeast northwest southeast
    southwest upper lower greater
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    province state region district county city town village port capital border
""".split())
_AFTER_PROVINCE = re.compile(r"^[\s-]+(?:province|governorate|oblast|prefecture|region|state)\b", re.IGNORECASE)
#: a lower- or upper-case word after a name that makes it a natural feature, not the town of that name
FEATURE_WORDS = frozenset("""
    river rivers lake lakes mountain mountains range valley desert dam canal island islands peninsula bay
    reef shoal glacier airport airbase base oasis plateau basin delta
""".split())
#: features that share their place's ground: "the Neelum Valley", "the Musandam peninsula" name the district or
#: province itself (a river or a lake named like a town is somewhere else); written capitalised, the
#: head belongs to the mention
AREA_FEATURES = frozenset("valley peninsula oasis".split())
#: capitalised words after a country that make it an organisation outside the state: "Sudan Tribune",
#: "Emirates Policy Center" (a state organ still names its country: "US National Security Council")
NON_STATE_WORDS = frozenset("""
    institute institution university college school academy foundation fund bank company corporation inc ltd
    airlines airways times post news herald tribune journal gazette network channel radio tv television
    broadcasting press club team fc society association centre center museum hospital church mosque
    cathedral policy studies rovers wanderers athletic albion hotspur
""".split())
#: a capitalised water or land feature and "of" before a name that is not itself a key: "the Cape of Good Hope",
#: "the Sea of Marmara" name the feature, not the town called Good Hope or Marmara
_FEATURE_OF = re.compile(r"\b(?:Cape|Gulf|Bay|Strait|Straits|Sea|Lake|Isle|Mount|Mouth)\s+of\s+(?:the\s+)?$")
_NEWS_AGENCY = re.compile(r"\s+news\s+agency\b", re.IGNORECASE)
_BEFORE_PROVINCE = re.compile(r"\b(?:province|governorate|oblast|prefecture) of\s+$", re.IGNORECASE)
_BEFORE_CITY = re.compile(r"\b(?:city|town|village|port|capital|outskirts|suburbs?)(?: of)?\s+$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_DATELINE = re.compile(r"\s*(?:[:,]|[—–-]\s)")
LARGE_CITY = 1_000_000  # in all-capital lines and for ordinary-word names only cities this large count


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text: the words as written, where, and what they resolve to."""

    mention: str
    start: int
    end: int
    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    confidence: float
    place_id: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PlaceCount:
    """How often one place is named across mentions (for a map layer sized by count)."""

    place_id: str
    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    count: int
    spellings: tuple[str, ...]


@dataclass
class _Hit:
    start: int
    end: int
    surface: str
    matches: list[NameMatch]
    kind_hint: str | None = None
    ranked: list[Ranked] = field(default_factory=list)


@dataclass(frozen=True)
class IncidentContext:
    """What the incident says about each of its reports: its countries of interest (ISO alpha-2) and the
    countries and provinces its other reports name without doubt. A bare "Saravan" in one report is the
    Iranian town when the incident is about Iran and Pakistan, even if that report names neither."""

    countries: frozenset[str] = frozenset()
    provinces: tuple[PlaceRecord, ...] = ()

    @classmethod
    def from_incident(cls, texts: Iterable[str] = (), countries: Iterable[str] = (),
                      gazetteer: Gazetteer | None = None) -> IncidentContext:
        """From the incident's reports and its countries of interest; raises ValueError naming an unknown
        country code."""
        gazetteer = gazetteer or load_gazetteer()
        codes = {code.strip().upper() for code in countries if code.strip()}
        unknown = sorted(code for code in codes if gazetteer.country(code) is None)
        if unknown:
            raise ValueError(f"unknown country code(s) of interest: {', '.join(unknown)} (ISO 3166-1 alpha-2)")
        provinces: dict[str, PlaceRecord] = {}
        for text in texts:
            named = _document_context(_select_longest(_candidate_hits(text, gazetteer)), _Ranker(gazetteer))
            codes |= named.countries
            provinces.update((p.id, p) for p in named.provinces)
        return cls(frozenset(codes), tuple(provinces[k] for k in sorted(provinces)))

    def apply(self, context: Context, gazetteer: Gazetteer) -> None:
        for code in sorted(self.countries):
            country = gazetteer.country(code)
            if country is not None:
                context.add(country)
        for province in self.provinces:
            context.add(province)


def find_places(text: str, gazetteer: Gazetteer | None = None,
                context: IncidentContext | None = None) -> list[PlaceMention]:
    """Every place mention in text, in order of position. Deterministic for a given gazetteer and context.

    context: what the rest of the incident names (IncidentContext.from_incident), used alongside the
    countries and provinces the text itself names."""
    gazetteer = gazetteer or load_gazetteer()
    hits = _select_longest(_candidate_hits(text, gazetteer))
    ranker = _Ranker(gazetteer)
    named = _document_context(hits, ranker, context.countries if context is not None else frozenset())
    if context is not None:
        context.apply(named, gazetteer)
    context_now = named
    for hit in hits:
        hit.ranked = ranker(hit, context_now)
    cues = _neighbour_cues(text, hits)
    mentions = []
    for hit, hit_cues in zip(hits, cues, strict=True):
        hit.ranked = ranker(hit, context_now, hit_cues)
        if not hit.ranked or hit.ranked[0].score < MIN_SCORE:
            continue
        best = hit.ranked[0]
        record = best.record
        mentions.append(PlaceMention(
            mention=hit.surface, start=hit.start, end=hit.end, name=record.name, kind=record.kind,
            country_code=record.country_code, lat=record.lat, lon=record.lon,
            confidence=best.confidence, place_id=record.id,
        ))
    return mentions


def mentions_by_report(articles: Iterable[Any],
                       context: IncidentContext | None = None) -> dict[str, list[PlaceMention]]:
    """Report id -> the place mentions in its text, for objects with .id and .text (geo.corpus.articles.Article).

    context: the incident's (see IncidentContext), the same for every report. Without one, a report's
    mentions are kept on disk by its text (geo.places.results), so a cold start need not load the gazetteer."""
    if context is not None:
        gazetteer = load_gazetteer()
        return {article.id: find_places(article.text, gazetteer, context) for article in articles}
    def find(text: str) -> Callable[[], list[PlaceMention]]:
        return lambda: find_places(text, load_gazetteer())

    return {article.id: remembered("mentions", text_key(article.text), find(article.text)) for article in articles}


def mention_counts(mentions: Iterable[PlaceMention]) -> list[PlaceCount]:
    """One row per place, most-mentioned first (ties by name), with the spellings used."""
    counts: Counter[str] = Counter()
    first: dict[str, PlaceMention] = {}
    spellings: dict[str, list[str]] = {}
    for mention in mentions:
        counts[mention.place_id] += 1
        first.setdefault(mention.place_id, mention)
        if mention.mention not in spellings.setdefault(mention.place_id, []):
            spellings[mention.place_id].append(mention.mention)
    rows = [
        PlaceCount(place_id, m.name, m.kind, m.country_code, m.lat, m.lon, counts[place_id],
                   tuple(spellings[place_id]))
        for place_id, m in first.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.name, row.place_id))


# --- recognition -------------------------------------------------------------------------------------


def _candidate_hits(text: str, gazetteer: Gazetteer) -> list[_Hit]:
    low = match_form(text)
    length = len(text)
    hits = []
    lines = _Lines(text)
    for start, end, key in gazetteer.find_names(text, low):
        if start > 0 and low[start - 1] in "_@#":
            continue
        if end < length and (low[end].isalnum() or low[end] == "_"):
            continue
        lowercase = not text[start].isupper()
        if lowercase and not _lowercase_name_allowed(key):
            continue
        if start > 1 and low[start - 1] == "-" and low[start - 2].isalnum() and "-" not in key:
            # second half of a hyphenated word: "Iran-Pakistan" yes, but not a name's tail ("Lane-Swig")
            if not _hyphen_pair_of_places(text, low, start, gazetteer):
                continue
        if _in_compound(text, low, end, gazetteer):
            continue
        surface = text[start:end]
        matches = gazetteer.lookup(key, surface)
        if _in_name_compound(text, low, end, gazetteer):
            matches = [m for m in matches if m.record.kind == "country"]
        if (lowercase or not _written_as_name(surface)) and not _article_form(key, text, start):
            # "middle east affairs", "Gulf of oman", "the Afghanistan-Pakistan border": only multi-word names
            # of countries, seas, regions and borders may be written partly in lower case
            if " " not in key:
                continue
            matches = [m for m in matches if m.primary and m.record.kind in ("country", "sea", "region", "border")]
        if not matches:
            continue
        matches = _filter_in_context(text, start, end, matches, gazetteer, low, lines)
        if matches:
            start, matches = _administered(text, start, matches, gazetteer)
            hint = _kind_hint(text, start, end)
            end = _with_area_head(text, end, matches)
            hits.append(_Hit(start, end, text[start:end], matches, hint))
    return hits


def _with_area_head(text: str, end: int, matches: list[NameMatch]) -> int:
    """The end of "Neelum Valley" when the name is followed by a capitalised area feature (see
    AREA_FEATURES); a country keeps its own name ("the Jordan Valley" stays a mention of Jordan)."""
    following = _next_word(text, end)
    if following[:1].isupper() and following.lower() in AREA_FEATURES \
            and not any(m.record.kind == "country" for m in matches):
        return end + 1 + len(following)
    return end


_CONTROL_WORDS = "administered|occupied|controlled|held|annexed"
_ADMINISTERED = re.compile(rf"([A-Z][\w'’]*(?: [A-Z][\w'’]*)?)-(?:{_CONTROL_WORDS}) $")


def _administered(text: str, start: int, matches: list[NameMatch],
                  gazetteer: Gazetteer) -> tuple[int, list[NameMatch]]:
    """"Pakistan-administered Kashmir", "Israeli-occupied Golan Heights": one mention of the place, and when
    the first word names a country, the place as that country holds it (Azad Kashmir, not Kashmir in India)."""
    window = text[max(0, start - 60):start]
    found = _ADMINISTERED.search(window)
    if not found:
        return start, matches
    holder, holder_start = found.group(1), found.start()
    first, _, rest = holder.partition(" ")
    if rest and first.lower() in FREE_WORDS:  # "In Pakistan-administered Kashmir"
        holder, holder_start = rest, holder_start + len(first) + 1
    countries = _holder_countries(holder, gazetteer)
    inside = [m for m in matches if m.record.country_code in countries]
    # the part the holder administers is one of its provinces when it has one of that name ("Indian-
    # administered Kashmir" is Jammu and Kashmir, not the whole region)
    units = [m for m in inside if m.record.kind in ("province", "district")]
    return start - (len(window) - holder_start), units or inside or matches


def _holder_countries(holder: str, gazetteer: Gazetteer) -> set[str]:
    """The country a holder names, as a name or its adjective: "Pakistan", "Indian" (India), "Israeli"."""
    for form in (holder, holder[:-1], holder[:-2]):
        codes = {m.record.country_code for m in gazetteer.lookup(form) if m.record.kind == "country"}
        if codes and (form == holder or holder[len(form):] in ("n", "i", "an")):
            return codes
    return set()


#: "Russia-backed", "Saudi-led", "Marshall Islands-flagged": a country in an adjective of allegiance or
#: origin is not a place mention ("Pakistan-based", "Gaza-bound" still name where something is or goes)
_COMPOUND_TAIL = re.compile(r"-(?:backed|led|allied|aligned|funded|run|sponsored|supported|brokered|friendly|"
                            r"flagged|made|style|linked|inspired|affiliated)\b")


_COMPOUND_ADJECTIVE = re.compile(rf"-(?:{_CONTROL_WORDS}|backed|led|based|run|allied|aligned|funded)$")


def _in_compound(text: str, low: str, end: int, gazetteer: Gazetteer) -> bool:
    """The first half of a hyphenated compound: "Russia-backed" (an adjective), "Lane-Swig" (a name); not
    "Iran-Pakistan" (two places) nor "X-administered Y" (see _administered)."""
    if end >= len(text) - 1 or text[end] not in "-‐‑":
        return False
    return bool(_COMPOUND_TAIL.match(low, end) and text[end + 1].islower())


def _in_name_compound(text: str, low: str, end: int, gazetteer: Gazetteer) -> bool:
    """"Lane-Swig": the first half of a hyphenated name whose second half is no place (a country stays:
    "Israel-Saudi normalisation")."""
    if end >= len(text) - 1 or text[end] not in "-‐‑":
        return False
    word_end = end + 1
    while word_end < len(low) and (low[word_end].isalnum() or low[word_end] == "'"):
        word_end += 1
    second = low[end + 1:word_end]
    return bool(second) and text[end + 1].isupper() and not gazetteer.entries_for_key(second)


def _hyphen_pair_of_places(text: str, low: str, start: int, gazetteer: Gazetteer) -> bool:
    """True when the word before the hyphen is itself a place name ("Iran-Pakistan", "Israel-Saudi")."""
    word_start = start - 1
    while word_start > 0 and (low[word_start - 1].isalnum()):
        word_start -= 1
    return bool(gazetteer.entries_for_key(low[word_start:start - 1]))


def _article_form(key: str, text: str, start: int) -> bool:
    """"al-Hudaydah", "el-Fasher": an Arabic article, a hyphen, then the capitalised name."""
    article, hyphen, _ = key.partition("-")
    return bool(hyphen) and article in ARTICLES and text[start + len(article) + 1:][:1].isupper()


_COMPASS = ("north", "south", "east", "west", "northern", "southern", "eastern", "western", "central")


def _lowercase_name_allowed(key: str) -> bool:
    """Lower-case text can still name a multi-word region ("middle east"), unless it opens with a compass
    word ("the west bank of the river")."""
    words = key.split()
    if key.split("-")[0] in ARTICLES and "-" in key:
        return True  # "al-Hudaydah"
    return len(words) >= 2 and words[0] not in _COMPASS and words[0].isalpha()


_NAME_SPLIT = re.compile(r"[\s-]+")


def _written_as_name(surface: str) -> bool:
    words = _NAME_SPLIT.split(surface)
    for i, word in enumerate(words):
        if not word:
            continue
        if word[0].isupper() or (i > 0 and word.lower() in NAME_CONNECTORS):
            continue
        return False
    return True


class _Lines:
    """Line bounds and line kinds (all capitals, headline), computed once per line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.kinds: dict[int, tuple[bool, bool]] = {}

    def bounds(self, position: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.breaks, position)
        line_start = self.breaks[i - 1] + 1 if i > 0 else 0
        line_end = self.breaks[i] if i < len(self.breaks) else len(self.text)
        return line_start, line_end

    def kind(self, position: int) -> tuple[int, bool, bool]:
        """(line start, all capitals, headline) for the line holding position."""
        line_start, line_end = self.bounds(position)
        if line_start not in self.kinds:
            line = self.text[line_start:line_end]
            all_caps = _is_all_caps_line(line)
            self.kinds[line_start] = (all_caps, not all_caps and _is_title_case_line(line))
        return (line_start, *self.kinds[line_start])


def _is_all_caps_line(line: str) -> bool:
    if any(map(str.islower, line)):  # stops at the first lower-case letter: most lines end here at once
        return False
    return sum(map(str.isalpha, line)) >= 4


def _is_title_case_line(line: str) -> bool:
    """At least four words besides connectors, three in four of them capitalised."""
    words = _WORD.findall(line)
    enough_lower = len(words) / 4  # more lower-case words than this: under 3 in 4 whatever the rest are
    upper = lower = 0
    for word in words:
        if word.lower() in NAME_CONNECTORS:
            continue
        if word[0].isupper():
            upper += 1
        else:
            lower += 1
            if lower > enough_lower:
                return False
    kept = upper + lower
    return kept >= 4 and upper / kept >= 0.75


def _previous_word(text: str, start: int) -> tuple[str, str]:
    """The word right before start (same sentence, single space apart) and the character before it."""
    i = start
    if i == 0 or text[i - 1] not in " ":
        return "", ""
    i -= 1
    if i > 0 and text[i - 1] in ".!?:;,\"”)":
        return "", text[i - 1]  # a sentence or clause ended before us
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'’.-"):
        j -= 1
    word = text[j:i]
    return word, (_char_before(text, j) or "\n")


def _next_word(text: str, end: int) -> str:
    if end >= len(text) - 1 or text[end] != " ":
        return ""
    found = _WORD_AFTER.match(text, end + 1)
    return found.group() if found else ""


_WORD_AFTER = re.compile(r"(?:[^\W_]|['’-])*")  # letters and digits (str.isalnum), apostrophes, hyphens


def _char_before(text: str, position: int) -> str:
    """The last non-space character before position ('' at the start)."""
    i = position
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text[i - 1] if i > 0 else ""


def _strip_possessive(word: str) -> str:
    if word[-1:] not in _POSSESSIVE_ENDS:
        return word
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_POSSESSIVE_ENDS = frozenset("s'’")


def _is_other_name_word(word: str, gazetteer: Gazetteer) -> bool:
    """A capitalised word that is not a function word and not clearly a place itself (a country,
    province, sea, region or city of 100,000+): part of a longer name ("Morgan Stanley", "Greg Barton")."""
    word = _strip_possessive(word)
    if not word or not word[0].isupper() or word.lower() in FREE_WORDS or _COMPOUND_ADJECTIVE.search(word):
        return False
    return not any(
        m.record.kind in ("country", "province", "sea", "region")
        or (m.record.kind == "city" and m.record.population >= 100_000)
        for m in gazetteer.lookup(word)
    )


#: capitalised words after a given name that make a place or a landmark, not a surname ("Victoria Falls")
NOT_SURNAMES = frozenset("falls harbour harbor bridge square street road avenue station park hall gate".split())


def _is_person_name(first: str, second: str, gazetteer: Gazetteer, headline: bool = False) -> bool:
    """Two capitalised words, one space apart, that read as a given name and a surname ("Florence Pugh"),
    where the surname is not a country, province, sea or region ("Jordan Israel") or a feature word.
    In a headline, where every word is capitalised, the surname must not be an English word either
    ("Jordan Strikes Back")."""
    second = _strip_possessive(second)
    if not first or not second or not first[0].isupper() or not second[0].isupper():
        return False
    if " " in first or " " in second or first.lower() in FREE_WORDS or not is_given_name(first) \
            or not is_surname(second):
        return False  # "In Aden": the census lists "In" as a given name
    low = second.lower()
    if low in FREE_WORDS or low in ORG_WORDS or low in FEATURE_WORDS or low in NOT_SURNAMES:
        return False
    if headline and is_english_word(low):
        return False
    return not any(m.primary and m.record.kind in ("country", "province", "sea", "region")
                   for m in gazetteer.lookup(second))


def _after_title(text: str, start: int) -> bool:
    """Up to three capitalised words back there is a title: "Mr Jordan Walsh", "Ms Victoria Lopez"."""
    before = text[max(0, start - 60):start].split()
    for word in reversed(before[-4:]):
        bare = _strip_possessive(word).rstrip(".")
        if bare.lower() in TITLE_WORDS:
            return True
        if not bare[:1].isupper() or word.endswith((",", ".", ":", ";")):
            return False
    return False


def _filter_in_context(text: str, start: int, end: int, matches: list[NameMatch], gazetteer: Gazetteer,
                       low: str, lines: _Lines) -> list[NameMatch]:
    line_start, all_caps, headline = lines.kind(start)
    previous, before_previous = _previous_word(text, start)
    following = _next_word(text, end)
    if previous.rstrip(".").lower() in TITLE_WORDS or (not headline and _after_title(text, start)):
        return []
    surface = text[start:end]
    if not all_caps and (_is_person_name(previous, surface, gazetteer, headline)
                         or _is_person_name(surface, following, gazetteer, headline)):
        return []  # "Paris Hilton", "Jordan Henderson said": neither word is a place, not even a country
    if _in_sports_result(text, start, end):  # "Chelsea beat Everton": clubs, not towns
        matches = [m for m in matches if m.record.kind == "country"]
    # an organisation, a feature or a longer name holds the name: only a country stays a place
    in_other_name = not all(m.record.kind == "country" for m in matches) and _in_other_name(
        text, start, end, low, (previous, before_previous, following), gazetteer, headline or all_caps)
    dateline = start == line_start and bool(_DATELINE.match(text, end))  # "DALBANDIN:", "KYIV —", "BAMAKO,"
    sentence_start = previous == "" and (start == line_start or _char_before(text, start) in ".!?\"“‘'(:")
    follows_feature = following.lower() in FEATURE_WORDS and following.lower() not in AREA_FEATURES
    before_non_state = following[:1].isupper() and _strip_possessive(following).lower() in NON_STATE_WORDS
    after_name_word = bool(previous[:1].isupper()) and previous.lower() not in FREE_WORDS \
        and before_previous not in ".!?\n\"“"
    kept = []
    for match in matches:
        record = match.record
        if all_caps and not dateline:
            big = record.population >= LARGE_CITY or gazetteer.is_capital(record.id)
            if match.match_case or (match.common_word and not big):
                continue
            if record.kind in ("city", "town") and not big:
                continue
        if record.kind == "country" and before_non_state:
            continue
        if record.kind != "country":
            if in_other_name:
                continue
            if follows_feature and record.kind in ("city", "town", "province", "district"):
                continue
        if match.common_word and record.kind in ("city", "town", "province", "district"):
            if sentence_start or headline or all_caps or after_name_word:
                # "Reading beat Bath", "Tampa Bay": an ordinary word, or the tail of another name
                if record.population < LARGE_CITY and not gazetteer.is_capital(record.id):
                    continue
        kept.append(match)
    return kept


def _in_other_name(text: str, start: int, end: int, low: str, words: tuple[str, str, str],
                   gazetteer: Gazetteer, capitals_line: bool) -> bool:
    """The name is part of an organisation's ("Washington Institute", "University of Tehran", "the Saba news
    agency"), a feature's ("the Cape of Good Hope") or another longer name ("Greg Barton"); words: the word
    before, the character before that word, the word after."""
    previous, before_previous, following = words
    if following[:1].isupper() and _strip_possessive(following).lower() in ORG_WORDS:
        return True
    if low[start:end] in ORG_WORDS or _inside_org_phrase(text, start) or _NEWS_AGENCY.match(text, end) \
            or _FEATURE_OF.search(text, max(0, start - 20), start):
        return True
    return not capitals_line and (
        (_is_other_name_word(previous, gazetteer) and before_previous not in ".!?\n\"“")
        or _is_other_name_word(following, gazetteer)
    )


_RESULT = r"(?:beat|beats|defeated|thrashed|edged|drew with|drew|lost to|lose to|v|vs\.?)"
_RESULT_AFTER = re.compile(rf"\s+{_RESULT}\s+(?!back\b)[A-Z]")
_RESULT_BEFORE = re.compile(rf"[A-Z][\w'’.-]*\s+{_RESULT}\s+$")


def _in_sports_result(text: str, start: int, end: int) -> bool:
    """A name on either side of a result verb with another name on the other ("Leeds drew with Reading")."""
    return bool(_RESULT_AFTER.match(text, end) or _RESULT_BEFORE.search(text[max(0, start - 40):start]))


_ORG_OF = re.compile(r"([A-Z][\w'’-]*)\s+(?:for|of|on)\s+(?:the\s+)?$")


def _inside_org_phrase(text: str, start: int) -> bool:
    """'... Institute for Near East', 'University of Tehran': an organisation word, then of/for, then us."""
    window = text[max(0, start - 60):start]
    found = _ORG_OF.search(window)
    return bool(found and _strip_possessive(found.group(1)).lower() in ORG_WORDS)


def _kind_hint(text: str, start: int, end: int) -> str | None:
    if _AFTER_PROVINCE.match(text[end:end + 16]) or _BEFORE_PROVINCE.search(text[max(0, start - 20):start]):
        return "province"
    if _BEFORE_CITY.search(text[max(0, start - 20):start]):
        return "city"
    return None


def _select_longest(hits: Sequence[_Hit]) -> list[_Hit]:
    """Non-overlapping hits, longer first (then earlier), returned in text order."""
    taken: list[_Hit] = []
    occupied = bytearray(max((h.end for h in hits), default=0))
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if any(occupied[hit.start:hit.end]):
            continue
        taken.append(hit)
        occupied[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)
    return sorted(taken, key=lambda h: h.start)


# --- resolution ----------------------------------------------------------------------------------------


CONFIDENT_CITY = 0.8  # a city resolved at least this confidently lends its country to the other names
_LIST_GAP = re.compile(r"^\s*(?:,|;|and|or|, and|, or)\s*$")


def _neighbour_cues(text: str, hits: Sequence[_Hit]) -> list[NeighbourCues]:
    """For each hit, what the other hits around it resolved to (see geo.places.rank.NeighbourCues)."""
    best = [h.ranked[0] if h.ranked and h.ranked[0].score >= MIN_SCORE else None for h in hits]
    confident = [b.record.country_code if b is not None and b.record.kind in ("city", "town")
                 and b.confidence >= CONFIDENT_CITY and b.record.country_code else "" for b in best]
    by_country = Counter(code for code in confident if code)
    cues = []
    for i, hit in enumerate(hits):
        weak = frozenset(code for code, n in by_country.items() if n - (confident[i] == code) > 0)
        container = None
        siblings = []
        before = best[i - 1] if i > 0 else None
        if before is not None:
            gap = text[hits[i - 1].end:hit.start]
            if gap == ", " and before.record.kind in ("city", "town"):
                container = before.record
            if _LIST_GAP.match(gap):
                siblings.append(before.record)
        region = None
        after = best[i + 1] if i + 1 < len(hits) else None
        if after is not None:
            gap = text[hit.end:hits[i + 1].start]
            if _LIST_GAP.match(gap):
                siblings.append(after.record)
            if gap == ", " and after.record.kind in ("province", "country"):
                region = after.record  # "Paris, Texas": the town in that state
        cues.append(NeighbourCues(weak, container, tuple(siblings), region))
    return cues


#: rankings shared by every text a process parses, per gazetteer: names recur from report to report with
#: the same candidates, cues and context, and are ranked once
_SHARED_RANKINGS: WeakKeyDictionary[Gazetteer, dict[tuple, tuple]] = WeakKeyDictionary()
RANK_MEMO = 50_000  # rankings remembered per process


class _Ranker:
    """rank() with a memo keyed by what rank() reads: the candidates, the kind cue, the neighbour cues and the
    context's contents (keeps a long report linear in its length, and a report like earlier ones cheap).

    Candidates and cue records are keyed by identity (the gazetteer hands out the same objects for a name);
    each memo entry holds those objects, so their ids cannot be reused while the entry exists."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.memo = _SHARED_RANKINGS.setdefault(gazetteer, {})
        self.signatures: dict[int, tuple[Context, tuple]] = {}  # keeps each context alive, so its id stays its own

    def __call__(self, hit: _Hit, context: Context, cues: NeighbourCues | None = None) -> list[Ranked]:
        """The context must not change between calls (a new Context object for new context)."""
        cues_key = None if cues is None else \
            (cues.weak_countries, id(cues.container), tuple(map(id, cues.siblings)), id(cues.region))
        key = (tuple(map(id, hit.matches)), hit.kind_hint, cues_key, self._signature(context))
        remembered = self.memo.get(key)
        if remembered is None:
            if len(self.memo) >= RANK_MEMO:
                self.memo.clear()
            remembered = (tuple(hit.matches), cues, rank(hit.matches, self.gazetteer, context, hit.kind_hint, cues))
            self.memo[key] = remembered
        ranked: list[Ranked] = remembered[2]
        return ranked

    def _signature(self, context: Context) -> tuple:
        known = self.signatures.get(id(context))
        if known is None:
            signature = (frozenset(context.countries), tuple(p.id for p in context.provinces),
                         frozenset(context.anchors))
            known = self.signatures[id(context)] = (context, signature)
        return known[1]


def _document_context(hits: Sequence[_Hit], ranker: _Ranker, known: frozenset[str] = frozenset()) -> Context:
    """Countries and provinces the text names without doubt: the best candidate on priors alone is a
    country, a province or a region, and clearly ahead of the next. Once some country is named (or known
    from the incident), a province counts only inside one of those countries: "Saravan ... in Iran" does
    not make Laos, whose Saravan province would otherwise win on priors, part of the context."""
    empty = Context()
    firm = []
    for hit in hits:
        ranked = ranker(hit, empty)
        if not ranked or ranked[0].record.kind not in ("country", "province", "region"):
            continue
        if ranked[0].score < MIN_SCORE + 1 or (len(ranked) > 1 and ranked[0].score - ranked[1].score < 1.0):
            continue
        firm.append((ranked[0].record, {r.record.country_code for r in ranked[1:]}))
    countries = {r.country_code for r, _ in firm if r.kind == "country"} | known
    context = Context()
    for record, others in firm:
        if record.kind == "country" or record.country_code in countries or not others & countries:
            context.add(record)
    return context
