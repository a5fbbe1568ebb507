"""`python -m geo events`: the filtered event table as CSV or GeoJSON, with coordinates from the geocoder.

Filters (--actor, --type, --target, --report) repeat or take comma-separated values; --since/--until are
inclusive YYYY-MM-DD dates. --disagreements prints where the reports disagree instead of the table.
Problems loading the curated files go to stderr as warnings; the good rows are still printed.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date

from geo.commands.filter_args import add_filter_arguments, load_for_args
from geo.commands.main import InputError
from geo.events.filter import EventFilter, filter_events
from geo.events.table import EVENT_TYPES, EventTable, actors, disagreements, to_geodataframe, to_records

CSV_COLUMNS = (
    "id", "date", "date_end", "date_precision", "actor", "target", "event_type", "place", "geo_precision",
    "lat", "lon", "origin", "origin_lat", "origin_lon", "fatalities_low", "fatalities_high", "fatalities",
    "reports", "summary",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_filter_arguments(parser)
    parser.add_argument("--format", choices=("csv", "geojson"), default="csv")
    parser.add_argument("--disagreements", action="store_true",
                        help="list where the reports disagree (for the filtered events) instead of the table")


def _values(raw: list[str]) -> list[str]:
    return [part.strip() for item in raw for part in item.split(",") if part.strip()]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2024-01-16") from None


def _known(values: list[str], known: list[str], option: str) -> frozenset[str]:
    folded = {k.casefold(): k for k in known}
    unknown = [v for v in values if v.casefold() not in folded]
    if unknown:
        raise InputError(f"{option} {', '.join(map(repr, unknown))} not known; choose from: {', '.join(known)}")
    return frozenset(folded[v.casefold()] for v in values)


def _reports(values: list[str], table: EventTable) -> frozenset[str]:
    known = sorted(table.published)
    chosen = set()
    for value in values:
        matches = [r for r in known if r == value or r.startswith(value)]
        if len(matches) != 1:
            reason = "matches no report" if not matches else f"matches {len(matches)} reports"
            raise InputError(f"--report {value!r} {reason}; reports: {', '.join(known)}")
        chosen.add(matches[0])
    return frozenset(chosen)


def build_filter(args: argparse.Namespace, table: EventTable) -> EventFilter:
    """The EventFilter the options describe; InputError for anything it cannot mean."""
    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    if since and until and since > until:
        raise InputError(f"--since {since} is after --until {until}")
    from geo.events.table import targets

    return EventFilter(
        since=since, until=until,
        actors=_known(_values(args.actor), actors(table.events), "--actor"),
        event_types=_known(_values(args.type), list(EVENT_TYPES), "--type"),
        targets=_known(_values(args.target), targets(table.events), "--target"),
        reports=_reports(_values(args.report), table),
    )


def run(args: argparse.Namespace) -> int:
    table = load_for_args(args).table
    flt = build_filter(args, table)
    for problem in table.problems:
        print(f"warning: {problem}", file=sys.stderr)
    events = filter_events(table.events, flt)
    if args.disagreements:
        ids = {e.id for e in events}
        for item in disagreements(table):
            if item.event_id in ids or item.event_id in {f.id for f in table.facts}:
                print(item)
        return 0
    if args.format == "geojson":
        print(to_geodataframe(events).to_json(ensure_ascii=False, drop_id=True))
        return 0
    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in to_records(events):
        writer.writerow({k: ("" if v is None else v) for k, v in record.items()})
    print(f"# {len(events)} of {len(table.events)} events · {flt.describe()}", file=sys.stderr)
    return 0
