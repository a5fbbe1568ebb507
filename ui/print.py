"""Print view: the map as the link shows it (extent, selection, filters), its legend, the filtered events
with dates, actors and the reports that support them, and the sources; prints on A4 landscape without the
sidebar and buttons (geo.views.printview.PRINT_CSS)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from geo.errors import DataError
from geo.export.cache import export_bytes
from geo.views.printview import PRINT_CSS, print_tables_html
from geo.views.sources import markdown_text
from ui.shared import current_filter, current_view, dataset, filtered_events, incident_title

st.html(f"<style>{PRINT_CSS}</style>")
st.html('<p class="sm-screen-only" style="color:#555">Print this page with your browser (Ctrl+P / ⌘P): it prints '
        "on A4 landscape without the sidebar and buttons.</p>")
title = incident_title()
st.title(markdown_text(title))
flt = current_filter()
view = current_view()
events = filtered_events()
st.caption(markdown_text(" · ".join(part for part in (
    f"Filters: {flt.describe()}", f"View: {view.describe()}" if view.describe() else "",
    f"Printed {datetime.now(UTC):%Y-%m-%d %H:%M} UTC") if part)))
data = dataset()
try:
    png = export_bytes(data, flt, "png", title, view)
except DataError as exc:  # a broken boundary layer: said; the tables still print
    png = None
    st.error(markdown_text(f"The map cannot be drawn: {exc}"))
if png is not None:
    shown = view.describe() or "fitted to the events"
    st.image(png, width="stretch", caption=markdown_text(f"Map and legend: {len(events)} events, {shown}"))
st.html(print_tables_html(events, data.corpus.articles, selected=view.selected, report_filter=flt.reports))
