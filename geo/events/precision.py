"""How well the text places an event, as an area: never a point where the reports give a region.

- exact: the point itself (no area);
- town, near town, district: a geodesic circle around the place whose radius says how far the words
  let it be ("near the town of Saravan" is anywhere within RADIUS_KM["near town"]);
- province, country: the admin polygon (Natural Earth admin-1 / admin-0 from data/boundaries/);
- region: the admin polygon of a compass part of a country ("northern Iraq" is the northern half of
  Iraq's extent, clipped to Iraq), else a circle;
- sea: a wide circle (no sea polygons are shipped).
A compass word in front of the place ("northern", "southern Lebanon") names that half of the place's
bounding box; "north-western" that quarter. The marker of an area event sits at a neutral spot inside
the area (its representative point), not at a capital or a town the text does not name.

Arrows of a cross-border strike start at the edge of the actor's territory nearest the target
(territory_edge), because no report gives a launch site.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from pyproj import Geod

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: precision -> radius (km) of the circle drawn when there is no polygon for the place
RADIUS_KM: dict[str, float] = {
    "town": 5.0, "near town": 25.0, "district": 50.0, "province": 150.0, "region": 50.0, "country": 300.0,
    "sea": 300.0,
}
#: precisions that are drawn as an admin polygon when one matches the place's name
POLYGON_PRECISIONS = ("province", "country", "region")
#: precisions that must never be drawn as a bare point
AREA_PRECISIONS = ("province", "country", "region", "sea")
#: how a briefing says each precision (popups, legends, tables)
PRECISION_LABELS: dict[str, str] = {
    "exact": "exact spot",
    "town": "in the town",
    "near town": f"near the town (within about {RADIUS_KM['near town']:.0f} km)",
    "district": f"in the district (within about {RADIUS_KM['district']:.0f} km)",
    "province": "somewhere in the province",
    "country": "somewhere in the country",
    "region": "somewhere in the region",
    "sea": "somewhere at sea",
}
_COMPASS = re.compile(
    r"^(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)ern\s+(?P<rest>.+)$", re.IGNORECASE,
)
_WGS84 = Geod(ellps="WGS84")
_CIRCLE_STEPS = 72


class Placed(Protocol):
    """What uncertainty_area needs of an event (geo.events.model.Event has it)."""

    @property
    def place(self) -> str: ...
    @property
    def geo_precision(self) -> str: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


def split_compass(place: str) -> tuple[str, str]:
    """("north", "Iraq") for "northern Iraq", ("north-west", "Iran") for "north-western Iran"; ("", place)
    when the place has no compass word."""
    match = _COMPASS.match(place.strip())
    if not match:
        return "", place
    direction = match.group("dir").lower().replace("north", "north-").replace("south", "south-")
    direction = re.sub(r"-+", "-", direction).strip("-")
    return direction, match.group("rest")


def _base_name(place: str) -> str:
    """"Sistan and Baluchestan, Iran" -> "sistan and baluchestan" (the name before the country)."""
    return split_compass(place)[1].split(",")[0].strip().casefold()


@lru_cache(maxsize=1)
def _admin_polygons() -> dict[str, BaseGeometry]:
    """Lower-case names (and alternate names) -> polygon, for countries and the shipped provinces."""
    from geo.boundaries.layers import load_layer

    polygons: dict[str, BaseGeometry] = {}
    for row in load_layer("countries_context").itertuples(index=False):
        for name in (row.name, row.name_long):
            if name:
                polygons.setdefault(str(name).casefold(), row.geometry)
    for row in load_layer("provinces").itertuples(index=False):
        names = [row.name, *str(row.name_alt or "").split("|")]
        for name in names:
            if name:
                polygons.setdefault(str(name).casefold(), row.geometry)
    return polygons


def admin_polygon(place: str) -> BaseGeometry | None:
    """The country or province polygon a place name names (before any comma), or None."""
    return _admin_polygons().get(_base_name(place))


def _polygon_of(place: str) -> BaseGeometry | None:
    """The admin polygon a name names, or the compass part of one ("northern Iraq"); the whole name
    is tried first, so a proper name that starts with a compass word stays whole."""
    whole = _admin_polygons().get(place.split(",")[0].strip().casefold())
    if whole is not None:
        return whole
    direction, rest = split_compass(place)
    polygon = admin_polygon(rest) if direction else None
    return compass_part(polygon, direction) if polygon is not None else None


def compass_part(geometry: BaseGeometry, direction: str) -> BaseGeometry:
    """The part of a polygon in one half (or quarter) of its bounding box: "north", "south-west"."""
    from shapely.geometry import box

    west, south, east, north = geometry.bounds
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    if "north" in direction:
        south = mid_y
    if "south" in direction:
        north = mid_y
    if "east" in direction:
        west = mid_x
    if "west" in direction:
        east = mid_x
    return geometry.intersection(box(west, south, east, north))


def circle(lat: float, lon: float, radius_km: float) -> BaseGeometry:
    """A geodesic circle (polygon in lon/lat) of radius_km around a point."""
    from shapely.geometry import Polygon

    azimuths = [360.0 * k / _CIRCLE_STEPS for k in range(_CIRCLE_STEPS)]
    lons, lats, _ = _WGS84.fwd([lon] * _CIRCLE_STEPS, [lat] * _CIRCLE_STEPS, azimuths,
                               [radius_km * 1000.0] * _CIRCLE_STEPS)
    return Polygon(zip(lons, lats, strict=True))


def place_area(place: str, precision: str, point: tuple[float, float] | None) -> BaseGeometry | None:
    """The area a place name at a precision stands for (module docstring); None for exact, or when
    there is neither a polygon nor a point."""
    if precision == "exact":
        return None
    if precision in POLYGON_PRECISIONS:
        polygon = _polygon_of(place)
        if polygon is not None:
            return polygon
    if point is None:
        return None
    return circle(point[0], point[1], RADIUS_KM.get(precision, RADIUS_KM["region"]))


def uncertainty_area(event: Placed) -> BaseGeometry | None:
    """Where the event may be, given how the reports place it: an admin polygon, a circle, or None
    (exact, or no coordinates)."""
    point = (event.lat, event.lon) if event.lat is not None and event.lon is not None else None
    return place_area(event.place, event.geo_precision, point)


def neutral_point(area: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of a spot inside the area that suggests no place in it (its representative point)."""
    spot = area.centroid if area.contains(area.centroid) else area.representative_point()
    return round(spot.y, 5), round(spot.x, 5)


def territory_edge(country: str, target: tuple[float, float]) -> tuple[float, float] | None:
    """(lat, lon) of the point on a country's outline nearest the target, or None if the name is no
    country or province the boundary layers hold."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    polygon = admin_polygon(country)
    if polygon is None:
        return None
    target_point = Point(target[1], target[0])
    edge = nearest_points(polygon.boundary, target_point)[0]
    return round(edge.y, 5), round(edge.x, 5)


def area_km2(area: BaseGeometry) -> float:
    """Geodesic area of a lon/lat polygon in square kilometres."""
    return abs(_WGS84.geometry_area_perimeter(area)[0]) / 1e6


def precision_label(precision: str) -> str:
    """"near the town (within about 25 km)" for "near town"; the precision itself if unknown."""
    return PRECISION_LABELS.get(precision, precision)
