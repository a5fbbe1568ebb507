"""Property tests (hypothesis): arbitrary text and arbitrary CSV rows never crash the loaders or the
geoparser, and never produce a field that no input supports (issue 9, property tests)."""

from __future__ import annotations

import csv
import io
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.corpus.articles import CSV_FIELDS, load_corpus
from geo.csvfile import read_rows
from geo.errors import Problem
from geo.events.model import CLAIM_COLUMNS, EVENT_COLUMNS
from geo.events.table import build_table
from geo.places.gazetteer import load_gazetteer
from geo.places.toponyms import find_places

COLUMNS = ("id", "name", "note")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Text with the characters that trouble CSV and line splitting: quotes, separators, every line break
#: Python knows (\r, \x0b, \x0c, \x1c-\x1e, \x85, \u2028, \u2029), NUL, a BOM, markup and any letter.
TRICKY = st.text(alphabet=st.sampled_from(list(',"\'\n\r\t \x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufeff<>&{}ab'))
                 | st.characters(blacklist_categories=("Cs",)), max_size=60)
FIELD = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | TRICKY


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" ends rows (Excel), so a field with \r or \n is quoted
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _read(text: str, columns: tuple[str, ...] = COLUMNS) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(text.encode("utf-8"))
        problems: list[Problem] = []
        return read_rows(path, columns, ("id",), problems), problems


@SETTINGS
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400) | TRICKY)
def test_csv_reader_never_crashes_and_every_value_comes_from_the_text(text):
    rows, problems = _read("id,name,note\n" + text)
    for line, row in rows:
        assert set(row) == set(COLUMNS)
        assert line >= 2
        for value in row.values():
            assert value == "" or value in text.replace('""', '"') or value in text
    assert all(isinstance(p, Problem) for p in problems)


@SETTINGS
@given(st.lists(st.lists(FIELD, min_size=3, max_size=3), max_size=8))
def test_csv_rows_written_by_a_csv_writer_come_back_unchanged(rows):
    read, problems = _read(_csv_text(list(COLUMNS), rows))
    assert problems == []
    assert [tuple(r[c] for c in COLUMNS) for _, r in read] == [tuple(v.strip() for v in r) for r in rows]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
       metadata=st.lists(st.lists(FIELD, min_size=7, max_size=7), max_size=4))
def test_corpus_never_crashes_and_metadata_comes_from_its_row_or_the_text(report, metadata):
    with tempfile.TemporaryDirectory() as folder:
        articles = Path(folder) / "articles"
        articles.mkdir()
        (articles / "r1.txt").write_bytes(report.encode("utf-8"))
        rows = [["r1", *row[1:]] for row in metadata]
        (Path(folder) / "articles.csv").write_text(_csv_text(list(CSV_FIELDS), rows), encoding="utf-8")
        corpus = load_corpus(articles, Path(folder) / "articles.csv")
    for article in corpus.articles:
        assert article.text == report.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines
        sources = [report] + [v for row in metadata for v in row]
        assert any(article.title in s for s in sources) and any(article.publisher in s or
                                                                 article.publisher in {"AP", "Reuters", "CNA",
                                                                                       "AFP", "BBC"} for s in sources)


EVENT_ROW = st.fixed_dictionaries({
    "id": st.sampled_from(["e1", "e2", "", "e1 "]) | FIELD,
    "date": st.sampled_from(["2024-01-16", "2024-01", "2024-13-01", ""]) | FIELD,
    "date_precision": st.sampled_from(["day", "month", ""]) | FIELD,
    "actor": st.sampled_from(["Iran", "Pakistan", ""]) | FIELD,
    "target": FIELD,
    "event_type": st.sampled_from(["air/missile strike", "bombing", ""]) | FIELD,
    "place": st.sampled_from(["Quetta", "Kerman, Iran", "Atlantis", ""]) | FIELD,
    "geo_precision": st.sampled_from(["town", "province", ""]) | FIELD,
    "origin": st.sampled_from(["", "Iran"]) | FIELD,
    "fatalities_low": st.sampled_from(["", "2", "-1", "x"]),
    "fatalities_high": st.sampled_from(["", "2", "9"]),
    "summary": FIELD,
})


@pytest.fixture(scope="module")
def corpus():
    from geo.corpus.articles import load_corpus as load

    return load()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(events=st.lists(EVENT_ROW, max_size=4),
       claims=st.lists(st.lists(FIELD | st.sampled_from(["e1", "002_eeea1aa35011d9b6", "actor", "Iran"]),
                                min_size=5, max_size=5), max_size=4))
def test_event_table_never_crashes_and_every_event_field_is_from_its_row(corpus, events, claims):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "events.csv").write_text(_csv_text(list(EVENT_COLUMNS), [[e.get(c, "") for c in EVENT_COLUMNS]
                                                                          for e in events]), encoding="utf-8")
        (base / "claims.csv").write_text(_csv_text(list(CLAIM_COLUMNS), claims), encoding="utf-8")
        table = build_table(base / "events.csv", base / "claims.csv", base / "facts.csv", corpus)
    given_rows = [{k: v.strip() for k, v in e.items()} for e in events]
    for event in table.events:
        assert any(event.id == r["id"] and event.actor == r["actor"] and event.place == r["place"]
                   and event.summary == r["summary"] for r in given_rows)
        for claim in event.claims:
            assert claim.quote in corpus.by_id()[claim.report_id].text


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300) | st.lists(st.sampled_from(
    ["Quetta", "Iran", "Saravan", "Paris", "Hilton", "Georgia", ",", " and ", "\n", "the", "near", "U.S.", "İ",
     "ß", "Kerman", "Balochistan", "Tehran's", "“", "-"]), max_size=40).map("".join))
def test_geoparser_never_crashes_and_mentions_are_spans_of_the_text(gazetteer, text):
    for mention in find_places(text, gazetteer):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.mention
        assert 0.0 <= mention.confidence <= 1.0
        assert math.isfinite(mention.lat) and math.isfinite(mention.lon)
        assert gazetteer.get(mention.place_id) is not None
