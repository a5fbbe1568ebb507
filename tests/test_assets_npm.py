"""Leaflet plugins vendored from npm: pinned by sha512, copied with their licence and provenance."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from geo.maps import assets

TARBALL = assets.NPM_CACHE / assets.POLYLINE_MEASURE.tarball


@pytest.fixture
def cache(tmp_path):
    if not TARBALL.exists():
        pytest.fail(f"{TARBALL} missing: run `make assets`")
    folder = tmp_path / "npm"
    folder.mkdir()
    shutil.copy(TARBALL, folder / TARBALL.name)
    return folder


def test_the_pinned_tarball_is_copied_with_licence_and_provenance(cache, tmp_path):
    written = assets.vendor_npm(assets.POLYLINE_MEASURE, tmp_path / "static", cache)
    folder = tmp_path / "static" / "vendor" / "polylinemeasure"
    assert {p.name for p in written} == {*assets.POLYLINE_MEASURE.files, "PROVENANCE.txt"}
    assert "L.Control.PolylineMeasure" in (folder / "Leaflet.PolylineMeasure.js").read_text(encoding="utf-8")
    assert "BSD 2-Clause" in (folder / "LICENSE.txt").read_text(encoding="utf-8")
    provenance = (folder / "PROVENANCE.txt").read_text(encoding="utf-8")
    assert "leaflet.polylinemeasure@3.0.0" in provenance and assets.POLYLINE_MEASURE.integrity in provenance


def test_a_tarball_that_is_not_the_pinned_one_is_refused(cache, tmp_path):
    other = dataclasses.replace(assets.POLYLINE_MEASURE, integrity="sha512-" + "A" * 86 + "==")
    with pytest.raises(assets.AssetError, match="integrity"):
        assets.vendor_npm(other, tmp_path / "static", cache)
    assert not (tmp_path / "static" / "vendor" / "polylinemeasure" / "Leaflet.PolylineMeasure.js").exists()


def test_vendor_npm_without_the_tarball_names_the_command(tmp_path):
    with pytest.raises(assets.AssetError, match=r"make assets.*npm pack leaflet\.polylinemeasure@3\.0\.0"):
        assets.vendor_npm(assets.POLYLINE_MEASURE, tmp_path / "static", tmp_path / "empty")
