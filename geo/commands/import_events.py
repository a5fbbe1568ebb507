"""`python -m geo import-events --incident SLUG --format acled|ucdp FILE`: an ACLED or UCDP GED export into
the store as the incident's context layer (created if new). Progress on stderr; each bad row reported by
line and field; exit 0 when the file was read (bad rows are reported, not fatal), 2 for unusable input.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from geo.context.importer import import_events, summarise
from geo.context.parse import FORMATS
from geo.errors import InputError
from geo.store.engine import StoreError, StoreUnreachable, describe_url, open_store


class ProgressBar:
    """A one-line progress bar on a terminal; a line per stage otherwise (logs stay readable)."""

    def __init__(self, stream: TextIO, width: int = 30):
        self.stream, self.width = stream, width
        self.tty = stream.isatty()
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.tty:
            if stage != self.stage:
                self.stream.write(f"{stage}...\n")
            self.stage = stage
            return
        if total:
            filled = self.width * done // total
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r{stage:>5} [{bar}] {done:,}/{total:,}")
        else:
            self.stream.write(f"\r{stage:>5} {done:,} rows")
        self.stage = stage
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--incident", required=True, metavar="SLUG", help="the incident (created if new)")
    parser.add_argument("--format", required=True, choices=FORMATS, help="acled or ucdp (GED CSV)")
    parser.add_argument("file", type=Path, metavar="FILE", help="the export, UTF-8 CSV")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise InputError(f"{args.file}: no such file")
    store = open_store()
    bar = ProgressBar(sys.stderr)
    started = time.perf_counter()
    try:
        result = import_events(store, args.incident, args.format, args.file, bar)
    except StoreUnreachable:  # not the user's input: said as a DataError, exit 1
        raise
    except StoreError as exc:
        raise InputError(f"{describe_url(store.url)}: {exc}") from None
    finally:
        bar.finish()
        store.dispose()
    for line in summarise(result.problems):
        print(f"{args.file}: {line}", file=sys.stderr)
    if result.created_incident:
        print(f"created incident {result.incident!r}", file=sys.stderr)
    if result.already_imported:
        print(f"{args.file} was already imported into {result.incident!r} (report {result.report_key}); "
              "nothing changed", file=sys.stderr)
        return 0
    print(f"imported {result.imported:,} {args.format.upper()} events into {result.incident!r} "
          f"(report {result.report_key}); {len(result.problems):,} row(s) left out; "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
