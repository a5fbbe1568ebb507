"""Real-browser test support: a Streamlit server on 127.0.0.1 and headless system Chromium.

Playwright for Python drives Debian's /usr/bin/chromium (``playwright install`` cannot work offline).
Every request the page makes is recorded so tests can prove nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about", "file", "chrome-extension"}
SERVER_START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, process: subprocess.Popen, timeout: float = SERVER_START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit did not answer on {base_url} within {timeout} s")


@dataclass
class StreamlitServer:
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_streamlit(log_dir: Path, app: str = "app.py", env: dict[str, str] | None = None) -> StreamlitServer:
    """`streamlit run app` on 127.0.0.1 (a free port, no file watcher); env: variables set for the server only
    (the store's URL, for one)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"streamlit-{port}.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", app,
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **env} if env else None)
    try:
        wait_for_health(base_url, process)
    except Exception:
        process.terminate()
        raise
    return StreamlitServer(base_url, process, log_path)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in LOCAL_SCHEMES:
        return True
    return parsed.hostname in LOCAL_HOSTS


@dataclass
class BrowserPage:
    page: object  # playwright.sync_api.Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def external_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def streamlit_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `streamlit run app.py` on 127.0.0.1 (one server for the test session)."""
    server = start_streamlit(tmp_path_factory.mktemp("streamlit"))
    try:
        yield server.base_url
    finally:
        stop(server.process)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    """A persistent Chromium context with a fresh profile (launch() refuses --user-data-dir)."""
    if not chromium_available():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1600, "height": 1000}, accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def browser_page(browser_context) -> Iterator[BrowserPage]:
    """A new page that records every request, console error and page error (when its test fails,
    tests/conftest.py prints what the page showed: describe_page)."""
    page = browser_context.new_page()
    recorder = BrowserPage(page=page)
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and recorder.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: recorder.page_errors.append(str(exc)))
    try:
        yield recorder
    finally:
        page.close()


#: What a failed browser test's page looked like: the app's state and each map frame's.
_DESCRIBE_JS = """() => {
  const text = sel => [...document.querySelectorAll(sel)].map(e => e.textContent.trim().slice(0, 120));
  const frames = [...document.querySelectorAll('iframe')].map(f => {
    const d = f.contentDocument, w = f.contentWindow, g = w && w.__GLOBAL_DATA__;
    if (!d) return {title: f.title, height: f.getBoundingClientRect().height, readable: false};
    return {title: f.title, height: Math.round(f.getBoundingClientRect().height),
            markers: d.querySelectorAll('.strike-marker-icon').length,
            selected: d.querySelectorAll('.strike-marker.selected').length,
            paths: d.querySelectorAll('.leaflet-overlay-pane path').length,
            map: !!(w && w.map), zoom: w && w.map ? w.map.getZoom() : null,
            layersChars: g && g.last_feature_group ? g.last_feature_group.length : null};
  });
  return {url: location.href, running: text('[data-testid=stStatusWidget]'),
          selectedRows: text('[data-testid=stDataFrame] [role=row][aria-selected=true] td:first-of-type'),
          alerts: text('[data-testid=stAlert], [data-testid=stException]'), frames};
}"""


def describe_page(recorder: BrowserPage) -> str:
    """A few lines on the page's state for a failure report (never raises)."""
    try:
        state = recorder.page.evaluate(_DESCRIBE_JS)  # type: ignore[attr-defined]
    except Exception as exc:  # a closed or crashed page is itself the diagnosis
        state = f"(page state unreadable: {exc})"
    return (f"--- browser page at failure ---\nstate: {state}\nconsole errors: {recorder.console_errors}\n"
            f"page errors: {recorder.page_errors}\nnon-local requests: {recorder.external_requests()}")
