"""Briefing exports of the filtered map and table: PNG, PDF, HTML, CSV, GeoJSON, KML.

    from geo.events.filter import EventFilter
    from geo.export import build_briefing, render
    data = render(build_briefing(load_dataset(), EventFilter(actors=frozenset({"Iran"}))), "png")

Every format is made from one Briefing (geo.export.briefing), so all show exactly the events the
filter selects. The formats are listed in FORMATS (used by `python -m geo export` and the briefing
page); a file name picks its format by extension (`.claims.csv` for the long-form claims table).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.export.briefing import Briefing, build_briefing


@dataclass(frozen=True)
class ExportFormat:
    key: str
    extension: str  # with the dot; matched case-insensitively at the end of a file name
    label: str
    media_type: str
    render: Callable[[Briefing], bytes]
    #: drawn over the boundary layers (unavailable while one is unreadable: geo.errors.DataError)
    needs_boundaries: bool = True


def _png(b: Briefing) -> bytes:
    from geo.export.snapshot import snapshot_png

    return snapshot_png(b)


def _pdf(b: Briefing) -> bytes:
    from geo.export.snapshot import snapshot_pdf

    return snapshot_pdf(b)


def _html(b: Briefing) -> bytes:
    from geo.export.html import briefing_html

    return briefing_html(b, places=b.dataset.places(b.cited_reports) if b.dataset and b.cited_reports else ())


def _csv(b: Briefing) -> bytes:
    from geo.export.tables import events_csv

    return events_csv(b)


def _claims_csv(b: Briefing) -> bytes:
    from geo.export.tables import claims_csv

    return claims_csv(b)


def _geojson(b: Briefing) -> bytes:
    from geo.export.tables import events_geojson

    return events_geojson(b)


def _kml(b: Briefing) -> bytes:
    from geo.export.tables import events_kml

    return events_kml(b)


def _kmz(b: Briefing) -> bytes:
    from geo.export.tables import events_kmz

    return events_kmz(b)


FORMATS: dict[str, ExportFormat] = {f.key: f for f in (
    ExportFormat("png", ".png", "Map snapshot (PNG, 16:9 slide)", "image/png", _png),
    ExportFormat("pdf", ".pdf", "Map snapshot (PDF, A4 landscape)", "application/pdf", _pdf),
    ExportFormat("html", ".html", "Interactive map (HTML, works offline)", "text/html", _html),
    ExportFormat("csv", ".csv", "Event table (CSV, claims included)", "text/csv", _csv, needs_boundaries=False),
    ExportFormat("claims_csv", ".claims.csv", "Claims by report (CSV, one row per claim)", "text/csv",
                 _claims_csv, needs_boundaries=False),
    ExportFormat("geojson", ".geojson", "Event table (GeoJSON)", "application/geo+json", _geojson,
                 needs_boundaries=False),
    ExportFormat("kml", ".kml", "Event table (KML, Google Earth)", "application/vnd.google-earth.kml+xml", _kml),
    ExportFormat("kmz", ".kmz", "Event table (KMZ, offline Google Earth)",
                 "application/vnd.google-earth.kmz", _kmz),
)}


def format_for_path(path: str | Path) -> ExportFormat | None:
    """The format a file name asks for (longest matching extension wins), or None."""
    name = str(path).lower()
    matches = [f for f in FORMATS.values() if name.endswith(f.extension)]
    return max(matches, key=lambda f: len(f.extension)) if matches else None


def file_name(description: str, fmt: ExportFormat, stem: str = "strike-briefing") -> str:
    """A safe, telling file name, e.g. 'strike-briefing_16-18-jan-2024_actor-iran.png'."""
    slug = re.sub(r"[^a-z0-9]+", "-", description.casefold()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug)[:80].strip("-")
    return f"{stem}_{slug}{fmt.extension}" if slug else f"{stem}{fmt.extension}"


def render(briefing: Briefing, key: str) -> bytes:
    """The briefing in one format (a key of FORMATS)."""
    return FORMATS[key].render(briefing)


__all__ = ["FORMATS", "Briefing", "ExportFormat", "build_briefing", "file_name", "format_for_path", "render"]
