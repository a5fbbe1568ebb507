"""A briefing picture (PNG 16:9 or vector PDF A4) of the report events over the aggregated context layer:
context events as hexagons shaded by count (one artist however many events: no 100,000 overlapping
markers), report events on top as markers, the border and provinces from Natural Earth."""

from __future__ import annotations

import io
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.boundaries.region import Region
from geo.context import query
from geo.context.query import ContextFilter, ContextPoints
from geo.export.briefing import ContextLayer
from geo.store.engine import Store
from geo.store.intake import incident_stamp

SIZES = {"png": (16, 9), "pdf": (11.69, 8.27)}
CREDIT = ("Context events: ACLED / UCDP GED as imported (counts per hexagon, log scale) · Boundaries: Natural "
          "Earth 1:10m (public domain) · Report events as claimed by the reports, not verified")
MARGIN_DEG = 1.0


def _report_points(report_events: Any) -> tuple[list[float], list[float]]:
    """lon, lat of the located report events (a GeoDataFrame of points: geo.events.table.to_geodataframe)."""
    located = report_events[~report_events.geometry.is_empty & report_events.geometry.notna()]
    return located.geometry.x.tolist(), located.geometry.y.tolist()


def _extent(points: ContextPoints, report: tuple[list[float], list[float]],
            region: Region) -> tuple[float, float, float, float]:
    lons = [*points.lon.tolist(), *report[0]]
    lats = [*points.lat.tolist(), *report[1]]
    if not lons:  # nothing to show: the incident's region
        (south, west), (north, east) = region.bounds
        return (west, south, east, north)
    return (min(lons) - MARGIN_DEG, min(lats) - MARGIN_DEG, max(lons) + MARGIN_DEG, max(lats) + MARGIN_DEG)


def context_snapshot(points: ContextPoints, report_events: Any, title: str, fmt: str = "png",
                     region: Region | None = None) -> bytes:
    """PNG or PDF bytes. report_events: geo.events.table.to_geodataframe output (points, EPSG:4326); region:
    the incident's (its countries, provinces and shared borders; default: the seed incident's)."""
    region = region or Region.seed()
    figure = Figure(figsize=SIZES[fmt], layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    report = _report_points(report_events)
    west, south, east, north = _extent(points, report, region)
    region.countries.plot(ax=ax, color="#f2efe6", edgecolor="#9c9a92", linewidth=0.6)
    if len(region.provinces):
        region.provinces.plot(ax=ax, facecolor="none", edgecolor="#a35f00", linewidth=1, linestyle="--")
    if len(region.borders):
        region.borders.plot(ax=ax, color="#b0002a", linewidth=2)
    if len(points):
        cells = ax.hexbin(points.lon, points.lat, gridsize=60, bins="log", mincnt=1, cmap="YlOrRd", alpha=0.85,
                          extent=(west, east, south, north), linewidths=0.2, zorder=3)
        figure.colorbar(cells, ax=ax, shrink=0.6, label=f"context events per hexagon ({len(points):,} in all)")
    if report[0]:
        ax.scatter(report[0], report[1], s=70, marker="o", facecolor="#111111", edgecolor="white",
                   linewidth=1.2, zorder=5, label="report events")
        ax.legend(loc="lower left")
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")
    ax.set_title(title)
    figure.text(0.01, 0.005, CREDIT, fontsize=7, color="#555555")
    out = io.BytesIO()
    figure.savefig(out, format=fmt, dpi=120 if fmt == "png" else None)
    return out.getvalue()


def briefing_context(store: Store, slug: str, flt: ContextFilter | None = None) -> ContextLayer | None:
    """The incident's located context events (within the filter's dates) for the briefing PNG/PDF, which
    draws them aggregated (geo.export.snapshot); None when the incident has no context layer."""
    incident = query.incident_id(store, slug)
    if incident is None:
        return None
    points = query.points(store, incident, flt or ContextFilter(), ())
    if not len(points):
        return None
    with store.read() as session:
        marker = incident_stamp(session, slug)[1]
    return ContextLayer(lon=points.lon, lat=points.lat, stamp=(slug, marker, len(points), int(points.ids.sum())))
