"""The report corpus: data/articles/<id>.txt with per-report metadata in data/articles.csv.

A report whose text is missing, unreadable or not UTF-8 is reported by name and skipped; a CSV row
with a bad date is reported by line and the report still loads (with its date unknown). A text file
with no CSV row loads with the metadata its own text gives (headline, publisher, dateline).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geo.corpus.ids import short_report_id
from geo.corpus.metadata import read_text_metadata
from geo.csvfile import read_rows
from geo.errors import Problem
from geo.paths import ARTICLES_CSV, ARTICLES_DIR

#: Reports larger than this are not loaded (a news report is tens of kilobytes; the geoparser, the map
#: and the Sources page would spend minutes on megabytes).
MAX_REPORT_BYTES = 2_000_000
CSV_FIELDS = ("id", "title", "publisher", "published", "date_method", "date_note", "publisher_note")
DATE_METHODS = ("dateline", "inferred", "unknown")


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    text: str
    title: str = ""
    publisher: str = ""
    published: date | None = None
    date_method: str = "unknown"
    date_note: str = ""
    publisher_note: str = ""

    @property
    def label(self) -> str:
        """A short human label: publisher and title, or the opening words."""
        head = self.title or " ".join(self.text.split()[:10]) + "…"
        who = self.publisher or "unattributed"
        return f"{short_report_id(self.id)} · {who} · {head}"


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def read_metadata(csv_path: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Rows of articles.csv keyed by id (each with its "_where"), and the problems found in it."""
    rows: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    if not csv_path.exists():
        return rows, [Problem(csv_path.name, "metadata file not found; using what each text says")]
    for line, row in read_rows(csv_path, CSV_FIELDS, ("id", "published"), problems):
        where = f"{csv_path.name} line {line}"
        article_id = row["id"]
        if not article_id:
            problems.append(Problem(f"{where}, field id", "row has no id; skipped"))
            continue
        if article_id in rows:
            problems.append(Problem(f"{where}, field id", f"duplicate id {article_id!r}; first row kept"))
            continue
        rows[article_id] = {**row, "_where": where}
    return rows, problems


def _parse_published(value: str, where: str, problems: list[Problem]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(where, f"published {value!r} is not a YYYY-MM-DD date; date left unknown"))
        return None


class ReportTooLarge(ValueError):
    """A report over MAX_REPORT_BYTES."""


def read_article_text(path: Path) -> str:
    """The report's text; ReportTooLarge (checked before reading), OSError or UnicodeDecodeError."""
    size = path.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise ReportTooLarge(f"{size:,} bytes, over the {MAX_REPORT_BYTES:,}-byte limit for a report; skipped")
    return path.read_text(encoding="utf-8")


def build_article(article_id: str, path: Path, text: str, row: dict[str, str] | None,
                  problems: list[Problem]) -> Article:
    own = read_text_metadata(text)
    if row is None:
        return Article(
            id=article_id, path=path, text=text, title=own.title, publisher=own.publisher,
            published=own.published, date_method=own.date_method,
            date_note="not in articles.csv; " + (
                "date from the text's dateline" if own.published else "publication date unknown"),
        )
    where = row["_where"]
    published = _parse_published(row.get("published", ""), where, problems)
    method = row.get("date_method") or ("dateline" if published else "unknown")
    if method not in DATE_METHODS:
        problems.append(Problem(where, f"date_method {method!r} not one of {DATE_METHODS}"))
    if published is None:
        method = "unknown"
    return Article(
        id=article_id, path=path, text=text, title=row.get("title", ""),
        publisher=row.get("publisher", ""), published=published, date_method=method,
        date_note=row.get("date_note", ""), publisher_note=row.get("publisher_note", ""),
    )


def load_corpus(articles_dir: Path = ARTICLES_DIR, csv_path: Path = ARTICLES_CSV) -> Corpus:
    """Every readable report in articles_dir with its metadata; problems listed, none fatal."""
    rows, problems = read_metadata(csv_path)
    corpus = Corpus(problems=problems)
    paths = sorted(articles_dir.glob("*.txt")) if articles_dir.is_dir() else []
    if not articles_dir.is_dir():
        corpus.problems.append(Problem(f"{articles_dir.name}/", "articles folder not found"))
    seen = set()
    for path in paths:
        article_id = path.stem
        seen.add(article_id)
        try:
            text = read_article_text(path)
        except ReportTooLarge as exc:
            corpus.problems.append(Problem(path.name, str(exc)))
            continue
        except UnicodeDecodeError as exc:
            corpus.problems.append(Problem(path.name, f"not UTF-8 text ({exc.reason} at byte {exc.start}); skipped"))
            continue
        except OSError as exc:
            corpus.problems.append(Problem(path.name, f"unreadable ({exc.strerror}); skipped"))
            continue
        if not text.strip():
            corpus.problems.append(Problem(path.name, "empty report; skipped"))
            continue
        corpus.articles.append(build_article(article_id, path, text, rows.get(article_id), corpus.problems))
    for article_id, row in rows.items():
        if article_id not in seen:
            corpus.problems.append(Problem(row["_where"], f"report file {article_id}.txt not found"))
    return corpus
