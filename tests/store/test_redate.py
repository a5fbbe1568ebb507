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


def _events_with(store: Store, reports: dict[str, tuple[str, date | None]],
                 events: dict[str, tuple[str, str, str, list[tuple[str, str, str]]]]) -> dict[str, int]:
    """reports: key -> (text, published); events: key -> (status, date, precision, [(report, field, quote)])."""
    def work(session) -> dict[str, int]:
        incident, _ = repo.ensure_incident(session, "th-kh", "ana", "TH-KH", ("TH", "KH"))
        stored = {key: repo.add_report(session, incident, repo.NewReport(key, text, published=day), "ana")
                  for key, (text, day) in reports.items()}
        session.flush()
        ids = {key: report.id for key, report in stored.items() if report is not None}
        for key, (status, day, precision, claims) in events.items():
            event = repo.upsert_event(session, incident, key, {"status": status, "date": day,
                                                               "date_precision": precision}, "extractor")
            session.flush()
            for report_key, field, quote in claims:
                report = stored[report_key]
                assert report is not None
                repo.add_claim(session, incident, report, field, quote, quote, "extractor", event=event)
            ids[key] = event.id
        return ids

    return store.write(work)


UNDATED = "Troops fired shells at a temple. Rockets hit a market."
LATER = "Rockets hit a market near the border."


def test_an_event_dated_by_its_first_reports_publication_month_follows_that_date(store: Store) -> None:
    ids = _events_with(store, {"first": (UNDATED, date(2025, 7, 24)), "later": (LATER, date(2025, 8, 20)),
                               "loose": ("No date.", None)}, {
        "temple-fallback": ("candidate", "2025-07", "month", [("first", "type", "Troops fired shells at a temple.")]),
        "market-two-reports": ("accepted", "2025-07", "month", [("first", "type", "Rockets hit a market."),
                                                                ("later", "type", LATER)]),
        "temple-edited": ("accepted", "2025-07", "month", [("first", "type", "Troops fired shells at a temple.")]),
        "temple-unknown": ("candidate", "", "unknown", [("loose", "type", "No date.")]),
        "temple-analyst-undated": ("candidate", "", "", [("loose", "type", "No date.")]),
    })
    event_id = ids["temple-edited"]
    store.write(lambda s: repo.edit_event(s, event_id, {"date": "2025-06"}, 1, "ben"))
    store.write(lambda s: repo.edit_event(s, event_id, {"date": "2025-07"}, 2, "ben"))  # back, by hand

    result = store.write(lambda s: intake.update_report(s, ids["first"], {"published": date(2025, 9, 2)}, "cleo"))
    assert {(r.event_key, r.before, r.after) for r in result.redated} == {
        ("temple-fallback", "2025-07", "2025-09"),
        ("market-two-reports", "2025-07", "2025-08"),  # the first report is now the later one, published in August
    }
    assert all(r.phrase == "publication month of its first report" for r in result.redated)
    assert {k.event_key for k in result.kept} == {"temple-edited"}

    loose = store.write(lambda s: intake.update_report(s, ids["loose"], {"published": date(2025, 7, 30)}, "cleo"))
    assert {(r.event_key, r.before, r.after) for r in loose.redated} == {("temple-unknown", "undated", "2025-07")}
    dates = _dates(store)
    assert dates["temple-analyst-undated"] == ("", "", "")  # an analyst left it undated: not the extractor's
    assert dates["temple-fallback"] == ("2025-09", "", "month")
    with store.read() as session:
        month = session.scalars(select(Event).where(Event.key == "temple-unknown")).one()
        assert (month.day_first, month.day_last) == (date(2025, 7, 1), date(2025, 7, 31))


def test_a_publication_date_removed_then_set_again_re_dates_from_the_last_one_known(store: Store) -> None:
    ids = _setup(store)
    assert store.write(lambda s: intake.update_report(s, ids["first"], {"published": None}, "cleo")).redated == ()
    result = store.write(lambda s: intake.update_report(s, ids["first"], {"published": CORRECTED}, "dan"))
    assert {(r.event_key, r.before, r.after) for r in result.redated} == {
        ("strike-tuesday", "2025-07-22", "2025-07-29"),
        ("rockets-yesterday", "2025-07-23", "2025-07-31"),
        ("shelling-month", "2025-07", "2025-08"),
    }
    assert {k.event_key for k in result.kept} == {"convoy-edited", "temple-two-reports"}


def test_week_phrases_are_re_dated_as_ranges(store: Store) -> None:
    text = "Shelling hit the village last week. Drones struck over the weekend."
    ids = _events_with(store, {"first": (text, date(2025, 7, 24))}, {
        "shelling-last-week": ("candidate", "2025-07-14", "range", [("first", "date", "last week")]),
        "drones-weekend": ("accepted", "2025-07-19", "range", [("first", "date", "over the weekend")]),
    })
    store.write(lambda s: _set_ends(s, {ids["shelling-last-week"]: "2025-07-20", ids["drones-weekend"]: "2025-07-20"}))
    result = store.write(lambda s: intake.update_report(s, ids["first"], {"published": date(2025, 1, 1)}, "cleo"))
    assert {(r.event_key, r.after) for r in result.redated} == {
        ("shelling-last-week", "2024-12-23..2024-12-29"), ("drones-weekend", "2024-12-28..2024-12-29")}
    assert _dates(store) == {"shelling-last-week": ("2024-12-23", "2024-12-29", "range"),
                             "drones-weekend": ("2024-12-28", "2024-12-29", "range")}


def _set_ends(session, ends: dict[int, str]) -> None:
    for event_id, end in ends.items():
        event = session.get(Event, event_id)
        repo.set_event_dates(session, event_id, {"date": event.date, "date_end": end, "date_precision": "range"},
                             "extractor", "stored as the extractor would")
