"""What analysts ask of the context layer: events and fatalities per week and per admin area, and what
happened within N km of a strike in the days before it. Grouping and the distance filter run in SQL;
on PostgreSQL the distance is PostGIS ST_DWithin on geography (GiST index on events.location), on SQLite a
bounding box in SQL narrows the rows and pyproj's geodesic distance decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from pyproj import Geod
from sqlalchemy import Select, func, literal_column, select, text

from geo.context.query import ContextFilter, fatalities_column, filtered
from geo.store.engine import Store
from geo.store.models import Event

WGS84 = Geod(ellps="WGS84")
KM_PER_DEGREE_LAT = 110.574  # the shortest degree of latitude (at the equator): a box that never cuts short


def _week(store: Store) -> Any:
    """The Monday of the event's first day, as 'YYYY-MM-DD', in the database's own dialect."""
    if store.is_postgresql:
        return func.to_char(func.date_trunc("week", Event.day_first), "YYYY-MM-DD")
    return func.date(Event.day_first, "weekday 0", "-6 days")


def per_week(store: Store, incident: int, flt: ContextFilter) -> pd.DataFrame:
    """week (Monday), event_type, events, fatalities (the low bound: never more than the sources say)."""
    week = _week(store).label("week")
    query = filtered(select(week, Event.event_type, func.count().label("events"),
                            func.sum(fatalities_column()).label("fatalities")), incident, flt)
    with store.read() as session:
        rows = session.execute(query.group_by(week, Event.event_type).order_by(week)).all()
    frame = pd.DataFrame.from_records(rows, columns=["week", "event_type", "events", "fatalities"])
    frame["week"] = pd.to_datetime(frame["week"])
    return frame


def per_admin(store: Store, incident: int, flt: ContextFilter) -> pd.DataFrame:
    """admin1, events, fatalities, most first; events with no admin area as '(not given)'."""
    area = func.coalesce(func.nullif(Event.admin1, ""), literal_column("'(not given)'")).label("admin1")
    query = filtered(select(area, func.count().label("events"), func.sum(fatalities_column()).label("fatalities")),
                     incident, flt)
    with store.read() as session:
        rows = session.execute(query.group_by(area).order_by(func.count().desc())).all()
    return pd.DataFrame.from_records(rows, columns=["admin1", "events", "fatalities"])


@dataclass(frozen=True)
class Around:
    """The question: within km of (lat, lon) in the `days` days before `day` (the strike's first day)."""

    lat: float
    lon: float
    day: date
    km: float = 50.0
    days: int = 90

    @property
    def window(self) -> ContextFilter:
        return ContextFilter(since=self.day - timedelta(days=self.days), until=self.day - timedelta(days=1))


NEAR_COLUMNS = ["key", "date", "date_end", "event_type", "actor", "target", "place", "geo_precision",
                "fatalities_low", "fatalities_high", "lat", "lon"]


def near(store: Store, incident: int, around: Around) -> pd.DataFrame:
    """The context events within around.km of the point in the window, nearest first, with distance_km."""
    columns = [getattr(Event, c) for c in NEAR_COLUMNS]
    if store.is_postgresql:
        return _near_postgis(store, incident, around)
    box = _box(around.lat, around.lon, around.km)
    query = filtered(select(*columns), incident, ContextFilter(since=around.window.since, until=around.window.until,
                                                                bbox=box))
    with store.read() as session:
        frame = pd.DataFrame.from_records(session.execute(query).all(), columns=NEAR_COLUMNS)
    if frame.empty:
        return frame.assign(distance_km=pd.Series(dtype=float))
    _, _, metres = WGS84.inv([around.lon] * len(frame), [around.lat] * len(frame), frame["lon"].tolist(),
                             frame["lat"].tolist())
    frame["distance_km"] = [m / 1000 for m in metres]
    return frame[frame["distance_km"] <= around.km].sort_values(["distance_km", "date"]).reset_index(drop=True)


def _box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / KM_PER_DEGREE_LAT
    north, south = min(lat + dlat, 90.0), max(lat - dlat, -90.0)
    widest = max(abs(north), abs(south))
    if widest >= 89.9:
        return (-180.0, south, 180.0, north)
    dlon = km / (KM_PER_DEGREE_LAT * math.cos(math.radians(widest)))
    return (lon - dlon, south, lon + dlon, north)


def near_postgis_statement(incident: int, around: Around) -> Select[Any]:
    """The PostGIS query: the box (&&, served by the GiST index on events.location) narrows, ST_DWithin on
    geography (metres on the spheroid) decides, ST_Distance orders."""
    point = text("ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography").bindparams(lon=around.lon,
                                                                                   lat=around.lat)
    west, south, east, north = _box(around.lat, around.lon, around.km)
    location: Any = literal_column("events.location")
    distance = (func.ST_Distance(func.geography(location), point) / 1000).label("distance_km")
    columns = [getattr(Event, c) for c in NEAR_COLUMNS]
    return (filtered(select(*columns, distance), incident, around.window)
            .where(location.op("&&")(func.ST_MakeEnvelope(west, south, east, north, 4326)))
            .where(func.ST_DWithin(func.geography(location), point, around.km * 1000))
            .order_by(distance, Event.day_first))


def _near_postgis(store: Store, incident: int, around: Around) -> pd.DataFrame:
    with store.read() as session:
        rows = session.execute(near_postgis_statement(incident, around)).all()
    return pd.DataFrame.from_records(rows, columns=[*NEAR_COLUMNS, "distance_km"])
