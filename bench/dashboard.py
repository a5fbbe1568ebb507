"""Dashboard benchmark: cold start to first map, filter change -> map updated, marker click -> row
selected, beside a plain page reload in the same run; map payload size.

    .venv/bin/python bench/dashboard.py [--runs N] [--root DIR] [--no-warm]

Starts `streamlit run app.py` on 127.0.0.1 (a fresh process, warmed as `make run` warms it unless
--no-warm) in DIR (default: this checkout; another checkout's app can be measured with this same script),
drives the system Chromium with Playwright and prints figures; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.warm_server import warm  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_FLAGS, free_port, stop, wait_for_health  # noqa: E402

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
MARKER = ".leaflet-marker-icon.strike-marker-icon"
COUNT_JS = """([sel, marker]) => {
    const f = document.querySelector(sel);
    return f && f.contentDocument ? f.contentDocument.querySelectorAll(marker).length : -1;
}"""


def start_server(log: Path, root: Path = ROOT, extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *extra],
            cwd=root, stdout=out, stderr=subprocess.STDOUT,
        )
    wait_for_health(url, process)
    return process, url, t0


def server_cpu(process: subprocess.Popen) -> float:
    """CPU seconds the server process has used (user + system, Linux /proc)."""
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def with_cpu(process: subprocess.Popen, measure):
    """(what measure() returns, the server's CPU seconds meanwhile)."""
    before = server_cpu(process)
    result = measure()
    return result, server_cpu(process) - before


def cpu_median(runs) -> str:
    return f"server CPU median {statistics.median(r[1] for r in runs):.2f} s"


def map_payload_bytes() -> dict[str, int]:
    """What st_folium sends for the landing map (AppTest sees the component's arguments)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    return {
        "json_args": len(component.proto.json_args.encode()),
        "script": len(args["script"].encode()),
        "header": len(args["header"].encode()),
        "layers": len((args.get("feature_group") or "").encode()),
    }


def apptest_rerun_seconds(runs: int) -> tuple[float, float]:
    """Server-side wall and CPU time of one rerun of the map page after the actor filter changes (AppTest)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    times = []
    for i in range(runs):
        at.sidebar.multiselect(key="f_actor").set_value(["Iran"] if i % 2 == 0 else ["Pakistan"])
        at._page_hash = at._finished_page_script_hash = ""  # rerun app.py (see tests/test_app_pages.py)
        t, cpu = time.perf_counter(), time.process_time()  # AppTest runs the script in a thread of this process
        at.run()
        times.append((time.perf_counter() - t, time.process_time() - cpu))
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


ACTORS = ("Iran", "Pakistan", "Islamic State", "Houthis", "Iraq", "Jaish al-Adl", "Hezbollah")


def type_actor(page, box, actor: str) -> None:
    """Open the actor box and type a name (the list of choices narrows; nothing is sent yet)."""
    box.locator("input").click()
    page.keyboard.type(actor)


def choose(page) -> None:
    """Take the highlighted choice (the filter changes here) and close the list."""
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def pick(page, box, actor: str) -> None:
    type_actor(page, box, actor)
    choose(page)


def change_filter(page, frames: list[int], action, prepare=None) -> tuple[float, int, float]:
    """Seconds until the map shows a different marker count (from the start of prepare, then action),
    bytes received meanwhile, and seconds from the action alone (the choice that changes the filter)."""
    before = page.evaluate(COUNT_JS, [MAP_FRAME, MARKER])
    frames.clear()
    t = time.perf_counter()
    if prepare is not None:
        prepare()
    t_action = time.perf_counter()
    action()
    page.wait_for_function(
        f"""([sel, marker]) => {{
            const f = document.querySelector(sel);
            const n = f && f.contentDocument ? f.contentDocument.querySelectorAll(marker).length : -1;
            return n > 0 && n !== {before};
        }}""", arg=[MAP_FRAME, MARKER], timeout=60_000)
    end = time.perf_counter()
    page.wait_for_timeout(300)
    return end - t, sum(frames), end - t_action


SELECTED_ROW_JS = """(id) => [...document.querySelectorAll('[data-testid=stDataFrame] [role=row][aria-selected=true]')]
    .some(r => r.textContent.includes(id))"""


#: Which markers a click at their centre would reach (the topmost element there is the marker itself), which
#: another element covers (and which one), and which are outside the map's view.
CLICKABLE_JS = """([sel, marker]) => {
    const doc = document.querySelector(sel).contentDocument;
    const view = doc.querySelector('.leaflet-container').getBoundingClientRect();
    return [...doc.querySelectorAll(marker)].map(m => {
        const r = m.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
        const id = (m.getAttribute('title') || '').split(':')[0];
        if (x < view.left || x > view.right || y < view.top || y > view.bottom) return {id, state: 'out of view'};
        const hit = doc.elementFromPoint(x, y);
        if (hit && m.contains(hit)) return {id, state: 'clickable'};
        const over = hit && hit.closest('[title]');
        return {id, state: 'covered', by: over ? over.getAttribute('title').split(':')[0] : (hit ? hit.className : '')};
    });
}"""


def marker_reach(page) -> list[dict]:
    return page.evaluate(CLICKABLE_JS, [MAP_FRAME, MARKER])


#: Times seen in the page, from the click event itself (not from Playwright's call, whose actionability checks
#: come first): the marker drawn selected on the map, the row drawn selected on the grid's canvas (a pixel of
#: its checkbox cell changes), and the row's aria-selected (the grid's accessible table, what this bench and the
#: tests wait for; the grid updates it after drawing). One clock for both frames: timeOrigin + now().
WATCH_CLICK_JS = """([sel, id]) => {
  const now = () => performance.timeOrigin + performance.now();
  const frame = document.querySelector(sel), w = frame.contentWindow, marks = window.__clickMarks = {};
  w.document.addEventListener('click', () => { if (!marks.click) marks.click = now(); }, true);
  const grid = document.querySelector('.st-key-map_table [data-testid=stDataFrame]');
  const canvas = grid && grid.querySelector('canvas'), ctx = canvas && canvas.getContext('2d');
  const rows = grid ? [...grid.querySelectorAll('[role=row]')] : [];
  const index = rows.findIndex(r => r.textContent.includes(id));
  const scroller = grid && grid.querySelector('.dvn-scroller'), dpr = window.devicePixelRatio || 1;
  const y = Math.round((index * 35 + 17 - (scroller ? scroller.scrollTop : 0)) * dpr), x = Math.round(24 * dpr);
  const visible = ctx && index > 0 && y > 35 * dpr && y < canvas.height;
  const pixel = () => Array.from(ctx.getImageData(x, y, 1, 1).data).join(',');
  const before = visible ? pixel() : null;
  const selectedMarker = () => [...w.document.querySelectorAll('.strike-marker-icon')]
    .some(m => (m.getAttribute('title') || '').startsWith(id + ':') && m.querySelector('.strike-marker.selected'));
  const selectedRow = () => [...document.querySelectorAll('[data-testid=stDataFrame] [role=row][aria-selected=true]')]
    .some(r => r.textContent.includes(id));
  const tick = () => {
    if (marks.click) {
      if (!marks.marker && selectedMarker()) marks.marker = now();
      if (visible && !marks.drawn && pixel() !== before) marks.drawn = now();
      if (!marks.aria && selectedRow()) marks.aria = now();
    }
    if (!marks.aria || !marks.marker) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

CLICK_MARKS_JS = """() => {
  const m = window.__clickMarks || {}, out = {};
  for (const k of ['marker', 'drawn', 'aria']) if (m.click && m[k]) out[k] = (m[k] - m.click) / 1000;
  return out;
}"""


def click_marker(page, event_id: str) -> tuple[float, dict[str, float]]:
    """Seconds from a marker click (Playwright's call) to its row being selected in the table, and the times
    seen in the page from the click event itself (WATCH_CLICK_JS: marker, drawn, aria)."""
    marker = page.frame_locator(MAP_FRAME).locator(f"{MARKER}[title^='{event_id}:']")
    marker.wait_for(timeout=60_000)
    page.evaluate(WATCH_CLICK_JS, [MAP_FRAME, event_id])
    t = time.perf_counter()
    marker.click()
    page.wait_for_function(SELECTED_ROW_JS, arg=event_id, timeout=60_000)
    seconds = time.perf_counter() - t
    page.wait_for_timeout(300)
    return seconds, page.evaluate(CLICK_MARKS_JS)


#: What `make run` adds to `streamlit run app.py` (with devtools.warm_server beside it).
MAKE_RUN_FLAGS = ("--server.scriptHealthCheckEnabled", "true")

#: Markers to click, in turn, if a user can click them (rows near the top of the event list: the same clicks as
#: before the list scrolled to a row selected on the map, so figures stay comparable).
CLICK_EVENTS = ("kerman-bombing", "pakistan-strike-saravan", "iran-strike-balochistan", "iran-strike-iraq",
                "iran-strike-syria", "pakistan-recalls-ambassador")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4, help="actors to filter by in turn (max 7)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py to run")
    parser.add_argument("--no-warm", action="store_true",
                        help="a bare `streamlit run app.py` (default: as `make run` starts and warms it)")
    args = parser.parse_args()

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        process, url, t0 = start_server(Path(tmp) / "streamlit.log", args.root.resolve(),
                                        () if args.no_warm else MAKE_RUN_FLAGS)
        server_up = time.perf_counter() - t0
        warmed = "not warmed (--no-warm)" if args.no_warm else warm(url)
        cpu_warmed = server_cpu(process)
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
                    viewport={"width": 1600, "height": 1000},
                )
                frames: list[int] = []
                page = context.new_page()
                page.on("websocket", lambda ws: ws.on(
                    "framereceived", lambda payload: frames.append(len(payload) if payload else 0)))

                def on_response(response) -> None:
                    # Streamlit sends large messages by reference and the browser fetches them over HTTP.
                    if "/_stcore/message" in response.url:
                        try:
                            frames.append(len(response.body()))
                        except Exception:
                            pass

                page.on("response", on_response)
                load_start = os.getloadavg()
                cpu_open = server_cpu(process)
                t_open = time.perf_counter()
                page.goto(url, wait_until="domcontentloaded")
                page.frame_locator(MAP_FRAME).locator(MARKER).first.wait_for(timeout=600_000, state="attached")
                first_map = time.perf_counter()
                cpu_first_map = server_cpu(process) - cpu_open
                first_load_ws = sum(frames)
                all_markers = page.evaluate(COUNT_JS, [MAP_FRAME, MARKER])

                # warm page load (server caches filled): what every interaction cost when the map was rebuilt
                reloads = []
                for _ in range(3):
                    t_warm = time.perf_counter()
                    page.goto(url, wait_until="domcontentloaded")
                    page.frame_locator(MAP_FRAME).locator(MARKER).first.wait_for(timeout=300_000, state="attached")
                    reloads.append(time.perf_counter() - t_warm)
                    page.wait_for_timeout(500)
                # Only markers a user can click at the opening zoom are clicked (the topmost element at their
                # centre); the others are counted and named below, not hidden.
                reach = marker_reach(page)
                clickable = [m["id"] for m in reach if m["state"] == "clickable"]
                targets = [e for e in CLICK_EVENTS if e in clickable]
                clicks, missed = [], []
                for event_id in targets[: args.runs]:  # each from a fresh page: the marker is in view
                    page.goto(url, wait_until="domcontentloaded")
                    page.frame_locator(MAP_FRAME).locator(MARKER).first.wait_for(timeout=300_000, state="attached")
                    page.wait_for_timeout(1000)
                    try:
                        clicks.append(with_cpu(process, lambda e=event_id: click_marker(page, e)))
                    except PlaywrightTimeout:  # counted and named below
                        missed.append(event_id)
                page.goto(url, wait_until="domcontentloaded")
                page.frame_locator(MAP_FRAME).locator(MARKER).first.wait_for(timeout=300_000, state="attached")
                page.wait_for_timeout(1000)

                fresh, cached = [], []  # (seconds, bytes): a view not seen before / seen before
                actor_box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(
                    has_text="Actor")
                for actor in ACTORS[: args.runs]:
                    fresh.append(with_cpu(process, lambda a=actor: change_filter(
                        page, frames, lambda: choose(page), lambda: type_actor(page, actor_box, a))))
                    cached.append(with_cpu(process, lambda: change_filter(page, frames, lambda: actor_box.get_by_role(
                        "button", name="Clear all").click())))
                context.close()
        finally:
            stop(process)

    # AppTest imports the app in this process: only for this checkout (another's geo/ would clash)
    same = args.root.resolve() == ROOT
    payload = map_payload_bytes() if same else None
    server_rerun = apptest_rerun_seconds(args.runs) if same else None
    print(f"load average (1, 5, 15 min) at the first visit: {' '.join(f'{x:.2f}' for x in load_start)}; "
          f"at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"server start (process to /_stcore/health):      {server_up:6.2f} s")
    print(f"as `make run`: {warmed}; server CPU from process start to before the first visit {cpu_warmed:.2f} s")
    print(f"cold start to first map (process start):        {first_map - t0:6.2f} s")
    print(f"  of which first page open to first marker:     {first_map - t_open:6.2f} s  ({all_markers} markers; "
          f"server CPU {cpu_first_map:.2f} s)")
    print(f"plain page reload to first marker:              median {statistics.median(reloads):.2f} s "
          f"(min {min(reloads):.2f}, max {max(reloads):.2f}, n={len(reloads)})")
    unreachable = [m for m in reach if m["state"] != "clickable"]
    print(f"markers not clickable at the opening zoom:      {len(unreachable)} of {len(reach)}"
          + "".join(f"\n    {m['id']}: {m['state']}" + (f" by {m['by']}" if m.get("by") else "") for m in unreachable))
    if clicks:
        secs = [c[0][0] for c in clicks]
        print(f"marker click to row selected in the browser:    median {statistics.median(secs):.2f} s "
              f"(min {min(secs):.2f}, max {max(secs):.2f}, n={len(secs)}; {cpu_median(clicks)}; "
              f"clicked {', '.join(e for e in targets[:args.runs] if e not in missed)})")
        print("  in the page, from the click event (Playwright's actionability checks excluded):")
        for key, label in (("marker", "marker drawn selected on the map"), ("drawn", "row drawn selected (grid)"),
                           ("aria", "row aria-selected (as above)")):
            seen = [c[0][1][key] for c in clicks if key in c[0][1]]
            if seen:
                print(f"    {label:34} median {statistics.median(seen):.2f} s (min {min(seen):.2f}, "
                      f"max {max(seen):.2f}, n={len(seen)})")
    else:
        print("marker click to row selected in the browser:    not measured: no click selected its row")
    if missed:
        print(f"  clicks whose row was not selected within 60 s:  {', '.join(missed)}")
    for label, runs in (("a new view", fresh), ("a view seen before", cached)):
        secs = [r[0][0] for r in runs]
        kib = statistics.median(r[0][1] for r in runs) / 1024
        print(f"filter change to {label:18} in the browser: median {statistics.median(secs):.2f} s "
              f"(min {min(secs):.2f}, max {max(secs):.2f}, n={len(runs)}; {cpu_median(runs)}); received {kib:.1f} KiB")
        chosen = [r[0][2] for r in runs]
        print(f"  of which from the choice (Enter) to the map:   median {statistics.median(chosen):.2f} s "
              f"(min {min(chosen):.2f}, max {max(chosen):.2f}; the rest is typing into the actor box)")
    if server_rerun is not None and payload is not None:
        print(f"rerun of app.py after a filter change, server (AppTest, median): {server_rerun[0]:6.3f} s wall, "
              f"{server_rerun[1]:.3f} s CPU")
        print(f"map payload (st_folium arguments):              {payload['json_args'] / 1024:6.1f} KiB "
              f"(map {payload['script'] / 1024:.1f} KiB, layers {payload['layers'] / 1024:.1f} KiB, "
              f"header {payload['header'] / 1024:.1f} KiB)")
    print(f"bytes received on the first load (websocket):         {first_load_ws / 1024:6.1f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
