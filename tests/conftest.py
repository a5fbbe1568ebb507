"""Shared fixtures. Browser fixtures live in tests/browser_support.py."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from geo.dataset import Dataset, load_dataset  # noqa: E402
from geo.events.table import EventTable  # noqa: E402
from tests.browser_support import browser_context, browser_page, streamlit_app  # noqa: E402
from tests.store.postgres import PostgresServer, start_server_for_tests  # noqa: E402

__all__ = ["browser_context", "browser_page", "dataset", "pg_server", "streamlit_app", "table"]


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The seed incident as every page, export and command sees it (read-only: never mutate it)."""
    return load_dataset()


@pytest.fixture(scope="session")
def table(dataset: Dataset) -> EventTable:
    return dataset.table


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One throw-away PostgreSQL + PostGIS server for the session (tests/store/postgres.py). Without the
    binaries its tests are skipped locally and fail in CI (CI=true), so they cannot silently stop running there."""
    server = start_server_for_tests()
    yield server
    server.stop()
