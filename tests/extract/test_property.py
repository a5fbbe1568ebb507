"""On arbitrary text the extractor never crashes and never invents a field: every value it gives comes
with a quote, cut from the text at its offsets, that contains the words."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.extract import extract_events
from geo.places.gazetteer import load_gazetteer
from tests.extract.conftest import article

WORDS = st.sampled_from([
    "Iran", "Pakistan", "Tehran", "said", "launched", "airstrikes", "strikes", "on", "Tuesday", "early", "in",
    "near", "the", "town", "of", "Saravan", "killing", "at", "least", "seven", "people", "over", "90", "killed",
    "Jaish al-Adl", "claimed", "by", "recalled", "its", "ambassador", "ceasefire", "January", "2024", ",", ".",
    "Indian", "jets", "shot", "down", "nobody", "was", "group", "called", "Xyz", "\n", "15 March", "drones",
])
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join))
_GAZETTEER = load_gazetteer()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, published=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31))))
def test_never_crashes_and_never_invents(text, published):
    candidates = extract_events([article(text, published)], _GAZETTEER)
    for candidate in candidates:
        event = candidate.event
        for claim in event.claims:
            assert text[claim.start:claim.end] == claim.quote
        values = {(c.field, c.value) for c in event.claims}
        if event.actor != "unknown":
            assert ("actor", event.actor) in values
        if event.place:
            assert ("place", event.place) in values
        if event.fatalities_low is not None:
            assert any(f == "fatalities" for f, _ in values)
        if event.date_precision == "day":
            assert any(f == "date" for f, _ in values)
        if published is None and candidate.date_known:
            # without a publication date only a date that carries its own year may be given
            assert any(c.field == "date" and any(ch.isdigit() for ch in c.quote) for c in event.claims)
