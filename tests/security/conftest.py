"""Fixtures of the security and reliability tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.boundaries import layers
from geo.maps import build


@pytest.fixture()
def corrupt_border(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The border layer replaced by a truncated GeoJSON file (caches cleared before and after)."""
    bad = tmp_path / "border_iran_pakistan.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    monkeypatch.setitem(layers.LAYERS, "border", str(bad))  # an absolute name replaces the folder
    layers.load_layer.cache_clear()
    build.basemap_layers.cache_clear()
    yield bad
    layers.load_layer.cache_clear()
    build.basemap_layers.cache_clear()
