"""Does a claim's actor or target follow from its quote? ("Martians" quoting "Iran" does not.)

Reports name a party in many ways, so the check is about the words, not about any particular party:
- the value itself occurs in the quote (case-insensitively); else
- when the value names countries (a country's name or its demonym, "Iranian" for Iran), the quote must
  name one of them: by name, by demonym ("Iranian"), or by metonym of its capital ("Tehran said");
  countries come from the offline gazetteer, demonyms from the name plus a demonym ending; else
- at least half of the value's words (ignoring a parenthetical remark and small words) occur in the
  quote, compared on their first five letters ("Houthis"/"Houthi", "Baloch"/"Baluch" via the rest),
  or the quote has the value's initials as an acronym ("Islamic State"/"ISIS", "BLF").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.places.gazetteer import Gazetteer

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_PARENTHETICAL = re.compile(r"\([^)]*\)")
#: Endings that turn a country's name into its demonym: Iran-ian, Pakistan-i, Syria-n, Leban-ese.
_DEMONYM_ENDINGS = ("ian", "ans", "an", "is", "i", "ns", "n", "ese", "ish", "s")
_SMALL_WORDS = frozenset({"the", "and", "of", "a", "an", "as", "by", "its", "in", "on", "for", "to", "at", "with"})
_STEM = 5


def party_problem(value: str, quote: str, gazetteer: Gazetteer) -> str | None:
    """Why the quote does not support this actor/target value (None if it does)."""
    if value.casefold() in quote.casefold():
        return None
    named = countries_named(_PARENTHETICAL.sub(" ", value), gazetteer)
    if named:
        if named & countries_named(quote, gazetteer):
            return None
        return f"{value!r} names {', '.join(sorted(named))} but the quote names none of them"
    if _words_supported(value, quote):
        return None
    return f"{value!r} does not occur in the quote (nor most of its words, nor its initials)"


def countries_named(text: str, gazetteer: Gazetteer) -> set[str]:
    """Country codes the text names: a country's name or demonym, or its capital (a government metonym)."""
    from geo.places.toponyms import find_places

    codes = set()
    for mention in find_places(text, gazetteer):
        if mention.kind == "country" or gazetteer.is_capital(mention.place_id):
            codes.add(mention.country_code)
    for word in _WORD.findall(text):
        for stem in _demonym_stems(word):
            codes |= {m.record.country_code for m in gazetteer.lookup(stem) if m.record.kind == "country"}
    return codes


def _demonym_stems(word: str) -> list[str]:
    bare = re.sub(r"[’']s$", "", word)
    return [bare[: -len(end)] for end in _DEMONYM_ENDINGS
            if bare.casefold().endswith(end) and len(bare) - len(end) >= 3]


def _words_supported(value: str, quote: str) -> bool:
    words = [w for w in _WORD.findall(_PARENTHETICAL.sub(" ", value)) if w.casefold() not in _SMALL_WORDS]
    if not words:
        return False
    said = {w.casefold()[:_STEM] for w in _WORD.findall(quote)}
    found = sum(1 for w in words if w.casefold()[:_STEM] in said)
    if 2 * found >= len(words):
        return True
    initials = "".join(w[0] for w in words).upper()
    return len(initials) >= 2 and any(w.isupper() and w.startswith(initials) for w in _WORD.findall(quote))
