"""`python -m geo export --out FILE [--bbox W,S,E,N] [--select ID,...] [--changes-since-briefing] [--context]
[filters]`: the briefing export of the filtered map or table, optionally of the view on screen (its extent and
selected events).

The file's extension picks the format: .png (16:9 slide), .pdf (A4 landscape), .html (interactive,
self-contained), .csv (events with their claims), .claims.csv (one row per claim), .geojson, .kml, .kmz
(KML with its icons inside, for an offline Google Earth). On a PNG or PDF, --changes-since-briefing adds a
box of what changed since the last briefing marked as given, and --context draws the incident's context
layer (ACLED/UCDP imports) aggregated as hexagons.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.commands.filter_args import add_filter_arguments, filter_from_args, load_for_args
from geo.context.query import ContextFilter
from geo.dataset import DATA_DIR_ENV, Dataset, DataSource
from geo.errors import InputError
from geo.events.filter import EventFilter
from geo.export import FORMATS, build_briefing, format_for_path, render
from geo.export.briefing import DEFAULT_TITLE, ChangesBox, ContextLayer
from geo.files import write_atomic
from geo.maps.view import MapView, parse_bbox
from geo.paths import DATA_DIR
from geo.store.ready import shared_store
from geo.views.changes import changes_box


def add_arguments(parser: argparse.ArgumentParser) -> None:
    extensions = ", ".join(f.extension for f in FORMATS.values())
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help=f"output file: {extensions}")
    parser.add_argument("--title", help="title on the map and page (default: the incident's title; "
                                        f"{DEFAULT_TITLE!r} for a folder)")
    parser.add_argument("--bbox", metavar="W,S,E,N",
                        help="the map's extent in degrees (default: fitted to the events), as in the dashboard's link")
    parser.add_argument("--select", metavar="ID,...", help="events to highlight (comma-separated event ids)")
    parser.add_argument("--changes-since-briefing", action="store_true",
                        help="PNG/PDF: add a box of what changed since the last briefing marked as given")
    parser.add_argument("--context", action="store_true",
                        help="PNG/PDF: draw the incident's context layer (ACLED/UCDP imports), aggregated")
    add_filter_arguments(parser)


def _check_not_data(out: Path) -> None:
    """The curated data (events, claims, facts, reports, boundaries, gazetteer) is never an export target."""
    target = out.resolve()
    for folder in {DATA_DIR.resolve(), DataSource.default().data_dir.resolve()}:
        if target.is_relative_to(folder):
            raise InputError(f"--out {str(out)!r} is inside the data folder ({folder.name}/), which holds the "
                             "curated tables and reports; write the export somewhere else")


def view_from_args(args: argparse.Namespace, event_ids: list[str]) -> MapView:
    """--bbox and --select as a MapView; InputError naming the option for a bad value."""
    bbox = None
    if args.bbox:
        try:
            bbox = parse_bbox(args.bbox)
        except InputError as exc:
            raise InputError(f"--bbox: {exc}") from None
    selected = tuple(dict.fromkeys(i.strip() for i in (args.select or "").split(",") if i.strip()))
    unknown = [i for i in selected if i not in set(event_ids)]
    if unknown:
        raise InputError(f"--select: no such event {', '.join(map(repr, unknown))}")
    return MapView(bbox=bbox, selected=selected)


def _additions(args: argparse.Namespace, dataset: Dataset,
               flt: EventFilter) -> tuple[ChangesBox | None, ContextLayer | None]:
    """The changes box and the context layer the options ask for, read from the incident's store."""
    if not (args.changes_since_briefing or args.context):
        return None, None
    source = DataSource.default(args.incident, args.status)
    if source.store_url is None or dataset.incident is None:
        raise InputError("--changes-since-briefing and --context read the store; the data folder "
                         f"{str(source.data_dir)!r} is read as files (unset {DATA_DIR_ENV})")
    store = shared_store(source.store_url, source.data_dir / "incidents.csv")
    changes = None
    if args.changes_since_briefing:
        with store.read() as session:
            changes = changes_box(session, dataset.incident.slug)
    context = None
    if args.context:
        from geo.context.snapshot import briefing_context  # matplotlib: only on the path that draws

        context = briefing_context(store, dataset.incident.slug, ContextFilter(since=flt.since, until=flt.until))
        if context is None:
            print(f"warning: --context: incident {dataset.incident.slug!r} has no located context events "
                  "(python -m geo import-events)", file=sys.stderr)
    return changes, context


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    _check_not_data(out)
    fmt = format_for_path(out)
    if fmt is None:
        known = ", ".join(f.extension for f in FORMATS.values())
        raise InputError(f"--out {str(out)!r}: unknown file type {out.suffix or '(none)'!r}; use one of: {known}")
    if not out.parent.is_dir():
        raise InputError(f"--out {str(out)!r}: folder {str(out.parent)!r} does not exist")
    dataset = load_for_args(args)
    flt = filter_from_args(args, dataset.vocabulary)
    for problem in dataset.problems:
        print(f"warning: {problem}", file=sys.stderr)
    view = view_from_args(args, [e.id for e in dataset.table.events])
    changes, context = _additions(args, dataset, flt)
    briefing = build_briefing(dataset, flt, title=args.title, view=view, changes=changes, context=context)
    data = render(briefing, fmt.key)
    try:
        write_atomic(out, data)
    except OSError as exc:
        raise InputError(f"--out {str(out)!r}: cannot write ({exc.strerror})") from None
    print(f"wrote {out} ({fmt.label}, {len(data):,} bytes): {briefing.summary_line}", file=sys.stderr)
    return 0
