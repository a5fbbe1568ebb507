"""Boundary layers derived from Natural Earth 1:10m: content, the shared border, reproducibility."""

from __future__ import annotations

import json

import pytest
from geopy.distance import geodesic
from shapely.geometry import Point

from geo.boundaries import derive as derive_boundaries
from geo.boundaries.layers import border_length_km, load_layer
from geo.paths import BOUNDARIES_DIR

AFGHANISTAN_TRIPOINT = (29.85, 60.87)  # lat, lon: where Iran, Pakistan and Afghanistan meet
GWADAR_BAY = (25.17, 61.60)  # mouth of the Dasht river on Gwadar Bay


def test_region_layer_has_iran_pakistan_and_neighbours_inside_the_box():
    countries = load_layer("countries_region")
    codes = set(countries["adm0_a3"])
    assert {"IRN", "PAK", "AFG", "IRQ", "TUR", "TKM", "IND", "OMN", "ARE", "SAU"} <= codes
    minx, miny, maxx, maxy = countries.total_bounds
    assert minx >= 40 - 1e-9 and miny >= 15 - 1e-9
    assert maxx <= 80 + 1e-9 and maxy <= 42 + 1e-9


def test_context_layer_reaches_the_levant_and_red_sea():
    codes = set(load_layer("countries_context")["adm0_a3"])
    assert {"ISR", "LBN", "YEM", "SYR", "EGY"} <= codes


def test_border_provinces_are_sistan_and_baluchestan_and_balochistan():
    provinces = load_layer("provinces")
    assert sorted(provinces["iso_3166_2"]) == ["IR-13", "PK-BA"]
    assert set(provinces["adm0_a3"]) == {"IRN", "PAK"}
    saravan = Point(62.33, 27.37)
    assert provinces.loc[provinces["iso_3166_2"] == "IR-13"].contains(saravan).any()


def test_border_is_one_line_touching_both_countries():
    border = load_layer("border")
    assert len(border) == 1
    line = border.geometry.iloc[0]
    assert line.geom_type == "LineString"
    countries = load_layer("countries_region").set_index("adm0_a3")
    for code in ("IRN", "PAK"):
        polygon = countries.geometry[code]
        assert line.distance(polygon.boundary) < 1e-6
        assert line.buffer(1e-6).intersects(polygon)
        assert polygon.boundary.buffer(1e-5).contains(line)


def test_border_runs_from_afghanistan_tripoint_to_gwadar_bay():
    line = load_layer("border").geometry.iloc[0]
    start, end = line.coords[0], line.coords[-1]
    assert geodesic(AFGHANISTAN_TRIPOINT, (start[1], start[0])).km < 10
    assert geodesic(GWADAR_BAY, (end[1], end[0])).km < 10
    countries = load_layer("countries_region").set_index("adm0_a3").geometry
    assert countries["AFG"].distance(Point(start)) < 1e-6
    # The coast is where the two countries' union meets the sea: the inner border is not on it.
    coast = countries["IRN"].union(countries["PAK"]).boundary
    assert coast.distance(Point(end)) < 1e-6
    assert coast.distance(line.interpolate(0.5, normalized=True)) > 0.1


def test_border_geodesic_length_is_about_817_km():
    length = border_length_km()
    print(f"Iran–Pakistan border, Natural Earth 1:10m, geodesic: {length:.1f} km")
    assert 810 < length < 825


def test_committed_layers_are_what_the_derivation_gives(tmp_path):
    sources = derive_boundaries.default_sources()
    if not sources.admin1_json_tarball.exists():
        pytest.fail(f"{sources.admin1_json_tarball} missing: `make data-sources` fetches it")
    written = derive_boundaries.derive(tmp_path, sources)
    assert {p.name for p in written} == {p.name for p in BOUNDARIES_DIR.iterdir() if p.suffix in {".geojson", ".csv"}}
    for path in written:
        committed = BOUNDARIES_DIR / path.name
        if path.suffix == ".geojson":
            assert json.loads(path.read_text()) == json.loads(committed.read_text()), path.name
        else:
            assert path.read_text() == committed.read_text(), path.name


# --- shared borders for any incident (global layer) -----------------------------------------------------


@pytest.mark.parametrize(("codes", "name", "low_km", "high_km"), [
    (["IR", "PK"], "Iran–Pakistan border", 810, 825),
    (["IN", "PK"], "India–Pakistan border", 2600, 2800),
    (["am", "az"], "Armenia–Azerbaijan border", 700, 800),  # Armenia proper and Nakhchivan: two stretches
    (["TH", "KH"], "Cambodia–Thailand border", 600, 720),
    (["AFG", "PAK"], "Afghanistan–Pakistan border", 2150, 2350),
])
def test_shared_border_of_a_pair_with_its_geodesic_length(codes, name, low_km, high_km):
    from geo.boundaries.borders import border_length_km, drawn_length_km, shared_borders

    borders = shared_borders(codes)
    assert set(borders["name"]) == {name}
    assert low_km < border_length_km(borders) < high_km
    # the drawn (simplified) line is a little shorter than the full-detail one, never longer
    assert 0.97 * border_length_km(borders) < drawn_length_km(borders) <= border_length_km(borders) + 0.5


def test_shared_border_matches_the_regional_iran_pakistan_layer():
    from geo.boundaries.borders import shared_borders

    assert shared_borders(["IR", "PK"])["length_km"].sum() == pytest.approx(border_length_km(), abs=0.2)


def test_shared_borders_lie_on_both_countries_outlines():
    from geo.boundaries.borders import shared_borders

    world = load_layer("countries_world").set_index("adm0_a3").geometry
    for row in shared_borders(["IN", "PK", "AM", "AZ", "TH", "KH"]).itertuples():
        for code in (row.adm0_a, row.adm0_b):
            assert world[code].boundary.buffer(0.05).contains(row.geometry), (row.name, code)


def test_kashmir_stretch_by_siachen_is_marked_disputed():
    from geo.boundaries.borders import shared_borders

    india_pakistan = shared_borders(["IN", "PK"])
    assert set(india_pakistan["status"]) == {"disputed", "international"}
    disputed = india_pakistan[india_pakistan["status"] == "disputed"].geometry.iloc[0]
    assert disputed.centroid.y > 34.5  # in the north, by the Siachen Glacier, not on the Punjab plain
    assert set(shared_borders(["IR", "PK"])["status"]) == {"international"}
    assert set(shared_borders(["RS", "XK"])["status"]) == {"disputed"}  # Kosovo: a disputed unit


def test_every_pair_among_several_countries_and_none_without_a_land_border():
    from geo.boundaries.borders import shared_borders

    three = shared_borders(["IR", "PK", "AF"])
    assert set(zip(three["adm0_a"], three["adm0_b"], strict=True)) == {("AFG", "IRN"), ("AFG", "PAK"),
                                                                         ("IRN", "PAK")}
    assert shared_borders(["IR", "OM"]).empty  # across the Gulf of Oman: no land border
    assert list(shared_borders(["IR", "OM"]).columns) == list(three.columns)


def test_unknown_country_code_is_named():
    from geo.boundaries.borders import UnknownCountryError, shared_borders

    with pytest.raises(UnknownCountryError, match=r"'QQ'"):
        shared_borders(["IR", "QQ"])


def test_world_layer_covers_the_globe_and_stays_small():
    world = load_layer("countries_world")
    assert len(world) >= 240 and {"AUS", "BRA", "USA", "NZL"} <= set(world["adm0_a3"])
    for name in ("countries_world.geojson", "borders_world.geojson"):
        assert (BOUNDARIES_DIR / name).stat().st_size < 3_000_000
