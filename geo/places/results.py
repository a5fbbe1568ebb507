"""Place results kept on disk, so a cold start does not load the 125 MB gazetteer to find what it found before.

Keyed by the gazetteer's own cache name (which follows its sources) and the size and modification time of
the code that resolves names (geo/places/*.py), so any change to either starts a fresh file. What is kept:
the coordinates of each geocoded place name, and the place mentions of each report text (by its hash).
Writes are atomic (a temporary file, then a rename); a damaged file is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from geo.paths import CACHE_DIR

T = TypeVar("T")
_CODE = sorted(Path(__file__).parent.glob("*.py"))


@lru_cache(maxsize=1)
def _version() -> str:
    from geo.places.gazetteer import cache_path  # cheap: file stats only, the gazetteer is not loaded

    digest = hashlib.sha256(cache_path().name.encode())
    for path in _CODE:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _path(kind: str) -> Path:
    return CACHE_DIR / f"places-{kind}-{_version()}.pickle"


def _read(kind: str) -> dict[str, Any]:
    try:
        with _path(kind).open("rb") as handle:
            data = pickle.load(handle)  # noqa: S301 (our own file, written below from our own results)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(kind: str, data: dict[str, Any]) -> None:
    path = _path(kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout still works, it just recomputes


def remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """compute(), or what it gave before for this key with the same gazetteer and code."""
    data = _read(kind)
    if key in data:
        return data[key]
    value = compute()
    data = _read(kind)  # another process may have added keys meanwhile
    data[key] = value
    _write(kind, data)
    return value


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
