"""Uploads into a real SQLite store: reports, place mentions, duplicates, refusals, the change log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from geo.events.model import Claim, Event
from geo.store import intake, repo
from geo.store.engine import Store
from geo.store.ingest import Upload
from geo.store.models import Change, Mention, Report
from geo.store.models import Claim as StoredClaim
from geo.store.models import Event as StoredEvent
from tests.ingest.conftest import REPORTS, add_uploads, report_bytes, zip_bomb_docx


def _incident(store: Store, title: str = "Thailand–Cambodia border, July 2025") -> str:
    return store.write(lambda s: intake.create_incident(s, title, ("TH", "KH"), "ana",
                                                        (date(2025, 7, 20), date(2025, 8, 5))).slug)


def test_create_incident_slug_countries_and_window(store: Store) -> None:
    slug = _incident(store)
    assert slug == "thailand-cambodia-border-july-2025"
    assert _incident(store) == "thailand-cambodia-border-july-2025-2"
    with store.read() as session:
        summary = intake.list_incidents(session)[0]
    assert summary.countries == ("TH", "KH") and summary.window == (date(2025, 7, 20), date(2025, 8, 5))
    assert intake.parse_countries("th, kh  la") == ("TH", "KH", "LA")
    with pytest.raises(repo.InvalidValue, match="THA"):
        intake.parse_countries("THA")
    with pytest.raises(repo.InvalidValue, match="after"):
        store.write(lambda s: intake.create_incident(s, "x", (), "ana", (date(2025, 8, 1), date(2025, 7, 1))))


def test_batch_goes_in_file_by_file(store: Store) -> None:
    slug = _incident(store)
    steps: list[tuple[str, str]] = []
    uploads = [Upload(name, report_bytes(name)) for name in REPORTS[:3]]
    uploads += [Upload("copy.txt", report_bytes(REPORTS[0])), Upload("bomb.docx", zip_bomb_docx(60)),
                Upload("binary.txt", bytes(range(256)) * 4)]
    outcomes = add_uploads(store, slug, uploads, "ana", lambda name, step, _: steps.append((name, step)))
    assert [o.status for o in outcomes] == ["added", "added", "added", "duplicate", "refused", "refused"]
    assert "same content as report 'thai-cambodia-1'" in outcomes[3].message
    assert outcomes[4].message.startswith("bomb.docx: refused") and "binary" in outcomes[5].message
    assert ("thai-cambodia-1.txt", "places") in steps and ("thai-cambodia-1.txt", "events") in steps
    with store.read() as session:
        reports = session.scalars(select(Report).order_by(Report.position)).all()
        assert [r.key for r in reports] == ["thai-cambodia-1", "thai-cambodia-2", "thai-cambodia-3"]
        assert reports[1].published == date(2025, 7, 25) and "<script" not in reports[1].text
        names = {m.name for m in session.scalars(select(Mention))}
        assert {"Surin", "Bangkok"} <= names
        assert all(c.who == "ana" for c in session.scalars(select(Change)))


def test_batch_over_the_limit_refused_whole(store: Store) -> None:
    from geo.corpus.documents import Limits

    slug = _incident(store)
    uploads = [Upload(name, report_bytes(name)) for name in REPORTS[:2]]
    outcomes = add_uploads(store, slug, uploads, "ana", limits=Limits(batch_bytes=1000))
    assert [o.status for o in outcomes] == ["refused"] and "per batch" in outcomes[0].message
    with store.read() as session:
        assert session.scalars(select(Report)).all() == []


def test_report_metadata_corrected_and_logged(store: Store) -> None:
    slug = _incident(store)
    add_uploads(store, slug, [Upload(REPORTS[2], report_bytes(REPORTS[2]))], "ana")
    with store.read() as session:
        report_id = session.scalars(select(Report.id)).one()
    store.write(lambda s: intake.update_report(s, report_id, {"published": date(2025, 7, 27),
                                                               "publisher": "Desk"}, "ben"))
    with store.read() as session:
        report = session.get(Report, report_id)
        assert report is not None and report.published == date(2025, 7, 27) and report.publisher == "Desk"
        assert report.date_method == "inferred" and "ben" in report.date_note
        change = session.scalars(select(Change).where(Change.table_name == "reports")
                                 .order_by(Change.id.desc())).first()  # events it re-dated are logged after it
        assert change is not None and change.who == "ben" and change.before["published"] == "2025-07-26"
    with pytest.raises(repo.InvalidValue, match="text"):
        store.write(lambda s: intake.update_report(s, report_id, {"text": "x"}, "ben"))


def _event(key: str, report: str, quote: str) -> Event:
    return Event(id=key, date_start=date(2025, 7, 24), date_end=date(2025, 7, 24), date_precision="day",
                 actor="Cambodia", target="", event_type="armed clash", place="Surin", geo_precision="province",
                 origin="", fatalities_low=12, fatalities_high=None, summary="", lat=14.9, lon=103.5,
                 origin_lat=None, origin_lon=None,
                 claims=(Claim(key, report, "fatalities", "at least 12", quote),))


class _Proposed:
    def __init__(self, event: Event) -> None:
        self.event, self.confidence, self.reason = event, 0.7, "trigger 'fired rockets' with a place"


def test_candidates_stored_with_located_claims_and_keys_never_reused(store: Store, monkeypatch) -> None:
    """Two batches proposing the same event key: the second gets a fresh key, the first is never overwritten."""
    import sys
    import types

    quote = "At least 12 people were killed in Thailand"
    extractor = types.ModuleType("geo.extract")
    extractor.extract_events = lambda articles: [_Proposed(_event("clash-surin", a.id, quote)) for a in articles]
    monkeypatch.setitem(sys.modules, "geo.extract", extractor)
    slug = _incident(store)
    first = add_uploads(store, slug, [Upload(REPORTS[0], report_bytes(REPORTS[0]))], "ana")
    second = add_uploads(store, slug, [Upload("again.txt", report_bytes(REPORTS[0]) + b"\nUpdated.")], "ana")
    assert [o.candidates for o in first + second] == [1, 1]
    with store.read() as session:
        keys = session.scalars(select(StoredEvent.key).order_by(StoredEvent.id)).all()
        claims = session.scalars(select(StoredClaim).where(StoredClaim.quote == quote)).all()
        texts = {r.id: r.text for r in session.scalars(select(Report))}
    assert keys == ["clash-surin", "clash-surin-2"]
    assert len(claims) == 2 and all(texts[c.report_id][c.start:c.end] == quote for c in claims)


def test_two_copies_in_one_batch_and_a_pasted_report(store: Store) -> None:
    slug = _incident(store)
    text = report_bytes(REPORTS[0])
    outcomes = add_uploads(store, slug, [Upload("a.txt", text), Upload("b.txt", text),
                                         Upload.paste("Shelling near Surin on 24 July 2025.")], "ana")
    assert [o.status for o in outcomes] == ["added", "duplicate", "added"]
    assert "same content as report 'a'" in outcomes[1].message
    assert outcomes[2].name == "pasted text"
