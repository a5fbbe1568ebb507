"""geo.store.ingest in-process: the extractor's candidates are stored as candidate events with their claims,
and a batch is one transaction."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from sqlalchemy import func, select

from geo.events.model import Claim, Event
from geo.store.ingest import IngestRequest, candidate_from, ingest
from geo.store.models import Claim as StoredClaim
from geo.store.models import Event as StoredEvent
from geo.store.models import Report

TEXT = ("Shelling hit Omdurman on Tuesday, killing at least 12 people, local medics said.\n"
        "The army blamed the Rapid Support Forces.\n")


class Proposal:
    """The shape of geo.extract's Candidate: an Event with its claims, a confidence and a reason."""

    def __init__(self, event: Event, confidence: float, reason: str):
        self.event, self.confidence, self.reason, self.status = event, confidence, reason, "candidate"


def _proposal(report_id: str) -> Proposal:
    quote = "killing at least 12 people"
    claims = (Claim("shelling-omdurman", report_id, "fatalities", "at least 12", quote),
              Claim("shelling-omdurman", report_id, "place", "Omdurman", "Shelling hit Omdurman"))
    event = Event(id="shelling-omdurman", date_start=date(2025, 3, 4), date_end=date(2025, 3, 4),
                  date_precision="day", actor="unknown", target="", event_type="shelling", place="Omdurman",
                  geo_precision="town", origin="", fatalities_low=12, fatalities_high=None, summary="",
                  lat=15.64, lon=32.48, origin_lat=None, origin_lon=None, claims=claims)
    return Proposal(event, 0.6, "a shelling with a place and a figure in one sentence")


@pytest.fixture
def extractor(monkeypatch):
    """A stand-in geo.extract module (the real one is built in parallel) that proposes one event per report."""
    module = types.ModuleType("geo.extract")
    module.extract_events = lambda articles: [_proposal(a.id) for a in articles]
    monkeypatch.setitem(sys.modules, "geo.extract", module)


def test_extractor_candidates_are_stored_with_their_claims(store, extractor, tmp_path):
    path = tmp_path / "omdurman.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = ingest(store, IngestRequest("sudan", [path], "tester", "Sudan", ("SD",)))
    assert result.candidates == 1 and result.notes == []
    with store.read() as session:
        event = session.scalars(select(StoredEvent)).one()
        claims = session.scalars(select(StoredClaim).order_by(StoredClaim.position)).all()
        text = session.scalars(select(Report.text)).one()
    assert (event.key, event.status, event.date, event.date_end, event.fatalities_low, event.fatalities_high) == (
        "shelling-omdurman", "candidate", "2025-03-04", "", 12, None)
    assert event.confidence == 0.6 and event.reason.startswith("a shelling")
    assert [(c.field, text[c.start:c.end]) for c in claims] == [
        ("fatalities", "killing at least 12 people"), ("place", "Shelling hit Omdurman")]


def test_an_unknown_date_stays_unknown(store):
    proposal = _proposal("r")
    event = proposal.event
    undated = Event(**{**event.__dict__, "date_start": date.min, "date_end": date.max, "date_precision": "unknown"})
    values = candidate_from(Proposal(undated, 0.3, "no date")).values
    assert (values["date"], values["date_end"], values["date_precision"]) == ("", "", "unknown")
    month = Event(**{**event.__dict__, "date_start": date(2025, 3, 1), "date_end": date(2025, 4, 30),
                     "date_precision": "month"})
    assert candidate_from(Proposal(month, 0.3, "")).values["date"] == "2025-03"
    assert candidate_from(Proposal(month, 0.3, "")).values["date_end"] == "2025-04-30"


def test_a_failing_batch_stores_nothing(store, tmp_path, monkeypatch):
    module = types.ModuleType("geo.extract")
    module.extract_events = lambda articles: [_proposal("not-a-report-of-this-batch"), _broken()]
    monkeypatch.setitem(sys.modules, "geo.extract", module)
    path = tmp_path / "omdurman.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(Exception, match="fatalities_low"):
        ingest(store, IngestRequest("sudan", [path], "tester"))
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 0


def _broken() -> Proposal:
    proposal = _proposal("omdurman")
    event = Event(**{**proposal.event.__dict__, "fatalities_low": 20, "fatalities_high": 3})
    return Proposal(event, 0.1, "inconsistent figures")
