"""Place-mention correction over a real SQLite store: the gazetteer's candidates, the analyst's choice or
"not a place" stored and logged with who and when, read back everywhere through one function."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from geo.maps.mention_map import CANDIDATE_CLASS, CONSIDERED_CLASS, CURRENT_CLASS, choice_key, mention_map
from geo.places.candidates import place_candidates
from geo.store import intake, repo
from geo.store.engine import Store
from geo.store.ingest import Upload
from geo.store.load import incident_mentions
from geo.store.mentions import applied_mention
from geo.store.models import Change, Mention, Report
from geo.store.models import Event as StoredEvent
from geo.views.mentions import PlaceChoice, mention_table, place_choices, report_mentions
from geo.views.review import place_in_report, report_html
from tests.ingest.conftest import REPORTS, add_uploads, report_bytes


def _report(store: Store) -> tuple[str, int]:
    slug = store.write(lambda s: intake.create_incident(s, "TH–KH", ("TH", "KH"), "ana").slug)
    add_uploads(store, slug, [Upload(REPORTS[0], report_bytes(REPORTS[0]))], "ana")
    with store.read() as session:
        return slug, session.scalars(select(Report.id)).one()


def _surin(store: Store, report_id: int):
    with store.read() as session:
        return next(r for r in report_mentions(session, report_id) if r.written == "Surin")


def test_candidates_are_every_place_of_the_name_own_names_first() -> None:
    found = place_candidates("Surin")
    assert {(r.kind, r.country_code) for r in found} >= {("town", "TH"), ("province", "TH"), ("town", "FR")}
    assert len({r.id for r in found}) == len(found)
    assert place_candidates("   ") == [] and place_candidates("Qwxzzy Vvqq") == []
    assert len(place_candidates("Springfield", limit=3)) == 3


def test_pick_another_candidate_logged_with_who_and_read_back_everywhere(store: Store) -> None:
    slug, report_id = _report(store)
    row = _surin(store, report_id)
    choices = place_choices(row)
    assert choices[0] == row.place and len(choices) >= 3  # the current place first, then the others
    province = next(c for c in choices[1:] if c.country_code == "TH")  # the Thai Surin the parser did not pick
    assert province != row.place and province.kind in ("town", "province")
    with store.read() as session:
        stamp = intake.incident_stamp(session, slug)
    store.write(lambda s: repo.correct_mention(s, row.id, province.as_place(), "ben"))

    after = _surin(store, report_id)
    assert after.place == province and after.corrected_by == "ben" and after.confidence == 1.0
    assert mention_table([after])["Corrected by"] == ["ben"]
    with store.read() as session:
        change = session.scalars(select(Change).where(Change.table_name == "mentions")).one()
        mention = session.get(Mention, row.id)
        assert mention is not None and mention.corrected_at is not None
        assert (change.who, change.action) == ("ben", "update") and change.at is not None
        assert change.before["correction"] is None and change.after["correction"]["place_id"] == province.place_id
        assert (mention.lat, mention.lon) != (province.lat, province.lon)  # the geoparser's answer is kept
        assert intake.incident_stamp(session, slug) > stamp  # every page reloads the incident on its next run
        assert place_in_report(session, report_id, "Surin")["lat"] == province.lat
        assert f'title="Surin ({province.kind}, TH)"' in report_html(session, report_id)


def test_not_a_place_and_search_for_another_name(store: Store) -> None:
    _, report_id = _report(store)
    row = _surin(store, report_id)
    with store.read() as session:
        marked = report_html(session, report_id).count('<mark class="place"')
    searched = place_choices(row, "Bangkok")
    assert searched[0] == row.place and any(c.name == "Bangkok" and c.country_code == "TH" for c in searched)
    store.write(lambda s: repo.correct_mention(s, row.id, None, "cleo"))
    gone = next(r for r in report_mentions_of(store, report_id) if r.id == row.id)
    assert gone.place is None and gone.not_a_place and gone.corrected_by == "cleo"
    assert place_choices(gone)[0].place_id != ""  # candidates still offered to undo it
    with store.read() as session:
        mention = session.get(Mention, row.id)
        assert mention is not None and applied_mention(mention) is None
        assert report_html(session, report_id).count('<mark class="place"') == marked - 1
        report = session.get(Report, report_id)
        assert report is not None
        loaded = incident_mentions(session, report.incident, [report.key])[report.key]  # the one loader's
        assert row.start not in {m.start for m in loaded} and len(loaded) == marked - 1
    with pytest.raises(repo.InvalidValue, match="coordinates"):
        store.write(lambda s: repo.correct_mention(s, row.id, {"name": "Nowhere", "lat": None, "lon": 1.0}, "x"))


def report_mentions_of(store: Store, report_id: int):
    with store.read() as session:
        return report_mentions(session, report_id)


def test_small_map_highlights_the_current_choice_and_escapes_names() -> None:
    hostile = PlaceChoice("x:1", "<script>alert(1)</script>{{ 7*7 }}", "town", "TH", 14.9, 103.5)
    current = PlaceChoice("gn:1", "Surin", "town", "TH", 14.88, 103.49)
    other = PlaceChoice("ne1:2", "Surin", "province", "TH", 14.85, 103.75)
    html = mention_map([current, other, hostile], choice_key(current), choice_key(other)).get_root().render()
    assert html.count(f'"className": "{CURRENT_CLASS}"') == 1 and f'"className": "{CONSIDERED_CLASS}"' in html
    assert f'"className": "{CANDIDATE_CLASS}"' in html
    assert "<script>alert(1)" not in html
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html and "{{ 7*7 }}" in html  # escaped, then JSON
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def _row(store: Store, report_id: int, written: str):
    return next(r for r in report_mentions_of(store, report_id) if r.written == written)


def _event_place(store: Store, key_start: str) -> tuple:
    with store.read() as session:
        event = session.scalars(select(StoredEvent).where(StoredEvent.key.startswith(key_start))).one()
        return event.place, event.lat, event.lon, event.geo_precision


def test_an_extracted_candidate_follows_the_mention_it_was_placed_by(store: Store) -> None:
    _, report_id = _report(store)
    place, lat, lon, _ = _event_place(store, "shelling-kantharalak")
    row = _row(store, report_id, "Kantharalak")
    assert row.place is not None and (row.place.lat, row.place.lon) == (lat, lon) and place == row.place.name
    other = next(c for c in place_choices(row)[1:] if (c.lat, c.lon) != (lat, lon))
    moved = store.write(lambda s: intake.correct_mention(s, row.id, other.as_place(), "ben"))
    assert [(m.before, m.after) for m in moved.moved] == [("Kantharalak", other.name)]
    assert moved.moved[0].event_key.startswith("shelling-kantharalak")
    # "in Kantharalak district": the extractor's precision for these words, whatever kind the place is
    assert _event_place(store, "shelling-kantharalak") == (other.name, other.lat, other.lon, "district")

    surin = _row(store, report_id, "Surin")  # inside the same quote, but the event is not placed by it
    assert store.write(lambda s: intake.correct_mention(s, surin.id, None, "ben")).moved == ()

    penh = _row(store, report_id, "Phnom Penh")
    gone = store.write(lambda s: intake.correct_mention(s, penh.id, None, "cleo"))
    assert [(m.event_key.split("-")[0], m.unplaced) for m in gone.moved] == [("diplomatic", True)]
    assert _event_place(store, "diplomatic") == ("", None, None, "")


def test_the_notice_names_moved_unplaced_and_kept_events() -> None:
    from geo.store.replace import KeptPlace, Moved, Replacing
    from geo.views.mentions import replacing_notice

    notice = replacing_notice(Replacing((Moved("a", "Surin", "Surin Province"), Moved("b", "Surin", "")),
                                        (KeptPlace("c", "Surin", "place set by ben; never overwritten"),)))
    assert notice.moved == ("a: Surin → Surin Province",)
    assert len(notice.unplaced) == 1 and notice.unplaced[0].startswith("b: Surin → no place (no coordinates")
    assert notice.kept == ("c keeps Surin: place set by ben; never overwritten",)
