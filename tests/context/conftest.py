"""Fixtures for the context layer: a migrated throw-away SQLite store, the hand-written exports."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from geo.context import grid, query
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


CELL_FILTERS = (
    query.ContextFilter(),
    query.ContextFilter(event_types=("Battles", "Riots")),
    query.ContextFilter(bbox=(62.0, 25.0, 66.5, 29.0)),
)


def assert_cells_match_python(store: Store, incident: int) -> None:
    """query.cells equals a Python count of query.table's rows, at several zooms and filters."""
    for flt in CELL_FILTERS:
        rows = query.table(store, incident, flt)
        for zoom in (2, 5, 7):
            size = grid.cell_degrees(zoom)
            cells = query.cells(store, incident, flt, size)
            assert cells_in_sql(cells) == cells_in_python(rows, size), (flt, zoom)
            assert cells.events == len(rows.dropna(subset=["lat", "lon"]))
        assert len(query.cells(store, incident, flt, grid.cell_degrees(7))) > 10  # many cells, not one
