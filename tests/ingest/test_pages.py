"""AppTest for the add-reports, review and since-the-last-briefing pages on a temp SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import intake
from geo.store.engine import URL_ENV, open_store
from geo.store.ingest import Upload
from geo.store.migrate import upgrade
from geo.views.sources import markdown_text
from tests.conftest import ROOT
from tests.ingest.conftest import REPORTS, add_uploads, report_bytes

APP = str(ROOT / "app.py")


@pytest.fixture
def slug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv(URL_ENV, url)
    store = open_store(url)
    upgrade(store)
    name = store.write(lambda s: intake.create_incident(s, "Border <b>clash</b> {{ 7*7 }}", ("TH", "KH"), "t").slug)
    add_uploads(store, name, [Upload(REPORTS[0], report_bytes(REPORTS[0]))], "t")
    store.dispose()
    return name


def _page(path: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()  # switch_page takes effect only once the app has run (before, every case saw the map page)
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("path", ["ui/ingest.py", "ui/review.py", "ui/changes.py", "ui/map.py"])
def test_pages_show_the_incident_title_literally(slug: str, path: str) -> None:
    at = _page(path, incident=slug)
    shown = " ".join(c.value for c in at.caption) + " ".join(t.value for t in at.title)
    assert markdown_text("Border <b>clash</b> {{ 7*7 }}") in shown
    assert at.sidebar.selectbox[0].value == slug


def test_without_an_incident_the_pages_say_how_to_get_one(slug: str) -> None:
    at = _page("ui/review.py")
    assert any("Pick an incident" in i.value for i in at.info)
    assert at.sidebar.selectbox[0].value == ""


def test_an_unknown_incident_in_the_link_is_named(slug: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["incident"] = "no-such-incident"
    at.run()  # the sidebar is the same on every page
    assert any("no-such-incident" in w.value for w in at.sidebar.warning)


def test_review_lists_the_reports_and_the_propose_form(slug: str) -> None:
    at = _page("ui/review.py", incident=slug)
    assert any("Propose an event" in e.label for e in at.expander)
    assert at.radio[0].options == ["Candidates", "Accepted", "Rejected"]


def test_a_corrected_publication_date_redates_the_events_and_says_so(slug: str, tmp_path: Path) -> None:
    from datetime import date

    from sqlalchemy import select

    from geo.store.models import Event

    at = _page("ui/ingest.py", incident=slug)
    assert any("never overwritten" in c.value for c in at.caption)
    published = next(d for d in at.date_input if d.label == "Published")
    assert published.value == date(2025, 7, 24)
    published.set_value(date(2025, 7, 31))
    next(b for b in at.button if b.label == "Save").click()
    at.run()
    assert not at.exception, at.exception
    notice = " ".join(s.value for s in at.success)
    assert "2025-07-24 → 2025-07-31" in notice and "early Thursday" in notice
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with store.read() as session:
        dates = {e.date for e in session.scalars(select(Event))}
    store.dispose()
    assert "2025-07-31" in dates and "2025-07-24" not in dates


def test_review_corrects_a_place_mention_with_a_click_and_a_confirmation(slug: str, tmp_path: Path) -> None:
    from sqlalchemy import select

    from geo.store.models import Change, Mention

    at = _page("ui/review.py", incident=slug)
    assert any(h.value == "Place mentions" for h in at.subheader)
    pick = next(s for s in at.selectbox if s.label == "Mention to correct")
    surin = next(o for o in pick.options if o.startswith("“Surin”"))
    pick.select(int(next(i for i in _mention_ids(tmp_path) if pick.format_func(i) == surin)))
    at.run()
    places = next(r for r in at.radio if r.label == "Places of that name")
    keys = {places.format_func(k): k for k in _choice_keys(tmp_path, pick.value)}
    assert set(keys) == set(places.options) and places.index == 0  # the current place, ticked, first
    places.set_value(next(k for label, k in keys.items() if "TH" in label and not label.startswith("✓")))
    at.run()
    next(b for b in at.button if b.label == "Use this place").click()
    at.run()
    assert not any(s.value.startswith("“Surin” now") for s in at.success)  # nothing stored before confirming
    next(b for b in at.button if b.label == "Confirm the place").click()
    at.run()
    assert not at.exception, at.exception
    assert any("“Surin” now points at" in s.value for s in at.success)
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with store.read() as session:
        [corrected] = session.scalars(select(Mention).where(Mention.correction.is_not(None))).all()  # SQL NULL
        logged = session.scalars(select(Change).where(Change.table_name == "mentions")).one()
    store.dispose()
    assert corrected.mention == "Surin" and corrected.corrected_by == "unnamed analyst" and logged.action == "update"


def _choice_keys(tmp_path: Path, mention_id: int) -> list[str]:
    from geo.maps.mention_map import choice_key
    from geo.store.models import Mention
    from geo.views.mentions import place_choices, report_mentions

    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with store.read() as session:
        mention = session.get(Mention, mention_id)
        assert mention is not None
        row = next(r for r in report_mentions(session, mention.report_id) if r.id == mention_id)
    store.dispose()
    return [choice_key(c) for c in place_choices(row)]


def _mention_ids(tmp_path: Path) -> list[int]:
    from sqlalchemy import select

    from geo.store.models import Mention

    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with store.read() as session:
        ids = list(session.scalars(select(Mention.id)))
    store.dispose()
    return ids


def _pick_mention(at: AppTest, tmp_path: Path, written: str) -> None:
    pick = next(s for s in at.selectbox if s.label == "Mention to correct")
    label = next(o for o in pick.options if o.startswith(f"“{written}”"))
    pick.select(int(next(i for i in _mention_ids(tmp_path) if pick.format_func(i) == label)))
    at.run()


def test_a_mention_correction_says_which_events_moved(slug: str, tmp_path: Path) -> None:
    at = _page("ui/review.py", incident=slug)
    _pick_mention(at, tmp_path, "Kantharalak")
    pick = next(s for s in at.selectbox if s.label == "Mention to correct")
    places = next(r for r in at.radio if r.label == "Places of that name")
    places.set_value(next(k for k in _choice_keys(tmp_path, pick.value) if "district" in places.format_func(k)))
    at.run()
    next(b for b in at.button if b.label == "Use this place").click()
    at.run()
    next(b for b in at.button if b.label == "Confirm the place").click()
    at.run()
    assert not at.exception, at.exception
    moved = [s.value for s in at.success if s.value.startswith("Events placed again")]
    assert len(moved) == 1 and "shelling-kantharalak" in moved[0] and "Kantharalak → Amphoe Kantharalak" in moved[0]


def test_not_a_place_says_which_events_lost_their_place(slug: str, tmp_path: Path) -> None:
    at = _page("ui/review.py", incident=slug)
    _pick_mention(at, tmp_path, "Phnom Penh")
    next(b for b in at.button if b.label == "Not a place").click()
    at.run()
    next(b for b in at.button if b.label == "Confirm the place").click()
    at.run()
    assert not at.exception, at.exception
    [warning] = [w.value for w in at.warning if w.value.startswith("Events left without a place")]
    assert "diplomatic" in warning and "Phnom Penh → no place" in warning
