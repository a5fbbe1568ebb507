"""Exports cached per filter: the briefing page offers several downloads per filter and redraws often.

The cache lives on the Dataset (geo.dataset.Dataset.memo), keyed by (format, filter, title): a new data
stamp is a new Dataset, so an edited events.csv or a new report is never served from a stale export.
"""

from __future__ import annotations

from geo.dataset import Dataset
from geo.events.filter import EventFilter
from geo.export import build_briefing, render


def export_bytes(dataset: Dataset, flt: EventFilter, key: str, title: str | None = None) -> bytes:
    """The export of the filtered events in one format (a key of geo.export.FORMATS), cached."""
    return dataset.memo(("export", key, flt, title), lambda: render(build_briefing(dataset, flt, title=title), key))
