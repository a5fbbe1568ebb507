"""PostgreSQL down: every page and the command line say so (which store, no password, what failed, what to
do), nothing from the store is shown as if fresh, and the app recovers by itself when the server is back.

A dedicated throw-away server (stopping the session one would disturb other tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from geo.store.engine import URL_ENV
from tests.conftest import ROOT
from tests.store.postgres import PostgresServer, start_server_for_tests

PAGES = ("ui/map.py", "ui/events.py", "ui/sources.py", "ui/context.py", "ui/briefing.py", "ui/ingest.py",
         "ui/review.py", "ui/changes.py")
PASSWORD = "not-this-one-9f3"


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    started = start_server_for_tests()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def url(server: PostgresServer) -> str:
    plain = server.create_database("outage")
    # trust authentication ignores the password; it is here to check it is never shown
    return plain.replace("postgres@", f"postgres:{PASSWORD}@")


@pytest.fixture
def env(url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(URL_ENV, url)
    monkeypatch.delenv("STRIKE_MAP_DATA_DIR", raising=False)
    return url


def _page(page: str | None = None, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    return " ".join(str(getattr(e, "value", "")) for e in at.main) + " ".join(
        str(getattr(e, "value", "")) for e in at.sidebar)


def _says_unreachable(at: AppTest, server: PostgresServer) -> None:
    top = at.main.children[0]  # app.py's first container: above anything the page drew
    (error,) = top.error
    message = error.value
    assert "store cannot be reached" in message and "no data is shown" in message
    assert f"postgres:\\*\\*\\*@127.0.0.1:{server.port}/outage" in message  # which store, password hidden
    assert "What failed:** connection to server at" in message and "Connection refused" in message  # what failed
    assert "Start the database server" in message  # what to do
    assert PASSWORD not in _texts(at)
    # nothing from the store: no table, no map, no metric
    assert not at.dataframe and not at.metric and not at.get("component_instance")


def test_every_page_says_the_store_is_down_and_recovers_when_it_is_back(env: str, server: PostgresServer):
    session = _page()  # up: the seed incident is imported and shown
    assert session.dataframe and session.get("component_instance") and not session.error
    title = session.title[0].value
    server.halt()
    try:
        _page(at=session)  # the same session's next rerun: no cached table is passed off as fresh
        _says_unreachable(session, server)
        for page in PAGES:
            _says_unreachable(_page(page), server)
    finally:
        server.resume()
    _page(at=session)  # the next rerun reconnects by itself
    assert session.dataframe and session.get("component_instance") and not session.error
    assert session.title[0].value == title


@pytest.mark.parametrize("command", [["events"], ["export", "--out", "briefing.png"], ["db", "init"]])
def test_the_command_line_says_the_store_is_down_with_exit_1(env: str, server: PostgresServer, tmp_path,
                                                              command: list[str]):
    server.halt()
    try:
        result = subprocess.run([sys.executable, "-m", "geo", *command], capture_output=True, text=True,
                                cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    finally:
        server.resume()
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and PASSWORD not in result.stderr + result.stdout
    assert f"error: cannot reach the store postgresql+psycopg://postgres:***@127.0.0.1:{server.port}/outage" \
        in result.stderr
    assert "Connection refused" in result.stderr and "Start the database server" in result.stderr
