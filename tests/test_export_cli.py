"""`python -m geo export --out FILE [filters]`: every format, the same rows as the filter, clear errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from geo.commands.main import main
from geo.events.filter import EventFilter, filter_events
from geo.events.table import load_events
from tests.conftest import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_png_from_the_command_line_is_a_slide(tmp_path):
    out = tmp_path / "brief.png"
    result = run_cli("--out", str(out), "--actor", "Iran", "--title", "Iran's strikes")
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        assert image.size == (1920, 1080)
    assert "actor: Iran" in result.stderr and "Traceback" not in result.stderr


def test_pdf_caption_matches_the_filter_options(tmp_path, capsys):
    out = tmp_path / "brief.pdf"
    assert main(["export", "--out", str(out), "--since", "2024-01-16", "--until", "2024-01-18"]) == 0
    text = PdfReader(out).pages[0].extract_text()
    assert EventFilter(since=date(2024, 1, 16), until=date(2024, 1, 18)).describe() in text


@pytest.mark.parametrize("suffix", [".csv", ".geojson"])
def test_tables_hold_the_filtered_rows(tmp_path, suffix, capsys):
    out = tmp_path / f"events{suffix}"
    assert main(["export", "--out", str(out), "--type", "air/missile strike"]) == 0
    options = {"X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat"} if suffix == ".csv" else {}
    frame = gpd.read_file(out, **options)
    expected = filter_events(load_events().events, EventFilter(event_types=frozenset({"air/missile strike"})))
    assert list(frame["id"]) == [e.id for e in expected]


def test_html_and_kml_and_claims(tmp_path, capsys):
    for name in ("map.html", "events.kml", "events.claims.csv"):
        assert main(["export", "--out", str(tmp_path / name), "--report", "004"]) == 0
    assert (tmp_path / "map.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert b"<kml" in (tmp_path / "events.kml").read_bytes()
    header = (tmp_path / "events.claims.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "event_id,report_id,field,value,quote"
    claims = pd.read_csv(tmp_path / "events.claims.csv", dtype=str)
    by_event = claims.groupby("event_id")["report_id"].apply(set)
    expected = filter_events(load_events().events, EventFilter(reports=frozenset({"004_debe0072827b60f6"})))
    assert sorted(by_event.index) == sorted(e.id for e in expected)
    assert all(any(r.startswith("004_") for r in reports) for reports in by_event)  # every event 004 backs


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "brief.txt"], "unknown file type '.txt'"),
    (["--out", "brief"], "unknown file type '(none)'"),
    (["--out", "no/such/folder/brief.png"], "does not exist"),
    (["--out", "brief.png", "--actor", "Nobody"], "--actor 'Nobody' not known"),
    (["--out", "brief.png", "--since", "16/01/2024"], "is not a date"),
])
def test_bad_input_is_a_clear_message_and_exit_2(tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith(("brief", "no/")) else a for a in args]
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(p.name.startswith("brief") for p in tmp_path.iterdir())


def test_the_view_on_screen_drives_png_pdf_and_html_and_their_metadata(tmp_path, capsys):
    bbox = "60.5,25.5,64.5,29.5"
    pdf, png, page = tmp_path / "v.pdf", tmp_path / "v.png", tmp_path / "v.html"
    for out in (pdf, png, page):
        assert main(["export", "--out", str(out), "--actor", "Pakistan", "--bbox", bbox,
                     "--select", "pakistan-strike-saravan"]) == 0
    info = PdfReader(pdf).metadata
    assert info["/Extent"] == bbox and info["/Selected"] == "pakistan-strike-saravan"
    assert "actor: Pakistan" in info["/Filters"]
    with Image.open(png) as image:
        assert image.text["Extent"] == bbox and image.text["Selected"] == "pakistan-strike-saravan"
        assert "actor: Pakistan" in image.text["Filters"]
    html = page.read_text(encoding="utf-8")
    assert f'<meta name="strike-map:extent" content="{bbox}">' in html
    assert '<meta name="strike-map:selected" content="pakistan-strike-saravan">' in html
    assert "[[25.5, 60.5], [29.5, 64.5]]" in html  # opens on the extent, not refitted to the filter
    assert html.count("strike-marker selected") == 1


def test_the_view_changes_the_picture(tmp_path, capsys):
    fitted, zoomed = tmp_path / "a.png", tmp_path / "b.png"
    assert main(["export", "--out", str(fitted)]) == 0
    assert main(["export", "--out", str(zoomed), "--bbox", "61,26.5,64,28.5"]) == 0
    with Image.open(fitted) as a, Image.open(zoomed) as b:
        assert a.text["Extent"] == "fitted to the events" and b.text["Extent"] == "61,26.5,64,28.5"
        assert a.tobytes() != b.tobytes()


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--bbox", "64,25,60,29", "--bbox"),
    ("--bbox", "a,b,c,d", "four numbers"),
    ("--select", "no-such-event", "no such event 'no-such-event'"),
])
def test_a_bad_view_option_is_a_clear_message(tmp_path, option, value, message):
    result = run_cli("--out", str(tmp_path / "x.png"), option, value)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
