"""Relative dates resolve against a report's publication date, checked on the reports' own phrases."""

from __future__ import annotations

from datetime import date

import pytest

from geo.corpus.articles import load_corpus
from geo.events.dates import find_dates, parse_iso_date, resolve_date

THU = date(2024, 1, 18)  # publication date of 000-003
FRI = date(2024, 1, 19)  # publication date of 004


@pytest.mark.parametrize(("text", "published", "phrase", "iso"), [
    ("Pakistan launched retaliatory airstrikes against Iran early Thursday", THU, "early Thursday", "2024-01-18"),
    ("Iran also staged airstrikes late Monday in Iraq and Syria", THU, "late Monday", "2024-01-15"),
    ("said its attack on Tuesday was aimed at terrorist groups", THU, "on Tuesday", "2024-01-16"),
    ("On Wednesday, Pakistan recalled its ambassador", THU, "On Wednesday", "2024-01-17"),
    ("On Wednesday evening, Iranian media reported", THU, "On Wednesday evening", "2024-01-17"),
    ("On Thursday, Pakistan retaliated", FRI, "On Thursday", "2024-01-18"),
    ("On Tuesday (Jan 16), Iran launched", FRI, "On Tuesday (Jan 16)", "2024-01-16"),
    ("Iran, January 18, 2024 in this screen grab", FRI, "January 18, 2024", "2024-01-18"),
    ("killed over 90 people earlier this month", THU, "earlier this month", "2024-01"),
    ("Early this month, over 80 people were killed", FRI, "Early this month", "2024-01"),
    ("killed over 90 people in early January", THU, "early January", "2024-01"),
    ("over 90 people earlier in January", THU, "earlier in January", "2024-01"),
    ("In December last year, 11 Iranian security personnel", FRI, "December last year", "2023-12"),
    ("the province two days ago.", THU, "two days ago", "2024-01-16"),
    ("“This morning’s action was taken", THU, "This morning", "2024-01-18"),
])
def test_report_phrases_resolve_to_the_dates_of_the_strikes(text, published, phrase, iso):
    resolved = resolve_date(text, published)
    assert resolved is not None
    assert (resolved.phrase, resolved.iso) == (phrase, iso)


def test_weekday_on_the_publication_day_is_that_day_and_last_means_a_week_before():
    assert resolve_date("on Thursday", THU).start == THU
    assert resolve_date("last Thursday", THU).start == date(2024, 1, 11)
    assert resolve_date("on Friday", THU).start == date(2024, 1, 12)  # reports tell what has happened
    assert resolve_date("next Thursday", THU).start == date(2024, 1, 25)
    assert resolve_date("next Friday", THU).start == date(2024, 1, 19)


def test_month_without_year_is_the_latest_one_not_after_publication():
    assert resolve_date("in December", FRI).iso == "2023-12"
    assert resolve_date("in January", FRI).iso == "2024-01"
    assert resolve_date("in March 2023", FRI).iso == "2023-03"
    assert resolve_date("earlier this month", date(2024, 3, 5)).iso == "2024-03"
    assert resolve_date("last month", date(2024, 1, 5)).iso == "2023-12"


def test_month_precision_spans_the_whole_month():
    resolved = resolve_date("early this month", date(2024, 2, 20))
    assert (resolved.start, resolved.end, resolved.precision) == (date(2024, 2, 1), date(2024, 2, 29), "month")


def test_text_without_a_date_gives_none_and_words_like_may_are_not_months():
    assert resolve_date("Iraq has recalled its ambassador from Iran for consultations.", THU) is None
    assert resolve_date("the strikes may in part be in response", THU) is None


def test_every_date_expression_is_found_in_reading_order():
    found = find_dates("The tit-for-tat attacks Tuesday and Thursday appeared", THU)
    assert [(d.phrase, d.iso) for d in found] == [("Tuesday", "2024-01-16"), ("Thursday", "2024-01-18")]


def test_iso_dates_parse_to_spans_and_bad_ones_raise():
    assert parse_iso_date("2024-01-16").precision == "day"
    assert parse_iso_date("2024-02").end == date(2024, 2, 29)
    for bad in ("2024-13", "16/01/2024", "2024-02-30", "Jan 2024"):
        with pytest.raises(ValueError):
            parse_iso_date(bad)


def test_the_report_publication_dates_put_the_weekdays_in_the_week_of_the_strikes():
    """The corpus's own dates: Tuesday -> 16 Jan in every report, Thursday -> 18 Jan."""
    for article in load_corpus().articles:
        assert resolve_date("on Tuesday", article.published).start == date(2024, 1, 16), article.id
        assert resolve_date("on Thursday", article.published).start == date(2024, 1, 18), article.id


THURSDAY = date(2025, 7, 24)
NEW_YEARS_DAY = date(2025, 1, 1)  # a Wednesday: its week starts in 2024
SATURDAY = date(2025, 3, 1)
SUNDAY = date(2025, 3, 2)
MONDAY = date(2025, 3, 3)
LEAP_THURSDAY = date(2024, 2, 29)


@pytest.mark.parametrize(("text", "published", "phrase", "start", "end"), [
    ("Shelling hit the village last week.", THURSDAY, "last week", "2025-07-14", "2025-07-20"),
    ("Shelling hit the village last week.", MONDAY, "last week", "2025-02-24", "2025-03-02"),
    ("Shelling hit the village last week.", SUNDAY, "last week", "2025-02-17", "2025-02-23"),
    ("Shelling hit the village last week.", NEW_YEARS_DAY, "last week", "2024-12-23", "2024-12-29"),
    ("Troops clashed late last week near the pass.", THURSDAY, "late last week", "2025-07-14", "2025-07-20"),
    ("Troops clashed earlier this week near the pass.", NEW_YEARS_DAY, "earlier this week", "2024-12-30",
     "2025-01-05"),
    ("Troops clashed earlier this week near the pass.", SUNDAY, "earlier this week", "2025-02-24", "2025-03-02"),
    ("Troops clashed earlier this week near the pass.", MONDAY, "earlier this week", "2025-03-03", "2025-03-09"),
    ("Rockets fell earlier in the week.", THURSDAY, "earlier in the week", "2025-07-21", "2025-07-27"),
    ("Rockets fell this week on the town.", LEAP_THURSDAY, "this week", "2024-02-26", "2024-03-03"),
    ("Drones struck over the weekend.", MONDAY, "over the weekend", "2025-03-01", "2025-03-02"),
    ("Drones struck over the weekend.", SATURDAY, "over the weekend", "2025-03-01", "2025-03-02"),
    ("Drones struck over the weekend.", SUNDAY, "over the weekend", "2025-03-01", "2025-03-02"),
    ("Drones struck at the weekend.", NEW_YEARS_DAY, "at the weekend", "2024-12-28", "2024-12-29"),
    ("Drones struck over the weekend.", THURSDAY, "over the weekend", "2025-07-19", "2025-07-20"),
    ("Drones struck last weekend.", SUNDAY, "last weekend", "2025-02-22", "2025-02-23"),
    ("Drones struck last weekend.", MONDAY, "last weekend", "2025-03-01", "2025-03-02"),
    ("Artillery fire was heard last night.", NEW_YEARS_DAY, "last night", "2024-12-31", "2025-01-01"),
    ("Two posts were shelled overnight.", SATURDAY, "overnight", "2025-02-28", "2025-03-01"),
    ("A depot burned two weeks ago.", THURSDAY, "two weeks ago", "2025-07-07", "2025-07-13"),
    ("A depot burned 3 weeks ago.", NEW_YEARS_DAY, "3 weeks ago", "2024-12-09", "2024-12-15"),
    ("A depot burned a week ago.", MONDAY, "a week ago", "2025-02-24", "2025-03-02"),
    ("Clashes erupted in the past week.", MONDAY, "in the past week", "2025-02-24", "2025-03-03"),
    ("The border was closed last year.", NEW_YEARS_DAY, "last year", "2024-01-01", "2024-12-31"),
    ("The border was closed earlier this year.", THURSDAY, "earlier this year", "2025-01-01", "2025-07-24"),
    ("The border was closed this year.", LEAP_THURSDAY, "this year", "2024-01-01", "2024-12-31"),
])
def test_weeks_weekends_nights_and_years_are_ranges(text, published, phrase, start, end):
    resolved = resolve_date(text, published)
    assert resolved is not None
    assert (resolved.phrase, resolved.start.isoformat(), resolved.end.isoformat(), resolved.precision) == (
        phrase, start, end, "range")


@pytest.mark.parametrize(("text", "published", "day"), [
    ("Jets struck on Tuesday last week.", THURSDAY, "2025-07-15"),
    ("Jets struck Tuesday of last week.", NEW_YEARS_DAY, "2024-12-24"),
    ("Jets struck Sunday last week.", MONDAY, "2025-03-02"),
])
def test_a_weekday_of_last_week_is_that_day_of_the_week_before(text, published, day):
    resolved = resolve_date(text, published)
    assert resolved is not None and (resolved.start.isoformat(), resolved.precision) == (day, "day")


def test_year_and_week_words_that_are_no_date_stay_none():
    assert resolve_date("He visited for several weeks ago-style talks", THURSDAY) is None
    assert resolve_date("The weekly market reopened; a weekend pass was issued", THURSDAY) is None
    assert resolve_date("December last year", NEW_YEARS_DAY).iso == "2024-12"  # a month, not the whole year
