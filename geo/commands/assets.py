"""`python -m geo assets`: vendor Leaflet into static/ for offline serving."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.maps.assets import vendor_static
from geo.paths import STATIC_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--static-dir", type=Path, default=STATIC_DIR)


def run(args: argparse.Namespace) -> int:
    for path in vendor_static(args.static_dir):
        print(path)
    return 0
