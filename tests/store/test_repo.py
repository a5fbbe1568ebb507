"""The repository API: every change logged in its own transaction, optimistic locking, merge and split."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from geo.store import repo
from geo.store.models import Change, Claim, Event, Report

STRIKE = {
    "date": "2024-01-18", "date_precision": "day", "actor": "Pakistan", "target": "militants",
    "event_type": "air/missile strike", "place": "Saravan, Iran", "geo_precision": "near town",
    "fatalities_low": 7, "fatalities_high": 9, "summary": "Strikes near Saravan.",
}
TEXT = "Pakistan struck near Saravan early Thursday. Iran said nine people were killed, seven of them children."


def _incident_with_event(session):
    incident, _ = repo.ensure_incident(session, "test-incident", "ana", "Test", ("IR", "PK"))
    report = repo.add_report(session, incident, repo.NewReport(key="r1", text=TEXT), "ana")
    event = repo.upsert_event(session, incident, "saravan", {**STRIKE, "status": "candidate"}, "ana")
    session.flush()
    repo.add_claim(session, incident, report, "fatalities", "nine", "nine people were killed", "ana", event=event)
    return event.id


def _count(store, model, *where):
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_second_analyst_editing_an_old_version_is_told_and_loses_nothing(store):
    event_id = store.write(_incident_with_event)
    store.write(lambda s: repo.edit_event(s, event_id, {"fatalities_high": 11}, 1, "ana"))
    with pytest.raises(repo.StaleEdit) as caught:
        store.write(lambda s: repo.edit_event(s, event_id, {"fatalities_low": 9, "summary": "Bo's text"}, 1, "bo"))
    stale = caught.value
    assert stale.current["fatalities_high"] == 11 and stale.current["version"] == 2
    assert stale.attempted == {"fatalities_low": 9, "summary": "Bo's text"}  # Bo's edit is handed back
    assert "changed by ana" in str(stale) and "fatalities_low, summary" in str(stale)
    with store.read() as session:
        event = session.get(Event, event_id)
        assert (event.fatalities_low, event.fatalities_high, event.version) == (7, 11, 2)
        updates = session.scalars(select(Change).where(Change.table_name == "events", Change.action == "update")).all()
    assert [(c.who, c.before["fatalities_high"], c.after["fatalities_high"]) for c in updates] == [("ana", 9, 11)]
    store.write(lambda s: repo.edit_event(s, event_id, stale.attempted, stale.current["version"], "bo"))
    assert _count(store, Event, Event.summary == "Bo's text") == 1


def test_a_failed_transaction_leaves_neither_the_change_nor_its_log_entry(store):
    store.write(_incident_with_event)
    before = (_count(store, Event), _count(store, Change))

    def half_done(session):
        incident = repo.require_incident(session, "test-incident")
        repo.upsert_event(session, incident, "another", STRIKE, "ana")
        session.flush()
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        store.write(half_done)
    assert (_count(store, Event), _count(store, Change)) == before


def test_values_the_store_will_not_hold_are_refused_by_name(store):
    event_id = store.write(_incident_with_event)
    for changes, field in (({"fatalities_low": 12}, "fatalities_low"), ({"status": "maybe"}, "status"),
                           ({"date": "18 Jan"}, "date"), ({"injuries_low": -1}, "injuries_low"),
                           ({"colour": "red"}, "colour")):
        with pytest.raises(repo.InvalidValue, match=field):
            store.write(lambda s, changes=changes: repo.edit_event(s, event_id, changes, 1, "ana"))
    open_ended = store.write(lambda s: repo.edit_event(s, event_id, {"fatalities_low": 80, "fatalities_high": None,
                                                                       "fatalities_qualifier": "over"}, 1, "ana"))
    assert (open_ended.fatalities_low, open_ended.fatalities_high, open_ended.version) == (80, None, 2)


def test_status_changes_merge_and_split_are_logged(store):
    event_id = store.write(_incident_with_event)

    def twin(session):
        incident = repo.require_incident(session, "test-incident")
        report = session.scalars(select(Report)).one()
        event = repo.upsert_event(session, incident, "saravan-2", STRIKE, "bo")
        session.flush()
        repo.add_claim(session, incident, report, "fatalities", "seven", "seven of them children", "bo", event=event)
        return event.id

    other_id = store.write(twin)
    store.write(lambda s: repo.set_status(s, event_id, "accepted", "ana", expected_version=1))
    with pytest.raises(repo.StaleEdit):
        store.write(lambda s: repo.set_status(s, event_id, "rejected", "bo", expected_version=1))
    store.write(lambda s: repo.merge_events(s, event_id, [other_id], "ana"))
    with store.read() as session:
        assert session.get(Event, other_id).status == "rejected"
        assert session.get(Event, other_id).reason == "merged into saravan"
        claims = session.scalars(select(Claim).where(Claim.event_id == event_id).order_by(Claim.id)).all()
    assert [c.value for c in claims] == ["nine", "seven"]

    new = store.write(lambda s: repo.split_event(s, event_id, [claims[1].id], "saravan-children", "ana"))
    with store.read() as session:
        assert session.get(Claim, claims[1].id).event_id == new.id
        assert session.get(Event, new.id).status == "candidate"
        actions = [c.action for c in session.scalars(select(Change).where(Change.table_name == "events")
                                                     .order_by(Change.id))]
    assert actions == ["insert", "insert", "status", "merge", "merge", "insert", "split"]


def test_changes_since_the_last_briefing(store):
    event_id = store.write(_incident_with_event)
    briefing = store.write(lambda s: repo.mark_briefing(s, repo.require_incident(s, "test-incident"), "ana",
                                                        {"actors": ["Pakistan"]}, "brief.png"))
    store.write(lambda s: repo.edit_event(s, event_id, {"fatalities_high": 10}, 1, "bo"))
    with store.read() as session:
        incident = repo.require_incident(session, "test-incident")
        last = repo.last_briefing(session, incident)
        since = repo.list_changes_since(session, incident, last.given_at)
        everything = repo.list_changes_since(session, incident)
        later = repo.list_changes_since(session, incident, datetime.now(UTC) + timedelta(hours=1))
    assert last.id == briefing.id and last.export_file == "brief.png" and last.filter == {"actors": ["Pakistan"]}
    assert [(c.table_name, c.action, c.who) for c in since] == [("events", "update", "bo")]
    assert len(everything) > len(since) and later == []


def test_the_same_text_is_stored_once_per_incident(store):
    store.write(_incident_with_event)

    def again(session):
        incident = repo.require_incident(session, "test-incident")
        first = repo.add_report(session, incident, repo.NewReport(key="r1-copy", text=TEXT), "bo")
        other, _ = repo.ensure_incident(session, "other-incident", "bo")
        second = repo.add_report(session, other, repo.NewReport(key="r1", text=TEXT), "bo")
        third = repo.add_report(session, incident, repo.NewReport(key="r1", text=TEXT + " Updated."), "bo")
        return first, second.key, third.key

    assert store.write(again) == (None, "r1", f"r1_{repo.content_hash(TEXT + ' Updated.')[:8]}")


def test_a_mention_correction_keeps_the_geoparser_answer(store):
    def work(session):
        incident, _ = repo.ensure_incident(session, "m", "ana")
        report = repo.add_report(session, incident, repo.NewReport(key="r", text="Shelling hit Saravan."), "ana")
        session.flush()

        class Found:
            mention, start, end, place_id, name, kind = "Saravan", 13, 20, "la-1", "Saravan", "city"
            country_code, lat, lon, confidence = "LA", 15.7, 106.4, 0.4

        repo.add_mentions(session, report, [Found()], "ana")
        session.flush()
        return report.mentions[0].id

    mention_id = store.write(work)
    corrected = store.write(lambda s: repo.correct_mention(s, mention_id, {
        "place_id": "ir-1", "name": "Saravan", "kind": "city", "country_code": "IR", "lat": 27.37, "lon": 62.33},
        "ana"))
    assert corrected.country_code == "LA" and corrected.correction["country_code"] == "IR"
    assert corrected.corrected_by == "ana"
