"""Exports of an incident with its context layer, at scale: a GeoPackage of everything (for QGIS), CSV and
GeoJSON streamed row by row from the database (never the whole layer in memory), and the interactive map
as one offline HTML file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy import select

from geo.context.query import ContextFilter, ContextPoints, filtered
from geo.events.model import Event as ReportEvent
from geo.export.html import INLINE_BASE, inline_assets
from geo.maps.build import build_map
from geo.maps.context import add_to_map, context_group
from geo.store.csvio import escape_cell
from geo.store.engine import Store
from geo.store.models import Claim, Event

#: columns of the streamed CSV / GeoJSON and of the GeoPackage layers
EXPORT_COLUMNS: tuple[str, ...] = (
    "key", "layer", "status", "date", "date_end", "date_precision", "event_type", "summary", "actor", "target",
    "place", "admin1", "admin2", "geo_precision", "fatalities_low", "fatalities_high", "fatalities_qualifier",
    "lat", "lon",
)
CLAIM_COLUMNS: tuple[str, ...] = ("source", "notes")
BATCH = 5_000
EVERYTHING = ContextFilter()
EVERYTHING = ContextFilter()


def _rows(store: Store, incident: int, flt: ContextFilter, layers: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Every event of the given layers (context ones through the filter) with its first claim, in batches."""
    columns = [getattr(Event, c) for c in EXPORT_COLUMNS]
    query = select(*columns, Claim.value, Claim.quote).join(Claim, Claim.event_id == Event.id, isouter=True)
    if layers == ("context",):
        query = filtered(query, incident, flt)
    else:
        query = query.where(Event.incident_id == incident, Event.layer.in_(layers), Event.status == "accepted")
    query = query.order_by(Event.layer.desc(), Event.day_first, Event.id)
    with store.read() as session:
        result = session.execute(query.execution_options(yield_per=BATCH))
        seen: set[str] = set()
        for row in result:
            if row[0] in seen:  # an event with several claims: the first one
                continue
            seen.add(row[0])
            yield dict(zip((*EXPORT_COLUMNS, *CLAIM_COLUMNS), row, strict=True))


def stream_csv(store: Store, incident: int, flt: ContextFilter = EVERYTHING,
               layers: tuple[str, ...] = ("context",)) -> Iterator[str]:
    """CSV text in pieces (a header, then batches of rows); cells that a spreadsheet would run as a formula
    are escaped the way the store's own CSV export does."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow((*EXPORT_COLUMNS, *CLAIM_COLUMNS))
    for i, row in enumerate(_rows(store, incident, flt, layers), start=1):
        writer.writerow([escape_cell(v) if isinstance(v, str) else ("" if v is None else v) for v in row.values()])
        if i % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def stream_geojson(store: Store, incident: int, flt: ContextFilter = EVERYTHING,
                   layers: tuple[str, ...] = ("context",)) -> Iterator[str]:
    """A GeoJSON FeatureCollection in pieces, one feature per line (RFC 7946: lon, lat)."""
    yield '{"type": "FeatureCollection", "features": [\n'
    first = True
    for row in _rows(store, incident, flt, layers):
        geometry = None if row["lat"] is None else {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        feature = json.dumps({"type": "Feature", "geometry": geometry, "properties": props}, ensure_ascii=False)
        yield ("" if first else ",\n") + feature
        first = False
    yield "\n]}\n"


def write_stream(pieces: Iterator[str], path: Path) -> int:
    """Write streamed text to a file; the number of characters written."""
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        for piece in pieces:
            written += handle.write(piece)
    return written


def write_geopackage(store: Store, incident: int, path: Path) -> dict[str, int]:
    """One GeoPackage with a layer per event layer (report_events, context_events), points in EPSG:4326,
    every export column plus the first claim's source and notes. Rows per layer."""
    counts: dict[str, int] = {}
    for layer in ("report", "context"):
        frame = pd.DataFrame.from_records(list(_rows(store, incident, EVERYTHING, (layer,))),
                                          columns=[*EXPORT_COLUMNS, *CLAIM_COLUMNS])
        located = frame.dropna(subset=["lat", "lon"])
        gdf = gpd.GeoDataFrame(located, geometry=gpd.points_from_xy(located["lon"], located["lat"]), crs="EPSG:4326")
        gdf.to_file(path, layer=f"{layer}_events", driver="GPKG", engine="pyogrio")
        counts[f"{layer}_events"] = len(gdf)
    return counts


def export_file(store: Store, incident: int, flt: ContextFilter, kind: str, folder: Path) -> Path:
    """The filtered context layer ('csv', 'geojson') or the whole incident ('gpkg') written under folder."""
    path = folder / f"context.{kind}"
    if kind == "gpkg":
        path.unlink(missing_ok=True)
        write_geopackage(store, incident, path)
    elif kind == "csv":
        write_stream(stream_csv(store, incident, flt), path)
    elif kind == "geojson":
        write_stream(stream_geojson(store, incident, flt), path)
    else:
        raise ValueError(f"export kind {kind!r} not one of csv, geojson, gpkg")
    return path


def context_map_html(report_events: Sequence[ReportEvent], points: ContextPoints) -> str:
    """The map with the report events on top of the context layer, as one offline HTML page."""
    fmap = build_map(report_events, asset_base=INLINE_BASE, standalone=True)
    add_to_map(fmap, context_group(points))
    return inline_assets(fmap.get_root().render())
