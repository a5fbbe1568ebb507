"""The Context page through a running Streamlit server, at 100 ... 100,000 context events, beside the naive
rendering (bench/naive_context_app.py: one CircleMarker with an inlined popup per event) in the same run.

    .venv/bin/python bench/scale_streamlit.py [--sizes 100,1000,10000,100000] [--naive-max 10000]
                                              [--timeout 300]

Per size: a seeded synthetic ACLED export (tests/context/synthetic.py) imported into a fresh SQLite store
(the `import-events` code path; wall and CPU seconds), the whole table read from the store, then
`streamlit run app.py` on 127.0.0.1 against that store and headless Chromium on /context:
- first map: from navigation until the context layer in the st_folium frame has drawn every visible tile,
  on a fresh server, then for a second visitor (a new browser context) of the running server, and on a new
  server started as `make run` starts it (its landing page run once before the visit); "settled":
  until the server is idle again and a layer is drawn (the Context page asks for the view the map reports on
  load, which may bring a second layer);
- filter change: the last event type taken out of the "Event types" box (Backspace in it) until the frame
  holds the new layer with the expected number of events, drawn;
- payload: bytes the server sent over the websocket for each (the page's data; the static JavaScript of
  Streamlit itself is cached by a browser and not counted), and the server process's CPU seconds.
The naive page is measured the same way up to --naive-max events. Nothing is asserted; wall times depend on
the machine's load (printed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.dashboard import MAKE_RUN_FLAGS  # noqa: E402
from devtools.warm_server import warm  # noqa: E402
from geo.context import query  # noqa: E402
from geo.context.importer import import_events  # noqa: E402
from geo.store.engine import open_store  # noqa: E402
from geo.store.migrate import upgrade  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    StreamlitServer,
    free_port,
    stop,
    wait_for_health,
)
from tests.context.synthetic import write_acled  # noqa: E402

T = TypeVar("T")
URL_ENV = "STRIKE_MAP_DATABASE_URL"
SLUG = "scale"
FRAME = "document.querySelectorAll(\"iframe[title='streamlit_folium.st_folium']\")[0]"
LAYER_DRAWN = f"""(n) => {{
    const f = {FRAME}, w = f && f.contentWindow, layers = w && w.smContextLayers;
    if (!layers || !layers.length) return false;
    const live = layers.filter(l => l._map);
    return live.length === 1 && (n === null || live[0].smContextCount === n) && !live[0].isLoading()
        && Object.keys(live[0]._tiles).length > 0;
}}"""
NAIVE_DRAWN = f"""(n) => {{
    const f = {FRAME}, d = f && f.contentDocument;
    return !!d && d.querySelectorAll('path.sm-naive').length === n;
}}"""


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Wire:
    """Bytes the server sends over the page's websocket."""

    def __init__(self, page: Page):
        self.received = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: Any) -> None:
        self.received += len(payload) if isinstance(payload, bytes | str) else 0


def _server(folder: Path, url: str, app: str, *args: str, flags: tuple[str, ...] = ()) -> StreamlitServer:
    before = os.environ.get(URL_ENV)
    os.environ[URL_ENV] = url
    try:
        return _start(folder, app, args, flags)
    finally:
        if before is None:
            os.environ.pop(URL_ENV)
        else:
            os.environ[URL_ENV] = before


def _start(folder: Path, app: str, args: tuple[str, ...], flags: tuple[str, ...] = ()) -> StreamlitServer:
    """browser_support.start_streamlit, with Streamlit flags and arguments for the script."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = folder / f"streamlit-{port}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", app, "--server.address", "127.0.0.1", "--server.port",
           str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *flags, "--", *args]
    with log.open("wb") as handle:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    wait_for_health(base, process)
    return StreamlitServer(base, process, log)


def _naive_app(folder: Path) -> Path:
    """bench/naive_context_app.py in a folder beside a link to static/ (Streamlit serves static files from the
    main script's folder; the map's Leaflet assets are there)."""
    app = folder / "naive" / "naive_context_app.py"
    if not app.exists():
        app.parent.mkdir()
        (app.parent / "static").symlink_to(ROOT / "static", target_is_directory=True)
        app.write_text((ROOT / "bench" / "naive_context_app.py").read_text(encoding="utf-8"), encoding="utf-8")
    return app


def _page_run(page: Page, server: Any, path: str, drawn: str, first_n: Any, after_n: int,
              timeout_s: float) -> dict[str, str]:
    """First map and one filter change on an open server; wall, websocket bytes, server CPU."""
    wire = Wire(page)
    cpu0, start = cpu_seconds(server.process.pid), time.perf_counter()
    page.goto(f"{server.base_url}{path}", wait_until="domcontentloaded", timeout=timeout_s * 1000)
    page.wait_for_function(drawn, arg=first_n, timeout=timeout_s * 1000)
    first, first_bytes, first_cpu = time.perf_counter() - start, wire.received, cpu_seconds(server.process.pid) - cpu0
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text="Event types").locator("input")
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')",
                           timeout=timeout_s * 1000)  # the first run is over
    page.wait_for_function(drawn, arg=first_n, timeout=timeout_s * 1000)  # and the rerun the map's view asks for
    settled, settled_bytes = time.perf_counter() - start, wire.received
    settled_cpu = cpu_seconds(server.process.pid) - cpu0
    cpu0, sent0, start = cpu_seconds(server.process.pid), wire.received, time.perf_counter()
    box.click()
    page.keyboard.press("Backspace")
    page.wait_for_function(drawn, arg=after_n, timeout=timeout_s * 1000)
    change = time.perf_counter() - start
    return {"first map": f"{first:.2f} s ({first_bytes / 1e6:.2f} MB, server {first_cpu:.2f} s CPU); settled "
                         f"{settled:.2f} s ({settled_bytes / 1e6:.2f} MB, {settled_cpu:.2f} s CPU)",
            "filter change -> map": f"{change:.2f} s ({(wire.received - sent0) / 1e6:.2f} MB, "
                                    f"server {cpu_seconds(server.process.pid) - cpu0:.2f} s CPU)"}


def _browse(browser: Any, server: Any, path: str, drawn: str, first_n: Any, after_n: int,
            timeout_s: float) -> dict[str, str]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    try:
        return _page_run(page, server, path, drawn, first_n, after_n, timeout_s)
    except Exception as exc:  # a timeout or a message over the limit: say so, keep measuring the rest
        print(f"{server.base_url}{path} failed; server log:\n{server.log()[-2000:]}", file=sys.stderr)
        return {"first map": f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}",
                "filter change -> map": "-"}
    finally:
        context.close()


def measure(size: int, browser: Any, folder: Path, args: argparse.Namespace) -> dict[str, str]:
    csv_path = write_acled(folder / f"acled-{size}.csv", size)
    url = f"sqlite:///{folder / f'scale-{size}.sqlite'}"
    store = open_store(url)
    upgrade(store)
    result, wall, cpu = timed(lambda: import_events(store, SLUG, "acled", csv_path))
    assert result.imported == size, result.problems[:3]
    out = {"events": f"{size:,}", "import": f"{wall:.1f} s ({cpu:.1f} s CPU)"}
    incident = query.incident_id(store, SLUG)
    assert incident is not None
    _frame, wall, cpu = timed(lambda: query.table(store, incident, query.ContextFilter()))
    out["table from store"] = f"{wall:.2f} s ({cpu:.2f} s CPU)"
    types = query.event_types(store, incident)
    after = len(query.points(store, incident, query.ContextFilter(event_types=tuple(types[:-1])), types))
    store.dispose()
    server = _server(folder, url, "app.py")
    try:  # a fresh server (its first visitor loads the seed dataset and caches), then a second visitor
        cold = _browse(browser, server, "/context", LAYER_DRAWN, None, after, args.timeout)
        out["first map (fresh server)"] = cold["first map"]
        out.update(_browse(browser, server, "/context", LAYER_DRAWN, None, after, args.timeout))
    finally:
        stop(server.process)
    # as `make run` starts it: the landing page run once in the new server (devtools.warm_server) before the
    # first visit, which then goes to the Context page
    server = _server(folder, url, "app.py", flags=MAKE_RUN_FLAGS)
    try:
        warmed = warm(server.base_url)
        made = _browse(browser, server, "/context", LAYER_DRAWN, None, after, args.timeout)
        out["first map (as make run)"] = f"{made['first map']}; {warmed}"
    finally:
        stop(server.process)
    if size > args.naive_max:
        out["naive first map"] = (f"skipped: over --naive-max {args.naive_max:,} (~2.7 KB per event: 100,000 "
                                  "exceeded Streamlit's 200 MB message limit in issue 17)")
        out["naive filter change"] = "-"
        return out
    naive = _server(folder, url, str(_naive_app(folder)), "--incident", SLUG)
    try:
        got = _browse(browser, naive, "/", NAIVE_DRAWN, size, after, args.timeout)
    finally:
        stop(naive.process)
    out["naive first map"], out["naive filter change"] = got["first map"], got["filter change -> map"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--naive-max", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="strike-map-scale-st-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, browser, Path(tmp), args))
            print(" | ".join(f"{k}: {v}" for k, v in rows[-1].items()), f"| load {os.getloadavg()[0]:.1f}",
                  flush=True)
        browser.close()
    print(f"load average after: {os.getloadavg()}")
    print("\n| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(row.values()) + " |")


if __name__ == "__main__":
    main()
