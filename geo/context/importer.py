"""Import an ACLED or UCDP GED export into an incident's context layer, in one transaction.

The file becomes one report of the incident (its name, format and sha256 are the report's text), each
row one event (layer 'context', status 'accepted': a published dataset, not a candidate for review) and
its source and notes one claim on that report. Rows go in chunks, one executemany (SQLite) or COPY
(PostgreSQL) each (geo.context.bulk, below the ORM); the change log gets one 'import' entry with the
counts. The same file imported again is recognised by its hash and changes nothing; a row whose event is
already in the incident (an earlier, overlapping export) is reported and left as stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geo.context.bulk import insert_rows
from geo.context.parse import ContextRow, RowProblem, read_rows
from geo.store import repo
from geo.store.engine import Store
from geo.store.migrate import upgrade
from geo.store.models import Claim, Event, Incident, Report

CHUNK = 10_000
IMPORT_USER = "import-events"
T = TypeVar("T")

#: progress(stage, done, total): stage is 'read' (total unknown: 0) or 'store'
Progress = Callable[[str, int, int], None]


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


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def read_file(path: Path, fmt: str, progress: Progress) -> tuple[list[ContextRow], list[RowProblem]]:
    """The file's good rows (first of each key) and its problems, in file order."""
    rows: list[ContextRow] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    for item in read_rows(path, fmt):
        if isinstance(item, RowProblem):
            problems.append(item)
        elif item.key in first_line:
            problems.append(RowProblem(item.line, "id", f"{item.key!r} repeats line {first_line[item.key]}; "
                                                        "the first is kept"))
        else:
            first_line[item.key] = item.line
            rows.append(item)
        if (len(rows) + len(problems)) % CHUNK == 0:
            progress("read", len(rows) + len(problems), 0)
    return rows, problems


def _report(fmt: str, path: Path, digest: str, rows: int) -> repo.NewReport:
    text = f"{fmt.upper()} export {path.name}, sha256 {digest}: {rows} events imported into the context layer."
    return repo.NewReport(key=f"{fmt}-{path.stem}", text=text, title=path.name, publisher=fmt.upper(),
                          source_name=path.name)


def _event_values(incident_id: int, position: int, row: ContextRow, now: datetime) -> dict[str, Any]:
    return {
        "incident_id": incident_id, "key": row.key, "position": position, "status": "accepted", "layer": "context",
        "date": row.date, "date_end": row.date_end, "date_precision": row.date_precision,
        "day_first": row.day_first, "day_last": row.day_last, "ongoing": False, "actor": row.actor,
        "target": row.target, "event_type": row.event_type, "place": row.place, "admin1": row.admin1,
        "admin2": row.admin2, "lat": row.lat, "lon": row.lon, "origin": "", "origin_lat": None,
        "origin_lon": None, "geo_precision": row.geo_precision, "uncertainty_wkt": "",
        "fatalities_low": row.fatalities_low, "fatalities_high": row.fatalities_high,
        "fatalities_qualifier": row.fatalities_qualifier, "injuries_low": None, "injuries_high": None,
        "summary": row.summary, "confidence": None, "reason": "", "extra": row.extra, "version": 1,
        "created_at": now, "updated_at": now, "updated_by": IMPORT_USER,
    }


def _claim_values(incident_id: int, report_id: int, event_id: int, position: int, row: ContextRow) -> dict[str, Any]:
    return {"incident_id": incident_id, "event_id": event_id, "fact_id": None, "report_id": report_id,
            "position": position, "field": "source", "value": row.claim_source, "quote": row.claim_quote,
            "start": None, "end": None, "extra": {"line": row.line}}


def _next(session: Session, column: Any, incident_id: int) -> int:
    return int(session.scalar(select(func.coalesce(func.max(column), -1))
                              .where(column.table.c.incident_id == incident_id))) + 1


def _new_rows(session: Session, incident: Incident, rows: list[ContextRow],
              problems: list[RowProblem]) -> list[ContextRow]:
    stored = set(session.scalars(select(Event.key).where(Event.incident_id == incident.id)))
    kept = []
    for row in rows:
        if row.key in stored:
            problems.append(RowProblem(row.line, "id", f"{row.key!r} is already in incident {incident.slug!r} "
                                                       "(an earlier import); the stored event is kept"))
        else:
            kept.append(row)
    return kept


def _insert(session: Session, incident: Incident, report: Report, rows: list[ContextRow],
            progress: Progress) -> None:
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's default 2 MB page cache thrashes on the indexes of 100,000 new rows; 128 MB for this connection
        session.connection().exec_driver_sql("PRAGMA cache_size=-131072")
    now = repo.utcnow()
    first = _next(session, Event.position, incident.id)
    for done, chunk in enumerate(_chunks(rows)):
        base = first + done * CHUNK
        insert_rows(session, Event.__table__,
                    [_event_values(incident.id, base + i, row, now) for i, row in enumerate(chunk)])
        progress("store", min((done + 1) * CHUNK, len(rows)) // 2, len(rows))
    ids = dict(session.execute(select(Event.key, Event.id).where(Event.incident_id == incident.id,
                                                                 Event.layer == "context")).all())
    first_claim = _next(session, Claim.position, incident.id)
    for done, chunk in enumerate(_chunks(rows)):
        base = first_claim + done * CHUNK
        insert_rows(session, Claim.__table__, [_claim_values(incident.id, report.id, ids[row.key], base + i, row)
                                               for i, row in enumerate(chunk)])
        progress("store", (len(rows) + min((done + 1) * CHUNK, len(rows))) // 2, len(rows))


def _store(session: Session, slug: str, fmt: str, path: Path, digest: str, rows: list[ContextRow],
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
