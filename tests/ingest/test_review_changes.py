"""Review and since-the-last-briefing views over a real SQLite store; the incident as a Dataset."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from geo.dataset import DataSource, load_dataset
from geo.paths import DATA_DIR
from geo.store import intake, repo
from geo.store.engine import Store
from geo.store.ingest import Upload
from geo.store.models import Report
from geo.views.changes import since_last_briefing
from geo.views.review import changed_fields, event_views, parse_edit, place_in_report, report_html
from tests.ingest.conftest import REPORTS, add_uploads, report_bytes

QUOTE = "a rocket hit a petrol station in Kantharalak district"


def _loaded(store: Store, names: tuple[str, ...] = REPORTS[:2]) -> tuple[str, dict[str, int]]:
    slug = store.write(lambda s: intake.create_incident(s, "TH–KH", ("TH", "KH"), "ana").slug)
    add_uploads(store, slug, [Upload(n, report_bytes(n)) for n in names], "ana")
    with store.read() as session:
        return slug, {r.key: r.id for r in session.scalars(select(Report))}


def _propose(store: Store, slug: str, report_id: int, place: str, killed: int, quote: str = QUOTE) -> int:
    def work(session: repo.Session) -> int:
        incident = repo.require_incident(session, slug)
        located = place_in_report(session, report_id, place)
        event = repo.upsert_event(session, incident, f"strike-{place.lower()}", {
            "event_type": "rocket strike", "date": "2025-07-24", "date_precision": "day", "place": place,
            "fatalities_low": killed} | located, "ana")
        session.flush()
        intake.add_event_claim(session, event.id, report_id, "fatalities", str(killed), quote, "ana")
        return event.id

    return store.write(work)


def test_parse_edit_and_only_changed_fields() -> None:
    assert parse_edit({"fatalities_low": " 14 ", "lat": "", "place": " Surin "}) == {
        "fatalities_low": 14, "lat": None, "place": "Surin"}
    with pytest.raises(ValueError, match="Killed \\(low\\): 'about 5'"):
        parse_edit({"fatalities_low": "about 5"})


def test_place_taken_from_the_reports_own_mention(store: Store) -> None:
    _slug, ids = _loaded(store)
    with store.read() as session:
        found = place_in_report(session, ids["thai-cambodia-1"], "kantharalak")
        assert found and 14 < found["lat"] < 15.5 and 104 < found["lon"] < 105
        assert place_in_report(session, ids["thai-cambodia-1"], "Atlantis") == {}


def test_review_views_claims_quotes_and_accept_with_version(store: Store) -> None:
    slug, ids = _loaded(store)
    event_id = _propose(store, slug, ids["thai-cambodia-1"], "Kantharalak", 12)
    with store.read() as session:
        view = next(v for v in event_views(session, slug) if v.key == "strike-kantharalak")
        html = report_html(session, ids["thai-cambodia-1"], view.claims)
    assert view.claims[0].quote == QUOTE and view.values["fatalities_low"] == 12
    assert 'class="quote"' in html and 'title="fatalities = 12"' in html
    assert changed_fields(view, {"fatalities_low": 12, "summary": "", "place": "Surin"}) == {"place": "Surin"}
    store.write(lambda s: repo.set_status(s, event_id, "accepted", "ana", expected_version=view.version))
    with pytest.raises(repo.StaleEdit, match="changed by ana since you opened it"):
        store.write(lambda s: repo.edit_event(s, event_id, {"fatalities_low": 13}, view.version, "ben"))
    data = load_dataset(DataSource(DATA_DIR, store.url, slug))  # the one loader
    assert [e.id for e in data.table.events] == ["strike-kantharalak"]
    assert data.table.events[0].lat is not None and len(data.corpus.articles) == 2


def test_report_text_is_escaped_in_the_review_html(store: Store) -> None:
    slug = store.write(lambda s: intake.create_incident(s, "x", (), "ana").slug)
    add_uploads(store, slug, [Upload("h.txt", b"Surin <script>alert(1)</script> {{ 7*7 }}")], "ana")
    with store.read() as session:
        html = report_html(session, session.scalars(select(Report.id)).one())
    assert "<script>" not in html and "&lt;script&gt;" in html and "{{ 7*7 }}" in html


def test_since_last_briefing_lists_new_reports_changed_figures_and_disagreements(store: Store) -> None:
    slug, ids = _loaded(store)
    event_id = _propose(store, slug, ids["thai-cambodia-1"], "Kantharalak", 12)
    store.write(lambda s: repo.mark_briefing(s, repo.require_incident(s, slug), "ana", {}, "brief.png"))
    with store.read() as session:
        assert since_last_briefing(session, slug).empty
    add_uploads(store, slug, [Upload(REPORTS[3], report_bytes(REPORTS[3]))], "ben")
    with store.read() as session:
        version = next(v.version for v in event_views(session, slug) if v.key == "strike-kantharalak")
    store.write(lambda s: repo.edit_event(s, event_id, {"fatalities_low": 14}, version, "ben"))
    store.write(lambda s: intake.add_event_claim(s, event_id, ids["thai-cambodia-2"], "fatalities", "14",
                                                 "raised its toll to 14 dead", "ben"))
    with store.read() as session:
        summary = since_last_briefing(session, slug)
    assert summary.briefing is not None and summary.briefing.export_file == "brief.png"
    assert [line.what for line in summary.reports] == ["new report thai-cambodia-4 Thailand and Cambodia agree "
                                                       "ceasefire in Malaysia talks"]
    assert any("fatalities_low: 12 → 14" in line.what and line.who == "ben" for line in summary.events)
    assert "strike-kantharalak" in summary.event_keys  # (with the candidates extracted from the new report)
    assert "strike-kantharalak · fatalities: thai-cambodia-1: 12; thai-cambodia-2: 14" in summary.disagreements
