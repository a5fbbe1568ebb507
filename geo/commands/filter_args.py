"""The event-filter options shared by `python -m geo events` and `python -m geo export`.

--incident SLUG and --status candidate|accepted|all pick what is read from the store (geo.store);
without them, the first curated incident (data/incidents.csv) and its accepted events, as before.

add_filter_arguments adds --since/--until/--actor/--type/--target/--report (the same options and help
as the events command); filter_from_args turns them into an EventFilter with the events command's
validation (geo.commands.events.build_filter), so both commands accept and reject the same input.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from geo.events.filter import EventFilter
from geo.events.table import EVENT_TYPES, EventTable

if TYPE_CHECKING:
    from geo.store.ready import IncidentData


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--incident", metavar="SLUG", help="incident in the store (default: the seed incident)")
    parser.add_argument("--status", choices=("candidate", "accepted", "rejected", "all"), default="accepted",
                        help="which events: accepted (default), candidate, rejected or all")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="first day, inclusive")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="last day, inclusive")
    parser.add_argument("--actor", action="append", default=[], metavar="A", help="actor (repeat or a,b)")
    parser.add_argument("--type", action="append", default=[], metavar="T",
                        help=f"event type (repeat or a,b); one of: {', '.join(EVENT_TYPES)}")
    parser.add_argument("--target", action="append", default=[], metavar="T", help="target (repeat or a,b)")
    parser.add_argument("--report", action="append", default=[], metavar="R",
                        help="report id or unique prefix, e.g. 004 (repeat or a,b)")


def filter_from_args(args: argparse.Namespace, table: EventTable) -> EventFilter:
    """The EventFilter the options describe; geo.commands.main.InputError for anything it cannot mean."""
    from geo.commands.events import build_filter

    return build_filter(args, table)


def load_for_args(args: argparse.Namespace) -> IncidentData:
    """The incident and events the --incident/--status options name, from the store (ready on first use)."""
    from geo.commands.main import InputError
    from geo.store.engine import StoreError
    from geo.store.ready import load_incident, ready_store

    try:
        store = ready_store()
        try:
            return load_incident(store, args.incident, args.status)
        finally:
            store.dispose()
    except StoreError as exc:
        raise InputError(str(exc)) from None
