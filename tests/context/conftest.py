"""Fixtures for the context layer: a migrated throw-away SQLite store, the hand-written exports."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from geo.context import query

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


def cells_in_python(frame: pd.DataFrame, size: float) -> Counter[tuple[int, int]]:
    """What query.cells must give, counted row by row: the cell (row, col) of every located event."""
    located = frame.dropna(subset=["lat", "lon"])
    return Counter((math.floor((lat + 90.0) / size), math.floor((lon + 180.0) / size))
                   for lat, lon in zip(located["lat"], located["lon"], strict=True))


def cells_in_sql(cells: query.ContextCells) -> Counter[tuple[int, int]]:
    return Counter({(int(r), int(c)): int(n) for r, c, n in zip(cells.row, cells.col, cells.count, strict=True)})
