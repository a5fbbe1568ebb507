"""Given names and surnames, to tell a person ("Paris Hilton", "Jordan Henderson") from a place.

The lists are the 1990 US Census name frequency files shipped by the PyPI package `names` (MIT licence;
the Census data is public domain): 5,494 given names (female and male, 90% of the population) and 88,799
surnames. Read once per process from the installed package; nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

GIVEN_NAME_FILES = ("dist.female.first", "dist.male.first")
SURNAME_FILE = "dist.all.last"


_FIRST_WORD = re.compile(r"^[ \t]*(\S+)", re.MULTILINE)


def _read_names(filename: str) -> frozenset[str]:
    """The first word of every line (name, frequency, cumulative frequency, rank), lower-cased."""
    text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
    return frozenset(_FIRST_WORD.findall(text.lower()))


@cache
def given_names() -> frozenset[str]:
    """Lower-case given names ("paris", "florence", "jordan")."""
    return frozenset().union(*(_read_names(name) for name in GIVEN_NAME_FILES))


@cache
def surnames() -> frozenset[str]:
    """Lower-case surnames ("hilton", "pugh", "henderson")."""
    return _read_names(SURNAME_FILE)


def is_given_name(word: str) -> bool:
    return word.lower() in given_names()


def is_surname(word: str) -> bool:
    return word.lower() in surnames()


@cache
def _english_words() -> frozenset[str]:
    from geo.places.build import load_common_words

    return load_common_words()


def is_english_word(word: str) -> bool:
    """An ordinary lower-case English word, or its plural or -s verb form ("strikes", "votes")."""
    word = word.lower()
    words = _english_words()
    return word in words or (word.endswith("s") and word[:-1] in words) \
        or (word.endswith("es") and word[:-2] in words)
