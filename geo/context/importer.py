"""Import an ACLED or UCDP GED export into an incident's context layer, in one transaction.

The file becomes one report of the incident (its name, format and sha256 are the report's text), each
row one event (layer 'context', status 'accepted': a published dataset, not a candidate for review) and
its source and notes one claim on that report. The file is read as columns (geo.context.columns) and
stored in chunks, one executemany (SQLite) or one COPY (PostgreSQL) per table (geo.context.bulk, below the
ORM, ids given by the importer so claims need no read-back); the change log gets one 'import' entry with the
counts. The same file imported again is recognised by its hash and changes nothing; a row whose event is
already in the incident (an earlier, overlapping export) is reported and left as stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from geo.context.bulk import Column, insert_columns
from geo.context.columns import read_columns
from geo.context.parse import RowProblem
from geo.store import repo
from geo.store.engine import Store
from geo.store.migrate import upgrade
from geo.store.models import Claim, Event, Incident, Report

CHUNK = 20_000
IMPORT_USER = "import-events"

#: progress(stage, done, total): stage is 'read' (total unknown: 0) or 'store'
Progress = Callable[[str, int, int], None]

#: per-connection SQLite setting for the import's one transaction: a page cache big enough for the indexes of
#: 100,000 new rows (the default 2 MB thrashes). It may be set inside a transaction (temp_store may not);
#: durability settings (synchronous, journal_mode) are left as the store has them.
SQLITE_PRAGMAS = ("PRAGMA cache_size=-131072",)


@dataclass
class ImportResult:
    incident: str
    report_key: str
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    already_imported: bool = False
    created_incident: bool = False


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_file(path: Path, fmt: str, progress: Progress) -> tuple[pd.DataFrame, list[RowProblem]]:
    """The file's good rows (first of each key; geo.context.columns.ROW_COLUMNS) and its problems, by line."""
    frame, problems = read_columns(path, fmt, lambda done, total: progress("read", done, total))
    repeated = frame["key"].duplicated(keep="first").to_numpy()
    if repeated.any():
        first = dict(zip(frame["key"][~repeated].tolist(), frame["line"][~repeated].tolist(), strict=True))
        for key, line in zip(frame["key"][repeated].tolist(), frame["line"][repeated].tolist(), strict=True):
            problems.append(RowProblem(line, "id", f"{key!r} repeats line {first[key]}; the first is kept"))
        frame = frame[~repeated].reset_index(drop=True)
    return frame, problems


def _report(fmt: str, path: Path, digest: str, rows: int) -> repo.NewReport:
    text = f"{fmt.upper()} export {path.name}, sha256 {digest}: {rows} events imported into the context layer."
    return repo.NewReport(key=f"{fmt}-{path.stem}", text=text, title=path.name, publisher=fmt.upper(),
                          source_name=path.name)


def _event_columns(incident_id: int, ids: Sequence[int], positions: range, rows: pd.DataFrame,
                   now: datetime) -> dict[str, Column]:
    def column(name: str) -> list[Any]:
        return rows[name].tolist()

    def counts(name: str) -> list[int | None]:
        return [None if v != v else int(v) for v in rows[name].tolist()]  # NaN (no count) -> NULL

    return {
        "id": ids, "incident_id": incident_id, "key": column("key"), "position": positions, "status": "accepted",
        "layer": "context", "date": column("date"), "date_end": column("date_end"),
        "date_precision": column("date_precision"), "day_first": column("day_first"),
        "day_last": column("day_last"), "ongoing": False, "actor": column("actor"), "target": column("target"),
        "event_type": column("event_type"), "place": column("place"), "admin1": column("admin1"),
        "admin2": column("admin2"), "lat": column("lat"), "lon": column("lon"), "origin": "", "origin_lat": None,
        "origin_lon": None, "geo_precision": column("geo_precision"), "uncertainty_wkt": "",
        "fatalities_low": counts("fatalities_low"), "fatalities_high": counts("fatalities_high"),
        "fatalities_qualifier": column("fatalities_qualifier"), "injuries_low": None, "injuries_high": None,
        "summary": column("summary"), "confidence": None, "reason": "", "extra": column("extra"), "version": 1,
        "created_at": now, "updated_at": now, "updated_by": IMPORT_USER,
    }


def _claim_columns(incident_id: int, report_id: int, event_ids: Sequence[int], positions: range,
                   rows: pd.DataFrame) -> dict[str, Column]:
    return {"incident_id": incident_id, "event_id": event_ids, "fact_id": None, "report_id": report_id,
            "position": positions, "field": "source", "value": rows["claim_source"].tolist(),
            "quote": rows["claim_quote"].tolist(), "start": None, "end": None,
            "extra": [f'{{"line": {int(n)}}}' for n in rows["line"].tolist()]}


def _next(session: Session, column: Any, incident_id: int) -> int:
    return int(session.scalar(select(func.coalesce(func.max(column), -1))
                              .where(column.table.c.incident_id == incident_id))) + 1


def _new_ids(session: Session, table: Any, count: int) -> Sequence[int]:
    """`count` ids for new rows of table, taken in this transaction, so claims need not read events back.

    SQLite: the write transaction (BEGIN IMMEDIATE) holds the database's one write lock, so the ids after the
    largest are free until it ends. PostgreSQL: drawn from the column's own sequence, as an INSERT would.
    """
    if session.get_bind().dialect.name == "postgresql":
        drawn = session.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                     "FROM generate_series(1, :n)"), {"table": table.name, "n": count})
        return list(drawn)
    first = int(session.scalar(select(func.coalesce(func.max(table.c.id), 0)))) + 1
    return range(first, first + count)


def _new_rows(session: Session, incident: Incident, rows: pd.DataFrame,
              problems: list[RowProblem]) -> pd.DataFrame:
    stored = set(session.scalars(select(Event.key).where(Event.incident_id == incident.id)))
    if not stored:
        return rows
    known = rows["key"].isin(stored).to_numpy()
    for key, line in zip(rows["key"][known].tolist(), rows["line"][known].tolist(), strict=True):
        problems.append(RowProblem(line, "id", f"{key!r} is already in incident {incident.slug!r} "
                                               "(an earlier import); the stored event is kept"))
    return rows[~known].reset_index(drop=True)


def _insert(session: Session, incident: Incident, report: Report, rows: pd.DataFrame,
            progress: Progress) -> None:
    if session.get_bind().dialect.name == "sqlite":
        for pragma in SQLITE_PRAGMAS:
            session.connection().exec_driver_sql(pragma)
    n = len(rows)
    now = repo.utcnow()
    first = _next(session, Event.position, incident.id)
    event_ids = _new_ids(session, Event.__table__, n)
    insert_columns(session, Event.__table__,
                   _event_columns(incident.id, event_ids, range(first, first + n), rows, now), n, CHUNK,
                   lambda done: progress("store", done // 2, n))
    first_claim = _next(session, Claim.position, incident.id)
    insert_columns(session, Claim.__table__,
                   _claim_columns(incident.id, report.id, event_ids, range(first_claim, first_claim + n), rows),
                   n, CHUNK, lambda done: progress("store", (n + done) // 2, n))


def _store(session: Session, slug: str, fmt: str, path: Path, digest: str, rows: pd.DataFrame,
           problems: list[RowProblem], progress: Progress) -> ImportResult:
    incident, created = repo.ensure_incident(session, slug, IMPORT_USER)
    new = _report(fmt, path, digest, len(rows))
    result = ImportResult(incident=slug, report_key=new.key, problems=problems, created_incident=created)
    if repo.find_report_by_hash(session, incident, new.content_hash) is not None:
        result.already_imported = True
        return result
    rows = _new_rows(session, incident, rows, problems)
    report = repo.add_report(session, incident, new, IMPORT_USER)
    assert report is not None
    result.report_key = report.key
    _insert(session, incident, report, rows, progress)
    result.imported = len(rows)
    problems.sort(key=lambda p: p.line)
    repo.log_change(session, IMPORT_USER, report, "import", None,
                    {"format": fmt, "file": path.name, "sha256": digest, "events": len(rows),
                     "problems": len(problems)}, incident.id)
    return result


def import_events(store: Store, slug: str, fmt: str, path: Path,
                  progress: Progress = lambda _stage, _done, _total: None) -> ImportResult:
    """Read the file, then store its good rows in one transaction (all or nothing)."""
    rows, problems = read_file(path, fmt, progress)
    digest = file_digest(path)
    upgrade(store)
    return store.write(lambda session: _store(session, slug, fmt, path, digest, rows, problems, progress))


def summarise(problems: Iterable[RowProblem], limit: int = 50) -> list[str]:
    """Problem lines for a terminal: the first `limit`, then how many more."""
    items = list(problems)
    lines = [str(p) for p in items[:limit]]
    if len(items) > limit:
        lines.append(f"... and {len(items) - limit} more")
    return lines
