"""Offline browser assets: Leaflet from the XStatic package, never a CDN.

Streamlit serves static/ at /app/static/ (``enableStaticServing``). The st_folium component runs in
an iframe under /component/..., so pages reference the files relative to it. Exported HTML gets the
same files inlined instead.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet

from geo.paths import BOUNDARIES_DIR, STATIC_DIR

VENDOR = "vendor"
#: How the st_folium iframe reaches Streamlit's static folder; relative, so a baseUrlPath survives.
STREAMLIT_STATIC_URL = "../../app/static"


@dataclass(frozen=True)
class Asset:
    name: str  # folium's key for the resource
    package_dir: Path
    file: str  # path inside the package's data folder
    kind: str  # "js" or "css"

    @property
    def vendored(self) -> str:
        return f"{VENDOR}/{self.package_dir.parent.name}/{self.file}"

    @property
    def source(self) -> Path:
        return self.package_dir / self.file


_LEAFLET = Path(xs_leaflet.BASE_DIR)
LEAFLET_JS = Asset("leaflet", _LEAFLET, "leaflet.js", "js")
LEAFLET_CSS = Asset("leaflet_css", _LEAFLET, "leaflet.css", "css")
ALL_ASSETS = (LEAFLET_JS, LEAFLET_CSS)
LEAFLET_IMAGES = _LEAFLET / "images"


#: The coarse world basemap, fetched by the dashboard's map from static/ (inlined in exported HTML).
WORLD_GEOJSON = BOUNDARIES_DIR / "countries_world.geojson"
WORLD_VENDORED = f"{VENDOR}/naturalearth/countries_world.geojson"


def world_url(base: str = STREAMLIT_STATIC_URL) -> str:
    return f"{base}/{WORLD_VENDORED}"


def vendor_static(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Copy every asset (and Leaflet's marker images, and the world basemap) under static_dir/vendor;
    idempotent."""
    written = []
    world = static_dir / WORLD_VENDORED
    if not world.exists() or world.read_bytes() != WORLD_GEOJSON.read_bytes():
        world.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(WORLD_GEOJSON, world)
    written.append(world)
    for asset in ALL_ASSETS:
        target = static_dir / asset.vendored
        if not target.exists() or target.stat().st_size != asset.source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.source, target)
        written.append(target)
    images = static_dir / VENDOR / LEAFLET_JS.package_dir.parent.name / "images"
    shutil.copytree(LEAFLET_IMAGES, images, dirs_exist_ok=True)
    written.append(images)
    return written


def url(asset: Asset, base: str = STREAMLIT_STATIC_URL) -> str:
    return f"{base}/{asset.vendored}"


def leaflet_image_path(base: str = STREAMLIT_STATIC_URL) -> str:
    return f"{base}/{VENDOR}/{LEAFLET_JS.package_dir.parent.name}/images/"
