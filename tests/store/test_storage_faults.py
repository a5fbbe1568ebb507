"""A read-only store, a full disk: a clear message naming the store, nothing written, nothing lost.

Real faults, not mocks: SQLite opened read-only (mode=ro) or capped with max_page_count (SQLite's own
"database or disk is full"), and a PostgreSQL database set to read-only transactions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from geo.paths import ROOT
from geo.store import repo
from geo.store.engine import Store, StoreError, open_store
from geo.store.migrate import upgrade
from geo.store.models import Incident
from tests.store.conftest import new_url


def _incidents(store: Store) -> list[str]:
    with store.read() as session:
        return sorted(session.scalars(sa.select(Incident.slug)))


def _add(store: Store, slug: str, title: str = "") -> None:
    store.write(lambda s: repo.ensure_incident(s, slug, "tester", title=title))


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(store)
    _add(store, "kept")
    return store


def test_a_read_only_sqlite_store_says_so_and_keeps_what_it_holds(sqlite_store: Store) -> None:
    path = sqlite_store.sqlite_path
    sqlite_store.dispose()
    read_only = open_store(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert _incidents(read_only) == ["kept"]  # reading still works
    with pytest.raises(StoreError, match="read-only") as caught:
        _add(read_only, "new")
    assert str(path) in str(caught.value) and "nothing was written" in str(caught.value)
    read_only.dispose()
    assert _incidents(open_store(f"sqlite:///{path}")) == ["kept"]
    assert not (Path.cwd() / "file:").exists()  # the URI is not taken for a folder to create


def test_a_full_disk_says_so_and_rolls_back(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()

    @event.listens_for(sqlite_store.engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:  # the file may not grow: SQLITE_FULL
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages)}")

    sqlite_store.engine.dispose()  # new connections get the cap
    with pytest.raises(StoreError, match="full disk") as caught:
        sqlite_store.write(lambda s: [repo.ensure_incident(s, f"big-{i}", "tester", title="x" * 4000)
                                      for i in range(200)])
    assert "nothing already stored was changed" in str(caught.value)
    event.remove(sqlite_store.engine, "connect", _cap)
    sqlite_store.engine.dispose()
    assert _incidents(sqlite_store) == ["kept"]


def test_a_read_only_postgresql_database_says_so(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = new_url("postgresql", request, tmp_path)
    store = open_store(url)
    upgrade(store)
    _add(store, "kept")
    database = store.engine.url.database
    with store.engine.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
        connection.commit()
    store.engine.dispose()
    with pytest.raises(StoreError, match="read-only") as caught:
        _add(store, "new")
    assert "password" not in str(caught.value).lower()
    assert _incidents(store) == ["kept"]
    store.dispose()


def test_the_ingest_command_on_a_read_only_store_is_one_clear_line(sqlite_store: Store, tmp_path: Path) -> None:
    path = sqlite_store.sqlite_path
    sqlite_store.dispose()
    report = tmp_path / "report.txt"
    report.write_text("Shelling near Kupiansk in Kharkiv oblast killed two people on Monday, officials said.\n",
                      encoding="utf-8")
    env = {**os.environ, "STRIKE_MAP_DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true",
           "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "geo", "ingest", "--incident", "new-one", "--countries", "UA",
                          str(report)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "read-only" in run.stderr and str(path) in run.stderr
    assert _incidents(open_store(f"sqlite:///{path}")) == ["kept"]
