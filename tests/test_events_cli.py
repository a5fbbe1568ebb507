"""`python -m geo events`: filters, formats, disagreements, and clear errors for bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.commands.main import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["events", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


def test_csv_lists_every_event_with_coordinates(capsys):
    code, out, err = run(capsys)
    assert code == 0 and "warning" not in err
    table = rows(out)
    assert len(table) == 20
    saravan = next(r for r in table if r["id"] == "pakistan-strike-saravan")
    # "at least nine" / "the dead included": no ceiling (issue 11; it was "7–9")
    assert saravan["date"] == "2024-01-18" and saravan["fatalities"] == "7–9+" and saravan["fatalities_high"] == ""
    assert "civilians (004)" in saravan["casualties"] and "militants (001, 002)" in saravan["casualties"]
    gaza = next(r for r in table if r["id"] == "israel-hamas-war")
    assert gaza["ongoing"] == "yes" and gaza["when"] == "ongoing as of 2024-01-19"
    assert 27 < float(saravan["lat"]) < 28 and saravan["origin"] == "Pakistan" and saravan["origin_lat"]


def test_hide_leaves_out_month_only_and_ongoing_events(capsys):
    _, out, _ = run(capsys, "--since", "2024-01-16", "--until", "2024-01-18", "--hide", "month,ongoing")
    found = {r["id"]: r for r in rows(out)}
    assert "kerman-bombing" not in found and "hezbollah-israel-fire" not in found
    assert all(r["date_precision"] != "month" and r["ongoing"] == "" for r in found.values())
    assert "pakistan-strike-saravan" in found
    code, _, err = run(capsys, "--hide", "vague")
    assert code == 2 and "--hide 'vague' not known" in err


def test_dates_are_inclusive_and_month_events_fall_inside_a_day_range(capsys):
    _, out, _ = run(capsys, "--since", "2024-01-16", "--until", "2024-01-16")
    found = {r["id"]: r["date_precision"] for r in rows(out)}
    assert found["iran-strike-balochistan"] == "day"
    assert found["kerman-bombing"] == "month"
    assert "iran-strike-iraq" not in found and "pakistan-strike-saravan" not in found


def test_filters_repeat_or_take_commas_and_match_case_insensitively(capsys):
    _, out, _ = run(capsys, "--actor", "iran,pakistan", "--type", "diplomatic", "--type", "military exercise")
    assert {r["id"] for r in rows(out)} == {"pakistan-recalls-ambassador", "iran-summons-charge",
                                            "iran-air-defence-drill", "pakistan-condemns-iran-strike",
                                            "pakistan-fm-statement", "pakistan-pm-cuts-davos"}
    _, out, _ = run(capsys, "--target", "Baloch Liberation Front")
    assert [r["id"] for r in rows(out)] == ["pakistan-strike-saravan"]
    _, out, _ = run(capsys, "--report", "002", "--actor", "Iran")
    assert [r["id"] for r in rows(out)] == ["iran-strike-balochistan"]


def test_geojson_is_a_feature_collection_of_points_in_lon_lat(capsys):
    code, out, _ = run(capsys, "--type", "air/missile strike", "--format", "geojson")
    assert code == 0
    data = json.loads(out)
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["id"]: f for f in data["features"]}
    assert set(features) == {"iran-strike-iraq", "iran-strike-syria", "iran-strike-balochistan",
                             "pakistan-strike-saravan", "us-allied-strikes-yemen", "israeli-strikes-commanders"}
    lon, lat = features["pakistan-strike-saravan"]["geometry"]["coordinates"]
    assert 62 < lon < 63 and 27 < lat < 28
    assert features["pakistan-strike-saravan"]["properties"]["fatalities_high"] is None  # open: "at least nine"
    assert features["israeli-strikes-commanders"]["geometry"] is None  # no report says where


def test_disagreements_are_printed_one_per_line(capsys):
    code, out, _ = run(capsys, "--disagreements")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("pakistan-strike-saravan · casualties: ")  # who died, first
    assert "kerman-bombing · fatalities (compatible): over 90 (000, 001, 003) vs over 80 (004)" in lines
    assert any(line.startswith("iran-pakistan-border-length · border_length_km") and "measured 817 km" in line
               for line in lines)


@pytest.mark.parametrize(("argv", "message"), [
    (["--since", "2024-13-01"], "--since '2024-13-01' is not a date; use YYYY-MM-DD"),
    (["--until", "yesterday"], "--until 'yesterday' is not a date"),
    (["--since", "2024-01-18", "--until", "2024-01-16"], "is after --until"),
    (["--type", "riot"], "--type 'riot' not known; choose from:"),
    (["--actor", "Atlantis"], "--actor 'Atlantis' not known"),
    (["--report", "0"], "matches 5 reports"),
    (["--report", "999"], "matches no report"),
])
def test_bad_input_is_a_clear_message_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_the_module_entry_point_runs_as_documented():
    done = subprocess.run([sys.executable, "-m", "geo", "events", "--since", "bad"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "not a date" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "geo", "events", "--actor", "Iran", "--since", "2024-01-15",
                           "--until", "2024-01-16"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert [r["id"] for r in rows(done.stdout)] == ["iran-strike-iraq", "iran-strike-syria",
                                                    "iran-strike-balochistan"]
