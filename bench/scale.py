"""Context layer at scale: import, table, map and filter change at 100 ... 100,000 events, side by side with
the naive rendering (one folium CircleMarker with an inlined popup per event).

    .venv/bin/python bench/scale.py [--sizes 100,1000,10000,100000] [--naive-max 10000] [--timeout 120]

Per size: a seeded synthetic ACLED export (tests/context/synthetic.py) imported into a fresh SQLite store;
the whole filtered table read from the store; the map as one offline HTML page (report events + context
layer) opened in headless Chromium until every visible tile is drawn; a filter change as st_folium does it
with feature_group_to_add (the server's query + the feature group's script, evaluated in the open page
until its tiles are drawn). The naive rendering is measured the same way up to --naive-max events (beyond
that it is skipped and the reason printed) and within --timeout seconds. Wall seconds, with CPU seconds of
this process beside them (the machine is shared: wall time varies). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from streamlit_folium import _get_feature_group_string  # noqa: E402  (what st_folium sends for a group)

from geo.context import query  # noqa: E402
from geo.context.export import context_map_html  # noqa: E402
from geo.context.importer import import_events  # noqa: E402
from geo.dataset import load_dataset  # noqa: E402
from geo.export.html import INLINE_BASE, inline_assets  # noqa: E402
from geo.maps.build import build_map  # noqa: E402
from geo.maps.context import add_to_map, context_group, naive_group  # noqa: E402
from geo.store.engine import Store, open_store  # noqa: E402
from geo.store.migrate import upgrade  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.context.synthetic import write_acled  # noqa: E402

T = TypeVar("T")
LAYER_READY = ("() => window.smContextLayers && window.smContextLayers.length > 0 && "
               "window.smContextLayers.every(l => !l.isLoading() && Object.keys(l._tiles).length > 0)")
NAIVE_READY = "(n) => document.querySelectorAll('path.sm-naive').length >= n"


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _open(page: Page, path: Path, ready: str, arg: Any, timeout_s: float) -> float:
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=timeout_s * 1000)
    page.wait_for_function(ready, arg=arg, timeout=timeout_s * 1000)
    return time.perf_counter() - start


def _filter_change(page: Page, store: Store, incident: int, types: list[str], timeout_s: float) -> tuple[float, int]:
    """Server (query + the group's script) and browser (swap the layer, draw its tiles), as st_folium does."""
    chosen = tuple(types[: max(1, len(types) // 2)])
    start = time.perf_counter()
    points = query.points(store, incident, query.ContextFilter(event_types=chosen), types)
    script = _get_feature_group_string(context_group(points), folium.Map(tiles=None))
    page.evaluate("""(script) => {
        window.smContextLayers.forEach(l => l.remove()); window.smContextLayers = [];
        const map_div = Object.values(window).find(v => v instanceof L.Map);
        new Function('map_div', script)(map_div);
    }""", script)
    page.wait_for_function(LAYER_READY, timeout=timeout_s * 1000)
    return time.perf_counter() - start, len(script.encode())


def _naive(page: Page, store: Store, incident: int, report_gdf: Any, folder: Path, timeout_s: float) -> str:
    frame = query.table(store, incident, query.ContextFilter())
    rows = frame.assign(notes=frame["summary"]).to_dict("records")
    fmap, build_s, _ = timed(lambda: build_map(report_gdf, asset_base=INLINE_BASE))
    add_to_map(fmap, naive_group(rows))
    page_html, render_s, _ = timed(lambda: inline_assets(fmap.get_root().render()))
    path = folder / "naive.html"
    path.write_text(page_html, encoding="utf-8")
    try:
        browser_s = _open(page, path, NAIVE_READY, len(rows), timeout_s)
    except Exception as exc:  # a timeout: say so, keep measuring the rest
        return f"did not finish within {timeout_s:.0f} s ({type(exc).__name__}); {len(page_html) / 1e6:.1f} MB"
    return (f"build+render {build_s + render_s:.1f} s, browser {browser_s:.1f} s, {len(page_html) / 1e6:.2f} MB "
            "(a filter change re-sends and redraws all of it)")


def measure(size: int, page: Page, folder: Path, report_gdf: Any, args: argparse.Namespace) -> dict[str, str]:
    csv_path = write_acled(folder / f"acled-{size}.csv", size)
    store = open_store(f"sqlite:///{folder / f'scale-{size}.sqlite'}")
    upgrade(store)
    result, wall, cpu = timed(lambda: import_events(store, "scale", "acled", csv_path))
    out = {"events": f"{size:,}", "import": f"{wall:.1f} s ({cpu:.1f} s CPU)"}
    incident = query.incident_id(store, "scale")
    assert incident is not None and result.imported == size
    frame, wall, cpu = timed(lambda: query.table(store, incident, query.ContextFilter()))
    out["table from store"] = f"{wall:.2f} s ({cpu:.2f} s CPU), {len(frame):,} rows"
    types = query.event_types(store, incident)
    points, wall, _ = timed(lambda: query.points(store, incident, query.ContextFilter(), types))
    page_html, render, _ = timed(lambda: context_map_html(report_gdf, points))
    path = folder / f"context-{size}.html"
    path.write_text(page_html, encoding="utf-8")
    browser = _open(page, path, LAYER_READY, None, args.timeout)
    out["first map"] = f"{wall + render + browser:.2f} s (server {wall + render:.2f} + browser {browser:.2f})"
    change, payload = _filter_change(page, store, incident, types, args.timeout)
    out["filter change -> map"] = f"{change:.2f} s, {payload / 1e6:.2f} MB sent"
    out["payload"] = f"{len(page_html) / 1e6:.2f} MB page"
    out["naive"] = (_naive(page, store, incident, report_gdf, folder, args.timeout) if size <= args.naive_max
                    else f"skipped: over --naive-max {args.naive_max:,} (it grows ~2.7 KB per event, "
                         "and 100,000 exceeded Streamlit's 200 MB message limit in issue 17)")
    store.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--naive-max", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    report_gdf = load_dataset().table.events  # typed events (the map takes them as they are)
    with tempfile.TemporaryDirectory(prefix="strike-map-scale-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, page, Path(tmp), report_gdf, args))
            print(" | ".join(f"{k}: {v}" for k, v in rows[-1].items()), flush=True)
        browser.close()
    print("\n| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(row.values()) + " |")


if __name__ == "__main__":
    main()
