"""A locked SQLite store: writes wait, retry with backoff, then say clearly what is wrong."""

from __future__ import annotations

import sqlite3

import pytest

from geo.store import repo
from geo.store.engine import Retry, StoreLocked, open_store
from geo.store.migrate import upgrade


def _locked(tmp_path):
    path = tmp_path / "store.sqlite"
    upgrade(open_store(f"sqlite:///{path}"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    return path, holder


def test_a_write_gives_up_with_a_clear_message_when_the_lock_is_never_released(tmp_path):
    path, holder = _locked(tmp_path)
    tries: list[int] = []
    store = open_store(f"sqlite:///{path}", Retry(busy_timeout_ms=20, attempts=3, first_backoff_s=0.01,
                                                  on_retry=lambda n, _exc: tries.append(n)))
    with pytest.raises(StoreLocked, match=r"locked by another process.*gave up after 3 tries"):
        store.write(lambda s: repo.ensure_incident(s, "x", "ana"))
    assert tries == [1, 2]
    holder.rollback()
    store.write(lambda s: repo.ensure_incident(s, "x", "ana"))  # works once the lock is gone


def test_a_write_goes_through_when_the_other_writer_finishes_between_tries(tmp_path):
    path, holder = _locked(tmp_path)
    store = open_store(f"sqlite:///{path}", Retry(busy_timeout_ms=20, attempts=5, first_backoff_s=0.01,
                                                  on_retry=lambda n, _exc: holder.execute("COMMIT")))
    incident, created = store.write(lambda s: repo.ensure_incident(s, "x", "ana"))
    assert created and incident.slug == "x"
