"""Text normalisation shared by the gazetteer index and the toponym matcher.

Matching runs on a lower-cased copy of the text with the same length, so that offsets found in the copy
are offsets in the original. Dashes, curly quotes and odd spaces are mapped to their plain forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: dashes, curly quotes and odd spaces to their plain forms (found with one regex scan: few in a text, so this
#: beats str.translate, which looks up every character of a non-ASCII text in a dict)
_TO_PLAIN = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\n": " ", "\r": " ",
}

_NOT_PLAIN = re.compile("[" + re.escape("".join(_TO_PLAIN)) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _plain(found: re.Match[str]) -> str:
    return _TO_PLAIN[found.group()]


def match_form(text: str) -> str:
    """Lower-case, plain-punctuation copy of text with exactly the same length (offsets carry over)."""
    plain = _NOT_PLAIN.sub(_plain, text)
    lowered = plain.lower()
    if len(lowered) == len(plain):
        return lowered
    # a few characters (e.g. 'İ') grow when lower-cased: lower them one by one, keeping the length
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in plain)


def fold_accents(name: str) -> str:
    """'Sarāvān' -> 'Saravan' (drops combining marks; leaves other scripts alone)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _latin_letter(ch: str) -> bool:
    return not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN")


def is_latin(name: str) -> bool:
    """True when every letter in name is a Latin-script letter (the reports are English)."""
    return name.isascii() or all(_latin_letter(ch) for ch in name)


#: letters that do not decompose into a base letter and marks, and the marks for ʿayn and hamza
_FOLD_SPECIAL = {"ʿ": "'", "ʾ": "'", "ʻ": "'", "ʼ": "'", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h",
                 "ß": "s", "æ": "a", "œ": "o", "ð": "d", "þ": "t", "ŀ": "l"}


@cache
def _fold_char(ch: str) -> str:
    if ch in _FOLD_SPECIAL:
        return _FOLD_SPECIAL[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def fold_text(low: str) -> str:
    """Diacritics off, one character for one (offsets carry over): 'pishāwar' -> 'pishawar'."""
    if low.isascii():
        return low
    return _NON_ASCII.sub(_folded, low)


def _folded(found: re.Match[str]) -> str:
    return _fold_char(found.group())


def name_key(name: str) -> str:
    """The index key of a place name: folded match form with single spaces."""
    return " ".join(fold_text(match_form(name)).split())


_DOUBLE = re.compile(r"([a-z])\1+")


def skeleton(key: str) -> str:
    """A looser key for transliteration variants: doubled letters single, q as k, no apostrophes, hyphens as
    spaces, ph as p ('middle shabeelle' and 'middle shabelle', 'sana'a' and 'sanaa', 'qandahar' and 'kandahar',
    'kyaukphyu' and 'kyaukpyu': Burmese and Khmer aspirates are written both ways)."""
    loose = key.replace("'", "").replace("-", " ").replace("q", "k").replace("ph", "p")
    return " ".join(_DOUBLE.sub(r"\1", loose).split())
