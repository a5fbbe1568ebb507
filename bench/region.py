"""Figures for the region work (issue 12, stop 9): the base map per region, and an incident's Dataset with its
stored place mentions against geoparsing the reports. Prints wall and CPU time (the machine is shared).

    PYTHONPATH=. .venv/bin/python bench/region.py [STORE_URL SLUG]

STORE_URL must hold SLUG (e.g. after `python -m geo ingest --incident SLUG ...`); without them only the seed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from geo.boundaries.region import Region
from geo.dataset import DataSource, load_dataset
from geo.maps.build import base_map
from geo.paths import DATA_DIR
from geo.places.toponyms import mentions_by_report


def clock(label: str, work: Callable[[], Any], runs: int = 3) -> None:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    later_wall, later_cpu = sorted(walls[1:]), sorted(cpus[1:])
    print(f"{label}: first {walls[0]:.0f} ms wall / {cpus[0]:.0f} ms CPU; then median "
          f"{later_wall[len(later_wall) // 2]:.0f} ms wall / {later_cpu[len(later_cpu) // 2]:.0f} ms CPU")


def main(argv: list[str]) -> None:
    for codes in (("IR", "PK"), ("AM", "AZ"), ("TH", "KH")):
        region = Region.of(codes)
        clock(f"base_map render {'-'.join(codes)}", lambda region=region: base_map(region=region).get_root().render())
    url = argv[0] if len(argv) >= 2 else None
    if url:
        incident = DataSource(DATA_DIR, url, argv[1])
        clock(f"load_dataset {argv[1]} + mentions (stored)", lambda: load_dataset(incident).mentions)
    seed = DataSource(DATA_DIR, url, None) if url else DataSource.default()
    clock("load_dataset seed + mentions (stored)", lambda: load_dataset(seed).mentions)
    articles = load_dataset(seed).corpus.articles
    clock("seed mentions by geoparsing (disk-cached)", lambda: mentions_by_report(articles))


if __name__ == "__main__":
    main(sys.argv[1:])
