"""`python -m geo articles`: the corpus as JSON lines, problems on stderr."""

from __future__ import annotations

import argparse
import json
import sys

from geo.corpus.articles import load_corpus


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="exit 1 if any report had a problem")


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus()
    for article in corpus.articles:
        record = {
            "id": article.id, "title": article.title, "publisher": article.publisher,
            "published": article.published.isoformat() if article.published else None,
            "date_method": article.date_method, "chars": len(article.text),
        }
        print(json.dumps(record, ensure_ascii=False))
    for problem in corpus.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 1 if args.strict and corpus.problems else 0
