"""Fixtures for the context layer: a migrated throw-away SQLite store, the hand-written exports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.store.engine import Store, open_store
from geo.store.migrate import upgrade

DATA = Path(__file__).resolve().parents[1] / "data" / "context"
ACLED_EDGE = DATA / "acled_edge.csv"
UCDP_EDGE = DATA / "ucdp_edge.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(opened)
    yield opened
    opened.dispose()
