"""The offline gazetteer: GeoNames countries, districts and places, Natural Earth provinces and borders,
curated seas, regions and named lines.

`load_gazetteer()` returns a `Gazetteer` over an on-disk index (geo.places.index): flat arrays that every
process memory-maps, so loading takes milliseconds and the pages are shared between processes. The first
call builds the index from the sources (see geo.places.build; it prints its progress on stderr) into
.cache/gazetteer-<digest>/. The digest covers the sources' sizes and modification times, the build code and
FORMAT_VERSION, so editing data/gazetteer/*.csv rebuilds it; an index folder that is truncated, corrupt
(checksums) or from another version is rebuilt too, with a line saying why, never a traceback.

Names are found in text word by word (`find_names`): a candidate starts at a capitalised word (or a word
that starts a lower-case multi-word name, "middle east") and grows while some index key still starts that
way; every prefix and key lookup is a binary search over 64-bit hashes, batched per round with numpy, and
each candidate word's class (key, prefix, neither) is remembered per process, so the cost is linear in the
length of the text and a name seen before costs a dict lookup.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from geopy.distance import EARTH_RADIUS as EARTH_RADIUS_KM
from pyproj import Geod

from geo.paths import CACHE_DIR, ROOT
from geo.places import build as gazetteer_build
from geo.places import index as gazetteer_index
from geo.places import text as gazetteer_text
from geo.places.build import COMMON_WORD, MATCH_CASE, PRIMARY, VARIANT, build_index_data, source_files
from geo.places.index import FLAG_BITS, FORMAT_VERSION, KINDS, Index, IndexError_, key_hash, open_index, write_index
from geo.places.text import fold_text, match_form, name_key, skeleton

INDEX_VERSION = str(FORMAT_VERSION)
WGS84 = Geod(ellps="WGS84")
#: the code that builds the index is part of the cache key too
BUILD_CODE = (Path(gazetteer_build.__file__), Path(gazetteer_text.__file__), Path(gazetteer_index.__file__))
MAX_NAME_TOKENS = 12
LOOKUP_MEMO = 100_000  # names remembered per process (a few MB at most)
CLASS_MEMO = 200_000  # candidate words classified per process (key, prefix of a key, neither)
_TOKEN = re.compile(r"\w+|[^\w\s]")
_CAPITAL_START = re.compile(r"(?<!\w)(?:[A-Z]|[^\x00-\x7f])")  # then checked with str.isupper
_FLAG_MASK = (1 << FLAG_BITS) - 1
__all__ = ["KINDS", "Gazetteer", "NameMatch", "PlaceRecord", "distance_km", "load_gazetteer"]


@dataclass(frozen=True)
class PlaceRecord:
    """One gazetteer entry. `id` is stable across builds: country:IR, ne1:IRN-3247, gn:1159301, curated:red_sea,
    adm2:1172574 (a district), border:AF-PK, line:durand_line. A border's lat/lon is the middle of its line."""

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
    """A record that carries a given name, and how: its own name, an alternate, case-sensitive, common word,
    or only a looser spelling of one of its names (variant)."""

    record: PlaceRecord
    primary: bool
    match_case: bool
    common_word: bool
    key: str = ""  # the index key that matched (see name_key)
    variant: bool = False


class Gazetteer:
    def __init__(self, index: Index) -> None:
        self.index = index
        meta = index.meta
        self._ids: dict[str, int] = meta["ids"]  # countries, provinces by ISO code, curated places
        self._surfaces: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in meta["surfaces"].items()}
        self._capitals: frozenset[str] = frozenset(meta["capitals"])
        self._countries: list[str] = meta["countries"]
        self._sources: list[str] = meta["sources"]
        self.lower_starts: frozenset[str] = frozenset(meta["lower_starts"])
        self._cache: dict[int, PlaceRecord] = {}
        self._lookups: dict[tuple[str, str | None], tuple[NameMatch, ...]] = {}
        self._classes: dict[str, tuple[bool, bool]] = {}
        self._entries: dict[str, tuple[tuple[int, int], ...]] = {}

    def __len__(self) -> int:
        return int(self.index.meta["records"])

    def record_at(self, index: int) -> PlaceRecord:
        record = self._cache.get(index)
        if record is None:
            a = self.index.arrays
            record = PlaceRecord(
                self.index.string("ids", index), self.index.string("names", index), KINDS[int(a["kind"][index])],
                self._countries[int(a["country"][index])], float(a["lat"][index]), float(a["lon"][index]),
                int(a["population"][index]), self._sources[int(a["source"][index])],
            )
            self._cache[index] = record
        return record

    def get(self, record_id: str) -> PlaceRecord | None:
        """A record by id (also accepts admin1:<ISO 3166-2 code>, e.g. admin1:IR-13)."""
        index = self._ids.get(record_id)
        if index is None and not record_id.startswith("gn:"):
            index = self.index.table("aliases_by_id").get(record_id)
        if index is None and record_id.startswith("gn:") and record_id[3:].isdigit():
            index = self._geonames_index(int(record_id[3:]))
        return None if index is None else self.record_at(index)

    def _geonames_index(self, geonameid: int) -> int | None:
        ids = self.index.arrays["gn_id"]
        found = np.flatnonzero(ids == geonameid)
        return int(found[0]) if len(found) else None

    def country(self, code: str) -> PlaceRecord | None:
        return self.get(f"country:{code.upper()}")

    @cached_property
    def _country_population(self) -> dict[str, int]:
        return {r.country_code: r.population for r in (self.record_at(i) for i in range(min(400, len(self))))
                if r.kind == "country"}

    def country_population(self, code: str) -> int:
        """GeoNames population of the country with this ISO code (0 if unknown)."""
        return self._country_population.get(code, 0)

    def is_capital(self, record_id: str) -> bool:
        return record_id in self._capitals

    def geometry(self, record_id: str) -> dict[str, Any] | None:
        """The GeoJSON line geometry of a border or named line (None for point places)."""
        geometry: dict[str, Any] | None = self.index.table("geometries").get(record_id)
        return geometry

    def entries_for_key(self, key: str) -> list[tuple[int, int]]:
        """Raw (record index, flags) pairs for an index key (see name_key)."""
        known = self._entries.get(key)
        if known is None:
            (entries,) = self.index.entries([key_hash(key)])
            known = tuple((int(packed) >> FLAG_BITS, int(packed) & _FLAG_MASK) for packed in entries.tolist())
            if len(self._entries) > LOOKUP_MEMO:
                self._entries.clear()
            self._entries[key] = known
        return list(known)

    def find_names(self, text: str, low: str | None = None) -> list[tuple[int, int, str]]:
        """(start, end, key) of every index key in text that starts a name (see the module docstring).
        low: match_form(text), when the caller has it already."""
        folded = fold_text(low if low is not None else match_form(text))
        active = [(start, _token_end(folded, start)) for start in self._starts(text, folded)]
        found = []
        for _ in range(MAX_NAME_TOKENS):
            if not active:
                break
            keys = [folded[start:end] for start, end in active]
            classes = self._key_classes(keys)
            grown = []
            for (start, end), key in zip(active, keys, strict=True):
                is_key, grows = classes[key]
                if is_key:
                    found.append((start, end, key))
                if grows:
                    following = _next_token_end(folded, end)
                    if following:
                        grown.append((start, following))
            active = grown
        return found

    def _key_classes(self, keys: list[str]) -> dict[str, tuple[bool, bool]]:
        """(is an index key, may grow into one) for each candidate, in its exact or looser spelling. Names
        recur from text to text, so each is classified once per process: the rest are one batched binary
        search over the hashes."""
        memo = self._classes
        unknown = [key for key in dict.fromkeys(keys) if key not in memo]
        if unknown:
            if len(memo) + len(unknown) > CLASS_MEMO:
                memo.clear()
                unknown = list(dict.fromkeys(keys))
            hashes = [key_hash(k) for k in unknown] + [key_hash(_loose(k)) for k in unknown]
            is_key, is_prefix = self.index.classify(hashes)
            n = len(unknown)
            key_flags = (is_key[:n] | is_key[n:]).tolist()
            prefix_flags = (is_prefix[:n] | is_prefix[n:]).tolist()
            for key, exact, prefix in zip(unknown, key_flags, prefix_flags, strict=True):
                memo[key] = (exact, exact or prefix)
        return memo

    def _starts(self, text: str, folded: str) -> list[int]:
        """Where a name may start: a capitalised word, or a word that starts a lower-case name."""
        starts = {m.start() for m in _CAPITAL_START.finditer(text) if text[m.start()].isupper()}
        starts.update(m.start() for m in self._lower_start_pattern.finditer(folded))
        return sorted(starts)

    @cached_property
    def _lower_start_pattern(self) -> re.Pattern[str]:
        """The words in lower_starts as whole words, as a trie-shaped regex (fails at the first letter that
        no word continues with, where a flat alternation would try every word at every position)."""
        return re.compile(r"(?<!\w)" + _trie_pattern(self.lower_starts) + r"(?!\w)")

    def lookup(self, name: str, surface: str | None = None) -> list[NameMatch]:
        """Every record carrying this name (case-insensitive, except abbreviations such as US or UK), or when
        none does exactly, a looser spelling of it (see geo.places.text.skeleton).

        `surface` is the name as written, used for the case-sensitive entries (defaults to `name`).
        """
        memo_key = (name, surface)
        cached = self._lookups.get(memo_key)
        if cached is not None:
            return list(cached)
        key = name_key(name)
        written = " ".join((surface if surface is not None else name).split())
        matches = self._matches(key, written, loose=False)
        if not matches:
            matches = self._matches(skeleton(key), written, loose=True)
        if len(self._lookups) > LOOKUP_MEMO:
            self._lookups.clear()
        self._lookups[memo_key] = tuple(matches)
        return matches

    def _matches(self, key: str, written: str, loose: bool) -> list[NameMatch]:
        matches = []
        for index, flags in self.entries_for_key(key):
            if flags & MATCH_CASE and written not in self._surfaces.get(key, ()):
                continue
            if not loose and flags & VARIANT:
                continue
            matches.append(NameMatch(self.record_at(index), bool(flags & PRIMARY) and not loose,
                                     bool(flags & MATCH_CASE), bool(flags & COMMON_WORD), key, loose))
        return matches

    def surface_allowed(self, key: str, surface: str) -> bool:
        return surface in self._surfaces.get(key, ())

    def nearest(self, lat: float, lon: float, kinds: tuple[str, ...] = ("city", "town"),
                limit: int = 1) -> list[tuple[PlaceRecord, float]]:
        """The records of the given kinds nearest to (lat, lon), with geodesic (WGS84) distances in km."""
        arrays = self.index.arrays
        codes = [KINDS.index(k) for k in kinds if k in KINDS]
        candidates = np.flatnonzero(np.isin(arrays["kind"], codes))
        if not len(candidates):
            return []
        lats, lons = np.asarray(arrays["lat"][candidates]), np.asarray(arrays["lon"][candidates])
        # a cheap planar pre-selection, then geodesic distances for the closest few hundred
        rough = (lats - lat) ** 2 + ((lons - lon + 180.0) % 360.0 - 180.0) ** 2 * np.cos(np.radians(lat)) ** 2
        keep = np.argsort(rough, kind="stable")[: max(limit * 50, 500)]
        candidates, lats, lons = candidates[keep], lats[keep], lons[keep]
        _, _, metres = WGS84.inv(np.full_like(lons, lon), np.full_like(lats, lat), lons, lats)
        distance = metres / 1000.0
        order = np.argsort(distance, kind="stable")[:limit]
        return [(self.record_at(int(candidates[i])), float(distance[i])) for i in order]


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _loose(key: str) -> str:
    """The skeleton of a candidate, or itself for a possessive ("mali's" is Mali, not Malis)."""
    if key.endswith(("'", "'s", "-")):
        return key
    return skeleton(key)


def _token_end(folded: str, start: int) -> int:
    found = _TOKEN.match(folded, start)
    return found.end() if found else start + 1


def _next_token_end(folded: str, end: int) -> int:
    """End of the token after the one ending at end, when nothing or exactly one space separates them
    (0 when there is none)."""
    position = end + 1 if end < len(folded) and folded[end] == " " else end
    found = _TOKEN.match(folded, position)
    return found.end() if found else 0


@lru_cache(maxsize=1 << 16)
def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km: geopy's great_circle formula and radius, written out (a geopy Point per
    call cost more than the ranking that asks; remembered, as ranking asks for the same pairs again)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    sin1, cos1, sin2, cos2 = math.sin(phi1), math.cos(phi1), math.sin(phi2), math.cos(phi2)
    delta = math.radians(lon2) - math.radians(lon1)
    cos_delta, sin_delta = math.cos(delta), math.sin(delta)
    central = math.atan2(math.sqrt((cos2 * sin_delta) ** 2 + (cos1 * sin2 - sin1 * cos2 * cos_delta) ** 2),
                         sin1 * sin2 + cos1 * cos2 * cos_delta)
    return EARTH_RADIUS_KM * central


def source_digest() -> str:
    """What the index is built from: FORMAT_VERSION, the build code and the project's own data files by
    content (so worktrees and fresh checkouts with the same files share one index), the installed
    packages' large data files by size and modification time."""
    digest = hashlib.sha256(INDEX_VERSION.encode())
    for path in [*source_files(), *BUILD_CODE]:
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv"):
            digest.update(f"{path.name}:".encode() + hashlib.sha256(path.read_bytes()).digest())
        else:
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cache_path(cache_dir: Path = CACHE_DIR) -> Path:
    """The index folder for the current sources (see source_digest)."""
    return cache_dir / f"gazetteer-{source_digest()}"


def _stderr(message: str) -> None:
    print(f"gazetteer: {message}", file=sys.stderr, flush=True)


def build_gazetteer(folder: Path, progress: Callable[[str], None] = _stderr) -> None:
    """Build the index from the sources into folder (atomically; see geo.places.index.write_index)."""
    started = time.perf_counter()
    progress(f"building the place-name index in {folder} (first use, or its sources changed)")
    data = build_index_data(progress)
    data.meta["digest"] = folder.name.removeprefix("gazetteer-")
    write_index(data, folder, progress)
    progress(f"index built: {len(data.records):,} places, {len(data.names):,} names "
             f"in {time.perf_counter() - started:.1f} s")


_LOADED: dict[Path, Gazetteer] = {}


def load_gazetteer(cache_dir: Path = CACHE_DIR, rebuild: bool = False,
                   progress: Callable[[str], None] = _stderr) -> Gazetteer:
    """The gazetteer from its index folder; built first when missing, stale or damaged (said on stderr)."""
    folder = cache_path(cache_dir)
    if not rebuild and folder in _LOADED:
        return _LOADED[folder]
    digest = folder.name.removeprefix("gazetteer-")
    index = None
    if not rebuild:
        try:
            index = open_index(folder, digest)
        except IndexError_ as exc:
            if folder.exists():
                progress(f"index cannot be used ({exc}); rebuilding")
                _discard(folder)
    if index is None:
        if rebuild:
            _discard(folder)
        build_gazetteer(folder, progress)
        index = open_index(folder, digest, verify=False)
    gazetteer = Gazetteer(index)
    _LOADED[folder] = gazetteer
    return gazetteer


def _discard(folder: Path) -> None:
    """Move a bad index folder aside (readers that still map it keep their pages) and delete it."""
    import shutil

    if not folder.exists():
        return
    aside = folder.with_name(f".{folder.name}-discarded-{time.time_ns()}")
    try:
        folder.rename(aside)
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)
