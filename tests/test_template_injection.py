"""Report text is never evaluated as a template on the server (folium/branca re-compiled rendered output).

Every text field that reaches the map or an export carries Jinja syntax; it must come out literally:
no `49` for `{{ 7*7 }}`, no process id, no loop expansion, and no TemplateSyntaxError for a `{{`
that breaks a quote.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re

import branca.element
import pytest
from pypdf import PdfReader
from streamlit_folium import _get_header, _get_html, generate_leaflet_string

from geo.dataset import Dataset
from geo.events.table import Claim, load_events, to_geodataframe
from geo.export import render
from geo.export.briefing import build_briefing
from geo.maps.build import build_map, mention_table

PID = str(os.getpid())
#: Each evaluates to something recognisable if compiled; the last one breaks the template's syntax.
PAYLOADS = (
    "mul {{ 7*7 }} end",
    "pid {{ cycler.__init__.__globals__.os.getpid() }} end",
    "loop {% for i in range(3) %}L{% endfor %} end",
    "first {{ dict(id=1)|first }} end",
    "broken {{ 'unclosed }} end",
    'dq {{ "x" ~ " }} end',
)
HOSTILE = " | ".join(PAYLOADS)


def _hostile_table():
    table = load_events()
    events = []
    for event in table.events:
        claims = tuple(dataclasses.replace(c, quote=f"{c.quote} {HOSTILE}") for c in event.claims)
        events.append(dataclasses.replace(event, summary=f"{event.summary} {HOSTILE}",
                                          target=f"{event.target} {HOSTILE}", claims=claims))
    claims = [c for e in events for c in e.claims]
    return dataclasses.replace(table, events=events, claims=claims)


def _json_strings(text: str) -> str:
    """The JSON string literals in rendered HTML/JS, decoded (report text reaches the page only as these)."""
    out = []
    for literal in re.findall(r'"(?:[^"\\]|\\.)*"', text):
        if "{" in literal:
            try:
                out.append(json.loads(literal))
            except json.JSONDecodeError:
                out.append(literal)
    return " ".join(out)


def _assert_literal(text: str) -> None:
    assert "mul 49 end" not in text
    assert f"pid {PID} end" not in text
    assert "LLL" not in text
    assert "first id end" not in text
    for needle in ("{{ 7*7 }}", "cycler.__init__.__globals__.os.getpid()", "{% for i in range(3) %}", "unclosed"):
        assert needle in text, needle


def test_branca_elements_keep_rendered_text_literally():
    # The mechanism itself: an Element built from text renders that text unchanged.
    for payload in PAYLOADS:
        assert branca.element.Element(payload).render() == payload


@pytest.fixture(scope="module")
def hostile_map():
    table = _hostile_table()
    mention = type("M", (), dict(mention=HOSTILE, name=f"Saravan {HOSTILE}", kind="town", country_code="IR",
                                 lat=27.37, lon=62.33, place_id="x"))()
    mentions = mention_table({"999_hostile": [mention]})
    claims = [*table.claims, Claim(table.events[0].id, "999_hostile", "actor", HOSTILE, HOSTILE)]
    return build_map(to_geodataframe(table.events), claims=claims, mentions=mentions,
                     report_labels={"999_hostile": f"report {HOSTILE}"})


def test_map_html_render_keeps_payloads_literal(hostile_map):
    _assert_literal(_json_strings(hostile_map.get_root().render()))


def test_streamlit_folium_render_path_keeps_payloads_literal(hostile_map):
    hostile_map.get_root().render()
    script = generate_leaflet_string(hostile_map) + _get_header(hostile_map) + _get_html(hostile_map)
    _assert_literal(_json_strings(script))


@pytest.fixture(scope="module")
def hostile_briefing(dataset):
    hostile = Dataset(stamp=(), corpus=dataset.corpus, table=_hostile_table())
    return build_briefing(hostile, title=f"Title {HOSTILE} $x^2$ costs $5 and $6")


def test_html_export_keeps_payloads_literal(hostile_briefing):
    page = render(hostile_briefing, "html").decode()
    _assert_literal(_json_strings(page))


def test_pdf_title_is_text_not_mathtext(hostile_briefing):
    pdf = render(hostile_briefing, "pdf")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "$x^2$" in text and "$5 and $6" in text
    assert "{{ 7*7 }}" in text and "mul 49" not in text


def test_png_export_renders_with_payloads(hostile_briefing):
    png = render(hostile_briefing, "png")
    assert png.startswith(b"\x89PNG") and b"mul 49" not in png
