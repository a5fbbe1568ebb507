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
