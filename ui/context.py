"""Context page: ACLED/UCDP events of an incident beside the report events; map, table, per week and per
admin area, and what happened near a strike before it. Thin: geo.context computes, this lays out."""

from __future__ import annotations

import tempfile
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.context import analysis, query
from geo.context.areas import match_areas, per_area
from geo.context.charts import admin_chart, weekly_chart
from geo.context.export import export_file
from geo.maps.build import base_map, event_layers
from geo.maps.context import admin_choropleth, context_group, legend_html
from geo.store.engine import Store, database_url, open_store
from geo.store.migrate import current_revision, head_revision
from geo.views.sources import markdown_text
from ui.shared import dataset, event_table, filtered_events, tile_url

MAP_KEY = "context_map"
EXPORTS = (("csv", "Context CSV", "text/csv"), ("geojson", "Context GeoJSON", "application/geo+json"),
           ("gpkg", "GeoPackage (all events)", "application/geopackage+sqlite3"))
TABLE_ROWS = 5_000
DETAIL_CARDS = 10


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(url: str) -> Store:
    return open_store(url)


@st.cache_data(show_spinner=False, max_entries=16)
def _layer_facts(url: str, incident: int, stamp: int) -> tuple[tuple[date, date] | None, list[str]]:
    """The layer's date span and event types: two scans of the whole layer, kept until the store changes."""
    store = _store(url)
    return query.date_range(store, incident), query.event_types(store, incident)


def _filters(store: Store, incident: int) -> tuple[query.ContextFilter, list[str]]:
    span, types = _layer_facts(store.url, incident, query.data_stamp(store))
    cols = st.columns([2, 3])
    chosen = cols[1].multiselect("Event types", types, default=types, key="context_types")
    if span is None:
        return query.ContextFilter(event_types=tuple(chosen)), types
    picked = cols[0].date_input("Dates", value=span, min_value=span[0], max_value=span[1], key="context_dates")
    since, until = (picked if isinstance(picked, tuple) and len(picked) == 2 else span)
    return query.ContextFilter(since=since, until=until, event_types=tuple(chosen) if chosen != types else ()), types


def _map(store: Store, incident: int, flt: query.ContextFilter, types: list[str]) -> None:
    points = query.points(store, incident, flt, types)
    data = dataset()
    fmap = base_map(tile_url=tile_url(), region=data.region)
    report_layers = event_layers(filtered_events(), colours=data.colours, shapes=data.shapes, region=data.region)
    st.markdown(f"**{len(points):,}** context events on the map · {legend_html(types)}", unsafe_allow_html=True)
    state = st_folium(fmap, key=MAP_KEY, height=620, use_container_width=True,
                      feature_group_to_add=[context_group(points), *report_layers],  # report events on top
                      returned_objects=["last_object_clicked"])
    clicked = (state or {}).get("last_object_clicked")
    if clicked:
        _details(query.details_at(store, incident, clicked["lat"], clicked["lng"], flt), clicked)


def _details(found: pd.DataFrame, clicked: dict[str, float]) -> None:
    """The clicked point's events. Source and notes come from the imported file: st.text shows them exactly as
    written (no Markdown, so no link or image made from a URL in the notes)."""
    if found.empty:
        return
    with st.container(key="context_details", border=True):
        st.caption(f"{len(found)} context event(s) at {clicked['lat']:.4f}, {clicked['lng']:.4f}")
        for row in found.head(DETAIL_CARDS).itertuples():
            versus = f" vs {row.target}" if row.target else ""
            st.text(f"{row.date} · {row.event_type} · {row.actor}{versus}\n{row.place} ({row.geo_precision})\n"
                    f"Source: {row.source or '(none)'}\nNotes: {row.notes or ''}")
        if len(found) > DETAIL_CARDS:
            st.dataframe(found, hide_index=True, width="stretch")


def _analysis(store: Store, incident: int, flt: query.ContextFilter) -> None:
    weekly = analysis.per_week(store, incident, flt)
    areas = analysis.per_admin(store, incident, flt)
    st.subheader("Per week")
    st.altair_chart(weekly_chart(weekly), width="stretch")
    st.subheader("Per admin area")
    cols = st.columns(2)
    cols[0].altair_chart(admin_chart(areas), width="stretch")
    shaded, unmatched = match_areas(per_area(store, incident, flt))
    fmap = base_map(region=dataset().region)
    admin_choropleth(shaded).add_to(fmap)
    with cols[1]:
        st_folium(fmap, key="context_choropleth", height=380, use_container_width=True, returned_objects=[])
    if not unmatched.empty:
        with st.container(key="context_unmatched_areas"):
            st.caption(f"Not drawn: {len(unmatched):,} admin area name(s) with {int(unmatched['events'].sum()):,} "
                       "events found no Natural Earth admin-1 polygon")
            st.dataframe(unmatched, hide_index=True, width="stretch")


def _download(store: Store, incident: int, flt: query.ContextFilter, kind: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="strike-map-context-") as folder:
        return export_file(store, incident, flt, kind, Path(folder)).read_bytes()


def _exports(store: Store, incident: int, flt: query.ContextFilter) -> None:
    st.subheader("Exports")
    st.caption("CSV and GeoJSON: the filtered context layer, streamed from the store. GeoPackage: every event of "
               "the incident, report and context layers, for QGIS.")
    cols = st.columns(3)
    for col, (kind, label, mime) in zip(cols, EXPORTS, strict=True):
        col.download_button(label, data=partial(_download, store, incident, flt, kind), file_name=f"context.{kind}",
                            mime=mime, key=f"context_download_{kind}", on_click="ignore")


def _near(store: Store, incident: int) -> None:
    st.subheader("Near a strike, before it")
    strikes = [e for e in event_table().events if e.lat is not None and e.lon is not None]
    if not strikes:
        st.info("No located report events to measure from.")
        return
    cols = st.columns([3, 1, 1])
    strike = cols[0].selectbox("Strike", strikes, format_func=lambda e: f"{e.id}: {e.place} ({e.date_start})")
    km = cols[1].number_input("Within km", min_value=1.0, max_value=1000.0, value=50.0, step=10.0)
    days = int(cols[2].number_input("Days before", min_value=1, max_value=3650, value=90, step=30))
    around = analysis.Around(lat=strike.lat, lon=strike.lon, day=strike.date_start, km=km, days=days)
    found = analysis.near(store, incident, around)
    st.caption(markdown_text(f"{len(found):,} context events within {km:g} km of {strike.place} between "
                             f"{around.window.since} and {around.window.until}; "
                             f"at least {int(found['fatalities_low'].fillna(0).sum()):,} killed."))
    st.dataframe(found, hide_index=True, width="stretch")


st.title("Context: ACLED / UCDP events")
store = _store(database_url())
slugs = query.incidents_with_context(store) if current_revision(store) == head_revision(store) else []
if not slugs:
    st.info("No context events in the store yet. Import an export with "
            "`python -m geo import-events --incident SLUG --format acled|ucdp FILE`.")
    st.stop()
slug = st.selectbox("Incident", slugs, key="context_incident")
incident = query.incident_id(store, slug)
assert incident is not None
flt, types = _filters(store, incident)
_map(store, incident, flt, types)
frame = query.table(store, incident, flt, limit=TABLE_ROWS)
st.subheader("Table")
st.caption(f"The first {TABLE_ROWS:,} by date; the whole filtered layer is in the exports." if len(frame) ==
           TABLE_ROWS else f"{len(frame):,} events")
st.dataframe(frame, hide_index=True, width="stretch")
_analysis(store, incident, flt)
_near(store, incident)
_exports(store, incident, flt)
