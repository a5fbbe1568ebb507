"""Numbers as reports write them: casualty counts and distances, with their hedges kept.

"at least seven people" -> at least 7; "three women, four children and two men" -> 9;
"900-kilometre (560-mile)" -> 900 km; "560 miles" -> 901 km; "nearly 1,000km" -> nearly 1000 km.
Number words go through text2num and unit factors come from the EPSG unit database (pyproj), so
nothing here is a hand-made table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pyproj.database import get_units_map
from text_to_num import alpha2digit

QUALIFIERS = ("at least", "more than", "over", "nearly", "almost", "about", "around", "roughly", "some", "up to")
_QUAL = "|".join(q.replace(" ", r"\s+") for q in QUALIFIERS)
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# Nouns that make a number a count of people ("seven people", "two children", "11 ... personnel").
PEOPLE_NOUNS = (
    "people", "persons", "person", "civilians", "civilian", "women", "woman", "men", "man", "children", "child",
    "personnel", "soldiers", "soldier", "guards", "troops", "militants", "dead", "bodies",
    "police", "policemen", "servicemen", "fighters", "peacekeepers", "tourists",
)
_PEOPLE = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUMBER})\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{'|'.join(PEOPLE_NOUNS)})\b",
    re.IGNORECASE,
)
_TOLL = re.compile(rf"\btoll\s+of\s+(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUMBER})\b", re.IGNORECASE)
_LENGTH = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUMBER})\s*-?\s*(?P<unit>kilometres?|kilometers?|km|nautical\s+miles?|miles?|mi)\b",
    re.IGNORECASE,
)
#: a report saying that no one died ("nobody was killed", "causing no casualties") states a count of 0
_NONE_KILLED = re.compile(
    r"\b(?:(?:no\s+one|no-one|nobody|none)\s+(?:was|were|had\s+been|has\s+been)\s+killed"
    r"|(?:no|without)\s+(?:casualties|fatalities|deaths|loss\s+of\s+life))\b",
    re.IGNORECASE,
)
_VALUE = re.compile(rf"^(?:(?P<q>{_QUAL})\s+)?(?P<n>-?{_NUMBER})$", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number with the hedge a report put on it ("" when stated flat)."""

    qualifier: str
    number: int

    def __str__(self) -> str:
        return f"{self.qualifier} {self.number}".strip()


#: how a report writes a unit -> EPSG unit name (a plain "mile" is the statute mile)
_EPSG_UNIT = {"k": "kilometre", "n": "nautical mile", "m": "Statute mile"}


@lru_cache(maxsize=4)
def metres_per(unit_name: str) -> float:
    """Metres in one EPSG linear unit, e.g. "Statute mile" -> 1609.344."""
    return get_units_map(category="linear")[unit_name].conv_factor


def _to_number(text: str) -> float:
    return float(text.replace(",", ""))


def _qualifier(raw: str | None) -> str:
    return " ".join((raw or "").lower().split())


def _digits(text: str) -> str:
    return alpha2digit(text, "en", threshold=0)


def parse_count(text: str) -> Quantity | None:
    """The number of people a phrase counts; a list ("three women, four children and two men") is summed."""
    digits = _digits(text)
    matches = list(_PEOPLE.finditer(digits))
    if matches:
        group = [matches[0]]
        for match in matches[1:]:
            between = digits[group[-1].end():match.start()]
            if not re.fullmatch(r"[\s,]*(?:and\s+)?", between):
                break
            group.append(match)
        total = sum(int(_to_number(m.group("n"))) for m in group)
        qualifier = _qualifier(group[0].group("q")) if len(group) == 1 else ""
        return Quantity(qualifier, total)
    toll = _TOLL.search(digits)
    if toll:
        return Quantity(_qualifier(toll.group("q")), int(_to_number(toll.group("n"))))
    if _NONE_KILLED.search(text):
        return Quantity("", 0)
    return None


def parse_length_km(text: str) -> Quantity | None:
    """The first distance in text, converted to whole kilometres, keeping its hedge."""
    match = _LENGTH.search(_digits(text))
    if not match:
        return None
    unit = _EPSG_UNIT[match.group("unit").lower()[0]]
    km = _to_number(match.group("n")) * metres_per(unit) / metres_per("kilometre")
    return Quantity(_qualifier(match.group("q")), round(km))


def parse_quantity(value: str) -> Quantity | None:
    """A claims.csv value such as "over 90" or "7" back into a Quantity; None if it is not one."""
    match = _VALUE.match(" ".join(value.split()))
    if not match:
        return None
    return Quantity(_qualifier(match.group("q")), int(_to_number(match.group("n"))))


def range_label(values: list[Quantity]) -> str:
    """An honest range: "7–9", "over 80–over 90", "2"; a bound carries a hedge only if every claim of it does."""
    if not values:
        return "unknown"
    low = min(v.number for v in values)
    high = max(v.number for v in values)

    def bound(number: int) -> str:
        quals = {v.qualifier for v in values if v.number == number}
        return f"{quals.pop()} {number}" if len(quals) == 1 and "" not in quals else str(number)

    return bound(low) if low == high else f"{bound(low)}–{bound(high)}"
