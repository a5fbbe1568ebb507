"""EventFilter <-> URL query parameters, so a filtered view can be shared as a link.

    ?since=2024-01-16&until=2024-01-18&actor=Iran&actor=Pakistan&type=…&report=…&target=…&hide=month

Pure functions. Lists are repeated keys (Streamlit's st.query_params keeps them with get_all);
a comma-separated single value is not split, because names may contain commas. Values that do
not parse, or that name nothing the data knows, are dropped with a message that says which
parameter and why; the rest of the filter still applies.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date

from geo.events.filter import HIDE_CHOICES, EventFilter

#: query parameter -> EventFilter field holding a set of names
SET_PARAMS: dict[str, str] = {
    "actor": "actors",
    "type": "event_types",
    "report": "reports",
    "target": "targets",
}
DATE_PARAMS: dict[str, str] = {"since": "since", "until": "until"}
HIDE_PARAM = "hide"
ALL_PARAMS = (*DATE_PARAMS, *SET_PARAMS, HIDE_PARAM)


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
    if flt.hide:
        params[HIDE_PARAM] = sorted(flt.hide)
    return params


def _values(raw: str | Iterable[str] | None) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    return [v.strip() for v in raw if v is not None and v.strip()]


def _parse_date(key: str, raw: list[str], problems: list[str]) -> date | None:
    if not raw:
        return None
    if len(raw) > 1:
        problems.append(f"query parameter {key!r}: {len(raw)} values given, the last one is used")
    text = raw[-1]
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"query parameter {key!r}: {text!r} is not a date (YYYY-MM-DD); ignored")
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
    since = _parse_date("since", _values(params.get("since")), problems)
    until = _parse_date("until", _values(params.get("until")), problems)
    if since and until and since > until:
        problems.append(f"query parameters 'since' {since} is after 'until' {until}; swapped")
        since, until = until, since
    sets: dict[str, frozenset[str]] = {}
    for key, field in SET_PARAMS.items():
        values = list(dict.fromkeys(_values(params.get(key))))
        allowed = None if known is None else known.get(key)
        if allowed is not None:
            unknown = [v for v in values if v not in allowed]
            for value in unknown:
                problems.append(f"query parameter {key!r}: no such value {value!r}; ignored")
            values = [v for v in values if v in allowed]
        sets[field] = frozenset(values)
    hide = list(dict.fromkeys(_values(params.get(HIDE_PARAM))))
    for value in hide:
        if value not in HIDE_CHOICES:
            problems.append(f"query parameter {HIDE_PARAM!r}: no such value {value!r} "
                            f"(one of {', '.join(HIDE_CHOICES)}); ignored")
    sets["hide"] = frozenset(v for v in hide if v in HIDE_CHOICES)
    return EventFilter(since=since, until=until, **sets), problems


def with_dates(flt: EventFilter, since: date | None, until: date | None) -> EventFilter:
    """A copy of flt with a new date range (helper for widgets that return a pair)."""
    return replace(flt, since=since, until=until)
