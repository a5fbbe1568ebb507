"""Briefing export page: the view on the map (extent, selection) and the filtered table as PNG, PDF, HTML,
CSV, GeoJSON and KML.

Thin: the filter comes from the shared sidebar and the view from the map page (ui.shared); every export is
geo.export, cached in geo.export.cache. The PNG is drawn for the preview; every download is made when
clicked, with the title as typed then (Enter or not).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo.dataset import Dataset
from geo.errors import DataError
from geo.events.filter import EventFilter
from geo.export import FORMATS, file_name
from geo.export.briefing import DEFAULT_TITLE
from geo.export.cache import export_bytes
from geo.maps.view import MapView
from geo.views.sources import markdown_text
from ui.shared import current_filter, current_view, dataset, filter_caption

TITLE_KEY = "briefing_title"
#: The title as last typed, read by the downloads when clicked (they run outside the page's script).
_TITLE_BOX = "_briefing_title_box"


def _default_title() -> str:
    """The incident's own title (a folder read as files has none)."""
    return dataset().title or DEFAULT_TITLE


def _title_box() -> dict[str, str]:
    return st.session_state.setdefault(_TITLE_BOX, {"title": _default_title()})


def _remember_title() -> None:
    _title_box()["title"] = (st.session_state.get(TITLE_KEY) or "").strip() or _default_title()


def _download(data: Dataset, flt: EventFilter, view: MapView, key: str, box: dict[str, str]) -> Callable[[], bytes]:
    return lambda: export_bytes(data, flt, key, box["title"], view)


st.title("Briefing export")
filter_caption()
flt = current_filter()
view = current_view()
if view.describe():
    st.caption(f"As on the map: {view.describe()}")
st.text_input("Title on the map", value=_default_title(), max_chars=120, key=TITLE_KEY, on_change=_remember_title)
_remember_title()
box = _title_box()

data = dataset()
try:
    png: bytes | None = export_bytes(data, flt, "png", box["title"], view)
except DataError as exc:  # a broken boundary layer: said, and the tables are still offered
    png = None
    st.error(markdown_text(f"Map exports are unavailable: {exc}"))
st.markdown("**Download** — exactly the events the filters show, as the map shows them:")
columns = st.columns(4)
offered = [fmt for fmt in FORMATS.values() if png is not None or not fmt.needs_boundaries]
for i, fmt in enumerate(offered):
    columns[i % 4].download_button(
        fmt.label,
        data=_download(data, flt, view, fmt.key, box),
        file_name=file_name(flt.describe(), fmt),
        mime=fmt.media_type,
        key=f"download_{fmt.key}",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
if png is not None:
    st.image(png, caption="Preview of the PNG (1920 × 1080, 16:9 for slides); the PDF is the same map on A4 landscape.",
             width="stretch")
incident = f"--incident {data.incident.slug} " if data.incident else ""
st.caption("The command line makes the same files (also .pdf, .html, .csv, .claims.csv, .geojson, .kml):")
st.code(f"python -m geo export {incident}--out briefing.png --actor ACTOR --bbox W,S,E,N --select ID",
        language="bash")  # shown literally: the slug is the incident's, never markup
