from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from geo.commands.extract import COLUMNS
from tests.extract.conftest import LABELLED

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", "extract", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_csv_columns_and_rows():
    text = LABELLED / "texts" / "t05_thai_cambodia_wire.txt"
    result = run("--metadata", str(LABELLED / "articles.csv"), str(text))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(csv.reader(io.StringIO(result.stdout)).__next__()) == COLUMNS
    recall = [r for r in rows if r["type"] == "diplomatic" and r["actor"] == "Thailand"]
    assert recall and recall[0]["date"] == "2025-07-23"
    assert all(r["reports"] == "t05_thai_cambodia_wire" for r in rows)


def test_json_claims_and_undated_without_metadata(tmp_path):
    report = tmp_path / "r9.txt"
    report.write_text("On Tuesday, Iran launched missile strikes on Pakistan's Balochistan province, killing two "
                      "children.\n", encoding="utf-8")
    result = run("--format", "json", str(report))
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)
    assert len(events) == 1
    event = events[0]
    assert event["date"] == "" and event["date_precision"] == "unknown"  # no dateline: Tuesday unresolved
    text = report.read_text(encoding="utf-8")
    assert {c["field"] for c in event["claims"]} >= {"type", "actor", "place", "fatalities"}
    for claim in event["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["quote"]


def test_bad_file_is_reported_and_others_still_run(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe bad")
    good = tmp_path / "good.txt"
    good.write_text("date 2024-01-18 ISLAMABAD — Pakistan launched airstrikes early Thursday in Iran.\n",
                    encoding="utf-8")
    result = run(str(bad), str(good), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert "bad.txt: not UTF-8" in result.stderr and "missing.txt: cannot read" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and rows[0]["date"] == "2024-01-18"  # from the text's dateline
    assert "Traceback" not in result.stderr


def test_formula_in_report_text_is_neutralised(tmp_path):
    report = tmp_path / "f.txt"
    report.write_text("=HYPERLINK(\"x\") Iranian jets struck Kerman on 3 January 2024.\n", encoding="utf-8")
    result = run(str(report))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(not r["quote"].startswith("=") for r in rows)
