"""The one CSV reader (geo.csvfile): nothing silently lost (issue 9, "Data silently lost")."""

from __future__ import annotations

import shutil
from pathlib import Path

from geo.corpus.articles import load_corpus
from geo.csvfile import read_rows
from geo.errors import Problem
from geo.events.table import build_table
from geo.paths import DATA_DIR

COLUMNS = ("id", "name", "note")


def _read(tmp_path: Path, text: str, encoding: str = "utf-8") -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    problems: list[Problem] = []
    rows = read_rows(path, COLUMNS, ("id",), problems)
    return rows, [str(p) for p in problems]


def test_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    rows, problems = _read(tmp_path, "\ufeffid,name,note\na,A,x\nb,B,y\n")
    assert problems == []
    assert [r["id"] for _, r in rows] == ["a", "b"]


def test_unclosed_quote_names_its_line_and_the_rows_after_it_still_load(tmp_path):
    text = 'id,name,note\na,A,x\nb,"B,y\nc,C,z\nd,D,w\n'
    rows, problems = _read(tmp_path, text)
    assert [(line, r["id"]) for line, r in rows] == [(2, "a"), (4, "c"), (5, "d")]
    assert len(problems) == 1 and problems[0].startswith("t.csv line 3") and "quote" in problems[0]


def test_unclosed_quote_that_swallows_a_later_quote_is_still_found(tmp_path):
    text = 'id,name,note\na,"A,x\nb,B,"y, z"\nc,C,w\n'
    rows, problems = _read(tmp_path, text)
    assert [r["id"] for _, r in rows] == ["b", "c"]
    assert len(problems) == 1 and problems[0].startswith("t.csv line 2")


def test_a_quoted_field_may_still_span_lines(tmp_path):
    rows, problems = _read(tmp_path, 'id,name,note\na,"two\nlines",x\nb,B,y\n')
    assert problems == []
    assert [(line, r["name"]) for line, r in rows] == [(2, "two\nlines"), (4, "B")]


def test_unknown_columns_are_reported_and_known_ones_kept(tmp_path):
    rows, problems = _read(tmp_path, "id,name,colour,note\na,A,red,x\n")
    assert rows == [(2, {"id": "a", "name": "A", "note": "x"})]
    assert problems == ["t.csv line 1: unknown column(s) ['colour'] ignored; expected ['id', 'name', 'note']"]


def test_short_and_long_rows_are_reported_by_line(tmp_path):
    rows, problems = _read(tmp_path, "id,name,note\na,A\nb,B,y,extra\nc,C,z\n")
    assert [r["id"] for _, r in rows] == ["c"]
    assert [p.split(":")[0] for p in problems] == ["t.csv line 2", "t.csv line 3"]


def test_huge_field_is_a_problem_on_its_line_not_a_crash(tmp_path):
    rows, problems = _read(tmp_path, "id,name,note\na,A," + "x" * 200_000 + "\nb,B\0,y\nc,C,z\n")
    assert [r["id"] for _, r in rows] == ["b", "c"]
    assert [p.split(":")[0] for p in problems] == ["t.csv line 2"]


def test_not_utf8_is_one_problem(tmp_path):
    rows, problems = _read(tmp_path, "id,name,note\na,Zürich,x\n", encoding="latin-1")
    assert rows == [] and len(problems) == 1 and "not UTF-8" in problems[0]


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("boundaries", "gazetteer"))
    return data


def test_excel_csv_utf8_event_table_loads_every_event(tmp_path):
    data = _copy_data(tmp_path)
    for name in ("events.csv", "claims.csv", "facts.csv", "articles.csv"):
        path = data / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    corpus = load_corpus(data / "articles", data / "articles.csv")
    plain = load_corpus(DATA_DIR / "articles", DATA_DIR / "articles.csv")
    assert corpus.problems == [] and [a.published for a in corpus.articles] == [a.published for a in plain.articles]
    table = build_table(data / "events.csv", data / "claims.csv", data / "facts.csv", corpus)
    assert [str(p) for p in table.problems] == []
    assert len(table.events) == len((DATA_DIR / "events.csv").read_text(encoding="utf-8").splitlines()) - 1


def test_articles_csv_extra_column_is_reported(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "articles.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",url"] + [line + ",http://example.org" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus(data / "articles", path)
    assert [str(p) for p in corpus.problems] == [
        "articles.csv line 1: unknown column(s) ['url'] ignored; expected "
        "['id', 'title', 'publisher', 'published', 'date_method', 'date_note', 'publisher_note']"]
    assert len(corpus.articles) == 5


def test_unclosed_quote_in_events_loses_only_that_event(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[2].endswith('"')
    lines[2] = lines[2][:-1]  # the summary's closing quote is lost: it runs on into the next rows
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus(data / "articles", data / "articles.csv")
    table = build_table(path, data / "claims.csv", data / "facts.csv", corpus)
    assert len(table.events) == len(lines) - 2
    assert any(str(p).startswith("events.csv line 3") and "quote" in str(p) for p in table.problems)


def test_a_report_over_the_size_cap_is_skipped_with_a_message_and_the_rest_load(tmp_path):
    from geo.corpus.articles import MAX_REPORT_BYTES

    data = _copy_data(tmp_path)
    huge = data / "articles" / "999_huge.txt"
    huge.write_bytes(b"Quetta and Kerman. " * (MAX_REPORT_BYTES // 19 + 1))
    corpus = load_corpus(data / "articles", data / "articles.csv")
    assert len(corpus.articles) == 5
    assert [str(p) for p in corpus.problems] == [
        f"999_huge.txt: {huge.stat().st_size:,} bytes, over the {MAX_REPORT_BYTES:,}-byte limit for a report; "
        "skipped"]


def test_unicode_line_separators_inside_a_field_do_not_cut_the_row(tmp_path):
    # found by the property test: str.splitlines also splits at \x1e, \x85, \u2028, ...
    rows, problems = _read(tmp_path, "id,name,note\na,x\u2028y,z\x1e0\nb,B,y\n")
    assert problems == []
    assert [r["name"] for _, r in rows] == ["x\u2028y", "B"]
