from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.corpus.articles import Article, load_corpus
from geo.places.gazetteer import Gazetteer, load_gazetteer

LABELLED = Path(__file__).resolve().parent.parent / "data" / "extract"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def article(text: str, published: date | None = None, article_id: str = "r1") -> Article:
    return Article(id=article_id, path=Path(f"{article_id}.txt"), text=text, published=published)


@pytest.fixture(scope="session")
def labelled_tuning() -> list[Article]:
    corpus = load_corpus(LABELLED / "texts", LABELLED / "articles.csv")
    return [a for a in corpus.articles if a.id.startswith("t")]


@pytest.fixture(scope="session")
def seeds() -> list[Article]:
    return load_corpus().articles
