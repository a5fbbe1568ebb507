"""The gazetteer's on-disk index: flat arrays in a folder, memory-mapped by every process that reads it.

Layout of one index folder (written once by `write_index`, never modified; a new build writes a new folder):

* `key_hash.npy` (uint64, sorted) and `key_offsets.npy` (int64, one more than keys): the 64-bit hash of
  every name key and where its entries start in `entries.npy` (int64: record index << FLAG_BITS | flags);
* `prefix_hash.npy` (uint64, sorted): hashes of every token prefix of every key ("sistan", "sistan and"),
  so that the matcher extends a candidate name word by word only while some key still starts that way;
* records as columns: `lat.npy`, `lon.npy` (float64), `population.npy` (int64), `kind.npy` (uint8 into
  KINDS), `country.npy` (uint16 into meta "countries"), `source.npy` (uint8 into meta "sources"),
  `names.bin` + `name_offsets.npy` and `ids.bin` + `id_offsets.npy` (UTF-8 strings);
* `meta.json`: format version, source digest, counts, small tables (aliases by id, match-case spellings,
  capitals, line geometries, lower-case name starts) and a CRC-32 and size for every other file.

`open_index` checks the version, the sizes and the checksums before trusting a folder, so a truncated,
corrupt or stale index is rebuilt instead of crashing the reader. The arrays are memory-mapped read-only:
pages are shared between processes (each Streamlit server, each CLI call) through the page cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT_VERSION = 5
FLAG_BITS = 4  # entries pack (record index << FLAG_BITS | flags); the flags are defined in geo.places.build
KINDS = ("country", "province", "district", "city", "town", "sea", "region", "border")
ARRAYS = ("key_hash", "key_offsets", "entries", "prefix_hash", "lat", "lon", "population", "kind", "country",
          "source", "name_offsets", "id_offsets", "gn_id")
BLOBS = ("names", "ids")
#: larger tables read only when first needed (record ids of non-GeoNames places, line geometries)
LAZY = ("aliases_by_id", "geometries")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_CHUNK = 1 << 20


class IndexError_(Exception):
    """An index folder that cannot be trusted (missing, truncated, corrupt or from another version)."""


def key_hash(key: str) -> int:
    """Stable 64-bit hash of a name key (the same in every process, unlike hash())."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def token_prefixes(key: str) -> list[str]:
    """Every prefix of key that ends at a token end, shortest first, without the key itself."""
    ends = [m.end() for m in _TOKEN.finditer(key)]
    return [key[:end] for end in ends[:-1]]


@dataclass
class IndexData:
    """What `write_index` stores; built by geo.places.build."""

    records: list[tuple[str, str, str, str, float, float, int, str]]
    names: dict[str, tuple[tuple[int, int], ...]]  # key -> (record index, flags)
    meta: dict[str, Any]


def write_index(data: IndexData, folder: Path, progress: Callable[[str], None] = lambda _: None) -> None:
    """Write the index atomically: into a temporary folder, then renamed into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        arrays, blobs, meta = _columns(data, progress)
        files = {}
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
            files[f"{name}.npy"] = _checksum(tmp / f"{name}.npy")
        for name, blob in blobs.items():
            (tmp / f"{name}.bin").write_bytes(blob)
            files[f"{name}.bin"] = _checksum(tmp / f"{name}.bin")
        for name in LAZY:
            (tmp / f"{name}.json").write_text(json.dumps(meta.pop(name, {}), ensure_ascii=False), encoding="utf-8")
            files[f"{name}.json"] = _checksum(tmp / f"{name}.json")
        meta.update(format=FORMAT_VERSION, files=files)
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if folder.exists():  # another process finished first: theirs is as good as ours
            shutil.rmtree(tmp, ignore_errors=True)
            return
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _columns(data: IndexData, progress: Callable[[str], None]) -> tuple[dict, dict, dict]:
    records = data.records
    countries = sorted({r[3] for r in records})
    sources = sorted({r[7] for r in records})
    country_index = {c: i for i, c in enumerate(countries)}
    source_index = {s: i for i, s in enumerate(sources)}
    kind_index = {k: i for i, k in enumerate(KINDS)}
    progress(f"writing {len(records):,} records")
    arrays: dict[str, np.ndarray] = {
        "lat": np.array([r[4] for r in records], dtype=np.float64),
        "lon": np.array([r[5] for r in records], dtype=np.float64),
        "population": np.array([r[6] for r in records], dtype=np.int64),
        "kind": np.array([kind_index[r[2]] for r in records], dtype=np.uint8),
        "country": np.array([country_index[r[3]] for r in records], dtype=np.uint16),
        "source": np.array([source_index[r[7]] for r in records], dtype=np.uint8),
        "gn_id": np.array([int(r[0][3:]) if r[0].startswith("gn:") else -1 for r in records], dtype=np.int64),
    }
    blobs = {}
    for column, position in (("names", 1), ("ids", 0)):
        encoded = [str(r[position]).encode("utf-8") for r in records]
        arrays[f"{column[:-1]}_offsets"] = np.concatenate(([0], np.cumsum([len(e) for e in encoded]))).astype(np.int64)
        blobs[column] = b"".join(encoded)
    progress(f"hashing {len(data.names):,} name keys")
    keys = sorted(data.names)
    hashes = np.array([key_hash(k) for k in keys], dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    hashes = hashes[order]
    if len(hashes) > 1 and bool((hashes[1:] == hashes[:-1]).any()):
        raise ValueError("two name keys share a 64-bit hash; change the hash")
    counts = np.array([len(data.names[keys[i]]) for i in order], dtype=np.int64)
    arrays["key_hash"] = hashes
    arrays["key_offsets"] = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    arrays["entries"] = np.array([index << FLAG_BITS | flags for i in order for index, flags in data.names[keys[i]]],
                                 dtype=np.int64)
    progress("hashing name prefixes")
    prefixes = {p for key in keys for p in token_prefixes(key)}
    arrays["prefix_hash"] = np.unique(np.array([key_hash(p) for p in prefixes], dtype=np.uint64))
    meta = dict(data.meta, countries=countries, sources=sources, records=len(records), keys=len(keys))
    return arrays, blobs, meta


def _checksum(path: Path) -> list[int]:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return [path.stat().st_size, crc]


class Index:
    """A read-only, memory-mapped index folder (see the module docstring)."""

    def __init__(self, folder: Path, meta: dict[str, Any]) -> None:
        self.folder = folder
        self.meta = meta
        self._tables: dict[str, Any] = {}
        self.arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in ARRAYS}
        self.blobs = {name: np.memmap(folder / f"{name}.bin", dtype=np.uint8, mode="r")
                      if (folder / f"{name}.bin").stat().st_size else np.zeros(0, dtype=np.uint8)
                      for name in BLOBS}
        self._check_shapes()

    def _check_shapes(self) -> None:
        a = self.arrays
        n = self.meta["records"]
        for name in ("lat", "lon", "population", "kind", "country", "source", "gn_id"):
            if a[name].shape != (n,):
                raise IndexError_(f"{name}.npy has {a[name].shape}, expected ({n},)")
        if a["key_hash"].shape != (self.meta["keys"],) or a["key_offsets"].shape != (self.meta["keys"] + 1,):
            raise IndexError_("key arrays do not match the key count")
        if int(a["key_offsets"][-1]) != a["entries"].shape[0]:
            raise IndexError_("entries do not match the key offsets")
        for blob, offsets in (("names", "name_offsets"), ("ids", "id_offsets")):
            if int(a[offsets][-1]) != self.blobs[blob].shape[0]:
                raise IndexError_(f"{blob}.bin does not match {offsets}.npy")

    def table(self, name: str) -> Any:
        """One of the LAZY tables, read on first use."""
        if name not in self._tables:
            try:
                self._tables[name] = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise IndexError_(f"{self.folder / name}.json: {exc}") from exc
        return self._tables[name]

    def string(self, blob: str, index: int) -> str:
        offsets = self.arrays["name_offsets" if blob == "names" else "id_offsets"]
        return bytes(self.blobs[blob][int(offsets[index]):int(offsets[index + 1])]).decode("utf-8")

    def entries(self, hashes: Iterable[int]) -> list[np.ndarray]:
        """For each hash, its (record << FLAG_BITS | flags) entries (empty when it is not a key)."""
        wanted = np.fromiter(hashes, dtype=np.uint64)
        table = self.arrays["key_hash"]
        slots = np.searchsorted(table, wanted)
        slots = np.minimum(slots, len(table) - 1)
        found = table[slots] == wanted
        offsets = self.arrays["key_offsets"]
        entries = self.arrays["entries"]
        empty = np.zeros(0, dtype=np.int64)
        return [entries[offsets[s]:offsets[s + 1]] if f else empty for s, f in zip(slots.tolist(), found.tolist(),
                                                                                     strict=True)]

    def classify(self, hashes: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(is a key, is a proper prefix of some key) for each hash, in one vectorised pass."""
        wanted = np.array(hashes, dtype=np.uint64)
        return _member(self.arrays["key_hash"], wanted), _member(self.arrays["prefix_hash"], wanted)


def _member(table: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    if not len(table):
        return np.zeros(len(wanted), dtype=bool)
    slots = np.minimum(np.searchsorted(table, wanted), len(table) - 1)
    return np.asarray(table[slots] == wanted)


VERIFIED = "verified.json"  # sizes and modification times of the files when their checksums last passed


def _verified_before(folder: Path, stats: dict[str, list[int]]) -> bool:
    """The files are exactly as when their checksums last passed (a rewrite changes the modification time),
    so the checksums need not be computed again on every load."""
    try:
        return bool(json.loads((folder / VERIFIED).read_text(encoding="utf-8")) == stats)
    except (OSError, ValueError):
        return False


def _remember_verified(folder: Path, stats: dict[str, list[int]]) -> None:
    try:
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8") as out:
            json.dump(stats, out)
        os.replace(out.name, folder / VERIFIED)
    except OSError:
        return  # a read-only cache: the checksums are computed again next time


def open_index(folder: Path, digest: str, verify: bool = True) -> Index:
    """The index in folder, or IndexError_ when it is missing, from other sources or damaged."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(f"no readable meta.json in {folder} ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION or meta.get("digest") != digest:
        raise IndexError_(f"{folder} is from another version or other sources")
    files = meta.get("files") or {}
    stats = {}
    for name in [*(f"{a}.npy" for a in ARRAYS), *(f"{b}.bin" for b in BLOBS), *(f"{t}.json" for t in LAZY)]:
        path = folder / name
        if name not in files or not path.exists() or path.stat().st_size != files[name][0]:
            raise IndexError_(f"{path} is missing or truncated")
        stats[name] = [path.stat().st_size, path.stat().st_mtime_ns]
    if verify and not _verified_before(folder, stats):
        for name in stats:
            if _checksum(folder / name)[1] != files[name][1]:
                raise IndexError_(f"{folder / name} fails its checksum")
        _remember_verified(folder, stats)
    try:
        return Index(folder, meta)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexError_(f"{folder}: {exc}") from exc
