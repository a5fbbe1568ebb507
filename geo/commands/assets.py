"""`python -m geo assets`: vendor Leaflet and its plugins into static/ for offline serving, and prune the map
layers published under static/ that no page is likely to fetch any more (`make run` runs this first)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.maps.assets import AssetError, prune_published, vendor_static
from geo.paths import STATIC_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--static-dir", type=Path, default=STATIC_DIR)


def run(args: argparse.Namespace) -> int:
    try:
        written = vendor_static(args.static_dir)
    except AssetError as exc:
        print(f"geo assets: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    for path in prune_published(args.static_dir):
        print(f"removed {path}")
    return 0
