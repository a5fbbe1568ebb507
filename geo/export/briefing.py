"""What a briefing export shows: the filtered events, the filter caption, the reports behind them.

Every export format (PNG, PDF, HTML, CSV, GeoJSON, KML) is made from one Briefing, so they all show
exactly the events the filter selects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

import geopandas as gpd
import numpy as np

from geo.boundaries.region import Region
from geo.corpus.articles import Article
from geo.corpus.ids import short_report_id
from geo.dataset import Dataset
from geo.events.filter import EventFilter, filter_events
from geo.events.labels import date_range_label, day_label
from geo.events.table import Event, to_geodataframe
from geo.maps.style import UNKNOWN_COLOUR
from geo.maps.view import MapView

DEFAULT_TITLE = "Reported strikes and related events"


@dataclass(frozen=True)
class ReportRef:
    """A report cited by the export (id, who published it, when)."""

    id: str
    publisher: str = ""
    published: date | None = None
    title: str = ""

    @property
    def short(self) -> str:
        who = self.publisher or "unattributed"
        when = f", {day_label(self.published)}" if self.published else ""
        return f"{short_report_id(self.id)} ({who}{when})"


@dataclass(frozen=True)
class ChangesBox:
    """What changed since the last briefing marked as given (its time in the heading), as lines for a box on the PNG/PDF
    (geo.views.changes.changes_box builds it from the store's change log)."""

    #: when the last briefing was given (UTC); None: no briefing marked yet, so everything is new
    since: datetime | None
    lines: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        if self.since is None:
            return "Changes (no briefing marked as given yet)"
        return f"Changes since {self.since.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class ContextLayer:
    """An incident's context events (ACLED/UCDP imports): many points, drawn aggregated, never one marker
    each. Equal when read from the same incident state (the stamp), so exports can be cached."""

    lon: np.ndarray = field(compare=False, repr=False)
    lat: np.ndarray = field(compare=False, repr=False)
    #: (incident slug, last change id, number of points, sum of their ids)
    stamp: tuple[str, int, int, int] = ("", 0, 0, 0)
    source: str = "ACLED / UCDP GED as imported"

    def __len__(self) -> int:
        return len(self.lon)


@dataclass(frozen=True)
class Briefing:
    events: tuple[Event, ...]
    caption: str  # EventFilter.describe()
    reports: tuple[ReportRef, ...] = ()
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    title: str = DEFAULT_TITLE
    #: actor -> colour and event type -> shape name, assigned over the whole table (as on the dashboard)
    colours: dict[str, str] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)
    #: the reports the filter is restricted to (empty: all); the places layer follows it
    report_filter: frozenset[str] = frozenset()
    #: what the briefing was made from (the places layer of the HTML export reads its mentions)
    dataset: Dataset | None = field(default=None, compare=False, repr=False)
    #: the view on screen: extent, selected events, layers switched off (empty: fit to the events)
    view: MapView = field(default_factory=MapView)
    #: the incident's countries: the borders, provinces and extent the map draws (default: the seed incident's)
    region: Region = field(default_factory=Region.seed)
    #: a "changes since the last briefing" box (off by default)
    changes: ChangesBox | None = None
    #: the incident's context layer, drawn aggregated under the events (None: not drawn)
    context: ContextLayer | None = None

    @property
    def cited_reports(self) -> frozenset[str]:
        """The reports behind the events, within the report filter if one is set."""
        cited = frozenset(r for e in self.events for r in e.reports)
        return cited & self.report_filter if self.report_filter else cited

    @property
    def metadata(self) -> dict[str, str]:
        """What an exported file records about itself: title, filters, extent, selection, time."""
        view = self.view
        return {
            "Title": self.title,
            "Filters": self.caption,
            "Extent": ",".join(f"{v:g}" for v in view.bbox) if view.bbox else "fitted to the events",
            "Selected": ", ".join(view.selected),
            "Hidden layers": ", ".join(view.hidden),
            "Changes since": self.changes.heading if self.changes else "",
            "Context": f"{len(self.context)} events ({self.context.source}), aggregated" if self.context else "",
            "Generated": f"{self.generated_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
        }

    def colour(self, actor: str) -> str:
        return self.colours.get(actor, UNKNOWN_COLOUR)

    def shape(self, event_type: str) -> str:
        return self.shapes.get(event_type, "circle")

    @cached_property
    def gdf(self) -> gpd.GeoDataFrame:
        """The events as the events module's GeoDataFrame (EPSG:4326; rows without a location have no geometry)."""
        return to_geodataframe(list(self.events))

    @property
    def mapped(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.lat is not None and e.lon is not None)

    @property
    def date_range(self) -> str:
        """The span of the shown events' dates, e.g. '3–18 Jan 2024'; '' when there are none."""
        if not self.events:
            return ""
        first = min(self.events, key=lambda e: (e.date_start, e.date_precision != "month"))
        last = max(self.events, key=lambda e: (e.date_end, e.date_precision != "month"))
        if "month" in (first.date_precision, last.date_precision):
            start = f"{first.date_start:%b %Y}" if first.date_precision == "month" else day_label(first.date_start)
            end = f"{last.date_end:%b %Y}" if last.date_precision == "month" else day_label(last.date_end)
            return start if start == end else f"{start} – {end}"
        return format_date_range(first.date_start, last.date_end)

    @property
    def summary_line(self) -> str:
        """Date range, counts and filter, e.g. '3–18 Jan 2024 · 8 events from 5 reports · Filters: all events'."""
        n = len(self.events)
        parts = [self.date_range] if self.date_range else []
        counts = f"{n} event{'s' * (n != 1)}"
        if self.reports:
            counts += f" from {len(self.reports)} report{'s' * (len(self.reports) != 1)}"
        parts.append(counts)
        unmapped = n - len(self.mapped)
        if unmapped:
            parts.append(f"{unmapped} without a location (tables only)")
        parts.append(f"Filters: {self.caption}")
        return " · ".join(parts)

    @property
    def timestamp(self) -> str:
        return f"Generated {self.generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def format_date_range(start: date, end: date) -> str:
    """'16 Jan 2024', '3–18 Jan 2024', '30 Dec 2023 – 18 Jan 2024' (geo.events.labels.date_range_label)."""
    return date_range_label(start, end)


def report_refs(events: list[Event] | tuple[Event, ...], articles: list[Article]) -> tuple[ReportRef, ...]:
    """The reports that support the given events, with publisher and date when the corpus knows them."""
    by_id = {a.id: a for a in articles}
    ids = sorted({rid for e in events for rid in e.reports})
    refs = []
    for rid in ids:
        article = by_id.get(rid)
        if article is None:
            refs.append(ReportRef(rid))
        else:
            refs.append(ReportRef(rid, article.publisher, article.published, article.title))
    return tuple(refs)


def build_briefing(dataset: Dataset, flt: EventFilter | None = None, *, generated_at: datetime | None = None,
                   title: str | None = None, view: MapView | None = None, changes: ChangesBox | None = None,
                   context: ContextLayer | None = None) -> Briefing:
    """The briefing of the dataset's events that the filter selects, as the view shows them
    (its extent, its selection; selected events the filter hides are dropped from the view), over the
    incident's region; titled with the incident's title unless given one; with the optional changes box and
    context layer."""
    flt = flt or EventFilter()
    events = tuple(filter_events(dataset.table.events, flt))
    view = view or MapView()
    shown = {e.id for e in events}
    view = MapView(bbox=view.bbox, selected=tuple(i for i in view.selected if i in shown), hidden=view.hidden)
    return Briefing(
        events=events, caption=flt.describe(), reports=report_refs(events, dataset.corpus.articles),
        generated_at=generated_at or datetime.now(UTC), title=title or dataset.title or DEFAULT_TITLE,
        colours=dataset.colours, shapes=dataset.shapes, report_filter=flt.reports, dataset=dataset, view=view,
        region=dataset.region, changes=changes, context=context,
    )
