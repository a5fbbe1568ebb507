"""`python -m geo places FILE...`: one JSON object per place mention, per line (see DESIGN.md).

Fields: file, mention, start, end, name, kind, country_code, lat, lon, confidence (start/end are
character offsets into the file's text), plus place_id. A file that is missing, unreadable or not UTF-8
is reported on stderr by name; the others are still processed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import math

from geo.commands.text_files import read_texts
from geo.places.gazetteer import load_gazetteer
from geo.places.toponyms import find_places


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files to geoparse")
    parser.add_argument("--min-confidence", type=confidence, default=0.0, metavar="0..1",
                        help="leave out mentions resolved with less confidence than this (0..1)")


def confidence(text: str) -> float:
    """A confidence threshold: a finite number between 0 and 1 (argparse reports anything else)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number between 0 and 1")
    return value


def run(args: argparse.Namespace) -> int:
    gazetteer = load_gazetteer()
    texts, failures = read_texts(args.files)
    for name, _path, text in texts:
        for mention in find_places(text, gazetteer):
            if mention.confidence < args.min_confidence:
                continue
            record = {"file": name, **{k: v for k, v in mention.as_dict().items() if k != "place_id"},
                      "place_id": mention.place_id}
            print(json.dumps(record, ensure_ascii=False))
    return 1 if failures else 0
