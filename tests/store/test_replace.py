"""A place mention corrected: the candidate and accepted events it placed follow it in the same transaction,
logged; an analyst's place, a place another mention gives, and another mention's events are kept; "not a
place" leaves the event without coordinates (SQLite and PostgreSQL + PostGIS)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from geo.places.toponyms import PlaceMention
from geo.store import intake, repo
from geo.store.engine import Store
from geo.store.models import Change, Event, Mention

FIRST = ("Thai jets struck Cambodian positions near Surin on Tuesday. "
         "Rockets hit a market in Surin on Wednesday.")
SECOND = "Shelling was reported near Surin."
TOWN = {"name": "Surin", "kind": "town", "country_code": "TH", "lat": 14.8818, "lon": 103.4936, "place_id": "gn:1"}
PROVINCE = {"place_id": "gn:2", "name": "Surin Province", "kind": "province", "country_code": "TH", "lat": 14.75,
            "lon": 103.9}
STRIKE = "struck Cambodian positions near Surin"
MARKET = "Rockets hit a market in Surin"


def _mention(text_: str, words: str, occurrence: int = 0) -> PlaceMention:
    start = -1
    for _ in range(occurrence + 1):
        start = text_.index(words, start + 1)
    return PlaceMention(mention=words, start=start, end=start + len(words), confidence=0.8, **TOWN)


#: event key -> (status, [(report, place claim quote, its value)]); every one placed at the town as extracted
EVENTS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "strike-surin": ("candidate", [("first", STRIKE, "Surin")]),
    "strike-accepted": ("accepted", [("first", STRIKE, "Surin")]),
    "strike-edited": ("accepted", [("first", STRIKE, "Surin")]),
    "strike-two-reports": ("accepted", [("first", STRIKE, "Surin"), ("second", "Shelling was reported near Surin",
                                                                     "Surin")]),
    "strike-rejected": ("rejected", [("first", STRIKE, "Surin")]),
    "market-other-mention": ("accepted", [("first", MARKET, "Surin")]),
    "proposed-by-analyst": ("candidate", [("first", FIRST.split(". ")[0] + ".", "surin")]),
}


def _setup(store: Store) -> dict[str, int]:
    def work(session: Any) -> dict[str, int]:
        incident, _ = repo.ensure_incident(session, "th-kh", "ana", "TH-KH", ("TH", "KH"))
        reports = {key: repo.add_report(session, incident, repo.NewReport(key, body), "ana")
                   for key, body in (("first", FIRST), ("second", SECOND))}
        session.flush()
        first, second = reports["first"], reports["second"]
        assert first is not None and second is not None
        repo.add_mentions(session, first, [_mention(FIRST, "Surin"), _mention(FIRST, "Surin", 1)], "geoparser")
        repo.add_mentions(session, second, [_mention(SECOND, "Surin")], "geoparser")
        session.flush()
        ids = {"mention": session.scalars(select(Mention.id).where(Mention.report_id == first.id)
                                          .order_by(Mention.start)).first()}
        for key, (status, claims) in EVENTS.items():
            place = "surin" if key == "proposed-by-analyst" else "Surin"
            event = repo.upsert_event(session, incident, key, {
                "status": status, "place": place, "lat": TOWN["lat"], "lon": TOWN["lon"],
                "geo_precision": "near town", "event_type": "air/missile strike", "actor": "Thailand",
                "summary": f"air/missile strike by Thailand in {place}"}, "extractor")
            session.flush()
            for report_key, quote, value in claims:
                report = reports[report_key]
                assert report is not None
                repo.add_claim(session, incident, report, "place", value, quote, "extractor", event=event)
            ids[key] = event.id
        return ids

    ids = store.write(work)
    edited = ids["strike-edited"]
    store.write(lambda s: repo.edit_event(s, edited, {"lat": 14.9}, 1, "ben"))
    store.write(lambda s: repo.edit_event(s, edited, {"lat": TOWN["lat"]}, 2, "ben"))  # back, by hand: his now
    return ids


def _places(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.read() as session:
        return {e.key: (e.place, e.lat, e.lon, e.geo_precision) for e in session.scalars(select(Event))}


AT_TOWN = ("Surin", TOWN["lat"], TOWN["lon"], "near town")


def test_events_placed_by_a_corrected_mention_follow_it(store: Store) -> None:
    ids = _setup(store)
    result = store.write(lambda s: intake.correct_mention(s, ids["mention"], PROVINCE, "cleo"))
    assert {(m.event_key, m.before, m.after) for m in result.moved} == {
        ("strike-surin", "Surin", "Surin Province"), ("strike-accepted", "Surin", "Surin Province"),
        ("proposed-by-analyst", "surin", "Surin Province")}
    kept = {k.event_key: k.why for k in result.kept}
    assert kept.keys() == {"strike-edited", "strike-two-reports"}
    assert "set by ben" in kept["strike-edited"] and "never overwritten" in kept["strike-edited"]
    assert "report second" in kept["strike-two-reports"]
    moved = ("Surin Province", PROVINCE["lat"], PROVINCE["lon"], "province")  # "near Surin" but a province now
    assert _places(store) == {"strike-surin": moved, "strike-accepted": moved, "proposed-by-analyst": moved,
                              "strike-edited": AT_TOWN, "strike-two-reports": AT_TOWN, "strike-rejected": AT_TOWN,
                              "market-other-mention": AT_TOWN}
    with store.read() as session:
        event = session.get(Event, ids["strike-surin"])
        assert event is not None and event.version == 2 and event.summary == "air/missile strike by Thailand in " \
                                                                               "Surin Province"
        assert event.uncertainty_wkt.startswith("POLYGON") or event.uncertainty_wkt.startswith("MULTIPOLYGON")
        logged = session.scalars(select(Change).where(Change.action == "replace").order_by(Change.id)).all()
        assert len(logged) == 3 and all(c.who == "cleo" and c.at is not None for c in logged)
        assert {(c.before["lat"], c.after["lat"]) for c in logged} == {(TOWN["lat"], PROVINCE["lat"])}
        assert all("“Surin” at character" in c.after["why"] and c.after["mention_id"] == ids["mention"]
                   for c in logged)


def test_not_a_place_leaves_the_event_without_coordinates_and_undoing_it_places_it_again(store: Store) -> None:
    ids = _setup(store)
    result = store.write(lambda s: intake.correct_mention(s, ids["mention"], None, "cleo"))
    assert {(m.event_key, m.after) for m in result.moved} == {
        ("strike-surin", ""), ("strike-accepted", ""), ("proposed-by-analyst", "")}
    assert all(m.unplaced for m in result.moved)
    places = _places(store)
    assert places["strike-surin"] == ("", None, None, "") and places["market-other-mention"] == AT_TOWN
    with store.read() as session:
        event = session.get(Event, ids["strike-surin"])
        assert event is not None and event.uncertainty_wkt == ""
        assert event.summary == "air/missile strike by Thailand"

    back = store.write(lambda s: intake.correct_mention(s, ids["mention"], TOWN, "dan"))
    assert {m.event_key for m in back.moved} == {"strike-surin", "strike-accepted", "proposed-by-analyst"}
    assert _places(store)["strike-surin"] == ("Surin", TOWN["lat"], TOWN["lon"], "near town")


def test_a_second_correction_moves_the_events_the_first_one_placed(store: Store) -> None:
    ids = _setup(store)
    store.write(lambda s: intake.correct_mention(s, ids["mention"], PROVINCE, "cleo"))
    again = store.write(lambda s: intake.correct_mention(s, ids["mention"], TOWN, "dan"))
    assert {m.event_key for m in again.moved} == {"strike-surin", "strike-accepted", "proposed-by-analyst"}
    assert _places(store)["strike-accepted"] == ("Surin", TOWN["lat"], TOWN["lon"], "near town")


def test_re_placing_is_part_of_the_correction_transaction(store: Store) -> None:
    ids = _setup(store)
    before = _places(store)

    def fails_after(session: Any) -> None:
        intake.correct_mention(session, ids["mention"], PROVINCE, "cleo")
        raise RuntimeError("the rest of the change failed")

    with pytest.raises(RuntimeError):
        store.write(fails_after)
    assert _places(store) == before
    with store.read() as session:
        mention = session.get(Mention, ids["mention"])
        assert mention is not None and mention.correction is None
        assert session.scalars(select(Change).where(Change.action == "replace")).all() == []


def test_the_uncertainty_geometry_follows_on_postgis(store: Store) -> None:
    if not store.is_postgresql:
        pytest.skip("geometry columns exist on PostgreSQL only")
    ids = _setup(store)
    store.write(lambda s: intake.correct_mention(s, ids["mention"], PROVINCE, "cleo"))
    with store.engine.connect() as connection:
        row = connection.execute(text(
            "SELECT ST_X(location), ST_Y(location), ST_Contains(uncertainty_area, location),"
            " ST_Contains(uncertainty_area, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) FROM events WHERE id = :id"),
            {"id": ids["strike-surin"], "lon": PROVINCE["lon"], "lat": PROVINCE["lat"]}).one()
        unplaced = connection.execute(text("SELECT location IS NULL, uncertainty_area IS NULL FROM events"
                                           " WHERE id = :id"), {"id": ids["market-other-mention"]}).one()
    assert row[:2] == pytest.approx((PROVINCE["lon"], PROVINCE["lat"])) and row[2] and row[3]
    assert unplaced == (False, True)  # untouched: its point stays, it never had an area
    store.write(lambda s: intake.correct_mention(s, ids["mention"], None, "cleo"))
    with store.engine.connect() as connection:
        gone = connection.execute(text("SELECT location IS NULL, uncertainty_area IS NULL FROM events"
                                       " WHERE id = :id"), {"id": ids["strike-surin"]}).one()
    assert gone == (True, True)
