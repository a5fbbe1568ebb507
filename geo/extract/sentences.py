"""Sentences with their character offsets, so every quote can be cut from the report verbatim."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: words whose trailing full stop does not end a sentence
_ABBREVIATIONS = frozenset("""
    mr mrs ms dr prof gen col lt maj capt sgt st jan feb mar apr jun jul aug sep sept oct nov dec no vol
    u.s u.k u.n e.g i.e etc vs approx est
""".split())
_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+|\n\s*")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences in reading order; a line break always ends one (headlines, datelines, list items)."""
    sentences: list[Sentence] = []
    start = 0
    paragraph = 0
    for match in _END.finditer(text):
        if match.group(0).lstrip(".!?\"'”’)]").startswith(" ") or "\n" not in match.group(0):
            if _is_abbreviation(text, match.start()) or not _next_starts_sentence(text, match.end()):
                continue
        _add(sentences, text, start, match.start() + len(match.group(0).rstrip()), paragraph)
        if match.group(0).count("\n") >= 2:
            paragraph += 1
        elif "\n" in match.group(0):
            paragraph += 1  # one line, one paragraph: reports write one paragraph a line
        start = match.end()
    _add(sentences, text, start, len(text), paragraph)
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end], paragraph))


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12):dot])
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or len(token) == 1


def _next_starts_sentence(text: str, position: int) -> bool:
    following = text[position:position + 2]
    return bool(following) and (following[0].isupper() or following[0].isdigit() or following[0] in "\"“‘'(")
