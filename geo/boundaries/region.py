"""An incident's region: what the map and the exports draw for its countries of interest.

`Region(("AM", "AZ"))` gives:

* `units`: the Natural Earth admin-0 units of those countries (drawn a shade darker and labelled in capitals);
* `borders`: the shared land borders between them (geo.boundaries.borders.shared_borders: name, status
  `international` / `disputed`, geodesic `length_km`, line). Where a committed full-detail regional line
  covers the same pair of countries (data/boundaries/border_*.geojson) that line is drawn and measured
  instead of the simplified global one;
* `provinces`: the admin-1 areas of the committed provinces layer that lie in these countries (none for
  most incidents: the layer holds only the provinces the data was derived for);
* `countries`: the detailed country polygons to draw: the context layer when the region lies inside its box,
  else the global layer clipped around the region;
* `bounds`: the view to open on when no event says otherwise: the provinces' extent where there are any,
  else the countries' admin-0 extent (their main parts: far islands and exclaves under a fifth of the
  largest part are left out).

A code Natural Earth does not know is kept in `unknown` and draws nothing (the store accepts any two
letters from a form). A Region is a value (equal countries, equal region), so a cache can key on it.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.boundaries.borders import UnknownCountryError, country_units, shared_borders
from geo.boundaries.derive import CONTEXT_BOX
from geo.boundaries.layers import geodesic_length_km, load_layer
from geo.paths import BOUNDARIES_DIR, DATA_DIR

#: The view when there is nothing to fit to: the whole inhabited world ([[S, W], [N, E]]).
WORLD_BOUNDS = [[-55.0, -170.0], [72.0, 175.0]]
#: Degrees around the region's countries within which the global layer is drawn in detail.
DETAIL_MARGIN = 25.0
#: A part of a country smaller than this share of its largest part does not widen the opening view.
MAIN_PART_SHARE = 0.2
BORDER_COLUMNS = ["name", "adm0_a", "adm0_b", "status", "length_km", "geometry"]


@dataclass(frozen=True)
class Region:
    """The countries of interest of one incident (upper-case ISO alpha-2 or Natural Earth alpha-3)."""

    codes: tuple[str, ...] = ()

    @classmethod
    def of(cls, codes: Iterable[str]) -> Region:
        return cls(tuple(dict.fromkeys(c.strip().upper() for c in codes if c.strip())))

    @classmethod
    def seed(cls) -> Region:
        """The first curated incident's countries (data/incidents.csv): what a map with no incident shows."""
        return cls.of(seed_countries())

    @cached_property
    def units(self) -> tuple[str, ...]:
        return tuple(sorted(u for code in self.codes for u in _units_of(code)))

    @cached_property
    def unknown(self) -> tuple[str, ...]:
        return tuple(code for code in self.codes if not _units_of(code))

    @cached_property
    def borders(self) -> gpd.GeoDataFrame:
        return _borders(self.units)

    @property
    def border_km(self) -> float:
        return float(self.borders["length_km"].sum())

    @property
    def border_name(self) -> str:
        """'Iran–Pakistan border'; 'Shared borders' for more than one pair; '' when they share none."""
        names = list(dict.fromkeys(self.borders["name"]))
        return names[0] if len(names) == 1 else ("Shared borders" if names else "")

    @property
    def disputed_km(self) -> float:
        return float(self.borders.loc[self.borders["status"] != "international", "length_km"].sum())

    @cached_property
    def provinces(self) -> gpd.GeoDataFrame:
        frame = load_layer("provinces")
        return frame[frame["adm0_a3"].isin(self.units)].reset_index(drop=True)

    @cached_property
    def in_context(self) -> bool:
        """Whether the region's countries lie inside the detailed context layer's box."""
        (south, west), (north, east) = self.country_bounds() or ((0.0, 0.0), (0.0, 0.0))
        x0, y0, x1, y1 = CONTEXT_BOX
        return bool(self.units) and x0 <= west and east <= x1 and y0 <= south and north <= y1

    @cached_property
    def countries(self) -> gpd.GeoDataFrame:
        """Country polygons drawn in detail (adm0_a3, name, name_long, label_lat, label_lon, geometry)."""
        if not self.units or self.in_context:
            return load_layer("countries_context")
        return _world_detail(self.detail_box)

    @property
    def detail_box(self) -> tuple[float, float, float, float]:
        """(lon_min, lat_min, lon_max, lat_max) of the countries drawn in detail."""
        if not self.units or self.in_context:
            return CONTEXT_BOX
        (south, west), (north, east) = self.country_bounds() or WORLD_BOUNDS
        m = DETAIL_MARGIN
        return (max(west - m, -180.0), max(south - m, -90.0), min(east + m, 180.0), min(north + m, 90.0))

    def country_bounds(self) -> list[list[float]] | None:
        """[[S, W], [N, E]] of the countries' main parts; None without a known country."""
        return _country_bounds(self.units)

    @property
    def bounds(self) -> list[list[float]]:
        """The view with nothing to fit to: provinces where the data has them, else the countries."""
        if len(self.provinces):
            x0, y0, x1, y1 = self.provinces.total_bounds
            return [[float(y0), float(x0)], [float(y1), float(x1)]]
        return self.country_bounds() or WORLD_BOUNDS

    @property
    def extent_frame(self) -> gpd.GeoDataFrame:
        """What a briefing snapshot keeps in view besides the events: the borders, else the countries."""
        if len(self.borders):
            return self.borders
        (south, west), (north, east) = self.bounds
        return gpd.GeoDataFrame(geometry=[box(west, south, east, north)], crs="EPSG:4326")

    def country_name(self, unit: str) -> str:
        return _names().get(unit, unit)

    @property
    def label(self) -> str:
        """'Armenia–Azerbaijan' (the countries' names, for captions)."""
        return "–".join(self.country_name(u) for u in self.units)


def seed_countries() -> tuple[str, ...]:
    path = DATA_DIR / "incidents.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            first = next(csv.DictReader(handle), None)
    except OSError:
        return ()
    return tuple(c.strip() for c in ((first or {}).get("countries") or "").split(",") if c.strip())


@lru_cache(maxsize=512)
def _units_of(code: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(country_units([code])))
    except UnknownCountryError:
        return ()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    with (BOUNDARIES_DIR / "admin0_labels.csv").open(encoding="utf-8", newline="") as handle:
        return {row["adm0_a3"]: row["name_long"] or row["name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=32)
def _borders(units: tuple[str, ...]) -> gpd.GeoDataFrame:
    frame = shared_borders(units) if units else gpd.GeoDataFrame(
        {c: [] for c in BORDER_COLUMNS[:-1]}, geometry=[], crs="EPSG:4326")
    frame = frame[BORDER_COLUMNS].copy()
    detailed = load_layer("border")
    pairs = list(zip(frame["adm0_a"], frame["adm0_b"], strict=True))
    for i, row in frame.iterrows():
        same = detailed[(detailed["adm0_a"] == row["adm0_a"]) & (detailed["adm0_b"] == row["adm0_b"])]
        if len(same) and pairs.count((row["adm0_a"], row["adm0_b"])) == 1:  # not split by a disputed stretch
            frame.at[i, "geometry"] = shapely.union_all(same.geometry.values)
            frame.at[i, "length_km"] = geodesic_length_km(same)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


@lru_cache(maxsize=32)
def _country_bounds(units: tuple[str, ...]) -> list[list[float]] | None:
    world = load_layer("countries_world")
    parts = []
    for geometry in world[world["adm0_a3"].isin(units)].geometry:
        pieces = list(getattr(geometry, "geoms", [geometry]))
        largest = max(p.area for p in pieces)
        parts += [p for p in pieces if p.area >= largest * MAIN_PART_SHARE]
    if not parts:
        return None
    x0, y0, x1, y1 = shapely.total_bounds(parts)
    return [[float(y0), float(x0)], [float(y1), float(x1)]]


@lru_cache(maxsize=8)
def _world_detail(clip: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    world = load_layer("countries_world")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Geometry is in a geographic CRS")
        near = world[world.intersects(box(*clip))].copy()
        near["geometry"] = shapely.make_valid(near.geometry.values)  # the simplified layer has self-touching rings
        near = near.clip(box(*clip))
    near["geometry"] = [_polygonal(g) for g in near.geometry]
    labels = pd.read_csv(BOUNDARIES_DIR / "admin0_labels.csv", keep_default_na=False, na_values=[""])[
        ["adm0_a3", "label_lat", "label_lon"]]
    near = near.merge(labels, on="adm0_a3", how="left")
    near = near[~near.geometry.is_empty]
    columns = ["adm0_a3", "iso_a2", "name", "name_long", "label_lon", "label_lat", "geometry"]
    return gpd.GeoDataFrame(near[columns], geometry="geometry", crs="EPSG:4326").reset_index(drop=True)


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (make_valid and clip can leave stray lines and points in a collection)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else Polygon()
