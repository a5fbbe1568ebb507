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
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

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
