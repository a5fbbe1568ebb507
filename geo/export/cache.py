"""Exports cached per filter: the briefing page offers six downloads per filter and redraws often.

The key is (filter, format, title, data stamp); the stamp changes when any input file changes, so an
edited events.csv or a new report is never served from a stale export.
"""

from __future__ import annotations

from functools import lru_cache

from geo.events.filter import EventFilter
from geo.events.table import CLAIMS_CSV, EVENTS_CSV, FACTS_CSV
from geo.export import build_briefing, render
from geo.paths import ARTICLES_CSV, ARTICLES_DIR


def data_stamp() -> tuple[float, ...]:
    """Modification times of everything an export is made from."""
    paths = [EVENTS_CSV, CLAIMS_CSV, FACTS_CSV, ARTICLES_CSV, ARTICLES_DIR]
    paths += sorted(ARTICLES_DIR.glob("*.txt")) if ARTICLES_DIR.is_dir() else []
    return tuple(p.stat().st_mtime if p.exists() else -1.0 for p in paths)


@lru_cache(maxsize=64)
def _export(flt: EventFilter, key: str, title: str | None, stamp: tuple[float, ...]) -> bytes:
    return render(build_briefing(flt, title=title), key)


def export_bytes(flt: EventFilter, key: str, title: str | None = None) -> bytes:
    """The export of the filtered events in one format (a key of geo.export.FORMATS), cached."""
    return _export(flt, key, title, data_stamp())
