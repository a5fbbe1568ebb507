"""The Sources highlighter is linear in report length and mention count, and caps what it marks
(issue 9, "Quadratic or unbounded work"). Work is measured by counting, never by wall time."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from geo.views import sources
from geo.views.sources import MAX_MARKS, MAX_SHOWN_CHARS, PLACE, QUOTE, Span, highlight_html, quote_spans


@dataclass(frozen=True)
class _Claim:
    event_id: str
    field: str
    value: str
    quote: str


def _count_escapes(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = html.escape

    def counting(text: str, quote: bool = True) -> str:
        calls.append(len(text))
        return real(text, quote)

    monkeypatch.setattr(sources.html, "escape", counting)
    return calls


def test_fifty_thousand_mentions_are_capped_and_the_cap_is_said(monkeypatch):
    text = "Quetta, " * 50_000
    spans = [Span(8 * i, 8 * i + 6, PLACE, "Quetta (city, PK)") for i in range(50_000)]
    out = highlight_html(text, spans)
    assert out.count("<mark") == MAX_MARKS
    assert f"the first {MAX_MARKS:,} of 50,000 marks" in out
    assert out.count("Quetta") == 50_000 + MAX_MARKS  # all of the text still shown, titles on the marks


def test_work_is_linear_in_the_number_of_overlapping_spans(monkeypatch):
    # every span covers the whole text and each other: the old highlighter looked at every span for
    # every piece (quadratic); the work per piece must not grow with the number of covering spans
    text = "x" * 4_000
    spans = [Span(i, 4_000 - i, PLACE, f"p{i}") for i in range(1_000)] + [Span(0, 4_000, QUOTE, "q")]
    looked = {"n": 0}
    real = Span.__getattribute__

    def counting(self, name):
        looked["n"] += 1
        return real(self, name)

    monkeypatch.setattr(Span, "__getattribute__", counting)
    highlight_html(text, spans)
    assert looked["n"] < 40 * len(spans)


def test_titles_of_many_covering_spans_are_shortened():
    spans = [Span(0, 5, PLACE, f"place {i}") for i in range(50)]
    out = highlight_html("Kerman", spans)
    (title,) = re.findall(r'title="([^"]*)"', out)
    assert title.startswith("place 0; place 1") and title.endswith("(+42 more)")


def test_a_long_report_is_shown_up_to_the_cap_and_says_so(monkeypatch):
    calls = _count_escapes(monkeypatch)
    text = "a" * (MAX_SHOWN_CHARS + 1_000_000)
    out = highlight_html(text, [Span(MAX_SHOWN_CHARS + 10, MAX_SHOWN_CHARS + 20, PLACE, "beyond")])
    assert sum(calls) <= MAX_SHOWN_CHARS + 1_000
    assert "beyond" not in out and f"first {MAX_SHOWN_CHARS:,} of {len(text):,} characters" in out


def test_a_quote_occurring_everywhere_gives_a_bounded_number_of_spans():
    text = "a" * 1_000_000
    spans = quote_spans(text, [_Claim("e", "actor", "Iran", "a")])
    assert len(spans) == MAX_MARKS + 1  # one more than is marked, so the cap can be reported
