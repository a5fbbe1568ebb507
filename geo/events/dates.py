"""Dates as news reports write them, resolved against the report's publication date.

Rules (a news report's own conventions):
- a calendar date ("Jan 16", "January 18, 2024") is parsed by dateparser; without a year it is the
  latest such day on or before publication;
- a weekday ("early Thursday", "late Monday", "on Wednesday", "Tuesday") is the most recent such day
  on or before publication ("last Monday" is strictly before it, "next Monday" strictly after);
- "today" / "this morning" / "yesterday" / "N days ago" count back from publication;
- "in recent weeks", "in the past few weeks" -> a range: the RECENT_WEEKS weeks up to publication
  (a few weeks, read generously so the range holds the event: 8 weeks);
- "earlier this month", "early this month", "this month" -> the publication month (month precision);
  "last month" -> the month before;
- weeks run Monday to Sunday and are ranges, never a day: "this week", "earlier this week", "earlier in the
  week" -> the publication week; "last week" -> the week before; "N weeks ago", "a week ago" -> the week N
  weeks before; "Tuesday last week" -> that day of the week before; "in the past week" -> the 7 days up to
  publication;
- "over the weekend", "at the weekend", "this weekend" -> the latest Saturday-Sunday whose Saturday is on or
  before publication; "last weekend" written on a weekend -> the one before;
- "last night", "overnight", "during the night" -> the day before publication and the publication day (a
  night runs across midnight);
- "last year" -> the year before (1 Jan - 31 Dec); "earlier this year", "early this year" -> 1 Jan to
  publication; "this year" -> the publication year;
- a month name ("early January", "earlier in January", "December") -> that month, in the latest year
  that puts it on or before publication; "December last year" -> that month of the previous year.

dateparser alone is not enough: it resolves "Thursday" written on a Thursday to a week earlier.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from text_to_num import alpha2digit

from geo.events.model import Claim

PRECISIONS = ("day", "range", "month")
#: how far back "in recent weeks" reaches (generous: a range must hold the event)
RECENT_WEEKS = 8

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAYS = tuple(calendar.day_name)  # Monday ... Sunday
_MONTH_NUMBER = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NUMBER.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NUMBER["sept"] = 9

_CALENDAR = re.compile(
    rf"\b(?:(?P<m1>{_MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTHS})\.?(?:,?\s+(?P<y2>\d{{4}}))?)\b"
)
_WEEKDAY = re.compile(
    rf"\b(?:(?P<qual>early|late|last|on|this|next)\s+)?(?P<day>{'|'.join(_WEEKDAYS)})"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?(?P<last_week>,?\s+(?:of\s+)?last\s+week)?\b",
    re.IGNORECASE,
)
_DAYS_AGO = re.compile(r"\b(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s+days?\s+ago\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
_THIS_MONTH = re.compile(r"\b(?:(?:early|earlier|late|later|mid)[- ])?(?:in\s+)?this month\b", re.IGNORECASE)
_LAST_MONTH = re.compile(r"\blast month\b", re.IGNORECASE)
_RECENT_WEEKS = re.compile(r"\b(?:in\s+)?(?:recent|the\s+(?:past|last)\s+(?:few|several))\s+weeks\b", re.IGNORECASE)
_PAST_WEEK = re.compile(r"\b(?:in|over|during|within)\s+the\s+(?:past|last)\s+(?:week|seven days|7 days)\b",
                        re.IGNORECASE)
_WEEK = re.compile(
    r"\b(?:(?:early|earlier|late|later)\s+in\s+the\s+week"
    r"|(?:(?:early|earlier|late|later)\s+)?(?P<which>this|last)\s+week)\b", re.IGNORECASE)
_WEEKS_AGO = re.compile(r"\b(?P<n>\d+|an?|[a-z]+(?:-[a-z]+)?)\s+weeks?\s+ago\b", re.IGNORECASE)
_WEEKEND = re.compile(r"\b(?:(?:over|at|during|on)\s+the|(?P<which>this|last))\s+weekend\b", re.IGNORECASE)
_NIGHT = re.compile(r"\b(?:(?:late\s+)?last\s+night|overnight|during\s+the\s+night)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:(?P<earlier>early|earlier)\s+)?(?:in\s+)?(?P<which>this|last)\s+year\b", re.IGNORECASE)
_MONTH_NAME = re.compile(
    rf"\b(?:(?:early|earlier|late|later|mid)[- ](?:in\s+)?)?(?P<month>{_MONTHS})\b"
    r"(?!\.?\s+\d{1,2}\b)(?:\s+(?P<year>\d{4})|\s+(?P<last>last year))?",
)


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression found in text: the words, and the day or month they mean."""

    phrase: str
    start: date
    end: date
    precision: str  # "day" | "range" | "month"

    @property
    def iso(self) -> str:
        """YYYY-MM for a month, else YYYY-MM-DD (a day, or a range's first day: the events.csv `date` form)."""
        return self.start.strftime("%Y-%m") if self.precision == "month" else self.start.isoformat()


def month_span(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_iso_date(value: str) -> ResolvedDate:
    """An events.csv date ('YYYY-MM-DD' or 'YYYY-MM') as a span; ValueError if neither."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = date.fromisoformat(value)
        return ResolvedDate(value, day, day, "day")
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} out of range")
        start, end = month_span(year, month)
        return ResolvedDate(value, start, end, "month")
    raise ValueError("not YYYY-MM-DD or YYYY-MM")


def _day(phrase: str, day: date) -> ResolvedDate:
    return ResolvedDate(phrase, day, day, "day")


def _month(phrase: str, year: int, month: int) -> ResolvedDate:
    start, end = month_span(year, month)
    return ResolvedDate(phrase, start, end, "month")


def _range(phrase: str, start: date, end: date) -> ResolvedDate:
    return ResolvedDate(phrase, start, end, "range")


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week a day is in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _week(match: re.Match[str], published: date) -> ResolvedDate:
    which = (match.group("which") or "this").lower()
    return _range(match.group(0), *week_of(published - timedelta(weeks=1 if which == "last" else 0)))


def _weeks_ago(match: re.Match[str], published: date) -> ResolvedDate | None:
    words = match.group("n").lower()
    number = "1" if words in ("a", "an") else alpha2digit(words, "en", threshold=0).split()[-1]
    if not number.isdigit():
        return None
    return _range(match.group(0), *week_of(published - timedelta(weeks=int(number))))


def _weekend(match: re.Match[str], published: date) -> ResolvedDate:
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)
    if (match.group("which") or "").lower() == "last" and published.weekday() >= 5:
        saturday -= timedelta(weeks=1)  # written on a weekend, "last weekend" is the one before
    return _range(match.group(0), saturday, saturday + timedelta(days=1))


def _year(match: re.Match[str], published: date) -> ResolvedDate:
    if match.group("which").lower() == "last":
        return _range(match.group(0), date(published.year - 1, 1, 1), date(published.year - 1, 12, 31))
    end = published if match.group("earlier") else date(published.year, 12, 31)
    return _range(match.group(0), date(published.year, 1, 1), end)


def _previous_month(day: date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def _calendar_date(match: re.Match[str], published: date) -> ResolvedDate | None:
    base = datetime.combine(published, datetime.min.time())
    parsed = dateparser.parse(
        match.group(0), languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]},
    )
    return _day(match.group(0), parsed.date()) if parsed else None


def _weekday(match: re.Match[str], published: date) -> ResolvedDate:
    target = _WEEKDAYS.index(match.group("day").capitalize())
    qualifier = (match.group("qual") or "").lower()
    if qualifier == "next":  # the one after publication
        ahead = (target - published.weekday()) % 7 or 7
        return _day(match.group(0), published + timedelta(days=ahead))
    if match.group("last_week"):  # "Tuesday last week": that day of the week before
        return _day(match.group(0), week_of(published)[0] - timedelta(weeks=1) + timedelta(days=target))
    back = (published.weekday() - target) % 7
    if qualifier == "last" and back == 0:
        back = 7
    return _day(match.group(0), published - timedelta(days=back))


def _month_name(match: re.Match[str], published: date) -> ResolvedDate:
    month = _MONTH_NUMBER[match.group("month").lower()]
    if match.group("year"):
        year = int(match.group("year"))
    elif match.group("last"):
        year = published.year - 1
    else:
        year = published.year if month <= published.month else published.year - 1
    return _month(match.group(0), year, month)


def find_dates(text: str, published: date) -> list[ResolvedDate]:
    """Every date expression in text, in reading order, resolved against the publication date.

    Where expressions overlap ("Tuesday (Jan 16)" holds a weekday and a calendar date) the one found
    first by priority wins: calendar dates, then weekdays, then relative days, then months.
    """
    found: list[tuple[int, int, ResolvedDate]] = []

    def add(match: re.Match[str], resolved: ResolvedDate | None) -> None:
        if resolved is None:
            return
        start, end = match.span()
        if any(start < f_end and f_start < end for f_start, f_end, _ in found):
            return
        found.append((start, end, resolved))

    for m in _CALENDAR.finditer(text):
        add(m, _calendar_date(m, published))
    for m in _WEEKDAY.finditer(text):
        add(m, _weekday(m, published))
    for m in _TODAY.finditer(text):
        add(m, _day(m.group(0), published))
    for m in _YESTERDAY.finditer(text):
        add(m, _day(m.group(0), published - timedelta(days=1)))
    for m in _DAYS_AGO.finditer(text):
        number = alpha2digit(m.group("n"), "en", threshold=0).split()[-1]
        if number.isdigit():
            add(m, _day(m.group(0), published - timedelta(days=int(number))))
    for m in _THIS_MONTH.finditer(text):
        add(m, _month(m.group(0), published.year, published.month))
    for m in _LAST_MONTH.finditer(text):
        add(m, _month(m.group(0), *_previous_month(published)))
    for m in _RECENT_WEEKS.finditer(text):
        add(m, ResolvedDate(m.group(0), published - timedelta(weeks=RECENT_WEEKS), published, "range"))
    for m in _PAST_WEEK.finditer(text):
        add(m, _range(m.group(0), published - timedelta(days=7), published))
    for m in _WEEK.finditer(text):
        add(m, _week(m, published))
    for m in _WEEKS_AGO.finditer(text):
        add(m, _weeks_ago(m, published))
    for m in _WEEKEND.finditer(text):
        add(m, _weekend(m, published))
    for m in _NIGHT.finditer(text):
        add(m, _range(m.group(0), published - timedelta(days=1), published))
    for m in _MONTH_NAME.finditer(text):
        add(m, _month_name(m, published))
    for m in _YEAR.finditer(text):  # after month names: "December last year" is a month
        add(m, _year(m, published))
    # A calendar date and its weekday written next to each other ("Tuesday (Jan 16)") are one date.
    found.sort(key=lambda item: item[0])
    merged: list[tuple[int, int, ResolvedDate]] = []
    for start, end, resolved in found:
        if merged and resolved.precision == "day" and merged[-1][2].precision == "day" \
                and re.fullmatch(r"[\s(,]*", text[merged[-1][1]:start]) and merged[-1][2].start == resolved.start:
            prev_start = merged[-1][0]
            end_ = end + (1 if text[end:end + 1] == ")" else 0)
            merged[-1] = (prev_start, end_, _day(text[prev_start:end_], resolved.start))
            continue
        merged.append((start, end, resolved))
    return [resolved for _, _, resolved in merged]


def resolve_date(text: str, published: date) -> ResolvedDate | None:
    """The first date expression in text, resolved against the publication date; None if there is none."""
    dates = find_dates(text, published)
    return dates[0] if dates else None


def resolved_claim_date(claim: Claim, published: dict[str, date | None]) -> ResolvedDate | None:
    """What a date claim's quote means, resolved against its report's publication date."""
    day = published.get(claim.report_id)
    return resolve_date(claim.quote, day) if day else None
