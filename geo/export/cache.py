"""Exports cached per filter and view: the briefing page offers several downloads and redraws often.

The cache lives on the Dataset (geo.dataset.Dataset.memo), keyed by (format, filter, title, view, changes box,
context layer stamp): a new data stamp is a new Dataset, so an edited events.csv or a new report is never
served from a stale export.
"""

from __future__ import annotations

from geo.dataset import Dataset
from geo.events.filter import EventFilter
from geo.export import build_briefing, render
from geo.export.briefing import ChangesBox, ContextLayer
from geo.maps.view import MapView


def export_bytes(dataset: Dataset, flt: EventFilter, key: str, title: str | None = None,
                 view: MapView | None = None, changes: ChangesBox | None = None,
                 context: ContextLayer | None = None) -> bytes:
    """The export of the filtered events, as the view shows them, in one format (a key of
    geo.export.FORMATS), with the optional changes box and context layer, cached."""
    return dataset.memo(("export", key, flt, title, view, changes, context),
                        lambda: render(build_briefing(dataset, flt, title=title, view=view, changes=changes,
                                                      context=context), key))
