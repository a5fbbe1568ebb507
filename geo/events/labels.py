"""The one way dates are written for people: days, ranges and an event's date (map, table, exports, captions)."""

from __future__ import annotations

from datetime import date

from geo.events.model import Event


def day_label(d: date, year: bool = True) -> str:
    """'16 Jan 2024' (or '16 Jan'), without platform-specific strftime flags."""
    return f"{d.day} {d:%b %Y}" if year else f"{d.day} {d:%b}"


def date_range_label(since: date | None, until: date | None, year: bool = True) -> str:
    """ "16–18 Jan 2024", "30 Dec 2023 – 2 Jan 2024", "from 16 Jan 2024", "until 18 Jan 2024", "all dates"."""
    if since and until:
        if since == until:
            return day_label(since, year)
        if (since.year, since.month) == (until.year, until.month):
            return f"{since.day}–{day_label(until, year)}"
        if since.year == until.year:
            return f"{since.day} {since:%b} – {day_label(until, year)}"
        return f"{day_label(since, year)} – {day_label(until, year)}"
    if since:
        return f"from {day_label(since, year)}"
    if until:
        return f"until {day_label(until, year)}"
    return "all dates"


def event_date_label(event: Event, year: bool = True) -> str:
    """An event's date as precise as its sources: '18 Jan 2024', '16–17 Jan 2024', 'Jan 2024' (month only),
    'ongoing as of 19 Jan 2024' (under way when the last report on it was written)."""
    if event.date_precision == "month":
        text = f"{event.date_start:%b %Y}"
        return f"{text}, ongoing" if event.ongoing else text
    if event.ongoing:
        return f"ongoing as of {day_label(event.date_end, year)}"
    return date_range_label(event.date_start, event.date_end, year)
