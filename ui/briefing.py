"""Briefing export page: the current filtered map and table as PNG, PDF, HTML, CSV, GeoJSON and KML.

Thin: the filter comes from the shared sidebar (ui.shared); every export is geo.export, cached per
filter in geo.export.cache. The PNG is drawn for the preview; the others are drawn when clicked.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo.errors import DataError
from geo.export import FORMATS, file_name
from geo.export.briefing import DEFAULT_TITLE
from geo.export.cache import export_bytes
from geo.views.sources import markdown_text
from ui.shared import current_filter, dataset, filter_caption

st.title("Briefing export")
filter_caption()
flt = current_filter()
title = st.text_input("Title on the map", value=DEFAULT_TITLE, max_chars=120).strip() or DEFAULT_TITLE

data = dataset()
try:
    png: bytes | None = export_bytes(data, flt, "png", title)
except DataError as exc:  # a broken boundary layer: said, and the tables are still offered
    png = None
    st.error(markdown_text(f"Map exports are unavailable: {exc}"))
st.markdown("**Download** — exactly the events the filters show:")
columns = st.columns(4)
offered = [fmt for fmt in FORMATS.values() if png is not None or not fmt.needs_boundaries]
for i, fmt in enumerate(offered):
    columns[i % 4].download_button(
        fmt.label,
        data=png if fmt.key == "png" else partial(export_bytes, data, flt, fmt.key, title),
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
st.caption("The command line makes the same files: `python -m geo export --out briefing.png --actor Iran` "
           "(also .pdf, .html, .csv, .claims.csv, .geojson, .kml).")
