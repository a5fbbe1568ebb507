"""Imprecise events on the briefing map as the area the reports allow, and strike arrows' "from" labels.

An event the reports place only near a town, in a province, a country, a region or at sea is drawn as that
area (geo.events.precision.uncertainty_area: the admin polygon, or a circle whose radius says how well
the text places it), translucent with a dashed outline in the actor's colour; its marker (drawn by
build_map) sits at a neutral spot inside. A cross-border strike's arrow starts at the edge of the actor's
territory; a "from <country>" label there says it is a direction, not a launch site.

build_map calls add_event_areas once; nothing here changes what else the map draws.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import shapely

from geo.events.precision import precision_label, uncertainty_area
from geo.maps.elements import BindTooltip, Labels, RegisterLayer
from geo.maps.geometry import valid
from geo.maps.style import AREA_STYLE, ORIGIN_LABEL_COLOUR, UNKNOWN_COLOUR

#: simplification (degrees, ~1 km) of area outlines sent to the browser
AREA_TOLERANCE = 0.01
LAYER_NAME = "Where imprecise events may be"


@dataclass(frozen=True)
class _Placed:
    place: str
    geo_precision: str
    lat: float | None
    lon: float | None


def _placed(row: Any) -> _Placed:
    """A typed Event (lat/lon) or a GeoDataFrame row (geometry)."""
    place, precision = str(getattr(row, "place", "") or ""), str(getattr(row, "geo_precision", "") or "")
    if hasattr(row, "geometry"):
        geom = row.geometry
        located = geom is not None and not geom.is_empty
        return _Placed(place, precision, geom.y if located else None, geom.x if located else None)
    return _Placed(place, precision, getattr(row, "lat", None), getattr(row, "lon", None))


def _rows(events: Any) -> Any:
    return events.itertuples(index=False) if hasattr(events, "itertuples") else events


def area_features(events_gdf: Any, colours: Mapping[str, str]) -> list[dict[str, Any]]:
    """GeoJSON features (lon/lat) of the imprecise events' areas, with id, place, precision and colour."""
    features = []
    for row in _rows(events_gdf):
        area = uncertainty_area(_placed(row))
        if area is None or area.is_empty:
            continue
        area = shapely.set_precision(area.simplify(AREA_TOLERANCE, preserve_topology=True), 1e-4)
        features.append({
            "type": "Feature",
            "geometry": shapely.geometry.mapping(area),
            "properties": {"id": str(row.id), "place": str(row.place), "precision": str(row.geo_precision),
                           "colour": colours.get(row.actor, UNKNOWN_COLOUR)},
        })
    return features


def origin_labels(events_gdf: Any) -> list[tuple[float, float, str]]:
    """(lat, lon, html) of a "from <origin>" label at the start of each strike arrow, one per spot."""
    labels: dict[tuple[float, float], str] = {}
    for row in _rows(events_gdf):
        origin = getattr(row, "origin", "") or ""
        lat, lon = getattr(row, "origin_lat", None), getattr(row, "origin_lon", None)
        if origin and valid(lat) and valid(lon):
            labels.setdefault((round(float(lat), 3), round(float(lon), 3)), origin)
    return [
        (lat, lon, f'<div class="sm-from" style="font:italic 600 11px system-ui,sans-serif;white-space:nowrap;'
                   f"color:{ORIGIN_LABEL_COLOUR};transform:translate(-50%,-160%);"
                   f'text-shadow:0 0 3px #fff,0 0 3px #fff">from {html.escape(origin)}</div>')
        for (lat, lon), origin in sorted(labels.items())
    ]


def areas_layer(events: Any, colours: Mapping[str, str]) -> folium.FeatureGroup | None:
    """The imprecise events' areas and the arrows' "from" labels, as one layer (None: nothing to draw).

    events: typed Events (or a GeoDataFrame of them)."""
    features = area_features(events, colours)
    labels = origin_labels(events)
    if not features and not labels:
        return None
    group = folium.FeatureGroup(name=LAYER_NAME, control=False)
    RegisterLayer(LAYER_NAME).add_to(group)
    for feature in features:
        props = feature["properties"]
        style = {**AREA_STYLE, "color": props["colour"], "fillColor": props["colour"]}
        layer = folium.GeoJson(feature, style_function=lambda _f, style=style: style, control=False)
        BindTooltip(f"<b>{html.escape(props['place'])}</b> · {html.escape(precision_label(props['precision']))}"
                    f"<br><span class='sm-m'>the reports place {html.escape(props['id'])} no closer</span>",
                    sticky=True).add_to(layer)
        layer.add_to(group)
    if labels:
        Labels(labels, "origin-label").add_to(group)
    return group
