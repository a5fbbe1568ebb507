"""`python -m geo events`: the filtered event table as CSV or GeoJSON, with coordinates from the geocoder.

Filters (--actor, --type, --target, --report) repeat or take comma-separated values; --since/--until are
inclusive YYYY-MM-DD dates. --disagreements prints where the reports disagree instead of the table.
Problems loading the curated files go to stderr as warnings; the good rows are still printed.
"""

from __future__ import annotations

import argparse
import csv
import sys

from geo.commands.filter_args import add_filter_arguments, filter_from_args, load_for_args
from geo.events.filter import filter_events
from geo.events.table import disagreements, to_geodataframe, to_records

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


def run(args: argparse.Namespace) -> int:
    dataset = load_for_args(args)
    table = dataset.table
    flt = filter_from_args(args, dataset.vocabulary)
    for problem in dataset.problems:
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
