"""An incident as a GeoPackage for QGIS: events (points), event areas (uncertainty polygons, when any),
place mentions (points) and reports (a table without geometry), written with geopandas/pyogrio."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely import wkt
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.store.csvio import event_rows
from geo.store.mentions import applied_mention
from geo.store.models import Incident, Mention, Report

EVENT_LAYER_COLUMNS: tuple[str, ...] = (
    "id", "status", "layer", "date", "date_end", "date_precision", "ongoing", "actor", "target", "event_type",
    "place", "geo_precision", "origin", "fatalities_low", "fatalities_high", "fatalities_qualifier",
    "injuries_low", "injuries_high", "summary", "confidence", "reason",
)


def _point(lat: float | None, lon: float | None) -> Point | None:
    return Point(lon, lat) if lat is not None and lon is not None else None


def _frame(rows: list[dict], columns: Iterable[str], geometry: list) -> gpd.GeoDataFrame:
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=list(columns))
    for name in ("fatalities_low", "fatalities_high", "injuries_low", "injuries_high"):
        if name in frame:
            frame[name] = frame[name].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"), crs="EPSG:4326")


def write_geopackage(session: Session, incident: Incident, path: Path,
                     statuses: Iterable[str] | None = None) -> list[str]:
    """Write the layers to path (replaced if it exists); the layer names written."""
    path.unlink(missing_ok=True)
    rows = event_rows(session, incident, statuses)
    events = _frame(rows, EVENT_LAYER_COLUMNS, [_point(r["lat"], r["lon"]) for r in rows])
    events.to_file(path, layer="events", driver="GPKG", engine="pyogrio")
    layers = ["events"]
    areas = [r for r in rows if r.get("uncertainty_wkt")]
    if areas:
        _frame(areas, ("id", "geo_precision", "place"), [wkt.loads(r["uncertainty_wkt"]) for r in areas]).to_file(
            path, layer="event_areas", driver="GPKG", engine="pyogrio")
        layers.append("event_areas")
    found = session.execute(select(Mention, Report.key).join(Report, Mention.report_id == Report.id)
                            .where(Report.incident_id == incident.id).order_by(Report.position, Mention.start)).all()
    applied = [(applied_mention(m), m.correction is not None, key) for m, key in found]
    mention_rows: list[dict[str, Any]] = [
        {"report_id": key, "mention": m.mention, "start": m.start, "end": m.end, "place_id": m.place_id,
         "name": m.name, "kind": m.kind, "country_code": m.country_code, "confidence": m.confidence,
         "corrected": corrected, "lat": m.lat, "lon": m.lon}
        for m, corrected, key in applied if m is not None]  # "not a place" is in no layer of places
    columns = ("report_id", "mention", "start", "end", "place_id", "name", "kind", "country_code", "confidence",
               "corrected")
    if mention_rows:
        _frame(mention_rows, columns, [_point(r["lat"], r["lon"]) for r in mention_rows]).to_file(
            path, layer="mentions", driver="GPKG", engine="pyogrio")
        layers.append("mentions")
    return layers
