"""The context layer's admin areas matched to Natural Earth admin-1 polygons of any country, for the choropleth.

Sources name areas their own way ('Sistan and Baluchestan', 'Balochistan province', 'Khyber Pakhtunkhwa');
a name is matched with Natural Earth's name and alternate names (data/boundaries/provinces_world.geojson),
within the event's country when the source gives one that Natural Earth knows, else across the world when
only one polygon carries that name. Everything that finds no polygon is returned with the reason, so a page
lists it rather than dropping it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy import func, literal_column, select

from geo.boundaries.layers import load_layer
from geo.context.query import ContextFilter, fatalities_column, filtered
from geo.store.engine import Store
from geo.store.models import Event

NOT_GIVEN = "(not given)"
_GENERIC = {"province", "ostan", "state", "region", "division", "governorate", "oblast", "department",
            "district", "prefecture", "territory", "county", "of"}


def normal(name: str) -> str:
    """A name reduced for matching: no accents, case, hyphens or generic words ('Balochistan Province')."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = plain.lower().replace("-", " ").replace("'", "").split()
    return " ".join(w for w in words if w not in _GENERIC)


def per_area(store: Store, incident: int, flt: ContextFilter) -> pd.DataFrame:
    """country, admin1, events, fatalities (the low bound) per area the sources name, most first."""
    area = func.coalesce(func.nullif(Event.admin1, ""), literal_column(f"'{NOT_GIVEN}'")).label("admin1")
    country = func.coalesce(Event.extra["country"].as_string(), literal_column("''")).label("country")
    query = filtered(select(country, area, func.count().label("events"),
                            func.sum(fatalities_column()).label("fatalities")), incident, flt)
    with store.read() as session:
        rows = session.execute(query.group_by(country, area).order_by(func.count().desc())).all()
    return pd.DataFrame.from_records(rows, columns=["country", "admin1", "events", "fatalities"])


def per_admin1(per_area_frame: pd.DataFrame) -> pd.DataFrame:
    """per_area summed over countries: admin1, events, fatalities, most first; what analysis.per_admin
    gives, without a second scan of the layer (every filtered event is in exactly one per_area row)."""
    grouped = per_area_frame.groupby("admin1", as_index=False, sort=False)[["events", "fatalities"]].sum()
    return grouped.sort_values("events", ascending=False, kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class _Index:
    by_country: dict[tuple[str, str], list[int]]
    by_name: dict[str, list[int]]
    countries: frozenset[str]


def world_provinces() -> gpd.GeoDataFrame:
    """Every admin-1 polygon of the world (load_layer keeps it once per process; read-only)."""
    return load_layer("provinces_world")


def _index(provinces: gpd.GeoDataFrame) -> _Index:
    by_country: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    countries = set()
    for i, row in enumerate(provinces[["name", "name_alt", "admin"]].itertuples(index=False)):
        country = normal(str(row.admin or ""))
        countries.add(country)
        for key in {normal(n) for n in [str(row.name or ""), *str(row.name_alt or "").split("|")] if n.strip()}:
            by_country[(country, key)].append(i)
            by_name[key].append(i)
    return _Index(dict(by_country), dict(by_name), frozenset(countries))


@lru_cache(maxsize=1)
def _world_index() -> _Index:
    return _index(world_provinces())


def _find(index: _Index, country: str, admin1: str) -> tuple[list[int], str]:
    """(polygon rows, '') or ([], why not)."""
    if admin1 == NOT_GIVEN:
        return [], "no admin area given"
    key, land = normal(admin1), normal(country)
    if land in index.countries:
        found = index.by_country.get((land, key), [])
        return (found, "") if len(found) == 1 else ([], f"{len(found)} polygons of that name in {country}"
                                                    if found else f"no polygon of that name in {country}")
    found = index.by_name.get(key, [])
    if len(found) == 1:
        return found, ""
    return [], (f"{len(found)} countries have an area of that name" if found else "no polygon of that name")


def match_areas(per_area_frame: pd.DataFrame, provinces: gpd.GeoDataFrame | None = None
                ) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The polygons that hold events, with `events` and `fatalities` summed (several source names may fall
    in one polygon), and the rows of per_area_frame that found none, with a `reason` column."""
    provinces = world_provinces() if provinces is None else provinces
    index = _world_index() if provinces is world_provinces() else _index(provinces)
    events: dict[int, int] = defaultdict(int)
    deaths: dict[int, int] = defaultdict(int)
    unmatched: list[dict[str, Any]] = []
    for row in per_area_frame.to_dict("records"):
        found, why = _find(index, str(row["country"] or ""), str(row["admin1"]))
        if not found:
            unmatched.append({"country": row["country"], "admin1": row["admin1"], "events": int(row["events"]),
                              "reason": why})
            continue
        events[found[0]] += int(row["events"])
        deaths[found[0]] += int(row["fatalities"] or 0)
    rows = sorted(events)
    shaded = provinces.iloc[rows].copy()
    shaded["events"] = [events[i] for i in rows]
    shaded["fatalities"] = [deaths[i] for i in rows]
    return shaded.reset_index(drop=True), pd.DataFrame(unmatched, columns=["country", "admin1", "events", "reason"])
