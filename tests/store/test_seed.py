"""The curated incident in data/ goes into the store and comes back out unchanged."""

from __future__ import annotations

import csv
import filecmp

import pyogrio
import pytest
from sqlalchemy import func, select

from geo.events.table import load_events
from geo.paths import DATA_DIR
from geo.store import repo
from geo.store.csvio import escape_cell, export_folder, import_folder, unescape_cell
from geo.store.geopackage import write_geopackage
from geo.store.load import incident_corpus, incident_table
from geo.store.models import Change, Claim, Event, Report
from geo.store.seed import default_slug, ensure_seeded

CURATED = ("articles.csv", "events.csv", "claims.csv", "facts.csv", "incidents.csv")


def test_export_gives_the_curated_files_back_byte_for_byte(seeded_store, tmp_path):
    with seeded_store.read() as session:
        export_folder(session, repo.require_incident(session, default_slug()), tmp_path)
    for name in CURATED:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name
    texts = sorted(p.name for p in (DATA_DIR / "articles").glob("*.txt"))
    match, mismatch, errors = filecmp.cmpfiles(DATA_DIR / "articles", tmp_path / "articles", texts, shallow=False)
    assert (mismatch, errors) == ([], []) and len(match) == 5


def test_the_store_gives_the_same_events_claims_and_facts_as_the_csv_loader(seeded_store):
    expected = load_events()
    with seeded_store.read() as session:
        incident = repo.require_incident(session, default_slug())
        table = incident_table(session, incident)
        corpus = incident_corpus(session, incident)
    assert table.events == expected.events  # every field, coordinates and claims included, in order
    assert table.claims == expected.claims
    assert table.facts == expected.facts
    assert table.published == expected.published
    assert [(a.id, a.text, a.title, a.published) for a in corpus.articles] == [
        (a.id, a.text, a.title, a.published) for a in sorted(expected_corpus(), key=lambda a: a.id)]


def expected_corpus():
    from geo.corpus.articles import load_corpus

    return load_corpus().articles


def test_every_claim_knows_where_its_quote_is(seeded_store):
    with seeded_store.read() as session:
        rows = session.execute(select(Claim, Report).join(Report, Claim.report_id == Report.id)).all()
    assert len(rows) == 102
    for claim, report in rows:
        assert report.text[claim.start:claim.end] == claim.quote


def test_seeding_twice_changes_nothing(seeded_store):
    with seeded_store.read() as session:
        before = session.scalar(select(func.count()).select_from(Change))
    ensure_seeded(seeded_store)
    with seeded_store.read() as session:
        assert session.scalar(select(func.count()).select_from(Change)) == before
        assert session.scalar(select(func.count()).select_from(Report)) == 5


def test_changed_files_are_imported_again_unless_analysts_changed_the_incident(store, curated_copy):
    incidents = curated_copy / "incidents.csv"
    ensure_seeded(store, incidents_csv=incidents)
    events = curated_copy / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "Only the month is reported.", "Only the month is reported (checked again)."), encoding="utf-8")
    messages: list[str] = []
    ensure_seeded(store, messages.append, incidents_csv=incidents)
    with store.read() as session:
        summary = session.scalar(select(Event.summary).where(Event.key == "police-station-attack"))
        assert session.scalar(select(func.count()).select_from(Event)) == 15
    assert summary.endswith("(checked again).") and "re-imported" in messages[-1]

    with store.read() as session:
        event = session.scalars(select(Event).where(Event.key == "police-station-attack")).one()
    store.write(lambda s: repo.edit_event(s, event.id, {"summary": "An analyst's summary."}, event.version, "ana"))
    events.write_text(events.read_text(encoding="utf-8").replace("(checked again)", "(third look)"), encoding="utf-8")
    ensure_seeded(store, messages.append, incidents_csv=incidents)
    with store.read() as session:
        assert session.scalar(select(Event.summary).where(Event.key == "police-station-attack")) == \
            "An analyst's summary."
    assert "kept the store's version" in messages[-1]


def test_a_bad_row_is_named_and_the_rest_goes_in(store, curated_copy):
    events = curated_copy / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("kerman-bombing,")
    lines[2] = lines[2].replace(",80,90,", ",eighty,90,")
    events.write_text("".join(lines), encoding="utf-8")

    def work(session):
        incident, _ = repo.ensure_incident(session, "copy", "tester")
        return import_folder(session, incident, curated_copy, "tester")

    problems = store.write(work)
    assert any(p.where == "events.csv line 3, field fatalities_low" for p in problems), problems
    with store.read() as session:
        keys = set(session.scalars(select(Event.key)))
        kerman_claims = session.scalar(select(func.count()).select_from(Claim).join(Event)
                                       .where(Event.key == "kerman-bombing"))
    assert len(keys) == 14 and "kerman-bombing" not in keys and kerman_claims == 0
    assert any("claims.csv line" in p.where and "kerman-bombing" in p.message for p in problems)


def test_issue_11_columns_and_unknown_columns_are_kept(store, curated_copy):
    events = curated_copy / "events.csv"
    rows = list(csv.DictReader(events.open(encoding="utf-8", newline="")))
    header = [*rows[0], "date_end", "ongoing", "injuries_low", "injuries_high", "analyst_note"]
    for row in rows:
        row.update(date_end="", ongoing="", injuries_low="", injuries_high="", analyst_note="")
    rows[1].update(fatalities_high="", injuries_low="30", injuries_high="", analyst_note="=check me",
                   date_end="2024-02", ongoing="yes")
    with events.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    def work(session):
        incident, _ = repo.ensure_incident(session, "copy", "tester")
        import_folder(session, incident, curated_copy, "tester")
        export_folder(session, incident, curated_copy / "out")

    store.write(work)
    with store.read() as session:
        kerman = session.scalars(select(Event).where(Event.key == "kerman-bombing")).one()
    assert (kerman.fatalities_low, kerman.fatalities_high, kerman.injuries_low, kerman.injuries_high) == (80, None,
                                                                                                         30, None)
    assert kerman.ongoing and kerman.date_end == "2024-02" and kerman.extra == {"analyst_note": "=check me"}
    exported = (curated_copy / "out" / "events.csv").read_text(encoding="utf-8")
    assert exported.splitlines()[0] == ",".join(header)
    assert "'=check me" in exported  # a spreadsheet would run it as a formula
    again = list(csv.DictReader((curated_copy / "out" / "events.csv").open(encoding="utf-8", newline="")))
    assert [{k: unescape_cell(v) for k, v in r.items()} for r in again] == rows


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-x", "@SUM(A1)", "\tx", "'=x", "''-y", "plain", "", "a=b"])
def test_formula_escaping_reverses(value):
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    assert escaped[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_geopackage_opens_with_events_and_mentions(seeded_store, tmp_path):
    path = tmp_path / "events.gpkg"
    with seeded_store.read() as session:
        layers = write_geopackage(session, repo.require_incident(session, default_slug()), path)
    assert layers == ["events", "mentions"]
    assert {name for name, _ in pyogrio.list_layers(path)} == {"events", "mentions"}
    events = pyogrio.read_dataframe(path, layer="events")
    expected = load_events().events
    assert list(events["id"]) == [e.id for e in expected]
    assert events.crs.to_epsg() == 4326
    located = {e.id: (e.lon, e.lat) for e in expected if e.lat is not None}
    for row in events.itertuples():
        if row.id in located:
            assert (row.geometry.x, row.geometry.y) == pytest.approx(located[row.id])
    assert list(events["fatalities_high"].astype("object").where(events["fatalities_high"].notna(), None)) == [
        e.fatalities_high for e in expected]
