"""The committed boundary layers (derived by geo.boundaries.derive) and measurements on them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
from pyproj import Geod

from geo.paths import BOUNDARIES_DIR

LAYERS = {
    "countries_region": "countries_region.geojson",
    "countries_context": "countries_context.geojson",
    "provinces": "provinces_border.geojson",
    "border": "border_iran_pakistan.geojson",
    "world": "countries_world.geojson",
}
WGS84 = Geod(ellps="WGS84")


def layer_path(name: str, directory: Path = BOUNDARIES_DIR) -> Path:
    if name not in LAYERS:
        raise KeyError(f"unknown layer {name!r}; known: {sorted(LAYERS)}")
    return directory / LAYERS[name]


@lru_cache(maxsize=16)
def load_layer(name: str, directory: Path = BOUNDARIES_DIR) -> gpd.GeoDataFrame:
    """A boundary layer as a GeoDataFrame in EPSG:4326 (cached; treat as read-only)."""
    return gpd.read_file(layer_path(name, directory))


def geodesic_length_km(gdf: gpd.GeoDataFrame) -> float:
    """Length on the WGS84 ellipsoid of all lines in gdf, in kilometres."""
    return sum(WGS84.geometry_length(geom) for geom in gdf.geometry) / 1000.0


def border_length_km(directory: Path = BOUNDARIES_DIR) -> float:
    """The Iran–Pakistan border as drawn from Natural Earth 1:10m (about 817 km)."""
    return geodesic_length_km(load_layer("border", directory))
