"""Offline browser assets: Leaflet from the XStatic package and Leaflet plugins from npm, never a CDN.

Streamlit serves static/ at /app/static/ (``enableStaticServing``). The st_folium component runs in
an iframe under /component/..., so pages reference the files relative to it. Exported HTML gets the
same files inlined instead.

npm plugins are pinned by version and by the registry's sha512 integrity: set-up fetches the tarball once
(``npm pack NAME@VERSION`` into .cache/npm/, `make assets`), and ``python -m geo assets`` checks it and copies
the plugin's files (and its licence) into static/vendor/<folder>/, with a PROVENANCE.txt beside them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xstatic.pkg.leaflet as xs_leaflet

from geo.paths import BOUNDARIES_DIR, CACHE_DIR, STATIC_DIR

VENDOR = "vendor"
#: How the st_folium iframe reaches Streamlit's static folder; relative, so a baseUrlPath survives.
STREAMLIT_STATIC_URL = "../../app/static"


class AssetError(Exception):
    """A vendored asset cannot be set up (its package is missing or not the pinned one)."""


@dataclass(frozen=True)
class Asset:
    name: str  # folium's key for the resource
    package_dir: Path  # where the file is read from (the installed package, or static/vendor/<folder>)
    file: str  # path inside that folder
    kind: str  # "js" or "css"
    folder: str  # the folder under static/vendor/

    @property
    def vendored(self) -> str:
        return f"{VENDOR}/{self.folder}/{self.file}"

    @property
    def source(self) -> Path:
        return self.package_dir / self.file


@dataclass(frozen=True)
class NpmPackage:
    """A Leaflet plugin from the npm registry, pinned by version and the registry's sha512 integrity."""

    name: str
    version: str
    integrity: str  # as `npm view NAME@VERSION dist.integrity` prints it
    licence: str
    files: tuple[str, ...]  # paths inside the tarball's package/ folder
    folder: str

    @property
    def tarball(self) -> str:
        return f"{self.name}-{self.version}.tgz"


_LEAFLET = Path(xs_leaflet.BASE_DIR)
LEAFLET_JS = Asset("leaflet", _LEAFLET, "leaflet.js", "js", "leaflet")
LEAFLET_CSS = Asset("leaflet_css", _LEAFLET, "leaflet.css", "css", "leaflet")
LEAFLET_IMAGES = _LEAFLET / "images"

#: Distance measuring (maintained, works with Leaflet 1.9; leaflet-measure 3.1.0 dates from 2017).
POLYLINE_MEASURE = NpmPackage(
    "leaflet.polylinemeasure", "3.0.0",
    "sha512-PTTHz7NBJiWmNFetH8hb3leQNM15qoM9Xe7VDKh1Hyat/M+USqFYeoa0A0LAecsqsjUqA63Rzux4SivoyrSFkA==",
    "BSD-2-Clause", ("Leaflet.PolylineMeasure.js", "Leaflet.PolylineMeasure.css", "LICENSE.txt"), "polylinemeasure")
NPM_PACKAGES = (POLYLINE_MEASURE,)
NPM_CACHE = CACHE_DIR / "npm"
MEASURE_JS = Asset("polylinemeasure", STATIC_DIR / VENDOR / POLYLINE_MEASURE.folder, "Leaflet.PolylineMeasure.js",
                   "js", POLYLINE_MEASURE.folder)
MEASURE_CSS = Asset("polylinemeasure_css", STATIC_DIR / VENDOR / POLYLINE_MEASURE.folder,
                    "Leaflet.PolylineMeasure.css", "css", POLYLINE_MEASURE.folder)
#: Leaflet first: the plugins extend it.
ALL_ASSETS = (LEAFLET_JS, LEAFLET_CSS, MEASURE_JS, MEASURE_CSS)


#: The coarse world basemap, fetched by the dashboard's map from static/ (inlined in exported HTML).
WORLD_GEOJSON = BOUNDARIES_DIR / "countries_world.geojson"
WORLD_VENDORED = f"{VENDOR}/naturalearth/countries_world.geojson"


def world_url(base: str = STREAMLIT_STATIC_URL) -> str:
    return f"{base}/{WORLD_VENDORED}"


#: Where the map's region layers are published under static/ (made from the data, not vendored: not in git).
PUBLISHED = "published"
#: A published file stays at least this long after a page was last given it (its modification time, refreshed
#: when it is published again): an analyst's tab left open may still fetch the ground of the map it holds.
PUBLISHED_GRACE_S = 7 * 24 * 3600.0
#: However old, the most recently used files of each stem (countries, coasts, ...) stay.
PUBLISHED_KEEP_PER_STEM = 2
#: A file published again has its modification time refreshed at most this often (not on every map build).
_TOUCH_EVERY_S = 3600.0
_PUBLISHED_NAME = re.compile(r"^(?P<stem>.+)-[0-9a-f]{20}\.json$")
_PARTIAL_NAME = re.compile(r"^\..+\.json\.\d+$")  # publish_json's temporary file, left by a crash
#: path of a file this process published -> when it last did (time.time()). Never forgotten while the process
#: lives: its renders are memoised (a map drawn once is handed out again without publishing its files again),
#: so a file this process once handed out may be in any page it serves; the set grows by a few names per
#: region and data change.
_served: dict[str, float] = {}


def publish_json(data: Any, stem: str, static_dir: Path = STATIC_DIR) -> str:
    """Write data as compact JSON to static/published/<stem>-<hash>.json (named by its content, so a browser
    may keep it for ever and a change of data is a new name) and return that path under static/. Written once
    (an existing file of that name has that content), atomically (sessions may ask at once). A new file is
    the moment old ones pile up: files no page is likely to fetch any more go then (prune_published)."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    name = f"{PUBLISHED}/{stem}-{hashlib.sha256(body).hexdigest()[:20]}.json"
    target = static_dir / name
    now = time.time()
    _served[str(target)] = now
    if _still_there(target, now):
        return name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_bytes(body)
    os.replace(partial, target)
    prune_published(static_dir, now=now)
    return name


def _still_there(target: Path, now: float) -> bool:
    """Whether the published file exists; its modification time is refreshed (hourly at most) as it is in use."""
    try:
        if now - target.stat().st_mtime > _TOUCH_EVERY_S:
            os.utime(target)
    except FileNotFoundError:  # never written, or pruned (by another process) since
        return False
    return True


def prune_published(static_dir: Path = STATIC_DIR, *, grace_s: float = PUBLISHED_GRACE_S,
                    keep_per_stem: int = PUBLISHED_KEEP_PER_STEM, now: float | None = None) -> list[Path]:
    """Delete the published files that no page is likely to fetch any more, and return them.

    A file stays when this process ever published it (_served), when it was written or published again (by
    any process: the modification time) within grace_s, or when it is one of the keep_per_stem most recently
    used of its stem. Only names publish_json makes are touched (and its temporary files left by a crash,
    after grace_s)."""
    folder = static_dir / PUBLISHED
    now = time.time() if now is None else now
    by_stem: dict[str, list[tuple[float, Path]]] = {}
    stale_partials: list[Path] = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _PUBLISHED_NAME.match(path.name)
        if match:
            by_stem.setdefault(match["stem"], []).append((_mtime(path), path))
        elif _PARTIAL_NAME.match(path.name) and now - _mtime(path) > grace_s:
            stale_partials.append(path)
    candidates = [path for files in by_stem.values() for _, path in sorted(files, reverse=True)[keep_per_stem:]]
    removed = [path for path in candidates if str(path) not in _served and _unlink_if_older(path, now - grace_s)]
    return removed + [path for path in stale_partials if _unlink_if_older(path, now - grace_s)]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")  # gone meanwhile: nothing to do


def _unlink_if_older(path: Path, before: float) -> bool:
    """Delete path if it was last modified before `before` (looked at again just before: another process may
    have published it since)."""
    if _mtime(path) >= before:
        return False
    path.unlink(missing_ok=True)
    return True


def vendor_static(static_dir: Path = STATIC_DIR, npm_cache: Path = NPM_CACHE) -> list[Path]:
    """Copy every asset (and Leaflet's marker images, the world basemap and the npm plugins) under
    static_dir/vendor; idempotent. Raises AssetError when a plugin's tarball is missing or not the pinned one."""
    written = [*(path for package in NPM_PACKAGES for path in vendor_npm(package, static_dir, npm_cache))]
    world = static_dir / WORLD_VENDORED
    if not world.exists() or world.read_bytes() != WORLD_GEOJSON.read_bytes():
        world.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(WORLD_GEOJSON, world)
    written.append(world)
    for asset in (LEAFLET_JS, LEAFLET_CSS):
        target = static_dir / asset.vendored
        if not target.exists() or target.stat().st_size != asset.source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.source, target)
        written.append(target)
    images = static_dir / VENDOR / LEAFLET_JS.folder / "images"
    shutil.copytree(LEAFLET_IMAGES, images, dirs_exist_ok=True)
    written.append(images)
    return written


def vendor_npm(package: NpmPackage, static_dir: Path = STATIC_DIR, npm_cache: Path = NPM_CACHE) -> list[Path]:
    """Check the package's tarball against its pinned integrity and copy its files to static/vendor."""
    tarball = npm_cache / package.tarball
    if not tarball.exists():
        raise AssetError(f"{tarball} is missing: run `make assets` (npm pack {package.name}@{package.version})")
    data = tarball.read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if digest != package.integrity:
        raise AssetError(f"{tarball}: integrity {digest} is not the pinned {package.integrity}")
    folder = static_dir / VENDOR / package.folder
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for name in package.files:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise AssetError(f"{tarball} has no package/{name}")
            target = folder / name
            content = member.read()
            if not target.exists() or target.read_bytes() != content:
                target.write_bytes(content)
            written.append(target)
    provenance = folder / "PROVENANCE.txt"
    provenance.write_text(f"npm package {package.name}@{package.version} ({package.integrity}), licence "
                          f"{package.licence} (LICENSE.txt); copied by `python -m geo assets`.\n", encoding="utf-8")
    written.append(provenance)
    return written


def url(asset: Asset, base: str = STREAMLIT_STATIC_URL) -> str:
    return f"{base}/{asset.vendored}"


def leaflet_image_path(base: str = STREAMLIT_STATIC_URL) -> str:
    return f"{base}/{VENDOR}/{LEAFLET_JS.folder}/images/"
