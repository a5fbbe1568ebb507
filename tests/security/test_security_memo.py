"""Dataset.memo makes a value once even when many sessions ask at the same moment (issue 9, "Load":
25 sessions opening the Briefing page rendered the same PNG concurrently)."""

from __future__ import annotations

import threading

import pytest

from geo.corpus.articles import Corpus
from geo.dataset import Dataset
from geo.events.table import EventTable

THREADS = 8


class _CountingLock:
    """A lock that counts how often it was taken (each memo call takes it on entry)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.changed = threading.Condition()
        self.taken = 0

    def __enter__(self) -> None:
        self._lock.acquire()
        with self.changed:
            self.taken += 1
            self.changed.notify_all()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _dataset() -> tuple[Dataset, _CountingLock]:
    lock = _CountingLock()
    return Dataset(stamp=(), corpus=Corpus(), table=EventTable(), _lock=lock), lock


def test_concurrent_requests_for_one_key_make_it_once():
    dataset, lock = _dataset()
    made = []

    def make() -> str:
        made.append(1)
        with lock.changed:  # every thread has entered memo before the value is ready
            assert lock.changed.wait_for(lambda: lock.taken >= THREADS, timeout=30)
        return "png"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(dataset.memo("k", make))) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == ["png"] * THREADS
    assert len(made) == 1


def test_a_failure_reaches_every_waiter_and_is_not_cached():
    dataset, lock = _dataset()
    errors: list[BaseException] = []

    def make() -> str:
        with lock.changed:
            assert lock.changed.wait_for(lambda: lock.taken >= 2, timeout=30)
        raise OSError("disk full")

    def ask() -> None:
        try:
            dataset.memo("k", make)
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(errors) == 2
    assert dataset.memo("k", lambda: "later") == "later"
    with pytest.raises(KeyError):
        dataset.memo("other", lambda: {}["missing"])
