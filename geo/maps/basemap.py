"""The map's background for an incident's region (geo.boundaries.region.Region): Natural Earth countries with
labels (the incident's countries darker, in capitals), the provinces the data has for them, and the shared
borders between them with their measured length (disputed stretches dashed and said so). Drawn once per map
(it never changes with filters or selection)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.boundaries.layers import load_layer
from geo.boundaries.region import Region
from geo.maps.elements import BindTooltip, Labels, RegisterLayer, WorldLayer
from geo.maps.literal_render import HTML_ENV
from geo.maps.style import (
    BORDER_HALO_STYLE,
    BORDER_STYLE,
    COASTS_STYLE,
    FOCUS_FILL_STYLE,
    LAND_FILL_STYLE,
    PROVINCE_STYLE,
)

#: Simplification tolerance (degrees) for the browser basemap (~3 km: invisible at briefing zooms);
#: it keeps the map payload near 100 KB. The border itself keeps full detail.
BASEMAP_TOLERANCE = 0.03
#: Countries smaller than this (square degrees; Cyprus's sovereign bases, say) get no label.
MIN_LABEL_AREA = 0.3
#: Countries beyond the region are labelled only when this big (square degrees): the label stays on land.
WORLD_LABEL_AREA = 8.0
#: Names in the layer switcher (also the values of the URL's `hide` parameter).
COUNTRIES_LAYER = "Countries (Natural Earth 1:10m)"
COUNTRY_LABELS_LAYER = "Country labels"
PROVINCES_LAYER = "Border provinces"

_COUNTRY_LABEL = HTML_ENV.from_string('<div class="sm-cl{{ " sm-focus" if focus }}">{{ name }}</div>')
_PROVINCE_LABEL = HTML_ENV.from_string('<div class="sm-pl">{{ name }}</div>')
_PROVINCE_TIP = HTML_ENV.from_string("{{ name }} ({{ admin }})")
_BORDER_TIP = HTML_ENV.from_string(
    "{{ name }}{{ ' (disputed stretch)' if disputed }}: <b>{{ km }} km</b> measured (geodesic, Natural Earth 1:10m)")
_BORDER_LABEL = HTML_ENV.from_string(
    '<div style="font:700 12px system-ui,sans-serif;color:{{ colour }};white-space:nowrap;'
    'transform:translate(14px,-50%);text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff">Border {{ km }} km</div>')


def border_layer_name(region: Region) -> str:
    """'Iran–Pakistan border (817 km)'; the disputed share said when there is one."""
    disputed = f", {region.disputed_km:,.0f} km disputed" if region.disputed_km else ""
    return f"{region.border_name or 'Shared borders'} ({region.border_km:,.0f} km{disputed})"


def _round_coords(geom: Any, decimals: int) -> Any:
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


@lru_cache(maxsize=8)
def basemap_layers(region: Region | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The region's boundary layers, simplified and rounded for the browser (the borders keep full detail)."""
    region = region or Region.seed()
    out: dict[str, gpd.GeoDataFrame] = {}
    for key, layer, tolerance, decimals in (
        ("countries", region.countries, BASEMAP_TOLERANCE, 2),
        ("provinces", region.provinces, BASEMAP_TOLERANCE / 6, 3),
        ("border", region.borders, 0.0, 5),
    ):
        frame = layer.to_crs("EPSG:4326").copy()
        if key == "countries":
            frame = frame[~frame.geometry.is_empty].sort_values("name").reset_index(drop=True)
        if tolerance:
            frame["geometry"] = frame.geometry.simplify(tolerance, preserve_topology=True)
        frame["geometry"] = frame.geometry.apply(_round_coords, decimals=decimals)
        out[key] = frame
    return out


def _geojson(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    keep = [c for c in columns if c in frame.columns]
    return frame[[*keep, "geometry"]].__geo_interface__


def _group(name: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name, control=False)
    RegisterLayer(name).add_to(group)
    return group


def add_basemap(m: folium.Map, region: Region, world_url: str | None = None) -> None:
    """Countries (the world beyond the region: fetched from world_url, else drawn in the map), their
    labels, the region's provinces (where the data has them) and its shared borders, each a layer the
    analyst can switch."""
    layers = basemap_layers(region)
    _add_countries(m, region, layers["countries"], world_url)
    _add_country_labels(m, region, layers["countries"])
    if len(layers["provinces"]):
        _add_provinces(m, layers["provinces"])
    if len(layers["border"]):
        _add_border(m, region, layers["border"])


def add_land(m: folium.Map, region: Region | None = None, world_url: str | None = None) -> None:
    """The countries alone (the region's in detail; no labels, provinces or borders): the ground of a small
    map."""
    region = region or Region.seed()
    _add_countries(m, region, basemap_layers(region)["countries"], world_url, switchable=False)


@lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    return _geojson(load_layer("world_outside"), ["name"])


def _add_countries(m: folium.Map, region: Region, countries: gpd.GeoDataFrame, world_url: str | None,
                   switchable: bool = True) -> None:
    """switchable: registered with the briefing map's layer switcher (a small map has none)."""
    land = _group(COUNTRIES_LAYER) if switchable else folium.FeatureGroup(name=COUNTRIES_LAYER, control=False)
    if world_url:
        WorldLayer(LAND_FILL_STYLE, url=world_url).add_to(land)
    else:
        WorldLayer(LAND_FILL_STYLE, data=world_geojson()).add_to(land)
    folium.GeoJson(
        _geojson(countries, ["adm0_a3"]),
        style_function=lambda f: FOCUS_FILL_STYLE if f["properties"]["adm0_a3"] in region.units else LAND_FILL_STYLE,
        interactive=False, control=False,
    ).add_to(land)
    folium.GeoJson(coast_lines(region), style_function=lambda _f: COASTS_STYLE, interactive=False,
                   control=False).add_to(land)
    land.add_to(m)


@lru_cache(maxsize=8)
def coast_lines(region: Region | None = None) -> dict[str, Any]:
    """The region's coasts and borders as lines, without the edges where the layer was cut at its box."""
    region = region or Region.seed()
    countries = basemap_layers(region)["countries"]
    lines = shapely.union_all(countries.boundary.values)
    cut = shapely.box(*region.detail_box).exterior.buffer(0.02)
    lines = _round_coords(shapely.line_merge(lines.difference(cut)), 2)
    return {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(lines)}


def _add_country_labels(m: folium.Map, region: Region, countries: gpd.GeoDataFrame) -> None:
    texts = []
    world = load_layer("world_outside")
    with warnings.catch_warnings():  # square degrees on purpose: room for a label on the web map
        warnings.filterwarnings("ignore", "Geometry is in a geographic CRS")
        big = world[world.geometry.area >= WORLD_LABEL_AREA]
    if not region.in_context:  # the detailed layer is the global one here: one label per country
        big = big[~big["adm0_a3"].isin(countries["adm0_a3"])]
    for row in pd.concat([countries, big], ignore_index=True).itertuples(index=False):
        if row.geometry.area < MIN_LABEL_AREA or not np.isfinite([row.label_lat, row.label_lon]).all():
            continue
        focus = row.adm0_a3 in region.units
        name = str(row.name).upper() if focus else str(row.name)
        texts.append((round(float(row.label_lat), 3), round(float(row.label_lon), 3),
                      _COUNTRY_LABEL.render(focus=focus, name=name)))
    labels = _group(COUNTRY_LABELS_LAYER)
    Labels(texts, "country-label").add_to(labels)
    labels.add_to(m)


def _add_provinces(m: folium.Map, provinces: gpd.GeoDataFrame) -> None:
    group = _group(PROVINCES_LAYER)
    for row in provinces.itertuples(index=False):
        shape = folium.GeoJson(shapely.geometry.mapping(row.geometry), style_function=lambda _f: PROVINCE_STYLE,
                               control=False)
        BindTooltip(_PROVINCE_TIP.render(name=row.name, admin=row.admin), sticky=True).add_to(shape)
        shape.add_to(group)
    Labels([(float(row.latitude), float(row.longitude), _PROVINCE_LABEL.render(name=row.name))
            for row in provinces.itertuples(index=False) if np.isfinite([row.latitude, row.longitude]).all()],
           "province-label").add_to(group)
    group.add_to(m)


def _add_border(m: folium.Map, region: Region, borders: gpd.GeoDataFrame) -> None:
    """Each shared border (disputed stretches dashed), its tooltip naming it with its length, and one
    length label per border."""
    group = _group(border_layer_name(region))
    labels = []
    for row in borders.itertuples(index=False):
        shape = _geojson(borders[(borders["name"] == row.name) & (borders["status"] == row.status)], ["name"])
        disputed = row.status != "international"
        folium.GeoJson(shape, style_function=lambda _f: BORDER_HALO_STYLE, interactive=False,
                       control=False).add_to(group)
        style = {**BORDER_STYLE, "dashArray": "8 6"} if disputed else BORDER_STYLE
        line = folium.GeoJson(shape, style_function=lambda _f, style=style: style, control=False)
        km = f"{float(row.length_km):,.0f}"
        BindTooltip(_BORDER_TIP.render(name=row.name, disputed=disputed, km=km), sticky=True).add_to(line)
        line.add_to(group)
    for name in dict.fromkeys(borders["name"]):
        rows = borders[borders["name"] == name]
        lat, lon = _border_label_point(rows)
        km = f"{float(rows['length_km'].sum()):,.0f}"
        labels.append((lat, lon, _BORDER_LABEL.render(colour=BORDER_STYLE["color"], km=km)))
    Labels(labels, "border-label").add_to(group)
    group.add_to(m)


def _border_label_point(border: gpd.GeoDataFrame) -> tuple[float, float]:
    """Near the northern end of the line (for Iran–Pakistan the tripoint with Afghanistan, clear of the
    strikes further south)."""
    merged = shapely.line_merge(shapely.union_all(border.geometry.values))
    if merged.geom_type == "MultiLineString":  # a border in pieces: label its longest piece
        merged = max(merged.geoms, key=lambda g: g.length)
    ends = shapely.get_coordinates(merged)
    north_first = ends[0][1] >= ends[-1][1]
    point = shapely.line_interpolate_point(merged, 0.12 if north_first else 0.88, normalized=True)
    return float(point.y), float(point.x)


def region_bounds(region: Region | None = None) -> list[list[float]]:
    """[[south, west], [north, east]] the map opens on when there is nothing to show (Region.bounds)."""
    return (region or Region.seed()).bounds
