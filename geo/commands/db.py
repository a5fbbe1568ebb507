"""`python -m geo db init | export DIR | backup FILE`: the store's schema, its CSV/GeoPackage export, backups.

init creates or migrates the schema (STRIKE_MAP_DATABASE_URL, default var/strike-map.sqlite) and imports the
curated incidents of data/incidents.csv that are new or changed, printing what it does. export writes an
incident (default: the first curated one) as a curated folder (articles.csv, articles/*.txt, events.csv,
claims.csv, facts.csv, incidents.csv) plus events.gpkg; --all writes one folder per incident. backup copies
an SQLite store with SQLite's online backup API (consistent while the dashboard is running).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from geo.errors import InputError
from geo.store import repo
from geo.store.csvio import export_folder
from geo.store.engine import StoreError, StoreUnreachable, describe_url
from geo.store.geopackage import write_geopackage
from geo.store.load import STATUS_CHOICES, statuses_for
from geo.store.models import Incident
from geo.store.ready import ready_store
from geo.store.seed import default_slug


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("init", help="create or migrate the store and import the curated incidents")
    export = actions.add_parser("export", help="write an incident as CSV files (data/ schemas) and a GeoPackage")
    export.add_argument("dir", type=Path, metavar="DIR")
    export.add_argument("--incident", metavar="SLUG", help="default: the first incident in data/incidents.csv")
    export.add_argument("--all", action="store_true", help="every incident, each in DIR/SLUG/")
    export.add_argument("--status", choices=tuple(STATUS_CHOICES), default="all",
                        help="which events to write (default: all, with a status column when not all accepted)")
    backup = actions.add_parser("backup", help="copy the SQLite store to FILE (online backup API)")
    backup.add_argument("file", type=Path, metavar="FILE")


def _say(message: str) -> None:
    print(message, flush=True)


def run(args: argparse.Namespace) -> int:
    try:
        return {"init": _init, "export": _export, "backup": _backup}[args.action](args)
    except StoreUnreachable:  # not the user's input: said as a DataError, exit 1
        raise
    except StoreError as exc:
        raise InputError(str(exc)) from None


def _init(_args: argparse.Namespace) -> int:
    from geo.store.engine import database_url

    _say(f"store: {describe_url(database_url())}")
    store = ready_store(say=_say)
    store.dispose()
    _say("store ready")
    return 0


def _export(args: argparse.Namespace) -> int:
    store = ready_store()
    statuses = statuses_for(args.status)
    with store.read() as session:
        if args.all:
            incidents = list(session.query(Incident).order_by(Incident.slug))
            targets = [(incident, args.dir / incident.slug) for incident in incidents]
        else:
            targets = [(repo.require_incident(session, args.incident or default_slug()), args.dir)]
        for incident, folder in targets:
            written = export_folder(session, incident, folder, statuses)
            layers = write_geopackage(session, incident, folder / "events.gpkg", statuses)
            _say(f"{incident.slug}: wrote {len(written)} files and {folder / 'events.gpkg'} "
                 f"(layers: {', '.join(layers)}) to {folder}")
    store.dispose()
    return 0


def _backup(args: argparse.Namespace) -> int:
    store = ready_store()
    source = store.sqlite_path
    store.dispose()
    if source is None:
        raise InputError(f"backup copies an SQLite store; {describe_url(store.url)} is not one "
                         "(for PostgreSQL use pg_dump)")
    target: Path = args.file
    if not target.parent.is_dir():
        raise InputError(f"{target}: folder {target.parent} does not exist")
    if target.exists():
        raise InputError(f"{target} exists; choose a new file name (a backup never overwrites)")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    print(f"backed up {source} to {target} ({target.stat().st_size:,} bytes)", file=sys.stderr)
    return 0
