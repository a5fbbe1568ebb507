"""Location precision as an area (geo.events.precision): polygons for admin units and compass parts,
geodesic circles whose radius says how well the text places an event, arrows from a territory's edge."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pyproj import Geod
from shapely.geometry import Point

from geo.events.precision import (
    RADIUS_KM,
    admin_polygon,
    area_km2,
    circle,
    compass_part,
    neutral_point,
    place_area,
    precision_label,
    split_compass,
    territory_edge,
    uncertainty_area,
)


@dataclass
class Placed:
    place: str
    geo_precision: str
    lat: float | None
    lon: float | None


def test_compass_words_split_off_but_proper_names_stay_whole():
    assert split_compass("northern Iraq") == ("north", "Iraq")
    assert split_compass("south-eastern Iran") == ("south-east", "Iran")
    assert split_compass("Northwestern Syria") == ("north-west", "Syria")
    assert split_compass("North Waziristan") == ("", "North Waziristan")
    assert split_compass("Saravan, Iran") == ("", "Saravan, Iran")


def test_exact_has_no_area_and_a_town_is_a_small_circle():
    assert uncertainty_area(Placed("Saravan, Iran", "exact", 27.37, 62.33)) is None
    town = uncertainty_area(Placed("Saravan, Iran", "town", 27.37, 62.33))
    near = uncertainty_area(Placed("Saravan, Iran", "near town", 27.37, 62.33))
    assert town.contains(Point(62.33, 27.37)) and near.contains(town)
    assert area_km2(near) > area_km2(town) > 0


def test_a_circle_is_geodesic_with_the_precisions_radius():
    ring = circle(27.37, 62.33, RADIUS_KM["near town"])
    geod = Geod(ellps="WGS84")
    for lon, lat in list(ring.exterior.coords)[:-1:9]:
        distance = geod.inv(62.33, 27.37, lon, lat)[2] / 1000
        assert distance == pytest.approx(RADIUS_KM["near town"], rel=1e-6)


def test_province_and_country_precision_are_the_admin_polygons():
    province = uncertainty_area(Placed("Balochistan, Pakistan", "province", None, None))
    assert province is not None and province.equals(admin_polygon("Baluchistan"))
    assert 330_000 < area_km2(province) < 370_000  # Balochistan is about 347,000 km²
    country = uncertainty_area(Placed("Iraq", "country", 33.0, 43.7))
    assert 400_000 < area_km2(country) < 460_000  # Iraq is about 438,000 km²


def test_a_compass_part_is_that_half_of_the_place():
    iraq = admin_polygon("Iraq")
    north = place_area("northern Iraq", "region", None)
    assert north.equals(compass_part(iraq, "north"))
    assert north.within(iraq.buffer(1e-9)) and 0.3 < north.area / iraq.area < 0.7
    assert north.bounds[1] == pytest.approx((iraq.bounds[1] + iraq.bounds[3]) / 2)
    lebanon = place_area("southern Lebanon", "region", None)
    assert lebanon.bounds[3] < admin_polygon("Lebanon").bounds[3]


def test_a_place_without_a_polygon_falls_back_to_a_circle_and_without_a_point_to_nothing():
    gaza = uncertainty_area(Placed("Gaza Strip", "region", 31.43, 34.37))
    assert gaza.contains(Point(34.37, 31.43))
    assert uncertainty_area(Placed("Atlantis", "country", None, None)) is None


def test_the_neutral_point_is_inside_the_area():
    for area in (admin_polygon("Iraq"), place_area("southern Lebanon", "region", None),
                 admin_polygon("Sistan and Baluchestan")):
        lat, lon = neutral_point(area)
        assert area.buffer(1e-6).contains(Point(lon, lat))


def test_an_arrow_starts_on_the_actors_border_nearest_the_target():
    lat, lon = territory_edge("Pakistan", (27.37, 62.33))  # Saravan, in Iran
    assert admin_polygon("Pakistan").boundary.distance(Point(lon, lat)) < 1e-6
    assert Geod(ellps="WGS84").inv(lon, lat, 62.33, 27.37)[2] < 80_000  # Saravan is near the border
    assert territory_edge("Atlantis", (27.0, 62.0)) is None


def test_precision_labels_say_how_far():
    assert precision_label("near town") == "near the town (within about 25 km)"
    assert precision_label("country") == "somewhere in the country"
    assert precision_label("street") == "street"
