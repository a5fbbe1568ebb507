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
from tests.browser_support import browser_context, browser_page, describe_page, streamlit_app  # noqa: E402
from tests.store.postgres import PostgresServer, start_server_for_tests  # noqa: E402

__all__ = ["browser_context", "browser_page", "dataset", "pg_server", "streamlit_app", "table"]

#: A real-browser test is run again (up to this many times) when it fails. On a loaded 2-core CI machine one
#: of the ~42 browser tests timed out in each of three full runs, a different one each time, none of them
#: reproducible (each passed 12 of 12 times alone under three busy cores). A failure that is real fails every
#: attempt; every re-run is printed in the summary ("R" and "rerun" lines), so a flaky test stays visible.
#: Nothing else is re-run: the unit, store and AppTest tests are deterministic.
BROWSER_RERUNS = 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") is not None and item.get_closest_marker("flaky") is None:
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """When a real-browser test fails, what its page showed goes into the output at once (CI keeps only the
    output, and a failed attempt that passes on its re-run shows no report of its own)."""
    report = yield
    recorder = getattr(item, "funcargs", {}).get("browser_page")
    if report.when == "call" and report.failed and recorder is not None:
        state = describe_page(recorder)
        report.sections.append(("browser page at failure", state))
        terminal = item.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            terminal.ensure_newline()
            terminal.write_line(f"{item.nodeid} failed; {state}")
    return report


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
