"""The curated CSV folder format (data/: articles.csv + articles/*.txt, events.csv, claims.csv, facts.csv,
incidents.csv) into and out of the store.

Import checks the files with the same loader the dashboard used on the CSVs (geo.events.table.build_table:
every quote verbatim, dates and figures following from the claims, places geocoded), stores the rows it
accepts with their values as written and the geocoder's coordinates, and returns its problems (file, line,
field). Claim offsets come from locating each quote in its report. Export writes the same schemas back (the
imported header order, columns the store does not name kept from `extra`), so import -> export gives the
same files. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are written with a
leading apostrophe, and the importer takes it off again, so the escaping survives a round trip.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.corpus.articles import CSV_FIELDS as ARTICLE_COLUMNS
from geo.corpus.articles import load_corpus
from geo.errors import Problem
from geo.events.dates import parse_iso_date
from geo.events.model import CLAIM_COLUMNS, EVENT_COLUMNS
from geo.events.table import build_table
from geo.store import repo
from geo.store.models import Claim, Event, Fact, Incident, Report

FACT_COLUMNS: tuple[str, ...] = ("id", "subject", "field", "unit", "measured_by", "summary")
INCIDENT_COLUMNS: tuple[str, ...] = ("slug", "title", "countries", "window_start", "window_end", "data")
#: events.csv columns the store holds in its own columns (beyond today's EVENT_COLUMNS: the issue-11 model)
EVENT_CSV_FIELDS: tuple[str, ...] = (
    *EVENT_COLUMNS, "date_end", "ongoing", "injuries_low", "injuries_high", "fatalities_qualifier", "status",
    "layer", "lat", "lon", "origin_lat", "origin_lon", "uncertainty_wkt", "confidence", "reason",
)
_GEOCODED = ("lat", "lon", "origin_lat", "origin_lon")
_INT_FIELDS = ("fatalities_low", "fatalities_high", "injuries_low", "injuries_high")
_FLOAT_FIELDS = ("lat", "lon", "origin_lat", "origin_lon", "confidence")
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def escape_cell(value: str) -> str:
    """'=1+1' -> "'=1+1" (and one more apostrophe on a value that already looks escaped, so it reverses)."""
    return "'" + value if _FORMULA.match(value) else value


def unescape_cell(value: str) -> str:
    return value[1:] if _ESCAPED.match(value) else value


# --- reading ---------------------------------------------------------------------------------------------

def _raw_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [{k: unescape_cell(v or "") for k, v in row.items() if k is not None} for row in reader]
        return list(reader.fieldnames or []), rows


def read_incidents(path: Path) -> tuple[list[dict[str, str]], list[Problem]]:
    """incidents.csv rows (slug, title, countries, window_start, window_end, data) and their problems."""
    _, rows = _raw_rows(path)
    good, problems = [], []
    for line, row in enumerate(rows, start=2):
        where = f"{path.name} line {line}"
        if not row.get("slug"):
            problems.append(Problem(f"{where}, field slug", "empty; row skipped"))
            continue
        for name in ("window_start", "window_end"):
            if row.get(name):
                try:
                    date.fromisoformat(row[name])
                except ValueError:
                    problems.append(Problem(f"{where}, field {name}", f"{row[name]!r} is not YYYY-MM-DD; left empty"))
                    row[name] = ""
        good.append(row)
    return good, problems


def _optional_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


class _Rows:
    """Problems for one curated file, said as "FILE line N, field F: message" like the CSV loader's."""

    def __init__(self, name: str, problems: list[Problem], known: set[str]):
        self.name, self.problems, self.known = name, problems, known

    def bad(self, line: int, field_name: str, message: str) -> None:
        where = f"{self.name} line {line}, field {field_name}"
        if where not in self.known:  # the loader said it already
            self.problems.append(Problem(where, message))


def _number(raw: str, kind: type) -> Any:
    return kind(raw) if raw.strip() else None


def _event_values(row: dict[str, str], columns: list[str], line: int, rows: _Rows) -> dict[str, Any] | None:
    """Store values for one events.csv row, as written; None (and a problem) if it cannot be stored."""
    from geo.events.table import geocode_place

    values: dict[str, Any] = {k: row[k].strip() for k in EVENT_CSV_FIELDS if k in row and k != "id"}
    for name, kind in ((n, int) for n in _INT_FIELDS):
        if name in values:
            try:
                values[name] = _number(values[name], kind)
            except ValueError:
                return rows.bad(line, name, f"{values[name]!r} is not a whole number; row skipped")
    for name in _FLOAT_FIELDS:
        if name in values:
            try:
                values[name] = _number(values[name], float)
            except ValueError:
                return rows.bad(line, name, f"{values[name]!r} is not a number; row skipped")
    for name in ("date", "date_end"):
        try:
            if name == "date" or values.get(name):
                parse_iso_date(values.get(name, ""))
        except ValueError as exc:
            return rows.bad(line, name, f"{values.get(name, '')!r}: {exc}; row skipped")
    values["ongoing"] = values.get("ongoing", "").lower() in ("yes", "true", "1")
    values["status"] = values.get("status") or "accepted"
    values["layer"] = values.get("layer") or "report"
    for prefix, place in (("", values.get("place", "")), ("origin_", values.get("origin", ""))):
        if values.get(f"{prefix}lat") is None and place:
            found = geocode_place(place)
            values[f"{prefix}lat"], values[f"{prefix}lon"] = found if found else (None, None)
    values["extra"] = {k: row[k] for k in columns if k not in EVENT_CSV_FIELDS}
    return values


def _import_reports(session: Session, incident: Incident, data_dir: Path, who: str,
                    problems: list[Problem]) -> tuple[dict[str, Report], list[str], Any]:
    corpus = load_corpus(data_dir / "articles", data_dir / "articles.csv")
    problems.extend(corpus.problems)
    header, rows = _raw_rows(data_dir / "articles.csv")
    meta = {row.get("id", "").strip(): row for row in rows}
    reports: dict[str, Report] = {}
    for article in corpus.articles:
        row = meta.get(article.id)
        if row is None:
            new = repo.NewReport(key=article.id, text=article.text, title=article.title, publisher=article.publisher,
                                 published=article.published, date_method=article.date_method,
                                 date_note=article.date_note, source_name=article.path.name)
        else:
            new = repo.NewReport(
                key=article.id, text=article.text, title=row.get("title", ""), publisher=row.get("publisher", ""),
                published=article.published, date_method=row.get("date_method", ""),
                date_note=row.get("date_note", ""), publisher_note=row.get("publisher_note", ""),
                source_name=article.path.name)
        report = repo.add_report(session, incident, new, who)
        if report is None:
            problems.append(Problem(article.path.name, "same text as a report already stored; skipped"))
            continue
        reports[article.id] = report
    return reports, header, corpus


def import_folder(session: Session, incident: Incident, data_dir: Path, who: str) -> list[Problem]:
    """Import a curated folder into an (empty) incident; the problems found, none fatal.

    The dashboard's CSV loader checks the files first and its problems are returned as they are; rows are
    stored unless they cannot be (no id, a duplicate id, a date or number that does not parse, a claim
    whose event, report or verbatim quote is missing), so a column or value newer than the loader's
    vocabulary is kept, with the loader's warning.
    """
    problems: list[Problem] = []
    reports, article_header, corpus = _import_reports(session, incident, data_dir, who, problems)
    table = build_table(data_dir / "events.csv", data_dir / "claims.csv", data_dir / "facts.csv", corpus)
    problems.extend(table.problems)
    known = {p.where for p in table.problems}
    event_header, event_rows_ = _raw_rows(data_dir / "events.csv")
    events: dict[str, Event] = {}
    checker = _Rows("events.csv", problems, known)
    for line, row in enumerate(event_rows_, start=2):
        key = row.get("id", "").strip()
        if not key or key in events:
            checker.bad(line, "id", "empty; row skipped" if not key else f"duplicate id {key!r}; first row kept")
            continue
        values = _event_values(row, event_header, line, checker)
        if values is not None:
            events[key] = repo.upsert_event(session, incident, key, values, who)
    facts = _import_facts(session, incident, data_dir, who, problems, known)
    session.flush()
    claim_header, claim_rows = _raw_rows(data_dir / "claims.csv")
    _import_claims(session, incident, claim_rows, claim_header, reports, events, facts, who,
                   _Rows("claims.csv", problems, known))
    incident.meta = {**incident.meta, "columns": {
        "articles.csv": article_header, "events.csv": event_header, "claims.csv": claim_header,
        "facts.csv": _raw_rows(data_dir / "facts.csv")[0]}}
    return problems


def _import_facts(session: Session, incident: Incident, data_dir: Path, who: str, problems: list[Problem],
                  known: set[str]) -> dict[str, Fact]:
    header, rows = _raw_rows(data_dir / "facts.csv")
    checker = _Rows("facts.csv", problems, known)
    facts: dict[str, Fact] = {}
    for line, row in enumerate(rows, start=2):
        key = row.get("id", "").strip()
        if not key or key in facts:
            checker.bad(line, "id", "empty; row skipped" if not key else f"duplicate id {key!r}; first row kept")
            continue
        facts[key] = repo.upsert_fact(session, incident, key, {k: row.get(k, "") for k in FACT_COLUMNS[1:]}, who)
        facts[key].extra = {k: row[k] for k in header if k not in FACT_COLUMNS}
    return facts


def _import_claims(session: Session, incident: Incident, rows: list[dict[str, str]], header: list[str],
                   reports: dict[str, Report], events: dict[str, Event], facts: dict[str, Fact], who: str,
                   checker: _Rows) -> None:
    for line, row in enumerate(rows, start=2):
        owner, report_key, field_name, value, quote = (row.get(k, "").strip() for k in CLAIM_COLUMNS)
        empty = [k for k in CLAIM_COLUMNS if not row.get(k, "").strip()]
        if empty:
            checker.bad(line, empty[0], "empty; claim skipped")
        elif owner not in events and owner not in facts:
            checker.bad(line, "event_id", f"no stored event or fact {owner!r}; claim skipped")
        elif report_key not in reports:
            checker.bad(line, "report_id", f"no stored report {report_key!r}; claim skipped")
        elif quote not in reports[report_key].text:
            checker.bad(line, "quote", f"does not occur verbatim in {report_key}; claim skipped")
        else:
            repo.add_claim(session, incident, reports[report_key], field_name, value, quote, who,
                           event=events.get(owner), fact=None if owner in events else facts[owner],
                           extra={k: row[k] for k in header if k not in CLAIM_COLUMNS})


# --- writing ---------------------------------------------------------------------------------------------

def _csv_bytes(header: list[str], rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(_text(row.get(k))) for k in header])
    return out.getvalue().encode("utf-8")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _header(incident: Incident, name: str, default: Iterable[str], rows: list[dict[str, Any]],
            optional: Iterable[str] = ()) -> list[str]:
    imported = incident.meta.get("columns", {}).get(name)
    header = list(imported or default)
    if imported:  # coordinates the importer geocoded from `place` are not data the files had
        optional = [c for c in optional if c not in _GEOCODED]
    for column in optional:  # store columns the file did not have, written only when they say something
        if column not in header and any(_text(r.get(column)) not in ("", "accepted", "report") for r in rows):
            header.append(column)
    for row in rows:  # columns kept from the files' `extra` (after the known ones)
        header += [k for k in row.get("_extra", ()) if k not in header]
    return header


def event_rows(session: Session, incident: Incident, statuses: Iterable[str] | None = None) -> list[dict[str, Any]]:
    query = select(Event).where(Event.incident_id == incident.id)
    if statuses is not None:
        query = query.where(Event.status.in_(list(statuses)))
    rows = []
    for event in session.scalars(query.order_by(Event.position, Event.id)):
        row = {name: getattr(event, name) for name in EVENT_CSV_FIELDS if name != "id"}
        rows.append({**event.extra, "_extra": list(event.extra), "id": event.key, **row})
    return rows


def export_folder(session: Session, incident: Incident, out_dir: Path,
                  statuses: Iterable[str] | None = None) -> list[Path]:
    """Write the incident as a curated folder; the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "articles").mkdir(exist_ok=True)
    written = []
    reports = session.scalars(select(Report).where(Report.incident_id == incident.id)
                              .order_by(Report.position, Report.id)).all()
    for report in reports:
        path = out_dir / "articles" / f"{report.key}.txt"
        path.write_bytes(report.text.encode("utf-8"))
        written.append(path)
    files = {
        "articles.csv": _articles(incident, reports),
        "events.csv": _events(session, incident, statuses),
        "claims.csv": _claims(session, incident, statuses),
        "facts.csv": _facts(session, incident),
        "incidents.csv": _csv_bytes(list(INCIDENT_COLUMNS), [incident_row(incident)]),
    }
    for name, data in files.items():
        (out_dir / name).write_bytes(data)
        written.append(out_dir / name)
    return written


def incident_row(incident: Incident) -> dict[str, Any]:
    return {"slug": incident.slug, "title": incident.title, "countries": incident.countries,
            "window_start": incident.window_start, "window_end": incident.window_end, "data": "."}


def _articles(incident: Incident, reports: Iterable[Report]) -> bytes:
    rows = [{"id": r.key, "title": r.title, "publisher": r.publisher, "published": r.published,
             "date_method": r.date_method, "date_note": r.date_note, "publisher_note": r.publisher_note}
            for r in reports]
    return _csv_bytes(_header(incident, "articles.csv", ARTICLE_COLUMNS, rows), rows)


def _events(session: Session, incident: Incident, statuses: Iterable[str] | None) -> bytes:
    rows = event_rows(session, incident, statuses)
    optional = [c for c in EVENT_CSV_FIELDS if c not in EVENT_COLUMNS]
    return _csv_bytes(_header(incident, "events.csv", EVENT_COLUMNS, rows, optional), rows)


def _claims(session: Session, incident: Incident, statuses: Iterable[str] | None) -> bytes:
    query = (select(Claim, Report.key, Event.key, Fact.key).join(Report, Claim.report_id == Report.id)
             .outerjoin(Event, Claim.event_id == Event.id).outerjoin(Fact, Claim.fact_id == Fact.id)
             .where(Claim.incident_id == incident.id))
    if statuses is not None:
        query = query.where((Claim.fact_id.is_not(None)) | Event.status.in_(list(statuses)))
    rows = []
    for claim, report_key, event_key, fact_key in session.execute(query.order_by(Claim.position, Claim.id)):
        rows.append({**claim.extra, "_extra": list(claim.extra), "event_id": event_key or fact_key,
                     "report_id": report_key, "field": claim.field, "value": claim.value, "quote": claim.quote})
    return _csv_bytes(_header(incident, "claims.csv", CLAIM_COLUMNS, rows), rows)


def _facts(session: Session, incident: Incident) -> bytes:
    facts = session.scalars(select(Fact).where(Fact.incident_id == incident.id).order_by(Fact.position)).all()
    rows = [{**f.extra, "_extra": list(f.extra), "id": f.key, "subject": f.subject, "field": f.field,
             "unit": f.unit, "measured_by": f.measured_by, "summary": f.summary} for f in facts]
    return _csv_bytes(_header(incident, "facts.csv", FACT_COLUMNS, rows), rows)
