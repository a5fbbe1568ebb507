"""Dates as news reports write them, resolved against the report's publication date.

Rules (a news report's own conventions):
- a calendar date ("Jan 16", "January 18, 2024") is parsed by dateparser; without a year it is the
  latest such day on or before publication;
- a weekday ("early Thursday", "late Monday", "on Wednesday", "Tuesday") is the most recent such day
  on or before publication ("last Monday" is strictly before it, "next Monday" strictly after);
- "today" / "this morning" / "yesterday" / "N days ago" count back from publication;
- "earlier this month", "early this month", "this month" -> the publication month (month precision);
  "last month" -> the month before;
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

PRECISIONS = ("day", "month")

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
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
    re.IGNORECASE,
)
_DAYS_AGO = re.compile(r"\b(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s+days?\s+ago\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
_THIS_MONTH = re.compile(r"\b(?:(?:early|earlier|late|later|mid)[- ])?(?:in\s+)?this month\b", re.IGNORECASE)
_LAST_MONTH = re.compile(r"\blast month\b", re.IGNORECASE)
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
    precision: str  # "day" | "month"

    @property
    def iso(self) -> str:
        """YYYY-MM-DD for a day, YYYY-MM for a month (the events.csv `date` form)."""
        return self.start.isoformat() if self.precision == "day" else self.start.strftime("%Y-%m")


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
    for m in _MONTH_NAME.finditer(text):
        add(m, _month_name(m, published))
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
