"""What every page shares: cached loading, the sidebar filters and their sync with the URL.

Thin Streamlit glue over geo/: the filter logic is geo.events.filter, the URL form geo.events.filter_params.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.corpus.articles import Corpus
from geo.dataset import Dataset, Stamp, data_stamp, load_dataset
from geo.events.filter import EventFilter, filter_events
from geo.events.filter_params import ALL_PARAMS, from_query_params, to_query_params
from geo.events.table import Event, EventTable, to_geodataframe
from geo.views.sources import markdown_text

FILTER_KEY = "event_filter"
SELECTED_KEY = "selected_ids"
_INIT_KEY = "_filters_from_url"
_PROBLEMS_KEY = "_filter_url_problems"
TILE_URL_ENV = "STRIKE_MAP_TILE_URL"
WIDGET_KEYS = {"dates": "f_dates", "actor": "f_actor", "type": "f_type", "report": "f_report"}


@st.cache_resource(show_spinner="Loading the reports and the event table…", max_entries=2)
def _dataset_for(stamp: Stamp) -> Dataset:
    """The one Dataset of a data stamp, shared by every session (geo.dataset builds it)."""
    return load_dataset()


def dataset() -> Dataset:
    """The current Dataset: files are fingerprinted on every run, so an edit shows on the next interaction."""
    return _dataset_for(data_stamp())


def event_table() -> EventTable:
    return dataset().table


def corpus() -> Corpus:
    return dataset().corpus


def mention_rows(reports: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Every place the reports name (only the given reports', if any), with mention counts."""
    with st.spinner("Finding the places the reports name…"):
        return dataset().mention_rows(reports)


def data_problems_notice() -> None:
    """One line on any page when some input did not load cleanly (the details are on Events and Sources)."""
    count = len(dataset().problems)
    if count:
        st.warning(f"{count} problem(s) loading the data: the rest is shown. Details: Events page (event "
                   "table) and Sources page (reports).", icon="⚠️")


def report_labels() -> dict[str, str]:
    return {a.id: a.label for a in corpus().articles}


def short_report_labels() -> dict[str, str]:
    """report id -> "001 · AP" (the label without the headline)."""
    return {a.id: " · ".join(a.label.split(" · ")[:2]) for a in corpus().articles}


def tile_url() -> str | None:
    """An online tile layer to offer on the map (off by default), from STRIKE_MAP_TILE_URL, e.g.
    https://tile.openstreetmap.org/{z}/{x}/{y}.png; unset, the map needs no network at all."""
    return os.environ.get(TILE_URL_ENV) or None


def data_date_range(table: EventTable) -> tuple[date, date]:
    if not table.events:
        today = date.today()
        return today, today
    return min(e.date_start for e in table.events), max(e.date_end for e in table.events)


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in ALL_PARAMS if key in st.query_params}


def _init_from_url(table: EventTable, known: Mapping[str, Collection[str]]) -> None:
    """Once per session (a reload is a new session): widget state from the query parameters."""
    if st.session_state.get(_INIT_KEY):
        return
    flt, problems = from_query_params(_url_params(), known)
    lo, hi = data_date_range(table)
    since = min(max(flt.since or lo, lo), hi)
    until = max(min(flt.until or hi, hi), lo)
    st.session_state[WIDGET_KEYS["dates"]] = (since, until)
    st.session_state[WIDGET_KEYS["actor"]] = sorted(flt.actors)
    st.session_state[WIDGET_KEYS["type"]] = [t for t in known["type"] if t in flt.event_types]
    st.session_state[WIDGET_KEYS["report"]] = sorted(flt.reports)
    st.session_state["_url_targets"] = sorted(flt.targets)
    st.session_state[_PROBLEMS_KEY] = problems
    st.session_state[_INIT_KEY] = True


def _reset() -> None:
    table = event_table()
    st.session_state[WIDGET_KEYS["dates"]] = data_date_range(table)
    for key in ("actor", "type", "report"):
        st.session_state[WIDGET_KEYS[key]] = []
    st.session_state["_url_targets"] = []
    st.session_state[SELECTED_KEY] = []


def sidebar_filters() -> EventFilter:
    """Draw the shared filters in the sidebar, write them to the URL and return the filter."""
    table = event_table()
    known = dataset().vocabulary.as_mapping()
    _init_from_url(table, known)
    labels = report_labels()
    lo, hi = data_date_range(table)
    with st.sidebar:
        st.markdown("### Filters")
        picked = st.date_input("Date range", min_value=lo, max_value=hi, key=WIDGET_KEYS["dates"],
                               format="YYYY-MM-DD", help="Events whose date span overlaps this range.")
        st.multiselect("Actor", known["actor"], key=WIDGET_KEYS["actor"], placeholder="All actors")
        st.multiselect("Event type", known["type"], key=WIDGET_KEYS["type"], placeholder="All event types")
        st.multiselect("Report", known["report"], key=WIDGET_KEYS["report"], placeholder="All reports",
                       format_func=lambda r: labels.get(r, r), help="Events that this report supports.")
        st.button("Reset filters", on_click=_reset, width="stretch")
        for problem in st.session_state.get(_PROBLEMS_KEY, []):
            st.warning(markdown_text(f"Link: {problem}"))
    since, until = ([*list(picked), None, None])[:2] if isinstance(picked, tuple | list) else (picked, picked)
    if since is not None and until is None:  # the user is half-way through picking a range
        until = since
    flt = EventFilter(
        since=since if since and since != lo else None,
        until=until if until and until != hi else None,
        actors=frozenset(st.session_state[WIDGET_KEYS["actor"]]),
        event_types=frozenset(st.session_state[WIDGET_KEYS["type"]]),
        reports=frozenset(st.session_state[WIDGET_KEYS["report"]]),
        targets=frozenset(st.session_state.get("_url_targets", [])),
    )
    params = to_query_params(flt)
    if params != _url_params():
        st.query_params.from_dict(params)
    st.session_state[FILTER_KEY] = flt
    return flt


def current_filter() -> EventFilter:
    """The filter the sidebar set in this run (pages call this; app.py draws the sidebar first)."""
    return st.session_state.get(FILTER_KEY, EventFilter())


def filtered_events() -> list[Event]:
    return filter_events(event_table().events, current_filter())


def filtered_frame() -> gpd.GeoDataFrame:
    """The filtered events as a GeoDataFrame (geo.events.table.to_geodataframe)."""
    return to_geodataframe(filtered_events())


def filter_caption() -> None:
    flt = current_filter()
    events = filtered_events()
    total = len(event_table().events)
    st.caption(markdown_text(f"{flt.describe()} · {len(events)} of {total} events"))
