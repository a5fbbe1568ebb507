"""The corpus loader: typed records, curated metadata, and bad input that loses nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from geo.corpus.articles import ARTICLES_CSV, ARTICLES_DIR, Article, load_corpus
from geo.corpus.metadata import dateline, headline, publisher, read_text_metadata

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_corpus_loads_all_five_reports_with_metadata():
    corpus = load_corpus()
    assert corpus.problems == []
    assert [a.id[:3] for a in corpus.articles] == ["000", "001", "002", "003", "004"]
    assert all(isinstance(a, Article) for a in corpus.articles)
    by_id = {a.id[:3]: a for a in corpus.articles}
    assert by_id["001"].publisher == "AP" and by_id["001"].date_method == "dateline"
    assert by_id["001"].published == date(2024, 1, 18)
    assert by_id["004"].publisher == "CNA" and by_id["004"].published == date(2024, 1, 19)
    assert by_id["002"].title == "Pakistan launches strikes into Iran two days after missile strike"
    for article in corpus.articles:
        assert article.date_method in {"dateline", "inferred"}
        assert article.date_note, f"{article.id} has no note on how its date was found"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the checkout")
def test_article_texts_are_the_seed_reports_unchanged():
    for seed in sorted(SEEDS.glob("*.txt")):
        assert (ARTICLES_DIR / seed.name).read_bytes() == seed.read_bytes()


def test_curated_metadata_agrees_with_what_the_text_says():
    """Where the text itself names a headline, publisher or dateline, the CSV says the same."""
    for article in load_corpus().articles:
        own = read_text_metadata(article.text)
        if own.title:
            assert article.title == own.title
        if own.publisher:
            assert article.publisher == own.publisher
        if own.published:
            assert article.published == own.published


def test_text_metadata_functions_on_new_text():
    assert dateline(" date 2023-05-02 KARACHI — text") == date(2023, 5, 2)
    assert dateline("date 2023-13-45 bad") is None
    assert headline("Quake hits coast\n\nBody text.") == "Quake hits coast"
    assert headline("A sentence that ends with a full stop.\nMore.") == ""
    assert publisher("Body.\nMore body. / AP") == "AP"
    assert publisher("KABUL (Reuters) - body") == "Reuters"
    assert publisher("No credit here.") == ""
    # a headline above the dateline, as most reports open: the date is still the text's own
    own = read_text_metadata("Shelling hits border towns\n\n2022-09-13 YEREVAN —\n\nBody text.")
    assert (own.title, own.published, own.date_method) == ("Shelling hits border towns", date(2022, 9, 13),
                                                            "dateline")
    # a date further down is not a dateline
    assert read_text_metadata("Headline\nOne.\nTwo.\nThree.\n2022-09-13 YEREVAN —").published is None


@pytest.fixture
def broken_corpus(tmp_path: Path) -> tuple[Path, Path]:
    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES_DIR, articles)
    (articles / "005_not_utf8.txt").write_bytes(b"Caf\xe9 in Quetta\n")
    (articles / "006_empty.txt").write_text("   \n", encoding="utf-8")
    (articles / "007_new.txt").write_text(
        "Flood reaches Quetta\n date 2024-02-01 QUETTA — Rains flooded Quetta. / AP\n", encoding="utf-8")
    csv_text = ARTICLES_CSV.read_text(encoding="utf-8")
    lines = csv_text.splitlines()
    lines[2] = lines[2].replace("2024-01-18", "18/01/2024", 1)  # 001: malformed date
    lines.append("999_missing,,,2024-01-01,dateline,,")
    csv_path = tmp_path / "articles.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return articles, csv_path


def test_bad_input_is_reported_by_name_and_the_rest_loads(broken_corpus):
    articles_dir, csv_path = broken_corpus
    corpus = load_corpus(articles_dir, csv_path)
    ids = [a.id for a in corpus.articles]
    assert len(ids) == 6 and "007_new" in ids
    messages = [str(p) for p in corpus.problems]
    assert any(m.startswith("005_not_utf8.txt: not UTF-8") for m in messages)
    assert any(m.startswith("006_empty.txt: empty") for m in messages)
    assert any("articles.csv line 3" in m and "18/01/2024" in m for m in messages)
    assert any("999_missing.txt not found" in m for m in messages)
    by_id = corpus.by_id()
    assert by_id["001_4e67ac401120d140"].published is None
    assert by_id["001_4e67ac401120d140"].date_method == "unknown"
    new = by_id["007_new"]
    assert (new.title, new.publisher, new.published) == ("Flood reaches Quetta", "AP", date(2024, 2, 1))


def test_missing_folder_and_csv_are_reported(tmp_path: Path):
    corpus = load_corpus(tmp_path / "nope", tmp_path / "nope.csv")
    assert corpus.articles == []
    assert {p.message for p in corpus.problems} >= {"articles folder not found"}
