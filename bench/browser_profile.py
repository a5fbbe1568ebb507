"""Where the browser's time goes in a filter change to a new view and in a marker click → row selected.

    .venv/bin/python bench/browser_profile.py [--runs N]

Starts the app as bench/dashboard.py does (warmed like `make run`) and instruments every frame before the page
runs (wall clock, Date.now(), shared by the page and the map's frame): websocket messages (time, bytes), messages
Streamlit sends by reference and the browser fetches (/_stcore/message), the map frame's render message (its
arguments' size), the end of the task that handles it (streamlit-folium evaluates the layers there), the
markers being replaced, and long tasks (> 50 ms) in the page and in the map frame. Prints one timeline per
interaction and the medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dashboard import (  # noqa: E402
    ACTORS,
    CLICK_EVENTS,
    MAKE_RUN_FLAGS,
    MAP_FRAME,
    MARKER,
    SELECTED_ROW_JS,
    choose,
    marker_reach,
    server_cpu,
    start_server,
    type_actor,
)
from devtools.warm_server import warm  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_FLAGS, stop  # noqa: E402

INSTRUMENT = r"""
(() => {
  const log = window.__smlog = [];
  const mark = (what, n) => log.push([Date.now(), what, n || 0]);
  window.__smmark = mark;
  const WS = window.WebSocket;
  if (WS && window === window.top) {
    window.WebSocket = function (...a) {
      const ws = new WS(...a);
      ws.addEventListener('message', e => mark('ws in', e.data.byteLength || e.data.size || e.data.length || 0));
      const send = ws.send.bind(ws);
      ws.send = d => { mark('ws out', d.byteLength || d.length || 0); return send(d); };
      return ws;
    };
    window.WebSocket.prototype = WS.prototype;
    Object.assign(window.WebSocket, WS);
  }
  new PerformanceObserver(l => l.getEntries().forEach(e => {
    if (e.name.includes('/_stcore/message')) {
      log.push([performance.timeOrigin + e.startTime, 'fetch start', 0]);
      log.push([performance.timeOrigin + e.responseEnd, 'fetch end', e.transferSize || e.encodedBodySize]);
    } else if (e.name.includes('/app/static/') && !e.name.includes('/vendor/leaflet')) {
      const file = e.name.split('/').pop().slice(0, 24);
      log.push([performance.timeOrigin + e.responseEnd, 'static ' + file, e.transferSize]);
    }
  })).observe({type: 'resource', buffered: true});
  try {
    new PerformanceObserver(l => l.getEntries().forEach(e => {
      log.push([performance.timeOrigin + e.startTime, 'longtask start', Math.round(e.duration)]);
    })).observe({type: 'longtask', buffered: true});
  } catch (e) {}
  window.addEventListener('message', e => {
    const d = e.data || {};
    if (d.type === 'streamlit:render') {
      mark('render msg', JSON.stringify(d.args || {}).length);
      setTimeout(() => mark('render task end'), 0);
    } else if (d.type === 'streamlit:setComponentValue') {
      mark('component value');
    }
  }, true);
  document.addEventListener('click', () => mark('click'), true);
  const watch = () => {
    const pane = document.querySelector('.leaflet-marker-pane');
    if (!pane) { return setTimeout(watch, 50); }
    new MutationObserver(() => mark('markers changed', pane.querySelectorAll('.strike-marker-icon').length))
      .observe(pane, {childList: true});
  };
  if (window !== window.top) { document.addEventListener('DOMContentLoaded', watch); }
})();
"""

LOG_JS = """([sel]) => {
  const f = document.querySelector(sel);
  return {page: window.__smlog.splice(0), map: f && f.contentWindow.__smlog ? f.contentWindow.__smlog.splice(0) : []};
}"""


def timeline(page, t0: float, t_end: float) -> list[tuple[float, str, str, int]]:
    logs = page.evaluate(LOG_JS, [MAP_FRAME])
    rows = [(ms / 1000 - t0, where, what, n) for where in ("page", "map") for ms, what, n in logs[where]]
    return sorted(r for r in rows if -0.05 <= r[0] <= t_end - t0 + 1.0)


def summarise(rows, end: float) -> dict[str, float]:
    """Phases of one interaction, seconds from its start."""
    def first(what, where=None):
        return next((t for t, w, x, _ in rows if x == what and (where is None or w == where)), None)

    def last(what, where=None):
        return next((t for t, w, x, _ in reversed(rows) if x == what and (where is None or w == where)), None)

    out = {"end": end}
    for key, value in (("rerun request sent", first("ws out")), ("first message in", first("ws in")),
                       ("by-reference fetch end", last("fetch end")), ("map render msg", last("render msg", "map")),
                       ("map render task end", last("render task end", "map")),
                       ("markers changed", last("markers changed", "map")), ("last message in", last("ws in"))):
        if value is not None:
            out[key] = value
    # the page and the map's frame share one renderer thread: their long tasks are the same tasks
    out["long tasks (s)"] = sum(n for t, w, x, n in rows if x == "longtask start" and w == "page") / 1000
    out["bytes in"] = sum(n for t, w, x, n in rows if x in ("ws in", "fetch end"))
    return out


def print_rows(title: str, rows, end: float) -> None:
    print(f"--- {title}: {end:.2f} s")
    for t, where, what, n in rows:
        print(f"  {t:7.3f} {where:4} {what:22} {n}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--verbose", action="store_true", help="print every timeline")
    args = parser.parse_args()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    results: dict[str, list[dict[str, float]]] = {"filter change, new view": [], "marker click to row": []}
    with tempfile.TemporaryDirectory() as tmp:
        process, url, _ = start_server(Path(tmp) / "streamlit.log", ROOT, MAKE_RUN_FLAGS)
        warm(url)
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
                    viewport={"width": 1600, "height": 1000})
                context.add_init_script(INSTRUMENT)
                page = context.new_page()

                def fresh_page() -> None:
                    page.goto(url, wait_until="domcontentloaded")
                    page.frame_locator(MAP_FRAME).locator(MARKER).first.wait_for(timeout=300_000, state="attached")
                    page.wait_for_timeout(1500)
                    page.evaluate(LOG_JS, [MAP_FRAME])

                fresh_page()
                clickable = [m["id"] for m in marker_reach(page) if m["state"] == "clickable"]
                for event_id in [e for e in CLICK_EVENTS if e in clickable][: args.runs]:
                    fresh_page()
                    cpu = server_cpu(process)
                    marker = page.frame_locator(MAP_FRAME).locator(f"{MARKER}[title^='{event_id}:']")
                    t0 = time.time()
                    marker.click()
                    try:
                        page.wait_for_function(SELECTED_ROW_JS, arg=event_id, timeout=30_000)
                    except PlaywrightTimeout:
                        print(f"click {event_id}: row not selected within 30 s")
                        continue
                    end = time.time()
                    page.wait_for_timeout(800)
                    rows = timeline(page, t0, end)
                    summary = summarise(rows, end - t0) | {"server CPU (s)": server_cpu(process) - cpu}
                    results["marker click to row"].append(summary)
                    if args.verbose:
                        print_rows(f"click {event_id}", rows, end - t0)
                fresh_page()
                box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Actor")
                for actor in ACTORS[: args.runs]:
                    before = page.evaluate(f"""() => document.querySelector("{MAP_FRAME}").contentDocument
                        .querySelectorAll("{MARKER}").length""")
                    type_actor(page, box, actor)
                    cpu = server_cpu(process)
                    t0 = time.time()  # from the choice: typing the name is the analyst's own time
                    choose(page)
                    page.wait_for_function(f"""() => {{
                        const n = document.querySelector("{MAP_FRAME}").contentDocument
                            .querySelectorAll("{MARKER}").length;
                        return n > 0 && n !== {before}; }}""", timeout=60_000)
                    end = time.time()
                    page.wait_for_timeout(800)
                    rows = timeline(page, t0, end)
                    results["filter change, new view"].append(
                        summarise(rows, end - t0) | {"server CPU (s)": server_cpu(process) - cpu})
                    if args.verbose:
                        print_rows(f"filter {actor}", rows, end - t0)
                    box.get_by_role("button", name="Clear all").click()
                    page.wait_for_timeout(2000)
                    page.evaluate(LOG_JS, [MAP_FRAME])
                context.close()
        finally:
            stop(process)
    import os
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, runs in results.items():
        print(f"{name} (median of {len(runs)}; seconds from the action unless said):")
        keys = dict.fromkeys(k for r in runs for k in r)
        for key in keys:
            values = [r[key] for r in runs if key in r]
            print(f"  {key:26} {statistics.median(values):10.3f}  (n={len(values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
