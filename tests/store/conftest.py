"""Store fixtures: every store test runs against a real SQLite file and a real PostgreSQL + PostGIS server
(started once per session, see tests/store/postgres.py). Without PostgreSQL binaries the PostgreSQL cases
are skipped locally, and fail in CI (CI=true), so they cannot silently stop running there."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.paths import DATA_DIR
from geo.store.engine import Store, open_store
from geo.store.migrate import upgrade
from geo.store.seed import ensure_seeded
from tests.store.postgres import PostgresServer

BACKENDS = ("sqlite", "postgresql")
_names = itertools.count()


def new_url(backend: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / f'store{next(_names)}.sqlite'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.create_database(f"strike_map_{os.getpid()}_{next(_names)}")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store at the newest schema, one per test."""
    opened = open_store(new_url(request.param, request, tmp_path))
    upgrade(opened)
    yield opened
    opened.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store with the curated incident imported (shared: tests must not change it)."""
    opened = open_store(new_url(request.param, request, tmp_path_factory.mktemp("seeded")))
    upgrade(opened)
    ensure_seeded(opened)
    yield opened
    opened.dispose()


@pytest.fixture(scope="session")
def seeded_templates(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """backend -> URL of a seeded store that is never opened by tests, only copied (seeding takes seconds)."""
    folder = tmp_path_factory.mktemp("templates")
    templates = {}
    for backend in BACKENDS:
        try:
            url = new_url(backend, request, folder)
        except pytest.skip.Exception:
            continue
        template = open_store(url)
        upgrade(template)
        ensure_seeded(template)
        template.dispose()
        templates[backend] = url
    return templates


@pytest.fixture(params=BACKENDS)
def seeded_url(request: pytest.FixtureRequest, seeded_templates: dict[str, str], tmp_path: Path) -> str:
    """The URL of a fresh copy of the seeded store, for tests (and subprocesses) that change it."""
    if request.param == "sqlite":
        target = tmp_path / "seeded.sqlite"
        with sqlite3.connect(seeded_templates["sqlite"].removeprefix("sqlite:///")) as source, \
                sqlite3.connect(target) as copy:
            source.backup(copy)
        return f"sqlite:///{target}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"strike_map_{os.getpid()}_{next(_names)}"
    template = seeded_templates["postgresql"].rsplit("/", 1)[1]
    engine = sa.create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    engine.dispose()
    return server.url(name)


@pytest.fixture
def curated_copy(tmp_path: Path) -> Path:
    """A copy of data/'s curated files (with incidents.csv) to change in a test."""
    folder = tmp_path / "curated"
    folder.mkdir()
    for name in ("articles.csv", "events.csv", "claims.csv", "facts.csv", "incidents.csv"):
        shutil.copy(DATA_DIR / name, folder / name)
    shutil.copytree(DATA_DIR / "articles", folder / "articles")
    return folder
