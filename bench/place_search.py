"""Place search on the map (geo.places.search): wall and CPU time per query, after one warm-up search.

    .venv/bin/python bench/place_search.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from geo.places.gazetteer import load_gazetteer
from geo.places.search import search_places

QUERIES = ("saravan", "Sarāvān, Iran", "kerman", "Springfield", "Qwxzv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    gazetteer = load_gazetteer()
    search_places("warm-up", gazetteer)
    print(f"load average {os.getloadavg()[0]:.1f}")
    for query in QUERIES:
        wall, cpu = [], []
        for _ in range(args.runs):
            w0, c0 = time.perf_counter(), time.process_time()
            search_places(query, gazetteer, prefer=("IR", "PK"))
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
        print(f"search {query!r:>18}: median wall {statistics.median(wall) * 1000:5.0f} ms, "
              f"CPU {statistics.median(cpu) * 1000:4.0f} ms (n={args.runs})")


if __name__ == "__main__":
    main()
