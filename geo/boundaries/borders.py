"""Shared land borders between the countries of an incident, from the global Natural Earth layer.

`shared_borders(["IR", "PK", "AF"])` gives one row per pair of neighbours among those countries and status:

* `iso_a`, `iso_b` (ISO 3166-1 alpha-2, "" where Natural Earth has none), `adm0_a`, `adm0_b` (Natural
  Earth's alpha-3 unit codes, a before b alphabetically), `name` ("Iran–Pakistan border");
* `status`: "international", or "disputed" where Natural Earth marks it: a unit of TYPE Disputed or
  Indeterminate (Kosovo, Western Sahara, Israel/Palestine, ...), or the stretch beside an area that Natural
  Earth's default view draws as a disputed unit of its own (Siachen Glacier on the India–Pakistan line,
  Somaliland, Northern Cyprus);
* `length_km`: geodesic length on the WGS84 ellipsoid (pyproj Geod) of the full-detail 1:10m line, measured
  when the layer was derived (the committed geometry is simplified for the browser, so re-measuring it
  gives a little less);
* `geometry`: the line (LineString or MultiLineString), EPSG:4326.

Countries with no common land border (Iran and Oman) give no row. The layer is Natural Earth's German
point of view (see data/boundaries/PROVENANCE.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd

from geo.boundaries.layers import WGS84, load_layer
from geo.paths import BOUNDARIES_DIR

COLUMNS = ["iso_a", "iso_b", "adm0_a", "adm0_b", "name", "status", "length_km", "geometry"]


class UnknownCountryError(ValueError):
    """A country code that names no unit of the Natural Earth admin-0 layer."""


def shared_borders(country_codes: Iterable[str], directory: Path = BOUNDARIES_DIR) -> gpd.GeoDataFrame:
    """Every shared land border between two of these countries (ISO alpha-2 such as "PK", or Natural Earth
    alpha-3 such as "PAK"; case-insensitive). Raises UnknownCountryError naming any code it does not know."""
    units = _units(country_codes, directory)
    borders = load_layer("borders_world", directory)
    picked = borders[borders["adm0_a"].isin(units) & borders["adm0_b"].isin(units)]
    picked = picked.sort_values(["adm0_a", "adm0_b", "status"]).reset_index(drop=True)
    return gpd.GeoDataFrame(picked[COLUMNS].copy(), geometry="geometry", crs="EPSG:4326")


def countries_named(text: str, directory: Path = BOUNDARIES_DIR) -> tuple[str, ...]:
    """The Natural Earth units (alpha-3) whose name or long name the text contains as words, in the order
    they first appear ("Length of the Iran–Pakistan border" -> ("IRN", "PAK")); the longest name wins where
    names overlap ("Democratic Republic of the Congo" is not also "Congo")."""
    world = load_layer("countries_world", directory)
    names: dict[str, str] = {}
    for alpha3, *labels in zip(world["adm0_a3"], world["name"], world["name_long"], strict=True):
        for label in labels:
            if isinstance(label, str) and label.strip():
                names.setdefault(label.strip(), str(alpha3))
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?!\w)")
    found = [names[m.group(1)] for m in pattern.finditer(text)]
    return tuple(dict.fromkeys(found))


def border_length_km(borders: gpd.GeoDataFrame) -> float:
    """Total full-detail geodesic length of some rows of shared_borders, in km."""
    return float(borders["length_km"].sum())


def drawn_length_km(borders: gpd.GeoDataFrame) -> float:
    """Geodesic length of the simplified lines as drawn (a little under border_length_km)."""
    return sum(WGS84.geometry_length(geometry) for geometry in borders.geometry) / 1000.0


def country_units(country_codes: Iterable[str], directory: Path = BOUNDARIES_DIR) -> set[str]:
    """The Natural Earth admin-0 units (alpha-3) of these codes; UnknownCountryError naming any it does not know."""
    return _units(country_codes, directory)


def _units(country_codes: Iterable[str], directory: Path) -> set[str]:
    world = load_layer("countries_world", directory)
    by_alpha2: dict[str, set[str]] = {}
    for alpha2, alpha3 in zip(world["iso_a2"], world["adm0_a3"], strict=True):
        by_alpha2.setdefault(str(alpha2).upper(), set()).add(alpha3)
    alpha3s = set(world["adm0_a3"])
    units: set[str] = set()
    unknown = []
    for code in country_codes:
        wanted = code.strip().upper()
        if len(wanted) == 2 and wanted in by_alpha2 and wanted != "-99":
            units |= by_alpha2[wanted]
        elif len(wanted) == 3 and wanted in alpha3s:
            units.add(wanted)
        else:
            unknown.append(code)
    if unknown:
        raise UnknownCountryError(f"unknown country code(s): {', '.join(map(repr, unknown))} "
                                  "(use ISO 3166-1 alpha-2, e.g. PK, or Natural Earth alpha-3, e.g. PAK)")
    return units
