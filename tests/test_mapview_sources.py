"""Sources page HTML (geo.views.sources): marks on escaped text, on real reports and a hostile one."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from geo.corpus.articles import load_corpus
from geo.events.table import load_events
from geo.places.toponyms import find_places
from geo.views.sources import PLACE, QUOTE, Span, claim_card_html, highlight_html, mention_spans, quote_spans

HOSTILE = ("Strikes near Saravan <script>window.pwned=1</script> and in Balochistan "
           '<img src=x onerror="window.pwned=2"> were reported.')


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> _Collector:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    assert not collector.stack
    return collector


def test_hostile_report_shows_as_text():
    spans = mention_spans(find_places(HOSTILE))
    assert {HOSTILE[s.start:s.end] for s in spans} >= {"Saravan", "Balochistan"}
    out = highlight_html(HOSTILE, spans)
    parsed = parse(out)
    assert set(parsed.tags) <= {"div", "mark", "span"}
    assert "".join(parsed.text) == HOSTILE  # every character is shown, as text
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;" in out


def test_every_real_report_keeps_its_text_and_marks_its_places_and_quotes():
    table = load_events()
    for article in load_corpus().articles:
        mentions = find_places(article.text)
        claims = [c for c in table.claims if c.report_id == article.id]
        spans = mention_spans(mentions) + quote_spans(article.text, claims)
        out = highlight_html(article.text, spans)
        parsed = parse(out)
        assert "".join(parsed.text) == article.text
        assert out.count("<mark") >= len(mentions) > 0
        assert all(article.text[s.start:s.end] == c.quote
                   for s, c in zip(quote_spans(article.text, claims), claims, strict=False) if s.kind == QUOTE)
        assert len({c.quote for c in claims}) <= len(quote_spans(article.text, claims))


def test_overlapping_and_nested_spans_stay_well_formed():
    text = "Pakistan struck near Saravan in Iran."
    spans = [Span(0, 28, QUOTE, "q1"), Span(21, 28, PLACE, "Saravan"), Span(9, 36, QUOTE, 'q2 "x"'),
             Span(32, 36, PLACE, "Iran <b>")]
    out = highlight_html(text, spans)
    parsed = parse(out)
    assert "".join(parsed.text) == text
    assert 'title="Iran &lt;b&gt;"' in out and "q2 &quot;x&quot;" in out
    assert highlight_html(text, [Span(5, 99, PLACE), Span(7, 3, PLACE)]).count("<mark") == 0  # out of range


def test_claim_card_escapes_value_reports_and_quotes():
    card = claim_card_html("<b>9</b>", ["001_x"], [("001_x", "<script>x</script>")], {"001_x": "AP & co"})
    assert "<script>" not in card and "<b>9</b>" not in card
    assert html.escape("<script>x</script>") in card and "AP &amp; co" in card


def test_markdown_text_cannot_link_fetch_or_format():
    from geo.views.sources import markdown_text

    crafted = ("![x](http://198.51.100.7/x.png) [click](javascript:alert(1)) <img src=x> *b* :red[r] $x$ "
               "# h www.example.org\nline")
    out = markdown_text(crafted)
    assert re.search(r"(?<!\\)[<>\[\]()*$!]", out) is None  # every such character is escaped
    assert "\n" not in out and "http://" not in out
    # the same characters, shown as text (an invisible word joiner keeps URLs from becoming links)
    assert out.replace("\\", "").replace("\u2060", "") == " ".join(crafted.split())
    assert markdown_text("16–18 Jan 2024 · actor: Iran") == "16–18 Jan 2024 · actor: Iran"
