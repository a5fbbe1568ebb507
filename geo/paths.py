"""Where the project's data lives. Everything is relative to the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ARTICLES_DIR = DATA_DIR / "articles"
ARTICLES_CSV = DATA_DIR / "articles.csv"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
STATIC_DIR = ROOT / "static"
CACHE_DIR = ROOT / ".cache"
