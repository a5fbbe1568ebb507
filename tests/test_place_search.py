"""Place search for the map (geo.places.search) over the real offline gazetteer."""

from __future__ import annotations

import pytest

from geo.places.gazetteer import load_gazetteer
from geo.places.search import DEFAULT_LIMIT, search_places


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_spellings_find_the_same_places(gazetteer):
    plain = [c.id for c in search_places("saravan", gazetteer)]
    assert plain
    assert [c.id for c in search_places("Sarāvān", gazetteer)] == plain
    assert [c.id for c in search_places("  SARAVAN ", gazetteer)] == plain


def test_a_candidate_says_kind_province_and_country(gazetteer):
    iranian = [c for c in search_places("Saravan", gazetteer) if c.country_code == "IR"]
    assert len(iranian) == 1
    town = iranian[0]
    assert town.kind in ("town", "city")
    assert town.admin1 == "Sistan and Baluchestan"  # GeoNames' province, named as Natural Earth names it
    assert town.country == "Iran"
    assert town.label == f"{town.name} · {town.kind} · Sistan and Baluchestan · Iran"
    assert abs(town.lat - 27.37) < 0.05 and abs(town.lon - 62.33) < 0.05


def test_a_district_gets_its_province_and_a_province_none(gazetteer):
    found = search_places("Panjgur", gazetteer)
    kinds = {c.kind: c for c in found if c.country_code == "PK"}
    assert kinds["district"].admin1 == kinds["town"].admin1 != ""
    provinces = [c for c in search_places("Kerman", gazetteer) if c.kind == "province"]
    assert provinces and provinces[0].admin1 == ""


def test_the_incident_countries_come_first_and_others_stay(gazetteer):
    everywhere = search_places("Saravan", gazetteer)
    preferred = search_places("Saravan", gazetteer, prefer=("ir", "PK"))
    assert preferred[0].country_code in ("IR", "PK")
    assert {c.id for c in preferred} == {c.id for c in everywhere}  # reordered, nothing dropped
    assert any(c.country_code == "LA" for c in preferred)


def test_a_qualifier_narrows_the_answer(gazetteer):
    found = search_places("Kerman, Iran", gazetteer)
    assert found and all(c.country_code == "IR" for c in found)


@pytest.mark.parametrize("query", ["", "   ", ",", "Qwxzv Plateau"])
def test_nothing_to_find(gazetteer, query):
    assert search_places(query, gazetteer) == []


def test_at_most_limit_candidates_and_no_duplicates(gazetteer):
    found = search_places("Springfield", gazetteer)
    assert len(found) == DEFAULT_LIMIT
    assert len({c.id for c in found}) == len(found)
    assert len(search_places("Springfield", gazetteer, limit=2)) == 2
