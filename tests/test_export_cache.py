"""Exports are cached per filter and redrawn when an input file changes."""

from __future__ import annotations

import os

from geo.events.filter import EventFilter
from geo.events.table import EVENTS_CSV
from geo.export import cache


def test_same_filter_is_served_from_the_cache_and_another_is_not():
    cache._export.cache_clear()
    iran = EventFilter(actors=frozenset({"Iran"}))
    first = cache.export_bytes(iran, "csv")
    again = cache.export_bytes(EventFilter(actors=frozenset({"Iran"})), "csv")
    assert again is first
    assert cache._export.cache_info().hits == 1
    other = cache.export_bytes(EventFilter(), "csv")
    assert other != first and len(other) > len(first)


def test_a_changed_input_file_is_a_new_cache_key(tmp_path, monkeypatch):
    events_csv = tmp_path / "events.csv"
    events_csv.write_text(EVENTS_CSV.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(cache, "EVENTS_CSV", events_csv)
    before = cache.data_stamp()
    assert cache.data_stamp() == before
    stat = events_csv.stat()
    os.utime(events_csv, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert cache.data_stamp() != before
