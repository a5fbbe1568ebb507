"""A report's publication date corrected: the events its relative date phrases dated are dated again, in the
same transaction, logged; an analyst's date and a date another report gives are kept (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from geo.store import intake, repo
from geo.store.engine import Store
from geo.store.models import Change, Event, Report

FIRST = ("Thai jets struck two Cambodian positions on Tuesday. Cambodian rockets hit a market yesterday. "
         "The clashes began on 24 July 2025. Shelling had been heard earlier this month. "
         "A convoy was hit yesterday near the pass. Troops fired shells yesterday at a temple.")
SECOND = "Troops fired shells on Wednesday at a temple near the border."
PUBLISHED = date(2025, 7, 24)  # a Thursday
CORRECTED = date(2025, 8, 1)  # a Friday, in the next month

#: event key -> (status, date, precision, [(report, quote)])
EVENTS = {
    "strike-tuesday": ("candidate", "2025-07-22", "day", [("first", "on Tuesday")]),
    "rockets-yesterday": ("accepted", "2025-07-23", "day", [("first", "yesterday")]),
    "clashes-began": ("accepted", "2025-07-24", "day", [("first", "on 24 July 2025")]),
    "shelling-month": ("candidate", "2025-07", "month", [("first", "earlier this month")]),
    "convoy-edited": ("accepted", "2025-07-23", "day", [("first", "yesterday")]),
    "temple-two-reports": ("accepted", "2025-07-23", "day", [("first", "yesterday"), ("second", "on Wednesday")]),
    "rejected-yesterday": ("rejected", "2025-07-23", "day", [("first", "yesterday")]),
}


def _setup(store: Store) -> dict[str, int]:
    def work(session) -> dict[str, int]:
        incident, _ = repo.ensure_incident(session, "th-kh", "ana", "TH-KH", ("TH", "KH"))
        reports = {key: repo.add_report(session, incident, repo.NewReport(key, text, published=PUBLISHED,
                                                                          date_method="dateline"), "ana")
                   for key, text in (("first", FIRST), ("second", SECOND))}
        session.flush()
        ids = {}
        for key, (status, day, precision, claims) in EVENTS.items():
            event = repo.upsert_event(session, incident, key, {"status": status, "date": day,
                                                               "date_precision": precision}, "extractor")
            session.flush()
            for report_key, quote in claims:
                report = reports[report_key]
                assert report is not None
                repo.add_claim(session, incident, report, "date", quote, quote, "extractor", event=event)
            ids[key] = event.id
        ids["first"] = reports["first"].id
        return ids

    ids = store.write(work)
    event_id = ids["convoy-edited"]
    store.write(lambda s: repo.edit_event(s, event_id, {"date": "2025-07-23", "date_precision": "day",
                                                        "summary": "x"}, 1, "ben"))  # date unchanged: not set
    store.write(lambda s: repo.edit_event(s, event_id, {"date": "2025-07-21"}, 2, "ben"))
    store.write(lambda s: repo.edit_event(s, event_id, {"date": "2025-07-23"}, 3, "ben"))  # back, by hand
    return ids


def _dates(store: Store) -> dict[str, tuple[str, str, str]]:
    with store.read() as session:
        return {e.key: (e.date, e.date_end, e.date_precision) for e in session.scalars(select(Event))}


def test_relative_dates_follow_a_corrected_publication_date(store: Store) -> None:
    ids = _setup(store)
    result = store.write(lambda s: intake.update_report(s, ids["first"], {"published": CORRECTED}, "cleo"))
    assert {(r.event_key, r.phrase, r.before, r.after) for r in result.redated} == {
        ("strike-tuesday", "on Tuesday", "2025-07-22", "2025-07-29"),
        ("rockets-yesterday", "yesterday", "2025-07-23", "2025-07-31"),
        ("shelling-month", "earlier this month", "2025-07", "2025-08"),
    }
    kept = {k.event_key: k.why for k in result.kept}
    assert kept.keys() == {"convoy-edited", "temple-two-reports"}
    assert "set by ben" in kept["convoy-edited"] and "never overwritten" in kept["convoy-edited"]
    assert "second gives the same date" in kept["temple-two-reports"]
    assert _dates(store) == {
        "strike-tuesday": ("2025-07-29", "", "day"), "rockets-yesterday": ("2025-07-31", "", "day"),
        "clashes-began": ("2025-07-24", "", "day"), "shelling-month": ("2025-08", "", "month"),
        "convoy-edited": ("2025-07-23", "", "day"), "temple-two-reports": ("2025-07-23", "", "day"),
        "rejected-yesterday": ("2025-07-23", "", "day"),
    }
    with store.read() as session:
        logged = session.scalars(select(Change).where(Change.action == "redate").order_by(Change.id)).all()
        versions = {e.key: e.version for e in session.scalars(select(Event))}
        month = session.scalars(select(Event).where(Event.key == "shelling-month")).one()
        assert (month.day_first, month.day_last) == (date(2025, 8, 1), date(2025, 8, 31))
    assert len(logged) == 3 and all(c.who == "cleo" for c in logged)
    assert {(c.before["date"], c.after["date"]) for c in logged} >= {("2025-07-23", "2025-07-31")}
    assert all("now published 2025-08-01" in c.after["why"] for c in logged)
    assert versions["rockets-yesterday"] == 2 and versions["clashes-began"] == 1  # an analyst's open edit is stale


def test_redating_is_part_of_the_correction_transaction(store: Store) -> None:
    ids = _setup(store)
    before = _dates(store)

    def fails_after(session) -> None:
        intake.update_report(session, ids["first"], {"published": CORRECTED}, "cleo")
        raise RuntimeError("the rest of the change failed")

    with pytest.raises(RuntimeError):
        store.write(fails_after)
    assert _dates(store) == before
    with store.read() as session:
        report = session.get(Report, ids["first"])
        assert report is not None and report.published == PUBLISHED
        assert session.scalars(select(Change).where(Change.action == "redate")).all() == []


def test_no_publication_date_or_the_same_date_changes_nothing(store: Store) -> None:
    ids = _setup(store)
    before = _dates(store)
    assert store.write(lambda s: intake.update_report(s, ids["first"], {"published": PUBLISHED}, "cleo")).redated == ()
    assert store.write(lambda s: intake.update_report(s, ids["first"], {"published": None}, "cleo")).redated == ()
    assert _dates(store) == before  # with no publication date, "yesterday" means nothing: dates are left as they were
    result = store.write(lambda s: intake.update_report(s, ids["first"], {"published": CORRECTED}, "cleo"))
    assert result.redated == ()  # no old date to tell which dates came from the phrases: left for the analyst
