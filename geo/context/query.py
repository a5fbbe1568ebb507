"""Reading an incident's context layer: filters and aggregation as SQL, so the database does the work.

On SQLite the date filter uses the (incident_id, layer, day_first) index; on PostgreSQL also the GiST index
on events.location for a bounding box. What comes back is columns (numpy arrays) for the map, a DataFrame
for the table, and small aggregates: never 100,000 ORM objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Integer, Select, and_, cast, func, literal_column, select

from geo.store.engine import Store
from geo.store.models import Change, Claim, Event, Incident

#: columns of the context table as the analyst reads it
TABLE_COLUMNS: tuple[str, ...] = (
    "key", "date", "date_end", "event_type", "summary", "actor", "target", "place", "admin1", "admin2",
    "geo_precision", "fatalities_low", "fatalities_high", "lat", "lon",
)


@dataclass(frozen=True)
class ContextFilter:
    """What the analyst narrowed the context layer to (all optional). bbox = (west, south, east, north)."""

    since: date | None = None
    until: date | None = None
    event_types: tuple[str, ...] = ()
    actor: str = ""
    admin1: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class ContextPoints:
    """The filtered context events as columns: what the map layer draws."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    type_index: np.ndarray
    types: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class ContextCells:
    """Filtered context events counted per grid cell (SQL GROUP BY): cell (row, col) holds the events with
    row * size - 90 <= lat < (row + 1) * size - 90 and col * size - 180 <= lon < (col + 1) * size - 180."""

    size: float
    row: np.ndarray
    col: np.ndarray
    count: np.ndarray

    @property
    def events(self) -> int:
        return int(self.count.sum())

    def __len__(self) -> int:
        return len(self.count)


@dataclass(frozen=True)
class PointsInView:
    """The filtered events inside a box, at most `cap` of them (by id); `total` is how many there are."""

    points: ContextPoints
    total: int

    @property
    def left_out(self) -> int:
        return self.total - len(self.points)


def incident_id(store: Store, slug: str) -> int | None:
    with store.read() as session:
        return session.scalar(select(Incident.id).where(Incident.slug == slug))


def incidents_with_context(store: Store) -> list[str]:
    """Slugs of the incidents that hold context events."""
    with store.read() as session:
        return list(session.scalars(select(Incident.slug).join(Event, Event.incident_id == Incident.id)
                                    .where(Event.layer == "context").distinct().order_by(Incident.slug)))


def _where(incident: int, flt: ContextFilter) -> list[Any]:
    clauses: list[Any] = [Event.incident_id == incident, Event.layer == "context", Event.status == "accepted"]
    if flt.since is not None:
        clauses.append(Event.day_last >= flt.since)
    if flt.until is not None:
        clauses.append(Event.day_first <= flt.until)
    if flt.event_types:
        clauses.append(Event.event_type.in_(flt.event_types))
    if flt.actor:
        clauses.append((Event.actor == flt.actor) | (Event.target == flt.actor))
    if flt.admin1:
        clauses.append(Event.admin1.in_(flt.admin1))
    if flt.bbox is not None:
        west, south, east, north = flt.bbox
        clauses.append(and_(Event.lon >= west, Event.lon <= east, Event.lat >= south, Event.lat <= north))
    return clauses


def filtered(statement: Select[Any], incident: int, flt: ContextFilter) -> Select[Any]:
    return statement.where(*_where(incident, flt))


def data_stamp(store: Store) -> int:
    """The newest change-log id: every write to the store logs a change in its transaction (an import one),
    so what is computed from the store can be kept until this moves."""
    with store.read() as session:
        return int(session.scalar(select(func.coalesce(func.max(Change.id), 0))) or 0)


def event_types(store: Store, incident: int) -> list[str]:
    with store.read() as session:
        query = filtered(select(Event.event_type).distinct(), incident, ContextFilter())
        return sorted(session.scalars(query))


def date_range(store: Store, incident: int) -> tuple[date, date] | None:
    with store.read() as session:
        row = session.execute(filtered(select(func.min(Event.day_first), func.max(Event.day_last)), incident,
                                       ContextFilter())).one()
    return (row[0], row[1]) if row[0] is not None else None


def extent(store: Store, incident: int) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the layer's located events; None with none located."""
    with store.read() as session:
        row = session.execute(filtered(select(func.min(Event.lon), func.min(Event.lat), func.max(Event.lon),
                                              func.max(Event.lat)), incident, ContextFilter())).one()
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3])) if row[0] is not None else None


def _driver_rows(store: Store, query: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows as the database driver gives them, without SQLAlchemy's per-row Row objects and result
    processing: for columns whose stored value is what Python wants (text, numbers; not dates on SQLite)."""
    with store.read() as session:
        return list(session.connection().execute(query).cursor.fetchall())


def _columns(rows: list[tuple[Any, ...]], names: Sequence[str]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in names]


def points(store: Store, incident: int, flt: ContextFilter, types: Sequence[str],
           limit: int | None = None) -> ContextPoints:
    """id, lat, lon and the event type's index in `types` (fixed, so colours stay put across filters)."""
    query = (filtered(select(Event.id, Event.lat, Event.lon, Event.event_type), incident, flt)
             .where(Event.lat.is_not(None), Event.lon.is_not(None)))
    if limit is not None:
        # ordered by `id + 0`, not `id`: by the bare id SQLite walks the incident's rows in id order through the
        # table's wide rows; by the expression it reads the covering index (0103) and keeps the first `limit`
        query = query.order_by(Event.id + literal_column("0")).limit(limit)
    rows = _driver_rows(store, query)
    ids, lat, lon, kinds = _columns(rows, "id lat lon type".split())
    index = {name: i for i, name in enumerate(types)}
    return ContextPoints(
        ids=np.asarray(ids, dtype=np.int64), lat=np.asarray(lat, dtype=np.float64),
        lon=np.asarray(lon, dtype=np.float64),
        type_index=np.fromiter((index.get(k, len(types)) for k in kinds), dtype=np.int16, count=len(kinds)),
        types=tuple(types),
    )


def count(store: Store, incident: int, flt: ContextFilter, located: bool = False) -> int:
    """How many context events the filter keeps (located: only those with coordinates)."""
    query = filtered(select(func.count()).select_from(Event), incident, flt)
    if located:
        query = query.where(Event.lat.is_not(None), Event.lon.is_not(None))
    with store.read() as session:
        return int(session.scalar(query) or 0)


def _cell_index(store: Store, column: Any, origin: float, size: float) -> Any:
    """floor((column + origin) / size) as an integer. The value is never negative (origin 90 or 180), so on
    SQLite, whose floor() is an optional build feature, CAST's truncation is the floor; PostgreSQL's CAST
    rounds, so it gets floor()."""
    scaled = (column + origin) / size
    return func.floor(scaled).cast(Integer) if store.engine.dialect.name == "postgresql" else cast(scaled, Integer)


def cells(store: Store, incident: int, flt: ContextFilter, size: float) -> ContextCells:
    """The filtered, located events counted per cell of `size` degrees, in the database (GROUP BY)."""
    row, col = _cell_index(store, Event.lat, 90.0, size), _cell_index(store, Event.lon, 180.0, size)
    query = (filtered(select(row.label("r"), col.label("c"), func.count()), incident, flt)
             .where(Event.lat.is_not(None), Event.lon.is_not(None)).group_by(row, col))
    rows, cols, counts = _columns(_driver_rows(store, query), "row col count".split())
    return ContextCells(size=size, row=np.asarray(rows, dtype=np.int64), col=np.asarray(cols, dtype=np.int64),
                        count=np.asarray(counts, dtype=np.int64))


def points_in_view(store: Store, incident: int, flt: ContextFilter, bbox: tuple[float, float, float, float],
                   types: Sequence[str], cap: int) -> PointsInView:
    """The filtered events inside bbox (west, south, east, north), the first `cap` by id, and how many."""
    boxed = replace(flt, bbox=bbox)
    total = count(store, incident, boxed, located=True)
    return PointsInView(points=points(store, incident, boxed, types, limit=cap), total=total)


def table(store: Store, incident: int, flt: ContextFilter, limit: int | None = None,
          offset: int = 0) -> pd.DataFrame:
    """The filtered context events as a DataFrame (TABLE_COLUMNS), by date; a page of them with limit/offset."""
    columns = [getattr(Event, name) for name in TABLE_COLUMNS]
    query = filtered(select(*columns), incident, flt).order_by(Event.day_first, Event.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    values = _columns(_driver_rows(store, query), TABLE_COLUMNS)
    return pd.DataFrame(dict(zip(TABLE_COLUMNS, values, strict=True)), columns=list(TABLE_COLUMNS))


def details_at(store: Store, incident: int, lat: float, lon: float, flt: ContextFilter,
               tolerance: float = 1e-6) -> pd.DataFrame:
    """Every filtered context event at a point (the map's click), with its source and notes (on demand)."""
    near = and_(Event.lat.between(lat - tolerance, lat + tolerance),
                Event.lon.between(lon - tolerance, lon + tolerance))
    query = (filtered(select(Event.key, Event.date, Event.date_end, Event.event_type, Event.summary, Event.actor,
                             Event.target, Event.place, Event.geo_precision, Event.fatalities_low,
                             Event.fatalities_high, Claim.value.label("source"), Claim.quote.label("notes")),
                      incident, flt)
             .join(Claim, Claim.event_id == Event.id, isouter=True).where(near).order_by(Event.day_first))
    with store.read() as session:
        rows = session.execute(query).all()
    return pd.DataFrame.from_records(rows, columns=["key", "date", "date_end", "event_type", "summary", "actor",
                                                    "target", "place", "geo_precision", "fatalities_low",
                                                    "fatalities_high", "source", "notes"])


def fatalities_column() -> Any:
    """Fatalities counted once per event: the low bound (a range's floor; never more than sources say)."""
    return func.coalesce(Event.fatalities_low, literal_column("0"))
