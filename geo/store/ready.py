"""A store ready to read: schema at the newest revision and the curated incidents imported (the "first
start"); one shared Store per URL in a process; an incident read from it as the domain's values; and the
marker that changes whenever the incident does (for a cache keyed by a data stamp)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from geo.corpus.articles import Corpus
from geo.events.table import EventTable
from geo.store import repo
from geo.store.engine import Store, open_store
from geo.store.load import incident_corpus, incident_mentions, incident_table, statuses_for
from geo.store.migrate import upgrade
from geo.store.models import Change
from geo.store.seed import INCIDENTS_CSV, default_slug, ensure_seeded

if TYPE_CHECKING:
    from geo.places.toponyms import PlaceMention

_shared: dict[str, Store] = {}
_shared_lock = Lock()


def ready_store(url: str | None = None, say: Callable[[str], None] = lambda _: None,
                incidents_csv: Path = INCIDENTS_CSV) -> Store:
    """open_store(url), migrated and seeded (both cheap when already done)."""
    store = open_store(url)
    upgrade(store, say)
    ensure_seeded(store, say, incidents_csv)
    return store


def shared_store(url: str, incidents_csv: Path = INCIDENTS_CSV) -> Store:
    """One ready Store per URL in this process (its engine pools connections); re-seeded when the curated
    files change."""
    with _shared_lock:
        store = _shared.get(url)
        if store is None:
            store = _shared[url] = ready_store(url, incidents_csv=incidents_csv)
        else:
            ensure_seeded(store, incidents_csv=incidents_csv)
        return store


@dataclass(frozen=True)
class IncidentInfo:
    slug: str
    title: str
    countries: tuple[str, ...]
    window: tuple[date | None, date | None]


def load_incident(store: Store, slug: str | None = None, status: str = "accepted"
                  ) -> tuple[IncidentInfo, Corpus, EventTable, dict[str, list[PlaceMention]]]:
    """The incident (default: the first curated one) with its reports, its events of that status and its
    reports' place mentions (analyst corrections applied)."""
    slug = slug or default_slug()
    statuses = statuses_for(status)
    with store.read() as session:
        incident = repo.require_incident(session, slug)
        corpus = incident_corpus(session, incident)
        table = incident_table(session, incident, statuses, corpus)
        mentions = incident_mentions(session, incident, [a.id for a in corpus.articles])
        info = IncidentInfo(incident.slug, incident.title, incident.country_codes,
                            (incident.window_start, incident.window_end))
        return info, corpus, table, mentions


def change_marker(store: Store, slug: str | None = None) -> int:
    """The newest change-log id of the incident: every write logs, so this changes whenever it does."""
    slug = slug or default_slug()
    with store.read() as session:
        incident = repo.require_incident(session, slug)
        return int(session.scalar(select(func.coalesce(func.max(Change.id), 0))
                                  .where(Change.incident_id == incident.id)) or 0)
