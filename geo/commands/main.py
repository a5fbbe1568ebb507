"""`python -m geo SUBCOMMAND ...`: the command-line contract in DESIGN.md.

Bad input gives a message on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from geo.errors import DataError, InputError

#: subcommand -> (module under geo.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "articles": ("articles", "list the reports with their metadata and any problems loading them"),
    "assets": ("assets", "copy Leaflet from the XStatic package into static/vendor"),
    "db": ("db", "the store: init (create/migrate, import curated incidents), export DIR, backup FILE"),
    "boundaries": ("boundaries", "re-derive data/boundaries/ from the Natural Earth source packages"),
    "events": ("events", "print the curated event table, filtered, as CSV or GeoJSON (or its disagreements)"),
    "extract": ("extract", "candidate events and claims from report texts, as CSV or JSON (with every claim)"),
    "ingest": ("ingest", "add report files to an incident in the store (created if new)"),
    "export": ("export", "briefing export of the filtered map/table: --out FILE.(png|pdf|html|csv|geojson|kml)"),
    "places": ("places", "geoparse text files: one JSON line per place mention, resolved offline"),
}


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the selected subcommand's module is imported (they pull in heavy libraries)."""
    parser = argparse.ArgumentParser(prog="python -m geo", description="Strike map command line")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == selected:
            module = importlib.import_module(f"geo.commands.{module_name}")
            module.add_arguments(command)
            command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    selected = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(selected).parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:  # a data file the operation needs is unusable
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
