"""The seed incident: the curated folder in data/ (reviewed, kept in git) imported into a fresh store.

data/incidents.csv names each curated incident (slug, title, countries, window) and its folder (`data`,
relative to data/). ensure_seeded imports an incident that is not in the store yet; when its files change
(a new stamp) it is imported again, unless analysts have changed it in the store since, in which case the
store is kept and the caller is told. Idempotent: a second call with the same files does nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from geo.errors import Problem
from geo.paths import DATA_DIR
from geo.store import repo
from geo.store.csvio import import_folder, read_incidents
from geo.store.engine import Store
from geo.store.models import Change, Claim, Event, Fact, Incident, Report

INCIDENTS_CSV = DATA_DIR / "incidents.csv"
SEED_USER = "seed import"


@dataclass(frozen=True)
class SeedSpec:
    slug: str
    title: str
    countries: tuple[str, ...]
    window: tuple[date | None, date | None]
    folder: Path


def seed_specs(path: Path = INCIDENTS_CSV) -> tuple[list[SeedSpec], list[Problem]]:
    rows, problems = read_incidents(path)
    specs = [
        SeedSpec(row["slug"], row.get("title", ""), tuple(c.strip().upper() for c in row.get("countries", "").split(",")
                                                          if c.strip()),
                 (date.fromisoformat(row["window_start"]) if row.get("window_start") else None,
                  date.fromisoformat(row["window_end"]) if row.get("window_end") else None),
                 (path.parent / (row.get("data") or ".")).resolve())
        for row in rows
    ]
    return specs, problems


def default_slug(path: Path = INCIDENTS_CSV) -> str:
    """The first curated incident: what commands and pages use when no incident is named."""
    specs, _ = seed_specs(path)
    if not specs:
        raise LookupError(f"{path} names no incident")
    return specs[0].slug


def folder_stamp(folder: Path) -> str:
    """sha256 over the curated files' names and bytes: changes when any of them does."""
    digest = hashlib.sha256()
    paths = [folder / n for n in ("articles.csv", "events.csv", "claims.csv", "facts.csv")]
    paths += sorted((folder / "articles").glob("*.txt"))
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()


def _changed_by_analysts(session: Session, incident: Incident) -> bool:
    since = incident.meta.get("seed_last_change", 0)
    newer = session.scalar(select(func.count()).select_from(Change)
                           .where(Change.incident_id == incident.id, Change.id > since, Change.who != SEED_USER))
    return bool(newer)


def _clear(session: Session, incident: Incident) -> None:
    for model in (Claim, Event, Fact, Report):
        session.execute(delete(model).where(model.incident_id == incident.id))


def _add_place_mentions(session: Session, incident: Incident) -> None:
    from geo.places.gazetteer import load_gazetteer
    from geo.places.toponyms import find_places

    gazetteer = load_gazetteer()
    for report in session.scalars(select(Report).where(Report.incident_id == incident.id)):
        repo.add_mentions(session, report, find_places(report.text, gazetteer), SEED_USER)


def _seed_one(session: Session, spec: SeedSpec, stamp: str) -> tuple[str, list[Problem]]:
    incident = repo.get_incident(session, spec.slug)
    if incident is not None and incident.meta.get("seed_stamp") == stamp:
        return "current", []
    if incident is not None and _changed_by_analysts(session, incident):
        return "kept", []
    action = "imported"
    if incident is None:
        incident, _ = repo.ensure_incident(session, spec.slug, SEED_USER, spec.title, spec.countries, spec.window)
    else:
        _clear(session, incident)
        action = "re-imported"
    problems = import_folder(session, incident, spec.folder, SEED_USER)
    _add_place_mentions(session, incident)
    session.flush()
    last = session.scalar(select(func.max(Change.id)).where(Change.incident_id == incident.id)) or 0
    incident.meta = {**incident.meta, "seed_stamp": stamp, "seed_last_change": last,
                     "problems": [[p.where, p.message] for p in problems]}
    return action, problems


def ensure_seeded(store: Store, say: Callable[[str], None] = lambda _: None,
                  incidents_csv: Path = INCIDENTS_CSV) -> list[Problem]:
    """Import each curated incident that is new or whose files changed (see the module docstring)."""
    specs, problems = seed_specs(incidents_csv)
    for spec in specs:
        stamp = folder_stamp(spec.folder)
        with store.read() as session:  # the usual case, without taking the write lock
            incident = repo.get_incident(session, spec.slug)
            if incident is not None and incident.meta.get("seed_stamp") == stamp:
                say(f"{spec.slug}: up to date")
                continue
        action, found = store.write(lambda session, spec=spec, stamp=stamp: _seed_one(session, spec, stamp))
        problems += found
        if action == "kept":
            say(f"{spec.slug}: the curated files changed, but analysts have changed this incident in the store; "
                "kept the store's version (export it with `db export` to compare)")
        elif action != "current":
            say(f"{spec.slug}: {action} from {spec.folder} ({len(found)} problems)")
        else:
            say(f"{spec.slug}: up to date")
    return problems
