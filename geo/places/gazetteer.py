"""The offline gazetteer: GeoNames countries and places, Natural Earth provinces, curated seas and regions.

`load_gazetteer()` returns a `Gazetteer` whose name index is an Aho–Corasick automaton (pyahocorasick).
The first call builds it from the sources (see geo.places.build; a few seconds) and caches it under
.cache/; later calls load the cache (well under a second). The cache is keyed by the sources' sizes and
modification times (and those of the build code) and by INDEX_VERSION, so editing data/gazetteer/*.csv
rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
from geopy.distance import great_circle
from pyproj import Geod

from geo.paths import CACHE_DIR
from geo.places import build as gazetteer_build
from geo.places import text as gazetteer_text
from geo.places.build import COMMON_WORD, MATCH_CASE, PRIMARY, build_index_data, source_files
from geo.places.text import name_key

INDEX_VERSION = "3"
KINDS = ("country", "province", "city", "town", "sea", "region")
WGS84 = Geod(ellps="WGS84")
#: the code that builds the index is part of the cache key too
BUILD_CODE = (Path(gazetteer_build.__file__), Path(gazetteer_text.__file__))


@dataclass(frozen=True)
class PlaceRecord:
    """One gazetteer entry. `id` is stable across builds: country:IR, ne1:IRN-3247, gn:1159301, curated:red_sea."""

    id: str
    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    population: int
    source: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NameMatch:
    """A record that carries a given name, and how: its own name, an alternate, case-sensitive, common word."""

    record: PlaceRecord
    primary: bool
    match_case: bool
    common_word: bool
    key: str = ""  # the index key that matched (see name_key)


class Gazetteer:
    def __init__(self, data: dict[str, Any], automaton: ahocorasick.Automaton) -> None:
        self._records: list[tuple] = data["records"]
        self._aliases_by_id: dict[str, int] = data["aliases_by_id"]
        self._surfaces: dict[str, frozenset[str]] = data["surfaces"]
        self._capitals: frozenset[str] = data["capitals"]  # record ids
        self._offsets: list[int] = data["entry_offsets"].tolist()
        self._entries: np.ndarray = data["entries"]
        self._key_lengths: list[int] = data["key_lengths"].tolist()
        self.automaton = automaton  # key -> key id (STORE_INTS); entries and key lengths in numpy arrays

    def __len__(self) -> int:
        return len(self._records)

    @cached_property
    def _by_id(self) -> dict[str, int]:
        index = {record[0]: i for i, record in enumerate(self._records)}
        index.update(self._aliases_by_id)
        return index

    def record_at(self, index: int) -> PlaceRecord:
        return PlaceRecord(*self._records[index])

    def get(self, record_id: str) -> PlaceRecord | None:
        """A record by id (also accepts admin1:<ISO 3166-2 code>, e.g. admin1:IR-13)."""
        index = self._aliases_by_id.get(record_id)
        if index is None and record_id.startswith("gn:"):
            index = self._by_id.get(record_id)
        return None if index is None else self.record_at(index)

    def country(self, code: str) -> PlaceRecord | None:
        return self.get(f"country:{code.upper()}")

    @cached_property
    def _country_population(self) -> dict[str, int]:
        return {r[3]: r[6] for r in self._records[:400] if r[2] == "country"}

    def country_population(self, code: str) -> int:
        """GeoNames population of the country with this ISO code (0 if unknown)."""
        return self._country_population.get(code, 0)

    def is_capital(self, record_id: str) -> bool:
        return record_id in self._capitals

    def entries_for_key(self, key: str) -> list[tuple[int, int]]:
        """Raw (record index, flags) pairs for an index key (see name_key)."""
        key_id = self.automaton.get(key, -1)
        if key_id < 0:
            return []
        offsets = self._offsets
        return [(int(packed) >> 3, int(packed) & 7)
                for packed in self._entries[offsets[key_id]:offsets[key_id + 1]]]

    def find_keys(self, match_text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every index key occurring in match_text (see gazetteer_text.match_form)."""
        lengths = self._key_lengths
        for end_index, key_id in self.automaton.iter(match_text):
            yield end_index + 1 - lengths[key_id], end_index + 1

    def lookup(self, name: str, surface: str | None = None) -> list[NameMatch]:
        """Every record carrying this name (case-insensitive, except abbreviations such as US or UK).

        `surface` is the name as written, used for the case-sensitive entries (defaults to `name`).
        """
        key = name_key(name)
        written = " ".join((surface if surface is not None else name).split())
        matches = []
        for index, flags in self.entries_for_key(key):
            if flags & MATCH_CASE and written not in self._surfaces.get(key, ()):
                continue
            matches.append(NameMatch(self.record_at(index), bool(flags & PRIMARY), bool(flags & MATCH_CASE),
                                     bool(flags & COMMON_WORD), key))
        return matches

    def surface_allowed(self, key: str, surface: str) -> bool:
        return surface in self._surfaces.get(key, ())

    @cached_property
    def _coordinates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lat = np.array([r[4] for r in self._records], dtype=float)
        lon = np.array([r[5] for r in self._records], dtype=float)
        kinds = np.array([r[2] for r in self._records])
        return lat, lon, kinds

    def nearest(self, lat: float, lon: float, kinds: tuple[str, ...] = ("city", "town"),
                limit: int = 1) -> list[tuple[PlaceRecord, float]]:
        """The records of the given kinds nearest to (lat, lon), with geodesic (WGS84) distances in km."""
        lats, lons, record_kinds = self._coordinates
        mask = np.isin(record_kinds, list(kinds))
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        lats, lons = lats[candidates], lons[candidates]
        _, _, metres = WGS84.inv(np.full_like(lons, lon), np.full_like(lats, lat), lons, lats)
        distance = metres / 1000.0
        order = np.argsort(distance, kind="stable")[:limit]
        return [(self.record_at(int(candidates[i])), float(distance[i])) for i in order]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (geopy)."""
    return great_circle((lat1, lon1), (lat2, lon2)).km


def cache_path(cache_dir: Path = CACHE_DIR) -> Path:
    """The cache file for the current sources (their sizes and modification times) and INDEX_VERSION."""
    digest = hashlib.sha256(INDEX_VERSION.encode())
    for path in [*source_files(), *BUILD_CODE]:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return cache_dir / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def build_gazetteer() -> tuple[dict[str, Any], ahocorasick.Automaton]:
    """Records plus the name index: an Aho–Corasick automaton from key to key id, and for each key id its
    length and its (record index << 3 | flags) entries in flat numpy arrays (fast to pickle and load)."""
    data = build_index_data()
    names = data.pop("names")
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    offsets = [0]
    flat: list[int] = []
    lengths = []
    for key_id, key in enumerate(sorted(names)):
        automaton.add_word(key, key_id)
        flat.extend(index << 3 | flags for index, flags in names[key])
        offsets.append(len(flat))
        lengths.append(len(key))
    automaton.make_automaton()
    data["entry_offsets"] = np.array(offsets, dtype=np.int64)
    data["entries"] = np.array(flat, dtype=np.int64)
    data["key_lengths"] = np.array(lengths, dtype=np.int32)
    return data, automaton


_LOADED: dict[Path, Gazetteer] = {}


def load_gazetteer(cache_dir: Path = CACHE_DIR, rebuild: bool = False) -> Gazetteer:
    """The gazetteer, from the on-disk cache when it matches the sources, else built and cached."""
    path = cache_path(cache_dir)
    if not rebuild and path in _LOADED:
        return _LOADED[path]
    gazetteer = None if rebuild else _read_cache(path)
    if gazetteer is None:
        data, automaton = build_gazetteer()
        gazetteer = Gazetteer(data, automaton)
        _write_cache(path, data, automaton)
    _LOADED[path] = gazetteer
    return gazetteer


def _read_cache(path: Path) -> Gazetteer | None:
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            # our own cache file, written by _write_cache below from the package's data
            data, automaton = pickle.load(handle)  # noqa: S301
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return None
    return Gazetteer(data, automaton)


def _write_cache(path: Path, data: dict[str, Any], automaton: ahocorasick.Automaton) -> None:
    """Write atomically (several processes may build at once); a failed write only costs a rebuild."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump((data, automaton), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        return
