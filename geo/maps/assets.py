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

from geo.paths import STATIC_DIR

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


def vendor_static(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Copy every asset (and Leaflet's marker images) under static_dir/vendor; idempotent."""
    written = []
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
