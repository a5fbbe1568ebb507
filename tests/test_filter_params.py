"""EventFilter <-> URL query parameters (geo.events.filter_params)."""

from __future__ import annotations

from datetime import date

from geo.events.filter import EventFilter, filter_events
from geo.events.filter_params import from_query_params, to_query_params, with_dates
from geo.events.table import EVENT_TYPES, actors, load_events


def test_round_trip_keeps_every_field():
    flt = EventFilter(
        since=date(2024, 1, 16), until=date(2024, 1, 18), actors=frozenset({"Pakistan", "Iran"}),
        event_types=frozenset({"air/missile strike"}), reports=frozenset({"001_4e67ac401120d140"}),
        targets=frozenset({"Jaish al-Adl"}),
    )
    params = to_query_params(flt)
    assert params == {
        "since": ["2024-01-16"], "until": ["2024-01-18"], "actor": ["Iran", "Pakistan"],
        "type": ["air/missile strike"], "report": ["001_4e67ac401120d140"], "target": ["Jaish al-Adl"],
    }
    back, problems = from_query_params(params)
    assert back == flt and problems == []


def test_no_filter_is_no_parameters():
    assert to_query_params(EventFilter()) == {}
    assert from_query_params({}) == (EventFilter(), [])


def test_single_strings_and_names_with_commas_are_kept_whole():
    flt, problems = from_query_params({"actor": "United States, and allies", "since": "2024-01-15"})
    assert flt.actors == {"United States, and allies"} and flt.since == date(2024, 1, 15) and not problems


def test_bad_dates_are_reported_by_parameter_and_ignored():
    flt, problems = from_query_params({"since": ["18/01/2024"], "until": ["2024-01-18"], "actor": ["Iran"]})
    assert flt.since is None and flt.until == date(2024, 1, 18) and flt.actors == {"Iran"}
    assert len(problems) == 1 and "'since'" in problems[0] and "18/01/2024" in problems[0]


def test_reversed_range_is_swapped_with_a_message():
    flt, problems = from_query_params({"since": "2024-01-18", "until": "2024-01-16"})
    assert (flt.since, flt.until) == (date(2024, 1, 16), date(2024, 1, 18))
    assert problems and "swapped" in problems[0]


def test_values_the_data_does_not_know_are_dropped_with_a_message():
    table = load_events()
    known = {"actor": actors(table.events), "type": list(EVENT_TYPES)}
    flt, problems = from_query_params({"actor": ["Iran", "Atlantis"], "type": ["bombing", "picnic"]}, known)
    assert flt.actors == {"Iran"} and flt.event_types == {"bombing"}
    assert any("'actor'" in p and "Atlantis" in p for p in problems)
    assert any("'type'" in p and "picnic" in p for p in problems)


def test_a_link_selects_the_same_events_as_the_filter_it_came_from():
    table = load_events()
    flt = EventFilter(actors=frozenset({"Iran"}), since=date(2024, 1, 16))
    shared, _ = from_query_params(to_query_params(flt))
    chosen = filter_events(table.events, shared)
    assert chosen == filter_events(table.events, flt)
    assert chosen and all(e.actor == "Iran" and e.date_end >= date(2024, 1, 16) for e in chosen)
    assert len(chosen) < len([e for e in table.events if e.actor == "Iran"])


def test_with_dates_replaces_only_the_range():
    flt = EventFilter(actors=frozenset({"Iran"}))
    assert with_dates(flt, date(2024, 1, 1), None) == EventFilter(since=date(2024, 1, 1), actors=frozenset({"Iran"}))
