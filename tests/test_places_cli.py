"""`python -m geo places FILE...` as DESIGN.md specifies it."""

from __future__ import annotations

import json
import subprocess
import sys

from geo.commands.main import main
from geo.paths import ARTICLES_DIR, ROOT

FIELDS = ["file", "mention", "start", "end", "name", "kind", "country_code", "lat", "lon", "confidence"]
REPORT = ARTICLES_DIR / "001_4e67ac401120d140.txt"


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_prints_one_json_object_per_mention(capsys) -> None:
    assert main(["places", str(REPORT)]) == 0
    records = _lines(capsys.readouterr().out)
    text = REPORT.read_text(encoding="utf-8")
    assert len(records) == 24  # the labelled mentions (one is the Iran-Pakistan border)
    for record in records:
        assert list(record)[: len(FIELDS)] == FIELDS
        assert record["file"] == str(REPORT)
        assert text[record["start"]:record["end"]] == record["mention"]
    saravan = [r for r in records if r["mention"] == "Saravan"]
    assert len(saravan) == 2 and {r["country_code"] for r in saravan} == {"IR"}


def test_any_utf8_text_file(tmp_path, capsys) -> None:
    other = tmp_path / "note.txt"
    other.write_text("Crème brûlée in Lyon, then the train to Genève and on to Zürich, Switzerland.\n",
                     encoding="utf-8")
    assert main(["places", str(other)]) == 0
    records = _lines(capsys.readouterr().out)
    assert {r["country_code"] for r in records} == {"FR", "CH"}
    text = other.read_text(encoding="utf-8")
    assert all(text[r["start"]:r["end"]] == r["mention"] for r in records)


def test_bad_files_are_named_and_the_rest_still_processed(tmp_path, capsys) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Café in Paris".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    status = main(["places", str(missing), str(latin1), str(REPORT)])
    captured = capsys.readouterr()
    assert status == 1
    assert f"{missing}: cannot read" in captured.err
    assert f"{latin1}: not UTF-8" in captured.err
    assert "Traceback" not in captured.err
    assert {r["file"] for r in _lines(captured.out)} == {str(REPORT)}


def test_min_confidence_filters(capsys) -> None:
    main(["places", str(REPORT)])
    everything = _lines(capsys.readouterr().out)
    main(["places", "--min-confidence", "0.99", str(REPORT)])
    confident = _lines(capsys.readouterr().out)
    assert 0 < len(confident) <= len(everything)
    assert all(r["confidence"] >= 0.99 for r in confident)


def test_runs_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "geo", "places", str(REPORT)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert len(_lines(done.stdout)) == 24
