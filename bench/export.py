"""Briefing export benchmark: time per PNG, PDF and HTML export (and the tables), with file sizes.

Run: .venv/bin/python bench/export.py [--repeat N]

Each format is rendered N times (default 5) from an already-built Briefing of the whole event table
and of one actor's events, after one warm-up render (boundary layers, fonts and the place mentions for
the HTML are loaded then and cached). Printed: median and min seconds per export, and the size.
The first (cold) render per format is printed separately, because that is what a user of
`python -m geo export` waits for.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.dataset import load_dataset  # noqa: E402
from geo.events.filter import EventFilter  # noqa: E402
from geo.export import FORMATS, build_briefing, render  # noqa: E402

FORMAT_KEYS = ("png", "pdf", "html", "csv", "geojson", "kml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    dataset = load_dataset()
    table = dataset.table
    actor = max({e.actor for e in table.events}, key=lambda a: sum(e.actor == a for e in table.events))
    cases = {
        f"all events ({len(table.events)})": EventFilter(),
        f"actor {actor}": EventFilter(actors=frozenset({actor})),
    }
    print(f"{'view':<24} {'format':<8} {'cold s':>7} {'median s':>9} {'min s':>7} {'size':>10}")
    for label, flt in cases.items():
        briefing = build_briefing(dataset, flt)
        for key in FORMAT_KEYS:
            start = time.perf_counter()
            data = render(briefing, key)
            cold = time.perf_counter() - start
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                data = render(briefing, key)
                times.append(time.perf_counter() - start)
            print(f"{label:<24} {FORMATS[key].extension:<8} {cold:7.3f} {statistics.median(times):9.3f} "
                  f"{min(times):7.3f} {len(data) / 1024:8.1f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
