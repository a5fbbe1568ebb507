"""A store ready to read: schema at the newest revision and the curated incidents imported (the "first
start"), and an incident read from it as the domain's values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geo.corpus.articles import Corpus
from geo.events.table import EventTable
from geo.store import repo
from geo.store.engine import Store, open_store
from geo.store.load import incident_corpus, incident_table, statuses_for
from geo.store.migrate import upgrade
from geo.store.seed import default_slug, ensure_seeded


def ready_store(url: str | None = None, say: Callable[[str], None] = lambda _: None) -> Store:
    """open_store(url), migrated and seeded (both cheap when already done)."""
    store = open_store(url)
    upgrade(store, say)
    ensure_seeded(store, say)
    return store


@dataclass(frozen=True)
class IncidentData:
    slug: str
    title: str
    countries: tuple[str, ...]
    corpus: Corpus
    table: EventTable


def load_incident(store: Store, slug: str | None = None, status: str = "accepted") -> IncidentData:
    """The incident (default: the first curated one) with its reports and events of that status."""
    slug = slug or default_slug()
    statuses = statuses_for(status)
    with store.read() as session:
        incident = repo.require_incident(session, slug)
        corpus = incident_corpus(session, incident)
        table = incident_table(session, incident, statuses, corpus)
        return IncidentData(incident.slug, incident.title, incident.country_codes, corpus, table)
