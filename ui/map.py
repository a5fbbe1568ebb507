"""Map page (landing): the briefing map and the event table, linked both ways."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.errors import DataError
from geo.events.facts import border_length_claims
from geo.events.table import EVENT_TYPES, actors
from geo.maps.build import build_map, events_at, marker_positions
from geo.views.sources import markdown_text
from geo.views.table import event_display_frame
from ui.shared import (
    SELECTED_KEY,
    current_filter,
    data_problems_notice,
    event_table,
    filter_caption,
    filtered_events,
    filtered_frame,
    incident_title,
    mention_rows,
    report_labels,
    short_report_labels,
    tile_url,
)

MAP_KEY = "map"
TABLE_KEY = "map_table"
CLICK_PENDING = "map_click_pending"
TABLE_IDS = "_map_table_ids"


def _on_map_click() -> None:
    # st_folium has just stored the click in st.session_state[MAP_KEY]; handle it before drawing.
    st.session_state[CLICK_PENDING] = True


def _table_selection(visible_ids: list[str]) -> list[str]:
    """The selected event ids, reconciling a map click, the table's state and the current filter."""
    previous_ids: list[str] = st.session_state.get(TABLE_IDS, [])
    state = st.session_state.get(TABLE_KEY)
    rows = list(state["selection"]["rows"]) if state else []
    selected = [previous_ids[r] for r in rows if 0 <= r < len(previous_ids)]
    if st.session_state.pop(CLICK_PENDING, False):
        clicked = events_at(marker_positions(filtered_frame()), (st.session_state.get(MAP_KEY) or {}).get(
            "last_object_clicked"))
        if clicked:
            selected = clicked
    selected = [i for i in selected if i in visible_ids]
    wanted_rows = sorted(visible_ids.index(i) for i in selected)
    if wanted_rows != sorted(rows) or previous_ids != visible_ids:
        st.session_state[TABLE_KEY] = {"selection": {"rows": wanted_rows, "columns": [], "cells": []}}
    return selected


table = event_table()
events = filtered_events()
gdf = filtered_frame()

st.title(markdown_text(incident_title()))
if events:
    first, last = min(e.date_start for e in events), max(e.date_end for e in events)
    st.markdown(markdown_text(f"Reported strikes and related events, {first:%d %b %Y} – {last:%d %b %Y}, "
                              f"from {len(report_labels())} news reports."))
filter_caption()
data_problems_notice()

visible_ids = [e.id for e in events]
selected = _table_selection(visible_ids)
st.session_state[SELECTED_KEY] = selected

try:
    figures = border_length_claims(table.facts)
except DataError:  # a broken boundary layer: the map's message below says which
    figures = None
cols = st.columns(4)
cols[0].metric("Events shown", f"{len(events)}", help="Events in the curated table matching the filters")
cols[1].metric("Cross-border strikes", f"{sum(1 for e in events if e.origin)}")
cols[2].metric("Reports cited", f"{len({r for e in events for r in e.reports})}")
if figures is not None and figures.measured is not None:
    claims = ", ".join(f"{c.value} {figures.unit} ({c.report_id[:3]})" for c in figures.claims)
    cols[3].metric("Iran–Pakistan border", f"{figures.measured:,.0f} km",
                   help=markdown_text(f"Measured: {figures.method}. The reports say: {claims}."))

try:
    fmap = build_map(
        gdf,
        mentions=mention_rows(current_filter().reports),
        selected_ids=selected,
        claims=[c for e in events for c in e.claims],
        report_labels=short_report_labels(),
        all_actors=actors(table.events),
        event_types=EVENT_TYPES,
        tile_url=tile_url(),
    )
except DataError as exc:  # said without a traceback; the table below still shows
    fmap = None
    st.error(markdown_text(f"The map cannot be drawn: {exc}"))
if fmap is not None:
    st_folium(
        fmap,
        key=MAP_KEY,
        height=720,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        on_change=_on_map_click,
    )
if figures is not None and figures.measured is not None:
    said = " · ".join(f"{c.report_id[:3]}: “{c.quote}”" for c in figures.claims)
    st.caption(markdown_text(f"Border drawn from Natural Earth 1:10m measures {figures.measured:,.0f} km on the "
                             f"WGS84 ellipsoid; the reports say — {said}"))

unlocated = [e.id for e in events if e.lat is None]
if unlocated:
    st.caption(markdown_text(f"Not on the map (place not resolved): {', '.join(unlocated)}"))

st.subheader("Events")
st.caption("Select rows to highlight their markers and zoom the map to them; click a marker to select its row.")
frame = event_display_frame(events, report_labels())
st.session_state[TABLE_IDS] = visible_ids
st.dataframe(
    frame,
    key=TABLE_KEY,
    on_select="rerun",
    selection_mode="multi-row",
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(frame), 600),
)
