"""Counts and lengths as the reports write them, and the honest range label."""

from __future__ import annotations

import pytest

from geo.events.claim_values import Quantity, metres_per, parse_count, parse_length_km, parse_quantity, range_label


@pytest.mark.parametrize(("text", "expected"), [
    ("The strike killed at least seven people in Iran's", Quantity("at least", 7)),
    ("an attack that killed at least nine people", Quantity("at least", 9)),
    # a list of some of the dead is a lower bound (issue 11: it was read as the whole toll)
    ("the dead included three women, four children and two men near the town", Quantity("at least", 9)),
    ("four children, three women, and two men were among those killed", Quantity("at least", 9)),
    ("Iranian officials said three women and four children had been killed.", Quantity("", 7)),
    ("reported a death toll of nine from the Pakistani missile strike", Quantity("", 9)),
    ("killed over 90 people earlier this month", Quantity("over", 90)),
    ("11 Iranian security personnel were killed", Quantity("", 11)),
    ("killing two children.", Quantity("", 2)),
])
def test_counts(text, expected):
    assert parse_count(text) == expected


def test_a_list_is_summed_only_while_it_continues():
    assert parse_count("two children died; later 40 people marched") == Quantity("", 2)
    assert parse_count("no number here") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("share a 900-kilometre (560-mile), largely lawless border", Quantity("", 900)),
    ("which spans 560 miles", Quantity("", 900)),  # two significant figures, as written (was 901: too precise)
    ("their nearly 1,000km long volatile border", Quantity("nearly", 1000)),
    ("a 909 km border", Quantity("", 909)),
])
def test_lengths_are_converted_to_km(text, expected):
    assert parse_length_km(text) == expected


def test_quantity_values_round_trip():
    for value in ("over 90", "at least 7", "9", "nearly 1000"):
        assert str(parse_quantity(value)) == value
    assert parse_quantity("nine") is None


def test_range_label_keeps_hedges_only_when_every_claim_of_a_bound_has_it():
    q = parse_quantity
    assert range_label([q("at least 7"), q("7"), q("at least 9"), q("9")]) == "7–9"
    assert range_label([q("over 90"), q("over 80")]) == "over 80–over 90"
    assert range_label([q("2"), q("2")]) == "2"
    assert range_label([q("at least 7")]) == "at least 7"
    assert range_label([]) == "unknown"


def test_nautical_miles_and_the_epsg_factors():
    assert parse_length_km("some 100 nautical miles offshore") == Quantity("some", 190)  # 185.2 at 2 figures
    assert metres_per("Statute mile") == 1609.344


def test_significant_figures_and_bounds_of_a_hedge():
    from geo.events.claim_values import quantity_bounds, significant_figures

    assert [significant_figures(n) for n in ("560", "900", "1,000", "12.5", "905")] == [2, 1, 1, 3, 3]
    q = parse_quantity
    assert quantity_bounds(q("over 90")) == (91, None)
    assert quantity_bounds(q("more than 80")) == (81, None)
    assert quantity_bounds(q("at least 9")) == (9, None)
    assert quantity_bounds(q("up to 10")) == (0, 10)
    assert quantity_bounds(q("about 50")) == (50, 50)
    assert quantity_bounds(q("7")) == (7, 7)
