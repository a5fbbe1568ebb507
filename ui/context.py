"""Context page: ACLED/UCDP events of an incident beside the report events; map, table, per week and per
admin area, and what happened near a strike before it. Thin: geo.context computes, this lays out."""

from __future__ import annotations

import math
import tempfile
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from geo.context import analysis, grid, query
from geo.context.areas import match_areas, per_admin1, per_area
from geo.context.charts import admin_chart, weekly_chart
from geo.context.export import export_file
from geo.maps.build import base_map, event_layers, region_bounds
from geo.maps.context import (
    AGGREGATE_BELOW_ZOOM,
    admin_choropleth,
    cell_group,
    context_group,
    legend_html,
    most_in_a_cell,
)
from geo.maps.view import bbox_from_bounds
from geo.store.engine import Store, database_url, open_store
from geo.store.migrate import current_revision, head_revision
from geo.views.sources import markdown_text
from ui.folium_cache import RenderedLayers, joined, render_base, render_layers, show_map
from ui.shared import dataset, event_table, filtered_events, tile_url

MAP_KEY = "context_map"
EXPORTS = (("csv", "Context CSV", "text/csv"), ("geojson", "Context GeoJSON", "application/geo+json"),
           ("gpkg", "GeoPackage (all events)", "application/geopackage+sqlite3"))
TABLE_ROWS = 250
DETAIL_CARDS = 10


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(url: str) -> Store:
    return open_store(url)


Facts = tuple[tuple[date, date] | None, list[str], tuple[float, float, float, float] | None]


@st.cache_data(show_spinner=False, max_entries=16)
def _layer_facts(url: str, incident: int, stamp: int) -> Facts:
    """The layer's date span, event types and extent (west, south, east, north): scans of the whole layer, kept
    until the store changes. A plain tuple: st.cache_data pickles it, and this page's classes do not pickle."""
    store = _store(url)
    return query.date_range(store, incident), query.event_types(store, incident), query.extent(store, incident)


def _opening_view(store: Store, incident: int) -> tuple[float, float, float, float]:
    """Where the map opens: the context layer's extent (else the incident's region)."""
    extent = _layer_facts(store.url, incident, query.data_stamp(store))[2]
    if extent is not None:
        return extent
    (south, west), (north, east) = region_bounds(dataset().region)
    return west, south, east, north


def _filters(store: Store, incident: int) -> tuple[query.ContextFilter, list[str]]:
    span, types, _extent = _layer_facts(store.url, incident, query.data_stamp(store))
    cols = st.columns([2, 3])
    chosen = cols[1].multiselect("Event types", types, default=types, key="context_types")
    if span is None:
        return query.ContextFilter(event_types=tuple(chosen)), types
    picked = cols[0].date_input("Dates", value=span, min_value=span[0], max_value=span[1], key="context_dates")
    since, until = (picked if isinstance(picked, tuple) and len(picked) == 2 else span)
    return query.ContextFilter(since=since, until=until, event_types=tuple(chosen) if chosen != types else ()), types


@st.cache_data(show_spinner=False, max_entries=64)
def _view_layer(url: str, incident: int, stamp: int, flt: query.ContextFilter, types: tuple[str, ...],
                request: grid.ViewRequest) -> tuple[RenderedLayers, str]:
    """The context layer for one view (counts per cell or the points in it), rendered, and its caption: made
    once per (data, filter, snapped view, zoom), so a pan within the snapped area sends nothing new."""
    store = _store(url)
    if request.aggregated:
        cells = query.cells(store, incident, replace(flt, bbox=request.bbox), request.cell)
        caption = (f"**{cells.events:,}** context events in and around the view, counted per cell of "
                   f"{request.cell:.3g}° × {request.cell:.3g}° in the database (darkest: "
                   f"{most_in_a_cell(cells):,} events in a cell); zoom in to level {AGGREGATE_BELOW_ZOOM} for "
                   "the events themselves")
        group = cell_group(cells)
    else:
        found = query.points_in_view(store, incident, flt, request.bbox, types, grid.POINT_CAP)
        caption = f"**{len(found.points):,}** context events in and around the view"
        if found.left_out:
            caption += f" (the first {grid.POINT_CAP:,} of {found.total:,}: {found.left_out:,} more; zoom in)"
        group = context_group(found.points)
    return render_layers([group]), caption


def _request(store: Store, incident: int) -> grid.ViewRequest:
    """The view the map reports (bounds, zoom); before it has reported one, the region it opens on."""
    state = st.session_state.get(MAP_KEY) or {}
    bbox, zoom = bbox_from_bounds(state.get("bounds")), state.get("zoom")
    extent = _opening_view(store, incident)
    if bbox is None or zoom is None:
        bbox, zoom = extent, grid.opening_zoom(extent)
    return grid.request_for(bbox, float(zoom), extent)


@st.fragment
def _map(store: Store, incident: int, flt: query.ContextFilter, types: list[str]) -> None:
    """The map and what a click on it shows. A fragment: a pan, zoom or click reruns only this."""
    data = dataset()
    request = _request(store, incident)
    stamp = query.data_stamp(store)
    context, caption = _view_layer(store.url, incident, stamp, flt, tuple(types), request)
    west, south, east, north = _opening_view(store, incident)
    opening = ((south, west), (north, east))
    base = data.memo(("context_base", tile_url(), opening), lambda: render_base(base_map(
        bounds=[list(opening[0]), list(opening[1])], tile_url=tile_url(), region=data.region)))
    reports = data.memo(("context_report_layers", tuple(e.id for e in filtered_events())), lambda: render_layers(
        event_layers(filtered_events(), colours=data.colours, shapes=data.shapes, region=data.region), first=1))
    legend = "" if request.aggregated else f" · {legend_html(types)}"  # type colours are the dots'
    st.markdown(caption + legend, unsafe_allow_html=True)
    show_map(base, joined(context, reports), key=MAP_KEY, height=620, use_container_width=True,
             returned_objects=["last_object_clicked", "bounds", "zoom"])
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_object_clicked")
    if clicked and not request.aggregated:
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


class _Summary(NamedTuple):
    """What the page shows below the map for one filter: all of it aggregated in the database."""

    events: int
    weekly: pd.DataFrame
    areas: pd.DataFrame
    choropleth: RenderedLayers
    unmatched: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=32)
def _summary(url: str, incident: int, stamp: int, flt: query.ContextFilter) -> _Summary:
    """Made once per (data, filter) and shared by every rerun and session: a pan, a click or another
    visitor with the same filter costs nothing here. Read only (cache_resource hands out the same objects)."""
    store = _store(url)
    areas = per_area(store, incident, flt)  # one scan gives the count, the areas and the choropleth
    shaded, unmatched = match_areas(areas)
    return _Summary(events=int(areas["events"].sum()), weekly=analysis.per_week(store, incident, flt),
                    areas=per_admin1(areas), choropleth=render_layers([admin_choropleth(shaded)]),
                    unmatched=unmatched)


@st.cache_data(show_spinner=False, max_entries=64)
def _table_page(url: str, incident: int, stamp: int, flt: query.ContextFilter, page: int) -> pd.DataFrame:
    return query.table(_store(url), incident, flt, limit=TABLE_ROWS, offset=(page - 1) * TABLE_ROWS)


def _table(store: Store, incident: int, flt: query.ContextFilter, summary: _Summary, stamp: int) -> None:
    """One page of the filtered events, by date, and how many there are (the exports hold them all)."""
    st.subheader("Table")
    pages = max(1, math.ceil(summary.events / TABLE_ROWS))
    page = 1
    if pages > 1:
        page = int(st.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, value=1, step=1,
                                   key="context_table_page"))
    frame = _table_page(store.url, incident, stamp, flt, min(page, pages))
    first = (min(page, pages) - 1) * TABLE_ROWS
    st.caption(f"{summary.events:,} events match; rows {first + 1:,}–{first + len(frame):,} by date. The whole "
               "filtered layer is in the exports." if len(frame) else "No events match.")
    st.dataframe(frame, hide_index=True, width="stretch")


def _analysis(summary: _Summary) -> None:
    st.subheader("Per week")
    st.altair_chart(weekly_chart(summary.weekly), width="stretch")
    st.subheader("Per admin area")
    cols = st.columns(2)
    cols[0].altair_chart(admin_chart(summary.areas), width="stretch")
    data = dataset()
    base = data.memo(("context_choropleth_base",), lambda: render_base(base_map(region=data.region)))
    with cols[1]:
        show_map(base, summary.choropleth, key="context_choropleth", height=380, use_container_width=True,
                 returned_objects=[])
    unmatched = summary.unmatched
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


@st.cache_data(show_spinner=False, max_entries=32)
def _near_found(url: str, incident: int, stamp: int, around: analysis.Around) -> pd.DataFrame:
    return analysis.near(_store(url), incident, around)


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
    found = _near_found(store.url, incident, query.data_stamp(store), around)
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
stamp = query.data_stamp(store)
summary = _summary(store.url, incident, stamp, flt)
_table(store, incident, flt, summary, stamp)
_analysis(summary)
_near(store, incident)
_exports(store, incident, flt)
