"""Text normalisation shared by the gazetteer index and the toponym matcher.

Matching runs on a lower-cased copy of the text with the same length, so that offsets found in the copy
are offsets in the original. Dashes, curly quotes and odd spaces are mapped to their plain forms.
"""

from __future__ import annotations

import unicodedata

_PLAIN = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\n": " ", "\r": " ",
})


def match_form(text: str) -> str:
    """Lower-case, plain-punctuation copy of text with exactly the same length (offsets carry over)."""
    plain = text.translate(_PLAIN)
    lowered = plain.lower()
    if len(lowered) == len(plain):
        return lowered
    # a few characters (e.g. 'İ') grow when lower-cased: lower them one by one, keeping the length
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in plain)


def fold_accents(name: str) -> str:
    """'Sarāvān' -> 'Saravan' (drops combining marks; leaves other scripts alone)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_latin(name: str) -> bool:
    """True when every letter in name is a Latin-script letter (the reports are English)."""
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def name_key(name: str) -> str:
    """The index key of a place name: match form with single spaces."""
    return " ".join(match_form(name).split())
