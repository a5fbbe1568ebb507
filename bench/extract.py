"""Extraction benchmark: reports/s and chars/s of geo.extract beside the geoparser alone, same run.

Run: .venv/bin/python bench/extract.py [--rounds N]

Texts: the five seed reports and the ten labelled reports in tests/data/extract/texts (15 reports). Each
round runs over all of them; the gazetteer is loaded once before timing (its load is bench/geoparse.py's
business). The geoparser figure is find_places alone over the same texts; extraction includes it (it
geoparses each report once) plus sentence splitting, triggers, dates, counts, actors and merging across
the reports of the round. Best of three repetitions per measurement, so a busy machine shows less.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.corpus.articles import Article, load_corpus  # noqa: E402
from geo.extract import extract_events  # noqa: E402
from geo.places.gazetteer import load_gazetteer  # noqa: E402
from geo.places.toponyms import find_places  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "extract"


def texts() -> list[Article]:
    seeds = load_corpus().articles
    labelled = load_corpus(LABELLED / "texts", LABELLED / "articles.csv").articles
    return seeds + labelled


def best_of(repeats: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    gazetteer = load_gazetteer()
    articles = texts()
    chars = sum(len(a.text) for a in articles)
    extract_events(articles, gazetteer)  # warm caches (lexicon, regexes)

    def geoparse() -> None:
        for _ in range(args.rounds):
            for article in articles:
                find_places(article.text, gazetteer)

    def extract() -> None:
        for _ in range(args.rounds):
            extract_events(articles, gazetteer)

    n_reports = len(articles) * args.rounds
    n_chars = chars * args.rounds
    print(f"{len(articles)} reports, {chars} chars per round, {args.rounds} rounds, best of 3")
    print(f"{'':<28}{'reports/s':>12}{'chars/s':>14}{'s/round':>10}")
    for name, work in (("geoparser alone (baseline)", geoparse), ("extract_events", extract)):
        seconds = best_of(3, work)
        print(f"{name:<28}{n_reports / seconds:>12.1f}{n_chars / seconds:>14,.0f}{seconds / args.rounds:>10.3f}")


if __name__ == "__main__":
    main()
