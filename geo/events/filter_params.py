"""EventFilter <-> URL query parameters, so a filtered view can be shared as a link.

    ?since=2024-01-16&until=2024-01-18&actor=Iran&actor=Pakistan&type=…&report=…&target=…

Pure functions. Lists are repeated keys (Streamlit's st.query_params keeps them with get_all);
a comma-separated single value is not split, because names may contain commas. Values that do
not parse, or that name nothing the data knows, are dropped with a message that says which
parameter and why; the rest of the filter still applies. A link is untrusted input: at most
MAX_PARAM_VALUES values per parameter and MAX_PARAM_CHARS characters per value are read, and a value
is echoed in a message only shortened.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date

from geo.events.filter import EventFilter, date_range_label

#: query parameter -> EventFilter field holding a set of names
SET_PARAMS: dict[str, str] = {
    "actor": "actors",
    "type": "event_types",
    "report": "reports",
    "target": "targets",
}
DATE_PARAMS: dict[str, str] = {"since": "since", "until": "until"}
ALL_PARAMS = (*DATE_PARAMS, *SET_PARAMS)
#: Longest value read (names in the data are far shorter); longer ones are ignored, not echoed.
MAX_PARAM_CHARS = 200
#: Most values read per parameter.
MAX_PARAM_VALUES = 50
#: Longest stretch of a value repeated in a message.
_ECHO_CHARS = 60


def to_query_params(flt: EventFilter) -> dict[str, list[str]]:
    """The filter as query parameters: only constrained fields, values sorted (stable links)."""
    params: dict[str, list[str]] = {}
    for key, field in DATE_PARAMS.items():
        value = getattr(flt, field)
        if value is not None:
            params[key] = [value.isoformat()]
    for key, field in SET_PARAMS.items():
        values = getattr(flt, field)
        if values:
            params[key] = sorted(values)
    return params


def _shown(value: str) -> str:
    """A value as it may appear in a message: quoted, and shortened to _ECHO_CHARS."""
    return repr(value if len(value) <= _ECHO_CHARS else value[:_ECHO_CHARS] + "…")


def _values(key: str, raw: str | Iterable[str] | None, problems: list[str]) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    values = [v.strip() for v in itertools.islice(raw, MAX_PARAM_VALUES + 1) if v is not None and v.strip()]
    if len(values) > MAX_PARAM_VALUES:
        problems.append(f"query parameter {key!r}: more than {MAX_PARAM_VALUES} values; only the first "
                        f"{MAX_PARAM_VALUES} read")
        values = values[:MAX_PARAM_VALUES]
    long = [v for v in values if len(v) > MAX_PARAM_CHARS]
    if long:
        problems.append(f"query parameter {key!r}: {len(long)} value(s) over {MAX_PARAM_CHARS} characters "
                        f"(the longest {max(map(len, long)):,}); ignored")
    return [v for v in values if len(v) <= MAX_PARAM_CHARS]


def _parse_date(key: str, raw: list[str], problems: list[str]) -> date | None:
    if not raw:
        return None
    if len(raw) > 1:
        problems.append(f"query parameter {key!r}: {len(raw)} values given, the last one is used")
    text = raw[-1]
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"query parameter {key!r}: {_shown(text)} is not a date (YYYY-MM-DD); ignored")
        return None


def from_query_params(
    params: Mapping[str, str | Iterable[str]],
    known: Mapping[str, Collection[str]] | None = None,
) -> tuple[EventFilter, list[str]]:
    """The filter the query parameters describe, and what was wrong with them.

    known maps a parameter name ("actor", "type", "report", "target") to the values the data
    holds; a value not in it is dropped with a message. Unknown parameter names are ignored
    silently (links may carry other state).
    """
    problems: list[str] = []
    since = _parse_date("since", _values("since", params.get("since"), problems), problems)
    until = _parse_date("until", _values("until", params.get("until"), problems), problems)
    if since and until and since > until:
        problems.append(f"query parameters 'since' {since} is after 'until' {until}; swapped")
        since, until = until, since
    sets: dict[str, frozenset[str]] = {}
    for key, field in SET_PARAMS.items():
        values = list(dict.fromkeys(_values(key, params.get(key), problems)))
        allowed = None if known is None else known.get(key)
        if allowed is not None:
            unknown = [v for v in values if v not in allowed]
            if unknown:
                named = ", ".join(_shown(v) for v in unknown[:3]) + (f" and {len(unknown) - 3} more"
                                                                       if len(unknown) > 3 else "")
                problems.append(f"query parameter {key!r}: no such value {named}; ignored")
            values = [v for v in values if v in allowed]
        sets[field] = frozenset(values)
    return EventFilter(since=since, until=until, **sets), problems


def with_dates(flt: EventFilter, since: date | None, until: date | None) -> EventFilter:
    """A copy of flt with a new date range (helper for widgets that return a pair)."""
    return replace(flt, since=since, until=until)


def fit_dates(since: date | None, until: date | None, lo: date, hi: date) -> tuple[tuple[date, date], list[str], bool]:
    """The date widget's range for a link's since/until within the data's [lo, hi], what to say, and
    whether the link's range misses the data entirely (then no event matches: it is not clamped into
    the data, which would show events the link excludes)."""
    if (since and since > hi) or (until and until < lo):
        asked, data = date_range_label(since, until), date_range_label(lo, hi)
        return (lo, hi), [f"query parameters: {asked} is outside the data ({data}); no event matches"], True
    return (max(since or lo, lo), min(until or hi, hi)), [], False
