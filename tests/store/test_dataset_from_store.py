"""The one Dataset loader reads the store: the seed incident looks exactly as it does from the curated files,
an analyst's change in the store is a new stamp, and the incident and status are inputs of the loader."""

from __future__ import annotations

from sqlalchemy import select

from geo.dataset import DataSource, data_stamp, load_dataset
from geo.paths import DATA_DIR
from geo.store import repo
from geo.store.engine import open_store
from geo.store.models import Event


def test_the_seed_incident_from_the_store_is_the_dataset_from_the_files(seeded_url):
    from_store = load_dataset(DataSource(DATA_DIR, seeded_url))
    from_files = load_dataset(DataSource(DATA_DIR))
    assert from_store.table.events == from_files.table.events
    assert from_store.table.claims == from_files.table.claims
    assert from_store.table.facts == from_files.table.facts
    assert from_store.problems == from_files.problems
    assert from_store.vocabulary == from_files.vocabulary
    assert [a.id for a in from_store.corpus.articles] == [a.id for a in from_files.corpus.articles]
    assert from_store.incident.slug == "iran-pakistan-2024" and from_store.incident.countries == ("IR", "PK")


def test_an_edit_in_the_store_is_a_new_stamp_and_shows_in_the_next_dataset(seeded_url):
    source = DataSource(DATA_DIR, seeded_url)
    before = data_stamp(source)
    assert data_stamp(source) == before
    store = open_store(seeded_url)
    with store.read() as session:
        event = session.scalars(select(Event).where(Event.key == "kerman-bombing")).one()
    store.write(lambda s: repo.edit_event(s, event.id, {"summary": "Edited in the store."}, event.version, "ana"))
    store.dispose()
    assert data_stamp(source) != before
    kerman = load_dataset(source).table.by_id()["kerman-bombing"]
    assert kerman.summary == "Edited in the store."


def test_incident_and_status_are_inputs_of_the_loader(seeded_url):
    store = open_store(seeded_url)

    def second_incident(session):
        incident, _ = repo.ensure_incident(session, "second", "ana", "Second incident", ("SD",))
        report = repo.add_report(session, incident, repo.NewReport(key="r", text="Shelling hit Omdurman."), "ana")
        event = repo.upsert_event(session, incident, "omdurman-shelling", {
            "date": "2025-03-02", "date_precision": "day", "actor": "unknown", "event_type": "armed attack",
            "place": "Omdurman, Sudan", "geo_precision": "town", "lat": 15.64, "lon": 32.48}, "ana")
        session.flush()
        repo.add_claim(session, incident, report, "place", "Omdurman", "Shelling hit Omdurman", "ana", event=event)

    store.write(second_incident)
    store.dispose()
    candidates = load_dataset(DataSource(DATA_DIR, seeded_url, "second", "candidate"))
    accepted = load_dataset(DataSource(DATA_DIR, seeded_url, "second"))
    assert [e.id for e in candidates.table.events] == ["omdurman-shelling"]
    assert accepted.table.events == [] and [a.id for a in accepted.corpus.articles] == ["r"]
    assert candidates.incident.title == "Second incident" and candidates.stamp != accepted.stamp
