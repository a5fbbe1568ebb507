"""`python -m geo ingest --incident SLUG [--title T] [--countries CC,CC] [--metadata CSV] FILE...`

Adds UTF-8 text reports to an incident in the store (creating it if new), finds their places and, when the
project has an extractor, stores its proposed events as candidates; all in one transaction. A report the
incident already holds (same text) is skipped and said so. A file that cannot be a report (binary, empty,
not UTF-8, unreadable) is named on stderr and the rest go in; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from geo.errors import DataError, InputError
from geo.store.engine import StoreError
from geo.store.ingest import IngestError, IngestRequest, check_countries, ingest
from geo.store.ready import ready_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="UTF-8 text reports")
    parser.add_argument("--incident", required=True, metavar="SLUG", help="e.g. sudan-2025 (created if new)")
    parser.add_argument("--title", default="", help="the new incident's title (default: its slug)")
    parser.add_argument("--countries", default="", metavar="CC,CC",
                        help="the new incident's countries of interest, ISO 3166-1 alpha-2 (e.g. IR,PK)")
    parser.add_argument("--metadata", type=Path, metavar="CSV",
                        help="per-report metadata with data/articles.csv's columns (id = file stem)")
    parser.add_argument("--user", default=os.environ.get("STRIKE_MAP_USER") or getpass.getuser(),
                        help="who is adding the reports (change log); default $STRIKE_MAP_USER or the login name")


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    slug = args.incident.strip()
    if not slug or any(c.isspace() or c == "/" for c in slug):
        raise InputError(f"--incident {args.incident!r}: use a short slug without spaces, e.g. sudan-2025")
    try:
        countries = check_countries(args.countries.split(","))
        store = ready_store()
        request = IngestRequest(slug, list(args.files), args.user, args.title, countries, args.metadata)
        result = ingest(store, request, say=_err)
    except IngestError as exc:
        raise InputError(str(exc)) from None
    except StoreError as exc:  # the store could not take it (read-only, full disk, locked): exit 1, not 2
        raise DataError(str(exc)) from None
    if result.incident_created:
        _err(f"created incident {slug!r}")
    for problem in result.warnings:
        _err(f"warning: {problem}")
    for problem in result.failed:
        _err(f"error: {problem}")
    for name, twin in result.skipped:
        _err(f"skipped {name}: the same text is already stored as report {twin!r}")
    for name, key, mentions in result.added:
        _err(f"added {name} as report {key!r} ({mentions} place mentions)")
    for note in result.notes:
        _err(f"note: {note}")
    _err(f"{slug}: {len(result.added)} added, {len(result.skipped)} already stored, {len(result.failed)} failed, "
         f"{result.candidates} candidate events")
    return 1 if result.failed else 0
