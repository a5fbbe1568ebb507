"""The event-filter options shared by `python -m geo events` and `python -m geo export`.

add_filter_arguments adds --since/--until/--actor/--type/--target/--report; filter_from_args turns them
into an EventFilter, checking each value against the data's filter vocabulary (the one the sidebar and
the URL use), so every surface accepts and rejects the same input. --incident SLUG and --status pick what
load_for_args reads from the store; without them, the seed incident's accepted events, as before.
"""

from __future__ import annotations

import argparse
from datetime import date

from geo.dataset import Dataset, DataSource, load_dataset
from geo.errors import InputError
from geo.events.filter import HIDE_CHOICES, EventFilter
from geo.events.table import EVENT_TYPES
from geo.events.vocabulary import FilterVocabulary


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--incident", metavar="SLUG", help="incident in the store (default: the seed incident)")
    parser.add_argument("--status", choices=("accepted", "candidate", "rejected", "all"), default="accepted",
                        help="which events (default: accepted)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="first day, inclusive")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="last day, inclusive")
    parser.add_argument("--actor", action="append", default=[], metavar="A", help="actor (repeat or a,b)")
    parser.add_argument("--type", action="append", default=[], metavar="T",
                        help=f"event type (repeat or a,b); one of: {', '.join(EVENT_TYPES)}")
    parser.add_argument("--target", action="append", default=[], metavar="T", help="target (repeat or a,b)")
    parser.add_argument("--report", action="append", default=[], metavar="R",
                        help="report id or unique prefix, e.g. 004 (repeat or a,b)")
    parser.add_argument("--hide", action="append", default=[], metavar="H",
                        help="leave out " + ", ".join(f"{k} ({v})" for k, v in HIDE_CHOICES.items())
                        + " (repeat or a,b)")


def _values(raw: list[str]) -> list[str]:
    return [part.strip() for item in raw for part in item.split(",") if part.strip()]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2024-01-16") from None


def _known(values: list[str], vocabulary: FilterVocabulary, key: str) -> frozenset[str]:
    chosen = {value: vocabulary.canonical(key, value) for value in values}
    unknown = [v for v, known in chosen.items() if known is None]
    if unknown:
        raise InputError(f"--{key} {', '.join(map(repr, unknown))} not known; "
                         f"choose from: {', '.join(vocabulary.values(key))}")
    return frozenset(v for v in chosen.values() if v)


def _reports(values: list[str], vocabulary: FilterVocabulary) -> frozenset[str]:
    known = vocabulary.report
    chosen = set()
    for value in values:
        matches = [r for r in known if r == value or r.startswith(value)]
        if len(matches) != 1:
            reason = "matches no report" if not matches else f"matches {len(matches)} reports"
            raise InputError(f"--report {value!r} {reason}; reports: {', '.join(known)}")
        chosen.add(matches[0])
    return frozenset(chosen)


def filter_from_args(args: argparse.Namespace, vocabulary: FilterVocabulary) -> EventFilter:
    """The EventFilter the options describe; InputError for anything it cannot mean."""
    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    if since and until and since > until:
        raise InputError(f"--since {since} is after --until {until}")
    return EventFilter(
        since=since, until=until,
        actors=_known(_values(args.actor), vocabulary, "actor"),
        event_types=_known(_values(args.type), vocabulary, "type"),
        targets=_known(_values(args.target), vocabulary, "target"),
        reports=_reports(_values(args.report), vocabulary),
        hide=_hide(_values(getattr(args, "hide", []))),
    )


def _hide(values: list[str]) -> frozenset[str]:
    unknown = [v for v in values if v not in HIDE_CHOICES]
    if unknown:
        raise InputError(f"--hide {', '.join(map(repr, unknown))} not known; choose from: {', '.join(HIDE_CHOICES)}")
    return frozenset(values)


def load_for_args(args: argparse.Namespace) -> Dataset:
    """The Dataset of the incident and status the options name (the store is made ready on first use)."""
    from geo.store.engine import StoreError, StoreUnreachable

    try:
        return load_dataset(DataSource.default(args.incident, args.status))
    except StoreUnreachable:  # not the user's input: a DataError (exit 1)
        raise
    except StoreError as exc:
        raise InputError(str(exc)) from None
