"""One test per rule family, on real sentences from the seed reports and the labelled set."""

from __future__ import annotations

from datetime import date

from geo.extract import extract_events
from geo.extract.lexicon import find_actors
from geo.extract.sentences import split_sentences
from geo.extract.triggers import find_triggers
from geo.places.toponyms import find_places
from tests.extract.conftest import article

JAN18 = date(2024, 1, 18)


def only(text: str, published: date | None = JAN18, gazetteer=None):
    candidates = extract_events([article(text, published)], gazetteer)
    assert len(candidates) == 1, [c.event for c in candidates]
    return candidates[0].event


# --- triggers ------------------------------------------------------------------------------------------

def test_trigger_types():
    cases = {
        "Pakistan's air force launched retaliatory airstrikes early Thursday in Iran": "air/missile strike",
        "Iraq has recalled its ambassador from Iran for consultations.": "diplomatic",
        "Azerbaijani forces shelled positions and settlements inside Armenia": "shelling",
        "two Indian aircraft were shot down by the Pakistan Air Force": "aircraft shot down",
        "Iran's military began a planned annual air defense drill": "military exercise",
        "Armenia announced that a ceasefire had been agreed": "ceasefire",
        "Jaish-e-Mohammed claimed the suicide car bombing in Pulwama": "bombing",
    }
    for sentence, kind in cases.items():
        assert [t.event_type for t in find_triggers(sentence)] == [kind], sentence


def test_generic_strike_is_air_strike_only_with_a_weapon_of_the_air():
    assert find_triggers("Indian warplanes struck a camp")[0].event_type == "air/missile strike"
    assert find_triggers("Gunmen struck a police post")[0].event_type == "armed attack"


def test_no_trigger_in_threats_and_intentions():
    assert find_triggers("Islamabad reserved the right to respond at a time and place of its choosing.") == []
    assert find_triggers("Pakistan has no intention of escalating.") == []


# --- sentences -----------------------------------------------------------------------------------------

def test_sentences_keep_offsets_and_skip_abbreviations():
    text = "It happened on Feb. 14 that year. Mr. Khan said so.\nNext line"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["It happened on Feb. 14 that year.", "Mr. Khan said so.", "Next line"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


# --- actors --------------------------------------------------------------------------------------------

def test_actor_is_the_subject_not_the_country_struck(gazetteer):
    event = only("On Tuesday (Jan 16), Iran launched missile and drone raids on Pakistan's western Balochistan "
                 "province, killing two children.", gazetteer=gazetteer)
    assert event.actor == "Iran"
    assert event.place == "Baluchistan" and event.geo_precision == "province"
    assert event.date_label == "2024-01-16"
    assert (event.fatalities_low, event.fatalities_high) == (2, 2)


def test_capital_as_government_is_an_actor_not_a_place(gazetteer):
    text = "Tehran, likewise, said its attack on Tuesday was aimed at terrorist groups."
    places = find_places(text, gazetteer)
    actors = find_actors(text, places)
    assert [(a.surface, a.name, a.kind) for a in actors] == [("Tehran", "Iran", "capital")]
    event = only(text, gazetteer=gazetteer)
    assert event.actor == "Iran" and event.place == ""


def test_claimed_by_a_group_from_the_lexicon(gazetteer):
    event = only("In December last year, 11 Iranian security personnel were killed in an attack on a police station "
                 "in Sistan-Baluchestan, an act claimed by Jaish al-Adl.", gazetteer=gazetteer)
    assert event.actor == "Jaish al-Adl"
    assert event.date_label == "2023-12"
    assert event.fatalities_low == 11
    casualties = [c.value for c in event.claims if c.field == "casualties"]
    assert casualties == ["security forces"]


def test_group_the_text_introduces_is_an_actor(gazetteer):
    text = ("A little-known militant group called Saraya Awliya al-Dam claimed the rocket attack. "
            "On Monday Saraya Awliya al-Dam fired rockets at the base.")
    names = {a.name for a in find_actors(text, find_places(text, gazetteer)) if a.kind == "introduced"}
    assert names == {"Saraya Awliya al-Dam"}
    events = extract_events([article(text, JAN18)], gazetteer)
    assert any(c.event.actor == "Saraya Awliya al-Dam" for c in events)


def test_nobody_named_stays_unknown(gazetteer):
    event = only("The fighting began early on Thursday near the ancient Ta Muen Thom temple, with each side "
                 "accusing the other of opening fire first.", date(2025, 7, 24), gazetteer)
    assert event.actor == "unknown"
    assert event.place == ""


# --- dates ---------------------------------------------------------------------------------------------

def test_relative_dates_need_a_publication_date(gazetteer):
    text = "On Saturday night, Iran launched more than 300 drones and missiles at Israel from its own territory."
    dated = only(text, date(2024, 4, 15), gazetteer)
    assert dated.date_label == "2024-04-13"
    undated = extract_events([article(text, None)], gazetteer)[0]
    assert not undated.date_known and undated.event.date_precision == "unknown"
    assert not [c for c in undated.event.claims if c.field == "date"]


def test_week_weekend_and_night_phrases_date_a_candidate_as_a_range(gazetteer):
    cases = {  # (phrase, published) -> the range the candidate gets, never one of its days
        ("last week", date(2025, 1, 1)): (date(2024, 12, 23), date(2024, 12, 29)),
        ("over the weekend", date(2025, 3, 3)): (date(2025, 3, 1), date(2025, 3, 2)),
        ("overnight", date(2025, 3, 1)): (date(2025, 2, 28), date(2025, 3, 1)),
        ("two weeks ago", date(2025, 7, 24)): (date(2025, 7, 7), date(2025, 7, 13)),
    }
    for (phrase, published), span in cases.items():
        event = only(f"Azerbaijani forces shelled positions inside Armenia {phrase}, near the town of Jermuk.",
                     published, gazetteer)
        assert (event.date_start, event.date_end, event.date_precision) == (*span, "range"), phrase
        assert [c.value for c in event.claims if c.field == "date"] == [phrase]


def test_absolute_date_resolves_without_publication_date(gazetteer):
    event = only("Shortly after midnight on 13 September 2022, Azerbaijani forces shelled positions and settlements "
                 "inside Armenia, including the towns of Jermuk, Goris and Vardenis.", None, gazetteer)
    assert event.date_label == "2022-09-13"
    assert event.actor == "Azerbaijan"
    assert event.place == "Jermuk" and event.geo_precision == "town"


# --- places --------------------------------------------------------------------------------------------

def test_two_countries_in_one_sentence_are_two_events(gazetteer):
    text = "Iran also staged airstrikes late Monday in Iraq and Syria."
    events = extract_events([article(text, JAN18)], gazetteer)
    assert sorted(c.event.place for c in events) == ["Iraq", "Syria"]
    assert {c.event.date_label for c in events} == {"2024-01-15"}


def test_near_town_and_dateline_place_is_not_the_event_place(gazetteer):
    text = ("BANGKOK, July 24 (Reuters) - Thailand sent F-16 fighter jets to strike Cambodian military targets on "
            "Thursday.")
    event = only(text, date(2025, 7, 24), gazetteer)
    assert event.place != "Bangkok" and event.actor == "Thailand"
    near = only("Gunmen struck a police post near the town of Saravan on Monday.", JAN18, gazetteer)
    assert near.geo_precision == "near town"


# --- figures -------------------------------------------------------------------------------------------

def test_open_ended_figure_has_no_ceiling(gazetteer):
    event = only("An Islamic State-claimed suicide bombing killed over 90 people in Kerman in early January.",
                 JAN18, gazetteer)
    assert (event.fatalities_low, event.fatalities_high) == (91, None)  # "over 90" is at least 91
    assert event.actor == "Islamic State"


def test_listed_dead_are_summed(gazetteer):
    events = extract_events([article(
        "Thursday's strike killed three women, four children and two men near the town of Saravan.", JAN18)],
        gazetteer)
    assert events[0].event.fatalities_low == 9


# --- merging -------------------------------------------------------------------------------------------

def test_same_event_in_two_reports_is_one_candidate_with_both_figures(gazetteer):
    a = article("Pakistan launched airstrikes early Thursday in Iran, killing at least seven people.", JAN18, "a")
    b = article("Pakistan's air force launched airstrikes on Thursday in Iran that killed nine people.", JAN18, "b")
    events = extract_events([a, b], gazetteer)
    assert len(events) == 1
    event = events[0].event
    assert event.reports == ("a", "b")
    assert (event.fatalities_low, event.fatalities_high) == (7, None)  # "at least seven" sets no ceiling
    assert sorted(c.value for c in event.claims if c.field == "fatalities") == ["9", "at least 7"]


def test_separate_towns_the_same_night_stay_separate(gazetteer):
    a = article("Iranian drones struck Kerman on Monday night.", JAN18, "a")
    b = article("Iranian drones struck Saravan on Monday night.", JAN18, "b")
    events = extract_events([a, b], gazetteer)
    assert len(events) == 2 and len({c.event.place for c in events}) == 2
    assert all(len(c.event.reports) == 1 for c in events)


def test_different_actors_on_different_days_stay_separate(seeds, gazetteer):
    events = [c.event for c in extract_events(seeds, gazetteer)]
    strikes = {(e.actor, e.date_label) for e in events if e.event_type == "air/missile strike"}
    assert ("Iran", "2024-01-16") in strikes and ("Pakistan", "2024-01-18") in strikes


def test_fatality_range_is_what_every_report_allows():
    from geo.events.claim_values import Quantity
    from geo.extract.candidates import fatality_range

    # "over 80" is at least 81; no report caps it
    assert fatality_range([Quantity("over", 80), Quantity("over", 90)]) == (81, None)
    # one report says "at least 9": it sets no ceiling, so neither may the candidate
    assert fatality_range([Quantity("at least", 7), Quantity("at least", 9), Quantity("", 9)]) == (7, None)
    assert fatality_range([Quantity("", 7), Quantity("", 9)]) == (7, 9)
    assert fatality_range([Quantity("up to", 10)]) == (0, 10)
    assert fatality_range([]) == (None, None)


def test_no_candidate_figure_is_more_precise_than_its_claims(seeds, gazetteer):
    from geo.events.checks import check_figures

    candidates = extract_events(seeds, gazetteer)
    assert any(c.event.fatalities_low is not None for c in candidates)
    assert [p for c in candidates for p in check_figures(c.event)] == []


def test_back_reference_joins_the_event_just_told(gazetteer):
    text = ("Pakistan launched retaliatory airstrikes against Iran early Thursday. "
            "The strike killed at least seven people in Iran's southeastern Sistan-Baluchistan province.")
    events = extract_events([article(text, JAN18)], gazetteer)
    assert len(events) == 1
    event = events[0].event
    assert event.actor == "Pakistan" and event.fatalities_low == 7
    assert event.place == "Sistan and Baluchestan"


def test_who_condemns_an_attack_did_not_carry_it_out(gazetteer):
    a = article("Pakistan launched airstrikes in Iran on Thursday.", JAN18, "a")
    b = article("Pakistan strongly condemned the attack, stating that two children were killed in the strikes.",
                JAN18, "b")
    events = extract_events([a, b], gazetteer)
    pakistan = [c.event for c in events if c.event.actor == "Pakistan"]
    assert pakistan and all(e.fatalities_low is None for e in pakistan)


def test_speaker_is_the_actor_of_a_diplomatic_step(gazetteer):
    event = only("On Wednesday, Thailand recalled its ambassador from Phnom Penh.", date(2025, 7, 24), gazetteer)
    assert (event.event_type, event.actor, event.place, event.date_label) == (
        "diplomatic", "Thailand", "Phnom Penh", "2025-07-23")


def test_origin_list_is_not_where_the_strike_landed(gazetteer):
    event = only("On Saturday night, Iran launched more than 300 drones and missiles at Israel from its own "
                 "territory, as well as from Iraq, Syria and Yemen.", date(2024, 4, 15), gazetteer)
    assert event.place == "Israel" and event.actor == "Iran"


def test_a_district_named_places_an_event_to_the_district():
    from geo.extract.fields import precision_of
    from geo.places.toponyms import PlaceMention

    text = "A rocket hit a petrol station in Amphoe Kantharalak."
    place = PlaceMention("Amphoe Kantharalak", 33, 51, "Amphoe Kantharalak", "district", "TH", 14.64, 104.65, 0.9,
                         "adm2:1610226")
    assert precision_of(text, place) == "district"
