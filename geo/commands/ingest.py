"""`python -m geo ingest --incident SLUG [--title T] [--countries CC,CC] [--metadata CSV] FILE...`

Adds report files (.txt, .md, .html, .pdf, .docx, read as the browser's Add reports page reads them: the same
function, geo.store.ingest.ingest) to an incident in the store (creating it if new), finds their places and
stores the extractor's proposed events as candidates; all in one transaction. A report the incident already
holds (same text) is skipped and said so. A file that cannot be a report (binary, empty, not UTF-8,
unreadable) is named on stderr and the rest go in; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys
from pathlib import Path

from geo.corpus.documents import DEFAULT_LIMITS
from geo.errors import DataError, InputError
from geo.store.engine import StoreError
from geo.store.ingest import IngestError, IngestRequest, check_countries, ingest
from geo.store.ready import ready_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="reports: UTF-8 text (.txt, .md), saved web pages (.html), .pdf or .docx")
    parser.add_argument("--incident", required=True, metavar="SLUG", help="e.g. sudan-2025 (created if new)")
    parser.add_argument("--title", default="", help="the new incident's title (default: its slug)")
    parser.add_argument("--countries", default="", metavar="CC,CC",
                        help="the new incident's countries of interest, ISO 3166-1 alpha-2 (e.g. IR,PK)")
    parser.add_argument("--metadata", type=Path, metavar="CSV",
                        help="per-report metadata with data/articles.csv's columns (id = file stem)")
    parser.add_argument("--user", default=os.environ.get("STRIKE_MAP_USER") or getpass.getuser(),
                        help="who is adding the reports (change log); default $STRIKE_MAP_USER or the login name")


#: the browser's per-file limits; a folder given on the command line is not one upload, so no batch limit
COMMAND_LINE_LIMITS = dataclasses.replace(DEFAULT_LIMITS, batch_bytes=sys.maxsize)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    slug = args.incident.strip()
    if not slug or any(c.isspace() or c == "/" for c in slug):
        raise InputError(f"--incident {args.incident!r}: use a short slug without spaces, e.g. sudan-2025")
    try:
        countries = check_countries(args.countries.split(","))
        store = ready_store()
        request = IngestRequest(slug, list(args.files), args.user, args.title, countries, args.metadata,
                                COMMAND_LINE_LIMITS)
        result = ingest(store, request)
    except IngestError as exc:
        raise InputError(str(exc)) from None
    except StoreError as exc:  # the store could not take it (read-only, full disk, locked): exit 1, not 2
        raise DataError(str(exc)) from None
    if result.incident_created:
        _err(f"created incident {slug!r}")
    for problem in result.warnings:
        _err(f"warning: {problem}")
    for outcome in result.failed:
        _err(f"error: {outcome.message}")
    for outcome in result.skipped:
        _err(f"skipped {outcome.name}: the same text is already stored as report {outcome.report_key!r}")
    for outcome in result.added:
        _err(f"added {outcome.name} as report {outcome.report_key!r} ({outcome.mentions} place mentions, "
             f"{outcome.candidates} candidate events)")
    for note in result.notes:
        _err(f"note: {note}")
    _err(f"{slug}: {len(result.added)} added, {len(result.skipped)} already stored, {len(result.failed)} failed, "
         f"{result.candidates} candidate events")
    return 1 if result.failed else 0
