"""Every emitted quote is verbatim at its offsets, and no field lacks a claim that supports it."""

from __future__ import annotations

from geo.extract import extract_events
from geo.extract.model import LOCATION_PRECISIONS


def _check(articles, gazetteer):
    texts = {a.id: a.text for a in articles}
    candidates = extract_events(articles, gazetteer)
    assert candidates
    for candidate in candidates:
        event = candidate.event
        assert 0.0 <= candidate.confidence <= 1.0 and candidate.reason
        assert candidate.status == "candidate"
        for claim in event.claims:
            assert claim.start is not None and claim.end is not None
            assert texts[claim.report_id][claim.start:claim.end] == claim.quote
            assert claim.event_id == event.id
        fields = {c.field for c in event.claims}
        if event.actor != "unknown":
            assert "actor" in fields
        if event.place:
            assert "place" in fields and event.geo_precision in LOCATION_PRECISIONS
        if event.fatalities_low is not None:
            assert "fatalities" in fields
        if event.date_precision == "day":
            assert "date" in fields
    return candidates


def test_seed_quotes_verbatim(seeds, gazetteer):
    candidates = _check(seeds, gazetteer)
    assert len({c.event.id for c in candidates}) == len(candidates)


def test_labelled_set_quotes_verbatim(labelled_tuning, gazetteer):
    _check(labelled_tuning, gazetteer)
