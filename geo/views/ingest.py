"""Adding reports to an incident, file by file, with a progress line per step (parsing, places, events).

Each file is its own transaction: a file that cannot be read is named and the others go in; a text the
incident already holds (same content hash) is said to be a duplicate of the stored report. Candidate
events come from the extractor (geo.extract) when this build has it; without it the reports and their
place mentions are stored and the review page lets analysts propose events from quotes.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.corpus.articles import Article
from geo.corpus.documents import DEFAULT_LIMITS, Document, Limits, UnreadableDocument, check_batch, read_document
from geo.places.toponyms import PlaceMention, find_places
from geo.store import intake, repo
from geo.store.engine import Store
from geo.store.models import Report

STEPS = ("parsing", "places", "events", "done")
Progress = Callable[[str, str, float], None]


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: a name (a label only) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: added | duplicate | refused, and the words to show."""

    name: str
    status: str
    message: str
    report_key: str = ""
    mentions: int = 0
    candidates: int = 0


def extractor_available() -> bool:
    return importlib.util.find_spec("geo.extract") is not None


def ingest_uploads(store: Store, slug: str, uploads: Sequence[Upload], who: str,
                   progress: Progress = lambda *_: None, limits: Limits = DEFAULT_LIMITS) -> list[Outcome]:
    """Read and store each upload; a batch over the size limits is refused whole, before any file is read."""
    problems = check_batch([(u.name, len(u.data)) for u in uploads], limits)
    if problems:
        return [Outcome(p.where, "refused", str(p)) for p in problems]
    outcomes = []
    for upload in uploads:
        progress(upload.name, "parsing", 0.05)
        try:
            document = read_document(upload.name, upload.data, limits)
        except UnreadableDocument as exc:
            outcomes.append(Outcome(upload.name, "refused", str(exc)))
            progress(upload.name, "done", 1.0)
            continue
        outcomes.append(ingest_document(store, slug, document, who, progress))
    return outcomes


def ingest_document(store: Store, slug: str, document: Document, who: str,
                    progress: Progress = lambda *_: None) -> Outcome:
    """Store one read document in the incident: report, place mentions, then candidate events."""
    name = document.name
    duplicate = _stored_duplicate(store, slug, document)
    if duplicate:
        progress(name, "done", 1.0)
        return Outcome(name, "duplicate", f"{name}: same content as report {duplicate!r}, already in this "
                       "incident; not added again", duplicate)
    progress(name, "places", 0.3)
    mentions = find_places(document.text)
    report_key = store.write(lambda s: _store_report(s, slug, document, mentions, who))
    if report_key is None:
        progress(name, "done", 1.0)
        return Outcome(name, "duplicate", f"{name}: added by someone else a moment ago; not added again")
    progress(name, "events", 0.6)
    candidates = _extract(store, slug, report_key, who)
    progress(name, "done", 1.0)
    found = "" if extractor_available() else " (event extraction is not in this build: propose events on Review)"
    return Outcome(name, "added", f"{name}: added as {report_key!r}: {len(mentions)} place mentions, "
                   f"{candidates} candidate events{found}", report_key, len(mentions), candidates)


def _stored_duplicate(store: Store, slug: str, document: Document) -> str:
    with store.read() as session:
        incident = repo.require_incident(session, slug)
        found = repo.find_report_by_hash(session, incident, repo.content_hash(document.text))
        return found.key if found else ""


def _store_report(session: Session, slug: str, document: Document, mentions: list[PlaceMention],
                  who: str) -> str | None:
    incident = repo.require_incident(session, slug)
    meta = document.metadata
    report = repo.add_report(session, incident, repo.NewReport(
        key=document.key, text=document.text, title=meta.title, publisher=meta.publisher,
        published=meta.published, date_method=meta.date_method, date_note=document.date_note,
        source_name=document.name), who)
    if report is None:
        return None
    repo.add_mentions(session, report, mentions, who)
    return report.key


def _extract(store: Store, slug: str, report_key: str, who: str) -> int:
    """Candidate events of one new report, stored with their claims (0 when the extractor is absent)."""
    if not extractor_available():
        return 0
    extract_events = importlib.import_module("geo.extract").extract_events

    def work(session: Session) -> int:
        incident = repo.require_incident(session, slug)
        report = session.scalars(select(Report).where(Report.incident_id == incident.id,
                                                           Report.key == report_key)).one()
        article = Article(id=report.key, path=Path(report.source_name or report.key), text=report.text,
                          title=report.title, publisher=report.publisher, published=report.published)
        stored = intake.store_candidates(session, incident, {report.key: report}, extract_events([article]),
                                         who, prefix=f"{report.key}-")
        return len(stored)

    return store.write(work)
