"""The committed boundary layers (derived by geo.boundaries.derive) and measurements on them.

A layer that cannot be read raises geo.errors.DataError naming the file (never its absolute path, which
would reach a browser user), so a page can say so and still show everything that needs no boundary.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
from pyproj import Geod

from geo.errors import DataError
from geo.paths import BOUNDARIES_DIR

LAYERS = {
    "countries_region": "countries_region.geojson",
    "countries_context": "countries_context.geojson",
    "provinces": "provinces_border.geojson",
    "border": "border_iran_pakistan.geojson",
    "countries_world": "countries_world.geojson",
    "borders_world": "borders_world.geojson",
    "world_outside": "countries_world_outside.geojson",
    "provinces_world": "provinces_world.geojson",
}
WGS84 = Geod(ellps="WGS84")
_RESTORE = "git checkout data/boundaries, or re-derive with python -m geo.boundaries.derive"


def layer_path(name: str, directory: Path = BOUNDARIES_DIR) -> Path:
    if name not in LAYERS:
        raise KeyError(f"unknown layer {name!r}; known: {sorted(LAYERS)}")
    return directory / LAYERS[name]


@lru_cache(maxsize=16)
def load_layer(name: str, directory: Path = BOUNDARIES_DIR) -> gpd.GeoDataFrame:
    """A boundary layer as a GeoDataFrame in EPSG:4326 (cached; treat as read-only); DataError if unreadable."""
    path = layer_path(name, directory)
    try:
        frame = gpd.read_file(path)
    except (OSError, ValueError, RuntimeError) as exc:  # pyogrio's errors are RuntimeErrors
        reason = str(exc).replace(str(path), path.name).replace(str(path.parent), "")
        raise DataError(f"boundary layer {path.name} unreadable ({reason}); what draws boundaries "
                        f"is unavailable until it is restored ({_RESTORE})") from None
    if frame.geometry.isna().all() or frame.crs is None:
        raise DataError(f"boundary layer {path.name} unreadable (no geometry or no coordinate system); "
                        f"what draws boundaries is unavailable until it is restored ({_RESTORE})")
    return frame


def geodesic_length_km(gdf: gpd.GeoDataFrame) -> float:
    """Length on the WGS84 ellipsoid of all lines in gdf, in kilometres."""
    return sum(WGS84.geometry_length(geom) for geom in gdf.geometry) / 1000.0


def border_length_km(directory: Path = BOUNDARIES_DIR) -> float:
    """The Iran–Pakistan border as drawn from Natural Earth 1:10m (about 817 km)."""
    return geodesic_length_km(load_layer("border", directory))
