"""Importing ACLED / UCDP GED exports into an incident's context layer."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import select

from geo.context.columns import _arrow_cells, read_columns
from geo.context.importer import import_events
from geo.context.parse import RowProblem, read_rows
from geo.errors import InputError
from geo.store.engine import Store
from geo.store.models import Change, Claim, Event, Report
from tests.context.conftest import ACLED_EDGE, UCDP_EDGE
from tests.context.synthetic import write_acled, write_ucdp

ROOT = Path(__file__).resolve().parents[2]


def _events(store: Store) -> dict[str, Event]:
    with store.read() as session:
        return {e.key: e for e in session.scalars(select(Event))}


def test_acled_rows_are_mapped_and_bad_rows_named_by_line_and_field(store: Store) -> None:
    result = import_events(store, "context-test", "acled", ACLED_EDGE)
    assert result.imported == 6
    assert [(p.line, p.field) for p in result.problems] == [
        (8, "latitude"), (9, "geo_precision"), (10, "fatalities"), (11, "id"), (12, "event_date"), (13, "(row)")]
    events = _events(store)
    week = events["acled:PAK100002"]  # '17 January 2024', time_precision 2: the week around it
    assert (week.date, week.date_end, week.day_first.isoformat(), week.day_last.isoformat()) == \
        ("2024-01-14", "2024-01-20", "2024-01-14", "2024-01-20")
    month = events["acled:PAK100003"]
    assert (month.date, month.date_precision, month.geo_precision) == ("2024-01", "month", "province")
    strike = events["acled:PAK100001"]
    assert (strike.layer, strike.status, strike.geo_precision, strike.fatalities_low, strike.fatalities_high) == \
        ("context", "accepted", "town", 5, 5)
    assert (strike.admin1, strike.admin2, strike.extra["geo_precision_code"]) == ("Balochistan", "Panjgur", "1")
    assert strike.extra["timestamp"] == "1705600000"  # a column the store has no place for is kept


def test_source_and_notes_become_the_claim_verbatim(store: Store) -> None:
    import_events(store, "context-test", "acled", ACLED_EDGE)
    with store.read() as session:
        claims = {c.event.key: c for c in session.scalars(select(Claim))}
        report = session.scalars(select(Report)).one()
        assert report.title == "acled_edge.csv" and "sha256" in report.text
        assert {c.report_id for c in claims.values()} == {report.id}
    hostile = claims["acled:IRN200001"]
    assert hostile.field == "source" and hostile.value == "IRNA"
    assert hostile.quote.startswith("<script>alert('notes')</script> =HYPERLINK(")
    assert "\nA second line of notes" in claims["acled:PAK100003"].quote
    assert claims["acled:PAK100001"].quote.endswith("3 children were killed.")  # the first of the repeated id


def test_ucdp_estimates_and_spans(store: Store) -> None:
    result = import_events(store, "context-test", "ucdp", UCDP_EDGE)
    assert result.imported == 4
    assert [(p.line, p.field) for p in result.problems] == [(5, "best"), (6, "date_end"), (7, "type_of_violence")]
    events = _events(store)
    saravan = events["ucdp:510001"]
    assert (saravan.fatalities_low, saravan.fatalities_high, saravan.fatalities_qualifier) == (2, 4, "best estimate 2")
    assert saravan.event_type == "State-based conflict"
    span = events["ucdp:510002"]
    assert (span.date, span.date_end, span.geo_precision, span.event_type) == \
        ("2024-01-17", "2024-01-19", "near town", "One-sided violence")
    assert (events["ucdp:510003"].date, events["ucdp:510003"].date_precision) == ("2024-01", "month")
    assert events["ucdp:510007"].geo_precision == "country"


def test_same_file_twice_changes_nothing_and_an_overlapping_export_keeps_stored_events(
        store: Store, tmp_path: Path) -> None:
    import_events(store, "context-test", "acled", ACLED_EDGE)
    again = import_events(store, "context-test", "acled", ACLED_EDGE)
    assert again.already_imported and again.imported == 0
    overlapping = tmp_path / "newer.csv"
    overlapping.write_text(ACLED_EDGE.read_text(encoding="utf-8") + ACLED_EDGE.read_text(encoding="utf-8")
                           .splitlines(keepends=True)[-1].replace("PAK100009", "PAK100010"), encoding="utf-8")
    newer = import_events(store, "context-test", "acled", overlapping)
    assert newer.imported == 1
    assert sum("already in incident" in p.message for p in newer.problems) == 6
    with store.read() as session:
        imports = session.scalars(select(Change).where(Change.action == "import")).all()
    assert [c.after["events"] for c in imports] == [6, 1]


def test_a_file_of_another_format_is_refused_before_anything_is_stored(store: Store) -> None:
    with pytest.raises(InputError, match="not a UCDP export: missing column"):
        list(read_rows(ACLED_EDGE, "ucdp"))
    with pytest.raises(InputError, match="missing column"):
        import_events(store, "context-test", "ucdp", ACLED_EDGE)
    assert _events(store) == {}


def test_synthetic_exports_import_whole(store: Store, tmp_path: Path) -> None:
    acled = import_events(store, "scale", "acled", write_acled(tmp_path / "a.csv", 2_500))
    ucdp = import_events(store, "scale", "ucdp", write_ucdp(tmp_path / "u.csv", 1_500))
    assert (acled.imported, acled.problems, ucdp.imported, ucdp.problems) == (2_500, [], 1_500, [])
    with store.read() as session:
        assert session.query(Claim).count() == 4_000


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = write_acled(tmp_path / "1.csv", 300, seed=5).read_bytes()
    assert first == write_acled(tmp_path / "2.csv", 300, seed=5).read_bytes()
    assert first != write_acled(tmp_path / "3.csv", 300, seed=6).read_bytes()


def test_command_line_contract(tmp_path: Path) -> None:
    env = {"STRIKE_MAP_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}", "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, "-m", "geo", "import-events", "--incident", "cli-test", "--format", "acled",
                         str(ACLED_EDGE)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "imported 6 ACLED events into 'cli-test'" in ok.stderr
    assert "acled_edge.csv: line 8, latitude: 'north of Turbat' is not a number" in ok.stderr
    wrong = subprocess.run([sys.executable, "-m", "geo", "import-events", "--incident", "cli-test", "--format", "ucdp",
                            str(ACLED_EDGE)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr and "missing column" in wrong.stderr


def _by_rows(path: Path, fmt: str) -> tuple[list[dict[str, object]], list[tuple[int, str, str]]]:
    rows, problems = [], []
    for item in read_rows(path, fmt):
        if isinstance(item, RowProblem):
            problems.append((item.line, item.field, item.message))
        else:
            record = asdict(item)
            record["extra"] = item.extra
            rows.append(record)
    return rows, problems


def _by_columns(path: Path, fmt: str) -> tuple[list[dict[str, object]], list[tuple[int, str, str]]]:
    frame, problems = read_columns(path, fmt)
    rows = []
    for record in frame.to_dict("records"):
        record["extra"] = json.loads(record["extra"])
        record["line"] = int(record["line"])
        for name in ("fatalities_low", "fatalities_high"):
            value = record[name]
            record[name] = None if value is None or value != value else int(value)
        rows.append(record)
    return rows, [(p.line, p.field, p.message) for p in problems]


@pytest.mark.parametrize("fmt", ["acled", "ucdp"])
def test_the_column_reader_gives_what_the_row_parser_gives(fmt: str, tmp_path: Path) -> None:
    """Every row and every problem message, for the edge fixtures and a synthetic file with bad cells mixed in."""
    edge = ACLED_EDGE if fmt == "acled" else UCDP_EDGE
    synthetic = (write_acled if fmt == "acled" else write_ucdp)(tmp_path / "s.csv", 400, seed=3)
    lines = synthetic.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    spoil = {"latitude": "91", "longitude": " 1_0 ", "event_date": "31 February 2023", "fatalities": "+3",
             "best": "007", "low": "-1", "date_start": "2024-13-01", "where_prec": " 2 ", "type_of_violence": "9",
             "time_precision": "", "event_id_cnty": " ", "side_a": ""}
    for step, (name, value) in enumerate(spoil.items()):
        if name in header:
            target = 5 + 17 * step
            cells = next(csv.reader([lines[target]]))
            cells[header.index(name)] = value
            out = io.StringIO()
            csv.writer(out).writerow(cells)
            lines[target] = out.getvalue()
    bad_cells = tmp_path / "bad_cells.csv"  # regular in shape: read by pyarrow, bad cells go row by row
    bad_cells.write_text("".join(lines), encoding="utf-8")
    lines.insert(50, "\n")  # a blank line: skipped, and later lines keep their numbers (read by csv)
    blank = tmp_path / "blank.csv"
    blank.write_text("".join(lines), encoding="utf-8")
    regular_edge = tmp_path / "edge.csv"  # the edge fixture without its ragged row: line breaks in notes
    regular_edge.write_text("".join(line for line in edge.read_text(encoding="utf-8").splitlines(keepends=True)
                                    if "surplus" not in line), encoding="utf-8")
    assert _arrow_cells(bad_cells, fmt) is not None and _arrow_cells(blank, fmt) is None
    assert _arrow_cells(regular_edge, fmt) is not None
    for path in (edge, synthetic, bad_cells, blank, regular_edge):
        assert _by_columns(path, fmt) == _by_rows(path, fmt), path.name
    assert _by_rows(bad_cells, fmt)[1] and _by_rows(blank, fmt)[1], "problems to compare"


def test_imported_times_are_stored_as_the_orm_stores_them(store: Store) -> None:
    import_events(store, "context-test", "acled", ACLED_EDGE)
    with store.read() as session:
        raw = session.connection().exec_driver_sql("SELECT created_at FROM events").scalars().all()
        assert all(isinstance(v, str) and "+" not in v and len(v) == 26 for v in raw), raw  # no offset on SQLite
        assert {e.created_at.tzinfo for e in session.scalars(select(Event))} == {UTC}
