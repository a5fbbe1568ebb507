"""The curated event table against the reports: quotes verbatim, places resolve, every figure and date
follows from the claims (in code), and the disagreements the reports contain are all found."""

from __future__ import annotations

from datetime import date

import pytest

from geo.corpus.articles import load_corpus
from geo.events.claim_values import parse_count, parse_length_km, parse_quantity
from geo.events.dates import parse_iso_date, resolve_date
from geo.events.facts import border_length_claims
from geo.events.table import EVENT_TYPES, GEO_PRECISIONS, derived_date, disagreements, load_events, to_geodataframe
from geo.places.geocoder import OfflineGeocoder


@pytest.fixture(scope="module")
def table():
    return load_events()


@pytest.fixture(scope="module")
def texts():
    return {a.id: a.text for a in load_corpus().articles}


def test_curated_files_load_without_a_single_problem(table):
    assert [str(p) for p in table.problems] == []
    assert len(table.events) == 15
    assert {e.event_type for e in table.events} <= set(EVENT_TYPES)
    assert {e.geo_precision for e in table.events} <= set(GEO_PRECISIONS)
    assert all(e.claims for e in table.events), "every event is supported by at least one report"
    assert {c.report_id for c in table.claims} == set(table.published), "every report contributes claims"


def test_every_quote_occurs_verbatim_in_its_report(table, texts):
    for claim in table.claims:
        assert claim.quote in texts[claim.report_id], (claim.event_id, claim.report_id, claim.quote)


def test_every_place_resolves_with_the_offline_geocoder(table):
    geocoder = OfflineGeocoder()
    names = {e.place for e in table.events} | {e.origin for e in table.events if e.origin}
    names |= {c.value for c in table.claims if c.field == "place"}
    for name in sorted(names):
        assert geocoder.geocode(name) is not None, name
    for event in table.events:
        assert event.lat is not None and event.lon is not None, event.id
        assert (event.origin_lat is None) == (not event.origin), event.id


def test_places_land_where_the_reports_put_them(table):
    events = table.by_id()
    saravan = events["pakistan-strike-saravan"]
    assert 27 < saravan.lat < 28 and 62 < saravan.lon < 63  # Saravan, Sistan and Baluchestan
    balochistan = events["iran-strike-balochistan"]
    assert 24 < balochistan.lat < 32 and 60 < balochistan.lon < 71  # Pakistan's Balochistan province
    assert 25 < events["iran-air-defence-drill"].lat < 26  # Chabahar on the Gulf of Oman


def test_each_date_claim_names_the_phrase_its_quote_resolves_to(table):
    for claim in table.claims:
        if claim.field == "date":
            resolved = resolve_date(claim.quote, table.published[claim.report_id])
            assert resolved is not None and resolved.phrase == claim.value, claim


def test_event_dates_are_what_the_code_resolves_from_the_claims(table):
    spans = {e.id: parse_iso_date(e.date_label) for e in table.events}
    for event in table.events:
        expected = derived_date(event.claims, table.published, spans)
        assert expected is not None and expected.iso == event.date_label, event.id
        assert (expected.start, expected.end) == (event.date_start, event.date_end)


def test_each_date_claim_resolves_to_its_event_date_or_is_a_listed_disagreement(table):
    disputed = {(d.event_id, r) for d in disagreements(table) if d.field == "date" for r in d.by_report()}
    for event in table.events:
        for claim in event.claims_for("date"):
            resolved = resolve_date(claim.quote, table.published[claim.report_id])
            if resolved.iso != event.date_label:
                assert (event.id, claim.report_id) in disputed, claim


@pytest.mark.parametrize(("event_id", "iso"), [
    ("iran-strike-balochistan", "2024-01-16"),   # Tuesday 16 Jan
    ("pakistan-strike-saravan", "2024-01-18"),   # Thursday 18 Jan
    ("iran-strike-iraq", "2024-01-15"),          # late Monday 15 Jan
    ("iran-strike-syria", "2024-01-15"),
    ("pakistan-recalls-ambassador", "2024-01-17"),
    ("iran-air-defence-drill", "2024-01-18"),
    ("iran-summons-charge", "2024-01-18"),      # after the Pakistani strikes, reported that day
    ("kerman-bombing", "2024-01"),               # "earlier this month": month precision only
    ("police-station-attack", "2023-12"),        # "December last year"
])
def test_resolved_dates_match_the_known_dates_of_the_events(table, event_id, iso):
    assert table.by_id()[event_id].date_label == iso


def test_fatality_bounds_are_the_min_and_max_of_the_claims_and_each_claim_follows_its_quote(table):
    for event in table.events:
        claims = event.claims_for("fatalities")
        for claim in claims:
            assert str(parse_count(claim.quote)) == claim.value, claim
        numbers = [parse_quantity(c.value).number for c in claims]
        expected = (min(numbers), max(numbers)) if numbers else (None, None)
        assert (event.fatalities_low, event.fatalities_high) == expected, event.id


def test_fatality_ranges_are_shown_not_picked(table):
    labels = {e.id: e.fatalities_label for e in table.events}
    assert labels["pakistan-strike-saravan"] == "7–9"
    assert labels["kerman-bombing"] == "over 80–over 90"
    assert labels["iran-strike-balochistan"] == "2"
    assert labels["police-station-attack"] == "11"
    assert labels["iran-strike-syria"] == "unknown"


def test_border_length_claims_and_the_measured_geodesic_length(table):
    figures = border_length_claims(table.facts)
    by_report = {c.report_id[:3]: str(c.value) for c in figures.claims}
    assert by_report == {"000": "900", "003": "901", "004": "nearly 1000"}
    for claim in figures.claims:
        assert parse_length_km(claim.quote) == claim.value
    assert 810 < figures.measured < 825  # Natural Earth 1:10m, WGS84 geodesic: about 817 km
    assert any(line.startswith("measured: 817 km") for line in figures.lines())


def test_all_disagreements_are_listed_with_their_sources(table):
    found = {(d.event_id, d.field): d for d in disagreements(table)}
    assert set(found) == {
        ("pakistan-strike-saravan", "fatalities"), ("pakistan-strike-saravan", "target"),
        ("pakistan-strike-saravan", "date"), ("kerman-bombing", "fatalities"),
        ("iran-pakistan-border-length", "border_length_km"),
    }
    saravan = found[("pakistan-strike-saravan", "fatalities")]
    assert {value: [r[:3] for r in reports] for value, reports in saravan.values} == {
        "at least 9 / 9": ["001", "003", "004"], "at least 7 / 7": ["000", "002"]}
    kerman = found[("kerman-bombing", "fatalities")].by_report()
    assert {r[:3]: v for r, v in kerman.items()} == {
        "000": ["over 90"], "001": ["over 90"], "003": ["over 90"], "004": ["over 80"]}
    groups = found[("pakistan-strike-saravan", "target")].by_report()
    assert sorted(v for values in groups.values() for v in values) == [
        "Baloch Liberation Army", "Baloch Liberation Front", "Sarmachars"]
    assert found[("pakistan-strike-saravan", "date")].values[1] == ("2024-01-17", ("002_eeea1aa35011d9b6",))
    border = found[("iran-pakistan-border-length", "border_length_km")]
    assert "measured 817 km" in border.reference and "nearly 1000" in str(border)


def test_geodataframe_contract(table):
    gdf = to_geodataframe(table.events)
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == [
        "id", "date", "date_end", "date_precision", "actor", "target", "event_type", "place", "geo_precision",
        "origin", "origin_lat", "origin_lon", "fatalities_low", "fatalities_high", "fatalities", "summary",
        "reports", "geometry"]
    row = gdf.set_index("id").loc["kerman-bombing"]
    assert (row.date, row.date_end, row.fatalities) == ("2024-01-01", "2024-01-31", "over 80–over 90")
    assert row.reports.count(";") == 3
    assert gdf.geometry.notna().all()
    assert date.fromisoformat(gdf.date.min()) == date(2023, 12, 1)
