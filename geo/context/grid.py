"""What the context map asks the database for, given what the analyst is looking at.

Below AGGREGATE_BELOW_ZOOM the map shows counts per grid cell: a cell is CELL_PX screen pixels wide at the
zoom (a power-of-two fraction of a degree-aligned world grid, so cells nest from zoom to zoom and never
shift when the map pans). From that zoom on it shows the events themselves, at most POINT_CAP of them.

The area asked for is the view grown outward to a coarse grid (SNAP_TILES map tiles) plus one such step on
every side: a small pan asks for the same area again (a memo hit, nothing sent), and the ground just outside
the view is already drawn when the map is dragged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.maps.build import FIT_MAX_ZOOM
from geo.maps.context import AGGREGATE_BELOW_ZOOM
from geo.maps.style import LEGEND_WIDTH_PX
from geo.maps.view import BBox

CELL_PX = 16
TILE_PX = 256
SNAP_TILES = 2
POINT_CAP = 20_000
MAX_ZOOM = 18


@dataclass(frozen=True)
class ViewRequest:
    """What one map view needs from the store: counts per cell of `cell` degrees, or the points, in `bbox`."""

    zoom: int
    bbox: BBox

    @property
    def aggregated(self) -> bool:
        return self.zoom < AGGREGATE_BELOW_ZOOM

    @property
    def cell(self) -> float:
        """Cell side in degrees (of longitude and of latitude): CELL_PX pixels of longitude at this zoom."""
        return cell_degrees(self.zoom)


def cell_degrees(zoom: int) -> float:
    return CELL_PX * 360.0 / (TILE_PX * 2**zoom)


def request_for(bbox: BBox, zoom: float, extent: BBox | None = None) -> ViewRequest:
    """The view (west, south, east, north; Leaflet's zoom) as a request: zoom floored, bbox snapped outward.

    extent: where the layer's events are. When the snapped area holds all of it, the request is for the extent
    itself, so every view that holds the whole layer at a zoom (the one the map opens on, and the one the map
    then reports) is one request, made once."""
    z = max(0, min(MAX_ZOOM, math.floor(zoom)))
    step = SNAP_TILES * 360.0 / 2**z
    west, south, east, north = bbox
    snapped = (max(-180.0, (math.floor(west / step) - 1) * step), max(-90.0, (math.floor(south / step) - 1) * step),
               min(180.0, (math.ceil(east / step) + 1) * step), min(90.0, (math.ceil(north / step) + 1) * step))
    if extent is not None and _holds(snapped, extent):
        return ViewRequest(zoom=z, bbox=extent)
    return ViewRequest(zoom=z, bbox=snapped)


def _holds(outer: BBox, inner: BBox) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def opening_zoom(bbox: BBox, width_px: int = 1400, height_px: int = 620) -> int:
    """The zoom base_map opens on when fitted to bbox: left of the legend, at most FIT_MAX_ZOOM. A guess (the
    map's width is the browser's): the map reports its real view on load, and the next request uses that."""
    return min(FIT_MAX_ZOOM, zoom_to_fit(bbox, width_px - LEGEND_WIDTH_PX - 70, height_px - 60))


def zoom_to_fit(bbox: BBox, width_px: int = 1000, height_px: int = 620) -> int:
    """The zoom Leaflet's fitBounds would pick for bbox in a map of that size (Mercator height, floored)."""
    west, south, east, north = bbox

    def merc(lat: float) -> float:
        s = math.sin(math.radians(max(-85.0, min(85.0, lat))))
        return 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)

    across = max((east - west) / 360.0, 1e-9)
    down = max(merc(south) - merc(north), 1e-9)
    zoom = min(math.log2(width_px / (TILE_PX * across)), math.log2(height_px / (TILE_PX * down)))
    return max(0, min(MAX_ZOOM, math.floor(zoom)))
