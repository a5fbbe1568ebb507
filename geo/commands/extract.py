"""`python -m geo extract [--metadata CSV] [--format csv|json] FILE...`: candidate events from report texts.

One row per candidate event (DESIGN.md columns); `--format json` gives the same objects with every claim
(report, field, value, quote, start, end), the confidence and the reason. A file's id is its stem.
`--metadata` is a CSV in the schema of data/articles.csv; without it (or without a row for a file) the
publication date comes from the text's dateline or stays unknown, and relative dates stay unresolved.
A file that cannot be read is reported on stderr and the others are still processed (exit status 1).
CSV cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from geo.commands.main import InputError
from geo.commands.text_files import read_texts
from geo.corpus.articles import Article, Problem, build_article, read_metadata
from geo.extract import Candidate, extract_events

COLUMNS = (
    "id", "date", "date_end", "date_precision", "actor", "target", "type", "place", "lat", "lon",
    "location_precision", "fatalities_low", "fatalities_high", "reports", "quote",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 report texts (id = file stem)")
    parser.add_argument("--metadata", metavar="CSV", help="report metadata in the schema of data/articles.csv")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")


def run(args: argparse.Namespace) -> int:
    rows: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    if args.metadata:
        if not Path(args.metadata).is_file():
            raise InputError(f"{args.metadata}: metadata file not found")
        rows, problems = read_metadata(Path(args.metadata))
    articles, failures = _read_articles(args.files, rows, problems)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    candidates = extract_events(articles)
    if args.format == "json":
        json.dump([as_json(c) for c in candidates], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for candidate in candidates:
            writer.writerow({k: _cell(v) for k, v in as_row(candidate).items()})
    return 1 if failures else 0


def _read_articles(files: list[str], rows: dict[str, dict[str, str]], problems: list[Problem]
                   ) -> tuple[list[Article], int]:
    articles: list[Article] = []
    seen: set[str] = set()
    texts, failures = read_texts(files)
    for name, path, text in texts:
        if path.stem in seen:
            print(f"error: {name}: another file has the id {path.stem!r}; skipped", file=sys.stderr)
            failures += 1
            continue
        seen.add(path.stem)
        articles.append(build_article(path.stem, path, text, rows.get(path.stem), problems))
    return articles, failures


def as_row(candidate: Candidate) -> dict[str, Any]:
    """The contract's columns for one candidate (empty where unknown)."""
    event = candidate.event
    known = candidate.date_known
    type_claims = [c for c in event.claims if c.field == "type"]
    return {
        "id": event.id, "date": event.date_label if known else "",
        "date_end": event.date_end.isoformat() if known else "",
        "date_precision": event.date_precision, "actor": event.actor, "target": event.target,
        "type": event.event_type, "place": event.place,
        "lat": "" if event.lat is None else round(event.lat, 5),
        "lon": "" if event.lon is None else round(event.lon, 5),
        "location_precision": event.geo_precision,
        "fatalities_low": "" if event.fatalities_low is None else event.fatalities_low,
        "fatalities_high": "" if event.fatalities_high is None else event.fatalities_high,
        "reports": ";".join(event.reports), "quote": type_claims[0].quote if type_claims else "",
    }


def as_json(candidate: Candidate) -> dict[str, Any]:
    row = as_row(candidate)
    for key in ("lat", "lon", "fatalities_low", "fatalities_high"):
        row[key] = None if row[key] == "" else row[key]
    row["confidence"] = candidate.confidence
    row["reason"] = candidate.reason
    row["status"] = candidate.status
    row["claims"] = [
        {"report": c.report_id, "field": c.field, "value": c.value, "quote": c.quote, "start": c.start, "end": c.end}
        for c in candidate.event.claims
    ]
    return row


def _cell(value: Any) -> Any:
    """Text a spreadsheet would evaluate ("=HYPERLINK(...)") is written as a literal."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
