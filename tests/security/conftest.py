"""Fixtures of the security and reliability tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.boundaries import layers, region
from geo.maps import basemap, build


@pytest.fixture()
def corrupt_border(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The border layer replaced by a truncated GeoJSON file (caches cleared before and after)."""
    bad = tmp_path / "border_iran_pakistan.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    monkeypatch.setitem(layers.LAYERS, "border", str(bad))  # an absolute name replaces the folder
    _clear_caches()
    yield bad
    _clear_caches()


def _clear_caches() -> None:
    """Every cached layer and drawn basemap (they are read once per process)."""
    for module in (layers, region, basemap, build):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
