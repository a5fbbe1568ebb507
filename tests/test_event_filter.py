"""Filtering the real event table: inclusive dates, month-precision events inside day ranges, ranges,
ongoing events open to the right, the hide option, names."""

from __future__ import annotations

from datetime import date

import pytest

from geo.events.filter import EventFilter, date_range_label, filter_events
from geo.events.table import load_events

# Data fixed (issue 11): the Houthi, Hezbollah and Gaza events are ongoing as of a report (not "January"),
# and the summons is a range; the Davos trip is a new month-only event.
JANUARY_MONTH_EVENTS = {
    "kerman-bombing", "iraq-recalls-ambassador", "saravan-separate-blast", "us-allied-strikes-yemen",
    "pakistan-pm-cuts-davos",
}
ONGOING = {"houthi-red-sea-attacks", "hezbollah-israel-fire", "israel-hamas-war"}
#: "in recent weeks" before 19 Jan 2024: 24 Nov 2023 - 19 Jan 2024
RECENT_WEEKS = {"israeli-strikes-commanders"}


@pytest.fixture(scope="module")
def events():
    return load_events().events


def ids(events, **kwargs) -> set[str]:
    return {e.id for e in filter_events(events, EventFilter(**kwargs))}


def test_no_constraint_keeps_everything_in_order(events):
    assert filter_events(events, EventFilter()) == events


def test_a_single_day_is_inclusive_and_takes_month_precision_events_of_that_month(events):
    assert ids(events, since=date(2024, 1, 16), until=date(2024, 1, 16)) == {
        "iran-strike-balochistan", "pakistan-condemns-iran-strike", *JANUARY_MONTH_EVENTS, *RECENT_WEEKS}


def test_edges_are_inclusive_on_both_sides(events):
    window = ids(events, since=date(2024, 1, 15), until=date(2024, 1, 17))
    assert {"iran-strike-iraq", "iran-strike-syria", "iran-strike-balochistan",
            "pakistan-recalls-ambassador"} <= window
    assert "pakistan-strike-saravan" not in window and "police-station-attack" not in window
    assert "pakistan-strike-saravan" in ids(events, since=date(2024, 1, 18))
    assert "pakistan-recalls-ambassador" not in ids(events, since=date(2024, 1, 18))
    assert "iran-strike-iraq" in ids(events, until=date(2024, 1, 15))
    assert "iran-strike-balochistan" not in ids(events, until=date(2024, 1, 15))


def test_a_day_range_with_no_dated_event_still_holds_the_month_precision_ones(events):
    assert ids(events, since=date(2024, 1, 10), until=date(2024, 1, 12)) == JANUARY_MONTH_EVENTS | RECENT_WEEKS


def test_month_precision_events_touch_their_first_and_last_day_only(events):
    assert ids(events, since=date(2023, 12, 31), until=date(2023, 12, 31)) == {"police-station-attack", *RECENT_WEEKS}
    # ongoing events are known to be under way only as of their last report (19 Jan), not on 31 Jan
    assert ids(events, since=date(2024, 1, 31), until=date(2024, 1, 31)) == {
        *JANUARY_MONTH_EVENTS, "iran-summons-charge"}
    assert ids(events, until=date(2023, 11, 23)) == set()


def test_ongoing_events_hold_from_where_the_reports_show_them_to_the_last_report_only(events):
    # "ongoing as of 19 Jan 2024": nothing is known of them after that (a link to 2099 shows nothing)
    assert ids(events, since=date(2024, 2, 1)) == set()
    assert "israel-hamas-war" in ids(events, since=date(2024, 1, 19))
    assert "israel-hamas-war" not in ids(events, until=date(2024, 1, 18))  # under way as of 19 Jan only
    assert "israel-hamas-war" in ids(events, since=date(2024, 1, 19), until=date(2024, 1, 19))


def test_hide_drops_month_only_and_ongoing_events(events):
    window = {"since": date(2024, 1, 16), "until": date(2024, 1, 18)}
    shown = ids(events, **window)
    assert JANUARY_MONTH_EVENTS <= shown and {"houthi-red-sea-attacks", "hezbollah-israel-fire"} <= shown
    assert ids(events, hide=frozenset({"month"}), **window) == shown - JANUARY_MONTH_EVENTS
    assert ids(events, hide=frozenset({"ongoing"}), **window) == shown - ONGOING
    both = ids(events, hide=frozenset({"month", "ongoing"}), **window)
    assert both == shown - JANUARY_MONTH_EVENTS - ONGOING
    assert all(e.date_precision != "month" and not e.ongoing for e in events if e.id in both)
    assert EventFilter(hide=frozenset({"month"})).describe() == "all dates · hiding events dated only to a month"


def test_actor_type_report_and_target_filters(events):
    assert ids(events, actors=frozenset({"pakistan"})) == {
        "pakistan-strike-saravan", "pakistan-recalls-ambassador", "pakistan-condemns-iran-strike",
        "pakistan-fm-statement", "pakistan-pm-cuts-davos"}
    assert ids(events, actors=frozenset({"Houthis", "Hezbollah"})) == {"houthi-red-sea-attacks",
                                                                       "hezbollah-israel-fire"}
    assert ids(events, event_types=frozenset({"bombing"})) == {"kerman-bombing"}
    assert ids(events, reports=frozenset({"001_4e67ac401120d140"})) == {
        "kerman-bombing", "iran-strike-iraq", "iran-strike-syria", "iran-strike-balochistan",
        "pakistan-strike-saravan", "saravan-separate-blast", "israel-hamas-war", "pakistan-fm-statement",
        "pakistan-pm-cuts-davos"}
    # a group one report names as the target finds the event, whatever the row's own target says
    assert ids(events, targets=frozenset({"baloch liberation front"})) == {"pakistan-strike-saravan"}
    assert ids(events, targets=frozenset({"Jaish al-Adl"})) == {"iran-strike-balochistan"}


def test_constraints_combine_with_and(events):
    assert ids(events, actors=frozenset({"Iran"}), event_types=frozenset({"air/missile strike"}),
               since=date(2024, 1, 16)) == {"iran-strike-balochistan"}
    assert ids(events, actors=frozenset({"Iran"}), reports=frozenset({"002_eeea1aa35011d9b6"})) == {
        "iran-strike-balochistan"}


def test_describe_gives_a_caption():
    flt = EventFilter(since=date(2024, 1, 16), until=date(2024, 1, 18), actors=frozenset({"Iran"}))
    assert flt.describe() == "16–18 Jan 2024 · actor: Iran"
    flt = EventFilter(reports=frozenset({"004_debe0072827b60f6"}), event_types=frozenset({"bombing"}))
    assert flt.describe() == "all dates · type: bombing · report: 004"


@pytest.mark.parametrize(("since", "until", "label"), [
    (date(2024, 1, 16), date(2024, 1, 16), "16 Jan 2024"),
    (date(2023, 12, 30), date(2024, 1, 2), "30 Dec 2023 – 2 Jan 2024"),
    (date(2024, 1, 30), date(2024, 2, 2), "30 Jan – 2 Feb 2024"),
    (date(2024, 1, 16), None, "from 16 Jan 2024"),
    (None, date(2024, 1, 18), "until 18 Jan 2024"),
    (None, None, "all dates"),
])
def test_date_range_labels(since, until, label):
    assert date_range_label(since, until) == label
