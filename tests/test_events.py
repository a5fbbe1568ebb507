"""Loading the event files: each bad row is reported by file, line and field; every good row still loads."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from geo.corpus.articles import load_corpus
from geo.events.dates import parse_iso_date
from geo.events.table import CLAIMS_CSV, EVENTS_CSV, FACTS_CSV, Claim, Event, derived_date, load_events, to_geodataframe

A4 = "004_debe0072827b60f6"
A0 = "000_2764ba4b0611a321"


def _data_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


CURATED_EVENTS = _data_rows(EVENTS_CSV)
CURATED_CLAIMS = _data_rows(CLAIMS_CSV)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, src in (("events", EVENTS_CSV), ("claims", CLAIMS_CSV), ("facts", FACTS_CSV)):
        out[name] = tmp_path / src.name
        shutil.copy(src, out[name])
    return out


def _append(path: Path, *rows: list[object]) -> list[int]:
    """Append rows; return their line numbers."""
    start = len(path.read_text(encoding="utf-8").splitlines())
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return [start + 1 + i for i in range(len(rows))]


def _load(files, corpus):
    return load_events(files["events"], files["claims"], files["facts"], corpus=corpus)


def _messages(table) -> list[str]:
    return [str(p) for p in table.problems]


def _good_event(event_id: str, **changes: object) -> list[object]:
    row = {"id": event_id, "date": "2024-01", "date_end": "", "date_precision": "month", "ongoing": "",
           "actor": "Iraq", "target": "Iran", "event_type": "diplomatic", "place": "Iraq", "geo_precision": "country",
           "origin": "", "fatalities_low": "", "fatalities_high": "", "injuries_low": "", "injuries_high": "",
           "summary": "test row"}
    row.update(changes)
    return list(row.values())


def test_copies_of_the_curated_files_load_cleanly(files, corpus):
    table = _load(files, corpus)
    assert _messages(table) == []
    assert len(table.events) == CURATED_EVENTS and len(table.facts) == 1


def test_bad_event_rows_are_reported_by_line_and_field_and_the_rest_load(files, corpus):
    lines = _append(
        files["events"],
        _good_event("bad-date", date="2024-13-05"),
        _good_event("bad-type", event_type="riot"),
        _good_event("bad-count", fatalities_low="many", fatalities_high="9"),
        _good_event("bad-range", fatalities_low="9", fatalities_high="7"),
        _good_event("bad-precision", date="2024-01-05"),
        _good_event("no-place", place=""),
        _good_event("kerman-bombing"),
        _good_event("bad-geo", geo_precision="street"),
    )
    table = _load(files, corpus)
    messages = _messages(table)
    expected = [
        (lines[0], "date"), (lines[1], "event_type"), (lines[2], "fatalities_low"), (lines[3], "fatalities_low"),
        (lines[4], "date_precision"), (lines[5], "place"), (lines[6], "id"), (lines[7], "geo_precision"),
    ]
    for line, field in expected:
        assert any(m.startswith(f"events.csv line {line}, field {field}:") for m in messages), (line, field, messages)
    assert len(messages) == len(expected)
    assert len(table.events) == CURATED_EVENTS, "the good rows all load, the bad ones are skipped"
    assert [e.actor for e in table.events if e.id == "kerman-bombing"] == ["Islamic State"], "first row kept"


def test_a_row_with_too_many_fields_and_a_missing_file_are_reported(files, corpus):
    with files["events"].open("a", encoding="utf-8") as handle:
        handle.write("x,2024-01,,month,,Iran,,diplomatic,Iran,country,,,,,,summary,EXTRA\n")
    files["facts"].unlink()
    table = _load(files, corpus)
    messages = _messages(table)
    line = CURATED_EVENTS + 2  # header, curated rows, then the appended row
    assert any(m.startswith(f"events.csv line {line}:") and "17 fields, expected 16" in m for m in messages)
    assert any(m.startswith("facts.csv:") and "not found" in m for m in messages)
    # without facts.csv the border claims point at nothing: reported per line, events unaffected
    assert any("field event_id: no event or fact 'iran-pakistan-border-length'" in m for m in messages)
    assert len(table.events) == CURATED_EVENTS


def test_missing_columns_are_one_clear_problem(tmp_path, corpus):
    events = tmp_path / "events.csv"
    events.write_text("id,date\nx,2024-01-01\n", encoding="utf-8")
    table = load_events(events, tmp_path / "claims.csv", tmp_path / "facts.csv", corpus=corpus)
    messages = _messages(table)
    assert messages[0].startswith("events.csv line 1: missing columns")
    assert "claims.csv: file not found" in messages
    assert table.events == []


def test_bad_claim_rows_are_reported_by_line_and_field_and_the_rest_load(files, corpus):
    lines = _append(
        files["claims"],
        ["kerman-bombing", A4, "fatalities", "over 80", "over 80 people were killed in a single bombing"],
        ["no-such-event", A4, "actor", "Iran", "Iran launched missile and drone raids"],
        ["kerman-bombing", "999_missing", "actor", "Islamic State", "Islamic State"],
        ["kerman-bombing", A4, "weapon", "bomb", "twin bombings"],
        ["kerman-bombing", A4, "fatalities", "over 70", "over 80 people were killed in twin bombings"],
        ["iran-strike-balochistan", A4, "date", "Tuesday", "On Tuesday (Jan 16), Iran launched"],
        ["kerman-bombing", A4, "actor", "", "twin bombings"],
    )
    table = _load(files, corpus)
    messages = _messages(table)
    expected = [(lines[0], "quote"), (lines[1], "event_id"), (lines[2], "report_id"), (lines[3], "field"),
                (lines[4], "value"), (lines[5], "value"), (lines[6], "value")]
    for line, field in expected:
        assert any(m.startswith(f"claims.csv line {line}, field {field}:") for m in messages), (line, field, messages)
    assert len(messages) == len(expected), messages
    assert len(table.claims) == CURATED_CLAIMS, "the good claims all load"
    assert table.by_id()["kerman-bombing"].fatalities_label == "over 80–over 90"


def test_event_figures_that_contradict_the_claims_are_reported_and_the_event_kept(files, corpus):
    text = files["events"].read_text(encoding="utf-8")
    text = text.replace("pakistan-strike-saravan,2024-01-18,,day", "pakistan-strike-saravan,2024-01-17,,day")
    text = text.replace('"Kerman, Iran",town,,81,,,,', '"Kerman, Iran",town,,80,95,,,')
    files["events"].write_text(text, encoding="utf-8")
    table = _load(files, corpus)
    messages = _messages(table)
    assert any(m.startswith("events.csv line 11, field date:") and "'2024-01-18'" in m for m in messages), messages
    # "over 80" / "over 90" set no ceiling: a row that gives one is wrong
    assert any(m.startswith("events.csv line 3, field fatalities_low:") and "80–95" in m and "81–open" in m
               for m in messages), messages
    assert len(table.events) == CURATED_EVENTS


def test_a_place_the_geocoder_cannot_resolve_is_reported_and_the_event_kept(files, corpus):
    lines = _append(files["events"], _good_event("nowhere", place="Qwxzville, Atlantis"))
    _append(files["claims"], ["nowhere", A0, "actor", "Iraq", "Iraq has recalled its ambassador"])
    table = _load(files, corpus)
    messages = _messages(table)
    assert any(m.startswith(f"events.csv line {lines[0]}, field place:") and "not found" in m for m in messages)
    event = table.by_id()["nowhere"]
    assert (event.lat, event.lon) == (None, None)


def test_an_event_no_claim_supports_is_reported(files, corpus):
    lines = _append(files["events"], _good_event("orphan"))
    messages = _messages(_load(files, corpus))
    assert f"events.csv line {lines[0]}, field id: no claim in claims.csv supports this event" in messages


def test_event_properties():
    event = Event(
        id="x", date_start=date(2024, 1, 1), date_end=date(2024, 1, 31),
        date_precision="month", actor="A", target="", event_type="bombing", place="Iraq", geo_precision="country",
        origin="", fatalities_low=0, fatalities_high=0, summary="", lat=None, lon=None, origin_lat=None,
        origin_lon=None, claims=(),
    )
    assert event.fatalities_label == "0" and event.reports == () and event.date_label == "2024-01"


def _claim(field: str, value: str, report: str = A0) -> Claim:
    return Claim("x", report, field, value, "quote")


def test_undated_events_take_the_publication_month_or_the_day_an_after_claim_pins():
    published = {A0: date(2024, 1, 18), A4: date(2024, 1, 19)}
    spans = {"same-day": parse_iso_date("2024-01-18"), "monday": parse_iso_date("2024-01-15"),
             "december": parse_iso_date("2023-12")}
    assert derived_date([_claim("actor", "Iraq")], published, spans).iso == "2024-01"
    assert derived_date([_claim("actor", "Iraq", A4), _claim("actor", "Iraq")], published).iso == "2024-01"
    assert derived_date([_claim("after", "same-day")], published, spans).iso == "2024-01-18"
    # between the earlier event and the report: a range (it was "the month" before issue 11)
    later = derived_date([_claim("after", "same-day", A4)], published, spans)
    assert (later.precision, later.start, later.end) == ("range", date(2024, 1, 18), date(2024, 1, 19))
    monday = derived_date([_claim("after", "monday")], published, spans)
    assert (monday.precision, monday.start, monday.end) == ("range", date(2024, 1, 15), date(2024, 1, 18))
    assert derived_date([_claim("after", "december")], published, spans).iso == "2024-01"
    # an inferred publication day pins no day: up to the end of its month
    inferred = derived_date([_claim("after", "same-day")], published, spans, datelined=frozenset())
    assert (inferred.precision, inferred.start, inferred.end) == ("range", date(2024, 1, 18), date(2024, 1, 31))
    # "before" another event bounds it from above
    bounded = derived_date([_claim("after", "monday"), _claim("before", "same-day")], published, spans,
                           datelined=frozenset())
    assert (bounded.start, bounded.end) == (date(2024, 1, 15), date(2024, 1, 18))
    assert derived_date([_claim("actor", "Iraq", "999_unknown")], published) is None


def test_an_after_claim_must_name_another_event(files, corpus):
    lines = _append(files["claims"],
                    ["iran-summons-charge", "003_9d3a702379dd5a34", "after", "no-such-event",
                     "the chargé d'affaires of Pakistan in Tehran"])
    messages = _messages(_load(files, corpus))
    assert any(m.startswith(f"claims.csv line {lines[0]}, field value:") and "'after'" in m for m in messages)


def test_claim_fields_must_fit_their_record(files, corpus):
    lines = _append(
        files["claims"],
        ["iran-pakistan-border-length", A0, "date", "On Wednesday", "On Wednesday, Pakistan recalled its ambassador"],
        ["kerman-bombing", A0, "border_length_km", "900", "Iran and Pakistan share a 900-kilometre (560-mile)"],
    )
    messages = _messages(_load(files, corpus))
    assert any(m.startswith(f"claims.csv line {lines[0]}, field field:") and "this fact" in m for m in messages)
    assert any(m.startswith(f"claims.csv line {lines[1]}, field field:") and "an event" in m for m in messages)


def test_bad_fact_rows_are_reported_by_line_and_field(files, corpus):
    with files["facts"].open("a", encoding="utf-8") as handle:
        handle.write("area,Area of Iran,area_km2,km2,,no such field,\n")
        handle.write("x,Something,border_length_km,km,guesswork,unknown measure,\n")
    table = _load(files, corpus)
    messages = _messages(table)
    assert any(m.startswith("facts.csv line 3, field field:") for m in messages)
    assert any(m.startswith("facts.csv line 4, field measured_by:") for m in messages)
    assert [f.id for f in table.facts] == ["iran-pakistan-border-length"]


def test_a_border_fact_is_measured_on_the_border_its_subject_names(files, corpus):
    from geo.boundaries.borders import shared_borders
    from geo.events.facts import fact_figures

    with files["facts"].open("a", encoding="utf-8") as handle:
        handle.write("am-az,Length of the Armenia–Azerbaijan border,border_length_km,km,"
                     "natural_earth_border_geodesic,another incident's border,\n")
        handle.write("none,Length of the border,border_length_km,km,natural_earth_border_geodesic,no pair,\n")
        handle.write("apart,Length of the Iran–Oman border,border_length_km,km,natural_earth_border_geodesic,"
                     "no land border,\n")
    table = _load(files, corpus)
    messages = _messages(table)
    assert any(m.startswith("facts.csv line 4, field subject:") and "names 0 countries" in m for m in messages)
    assert any(m.startswith("facts.csv line 5, field subject:") and "share no land border" in m for m in messages)
    figures = {f.id: fact_figures(f) for f in table.facts}
    assert set(figures) == {"iran-pakistan-border-length", "am-az"}
    expected = float(shared_borders(["AM", "AZ"])["length_km"].sum())
    assert figures["am-az"].measured == pytest.approx(expected) and 500 < expected < 1200
    assert "Armenia–Azerbaijan border" in figures["am-az"].method
    # the seed's own fact still measures the committed full-detail Iran–Pakistan line
    assert figures["iran-pakistan-border-length"].measured == pytest.approx(816.6, abs=0.5)


def test_an_empty_selection_still_makes_a_geodataframe():
    gdf = to_geodataframe([])
    assert len(gdf) == 0 and gdf.crs.to_epsg() == 4326 and "fatalities" in gdf.columns


def test_claims_of_a_skipped_event_say_why(files, corpus):
    text = files["events"].read_text(encoding="utf-8")
    text = text.replace("iraq-recalls-ambassador,2024-01,,month", "iraq-recalls-ambassador,2024-1,,month")
    files["events"].write_text(text, encoding="utf-8")
    table = _load(files, corpus)
    messages = _messages(table)
    assert any(m.startswith("events.csv line 9, field date:") for m in messages)
    skipped = [m for m in messages if "was skipped (bad row in events.csv)" in m]
    assert len(skipped) == 2 and all(m.startswith("claims.csv line ") for m in skipped)
    assert "iraq-recalls-ambassador" not in table.by_id()


def test_an_old_events_file_without_the_new_columns_still_loads(tmp_path, corpus):
    """The twelve original columns are enough: date_end, ongoing and injuries default to empty."""
    old = tmp_path / "events.csv"
    old.write_text(
        "id,date,date_precision,actor,target,event_type,place,geo_precision,origin,fatalities_low,"
        "fatalities_high,summary\n"
        "iraq-recalls-ambassador,2024-01,month,Iraq,Iran,diplomatic,Iraq,country,,,,recalled\n",
        encoding="utf-8")
    claims = tmp_path / "claims.csv"
    claims.write_text("event_id,report_id,field,value,quote\n"
                      f"iraq-recalls-ambassador,{A0},actor,Iraq,Iraq has recalled its ambassador\n", encoding="utf-8")
    facts = tmp_path / "facts.csv"
    facts.write_text("id,subject,field,unit,measured_by,summary\n", encoding="utf-8")
    table = load_events(old, claims, facts, corpus=corpus)
    assert _messages(table) == []
    event = table.by_id()["iraq-recalls-ambassador"]
    assert not event.ongoing and event.injuries_label == "unknown" and event.date_end == date(2024, 1, 31)


def test_new_columns_are_checked_line_by_line(files, corpus):
    lines = _append(
        files["events"],
        _good_event("bad-ongoing", ongoing="maybe"),
        _good_event("bad-end", date="2024-01-18", date_end="2024-01-10", date_precision="range"),
        _good_event("month-range", date_end="2024-01-20", date_precision="range"),
        _good_event("bad-injuries", injuries_low="5", injuries_high="2"),
        _good_event("ceiling-only", fatalities_high="9"),
        _good_event("range-says-day", date="2024-01-18", date_end="2024-01-19", date_precision="day"),
    )
    messages = _messages(_load(files, corpus))
    for line, field in zip(lines, ("ongoing", "date_end", "date_end", "injuries_low", "fatalities_low",
                                   "date_precision"), strict=True):
        assert any(m.startswith(f"events.csv line {line}, field {field}:") for m in messages), (line, field, messages)


def test_an_open_lower_bound_loads_as_no_ceiling(files, corpus):
    lines = _append(files["events"], _good_event("open", fatalities_low="7"), _good_event("capped", fatalities_low="7",
                                                                                       fatalities_high="7"))
    quote = "The strike killed at least seven people"
    _append(files["claims"], ["open", A0, "fatalities", "at least 7", quote],
            ["capped", A0, "fatalities", "at least 7", quote])
    table = _load(files, corpus)
    event = table.by_id()["open"]
    assert (event.fatalities_low, event.fatalities_high, event.fatalities_label) == (7, None, "at least 7")
    messages = _messages(table)
    assert not any(m.startswith(f"events.csv line {lines[0]},") for m in messages), messages
    assert any(m.startswith(f"events.csv line {lines[1]}, field fatalities_low:") and "7–open" in m for m in messages)
