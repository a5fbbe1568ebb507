"""What every page shares: cached loading, the sidebar filters and their sync with the URL.

Thin Streamlit glue over geo/: the filter logic is geo.events.filter, the URL form geo.events.filter_params.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from geo.corpus.articles import Corpus
from geo.dataset import Dataset, DataSource, Stamp, data_stamp, load_dataset
from geo.events.filter import HIDE_CHOICES, EventFilter, filter_events
from geo.events.filter_params import ALL_PARAMS, fit_dates, from_query_params, to_query_params
from geo.events.table import Event, EventTable
from geo.maps.places import MentionedPlace
from geo.maps.view import VIEW_PARAMS, MapView, view_from_params, view_to_params
from geo.store import intake
from geo.store.engine import Store, StoreError, StoreUnreachable, database_url, open_store
from geo.store.migrate import upgrade
from geo.store.seed import default_slug
from geo.views.sources import markdown_text

FILTER_KEY = "event_filter"
SELECTED_KEY = "selected_ids"
#: the map's extent and switched-off layers (geo.maps.view.MapView; the selection is SELECTED_KEY)
VIEW_KEY = "map_view"
_INIT_KEY = "_filters_from_url"
_PROBLEMS_KEY = "_filter_url_problems"
#: A link's (since, until) when it misses the data entirely: kept, so that no event matches, until the
#: user picks dates (the date widget cannot hold dates outside the data).
_OUTSIDE_KEY = "_url_dates_outside_data"
TILE_URL_ENV = "STRIKE_MAP_TILE_URL"
WIDGET_KEYS = {"dates": "f_dates", "actor": "f_actor", "type": "f_type", "report": "f_report", "target": "f_target"}
#: one checkbox per geo.events.filter.HIDE_CHOICES key
HIDE_WIDGET_KEYS = {choice: f"f_hide_{choice}" for choice in HIDE_CHOICES}
INCIDENT_PARAM = "incident"
SESSION_INCIDENT = "_incident"
USER_KEY = "user_name"
#: a header set by a trusted reverse proxy after it authenticated the user (e.g. X-Forwarded-User); only
#: when this variable names it is the header believed
USER_HEADER_ENV = "STRIKE_MAP_USER_HEADER"
#: how the curated (seed) incident is marked in the incident selector
SEED_NOTE = " (curated files)"
#: the page title when the data names no incident (a folder read as files)
FALLBACK_TITLE = "Strike map"
#: (incident slug, Dataset) of the current run (see dataset())
_RUN_DATASET = "_run_dataset"


@st.cache_resource(show_spinner="Loading the reports and the event table…", max_entries=8)
def _dataset_for(stamp: Stamp, _source: DataSource) -> Dataset:
    """The one Dataset of a data stamp, shared by every session (geo.dataset builds it). The stamp names
    the source (its files; the store, incident and status), so the source itself is not hashed."""
    return load_dataset(_source)


@st.cache_resource(show_spinner="Opening the store…")
def _store_for(url: str) -> Store:
    opened = open_store(url)
    upgrade(opened)
    return opened


def store() -> Store:
    """The store (STRIKE_MAP_DATABASE_URL, or the SQLite file under var/), its schema brought up to date once."""
    return _store_for(database_url())


def current_incident() -> str:
    """The incident slug of this view (?incident=, else the session's last choice: page links drop the
    query), or "" for the curated seed files."""
    return st.query_params.get(INCIDENT_PARAM, "") or st.session_state.get(SESSION_INCIDENT, "")


def choose_incident(slug: str) -> None:
    st.session_state[SESSION_INCIDENT] = slug
    st.query_params.clear()
    if slug:
        st.query_params[INCIDENT_PARAM] = slug


def begin_run() -> None:
    """app.py calls this first on every run: the next dataset() call stamps the data afresh."""
    st.session_state.pop(_RUN_DATASET, None)


def dataset() -> Dataset:
    """The current incident's Dataset, by the one loader (geo.dataset): stamped once per run (files
    fingerprinted, the store's incident by its last change), so an edit by anyone shows on the next
    interaction. Once per run, not per call (a page asks a dozen times; each stamp is a few queries): a page
    that writes to the store reruns right after (they all do), so no run reads its own write's data stale."""
    slug = current_incident()
    made = st.session_state.get(_RUN_DATASET)
    if made is not None and made[0] == slug:
        return made[1]
    source = DataSource.default(incident=slug or None)
    data = _dataset_for(data_stamp(source), source)
    st.session_state[_RUN_DATASET] = (slug, data)
    return data


def current_user() -> str:
    """Who is acting: the trusted proxy header when configured, else the name typed in the sidebar."""
    header = os.environ.get(USER_HEADER_ENV)
    if header:
        proxied = (st.context.headers.get(header) or "").strip()
        if proxied:
            return proxied[:120]
    return str(st.session_state.get(USER_KEY, "")).strip()[:120]


def acting_user() -> str:
    """The name written to the change log ("unnamed analyst" until one is given)."""
    return current_user() or "unnamed analyst"


def incident_title() -> str:
    """The current incident's own title (the store's; a folder read as files has none)."""
    return dataset().title or FALLBACK_TITLE


def incidents() -> list[intake.IncidentSummary]:
    try:
        with store().read() as session:
            return intake.list_incidents(session)
    except StoreUnreachable:  # said at the top of the page (app.py), not hidden as "no incidents"
        raise
    except StoreError:
        return []


def store_unreachable_notice(exc: StoreUnreachable) -> None:
    """The outage at the top of any page: which store (no password), what failed, what to do."""
    st.error("**The store cannot be reached, so no data is shown.**  \n"
             f"**Store:** {markdown_text(exc.database)}  \n**What failed:** {markdown_text(exc.reason)}  \n"
             f"**What to do:** {markdown_text(exc.advice)} This page reconnects by itself on the next "
             "interaction, or with the button below.", icon=":material/cloud_off:")
    st.button("Try again", key="_store_retry")


def sidebar_incident() -> str:
    """The incident selector and the analyst's name, at the top of the sidebar. The default (curated)
    incident is the empty choice, listed once, under its own title."""
    known = {i.slug: i.title for i in incidents()}
    seed = _seed_slug()
    seed_label = known.pop(seed, seed or FALLBACK_TITLE) + SEED_NOTE
    slug = current_incident()
    if slug == seed:
        slug = ""
    if slug and slug not in known:
        st.sidebar.warning(markdown_text(f"No incident {slug!r} in the store; showing the curated files."))
        choose_incident("")
        slug = ""
    st.session_state[SESSION_INCIDENT] = slug
    if slug and st.query_params.get(INCIDENT_PARAM) != slug:
        st.query_params[INCIDENT_PARAM] = slug
    options = ["", *known]
    # no key: the widget's identity includes its index, so a choice made elsewhere (a new incident, a link)
    # makes a new widget, and a stale value from the browser can never switch the incident back
    choice = st.sidebar.selectbox("Incident", options, index=options.index(slug),
                                  format_func=lambda s: known.get(s, s) if s else seed_label)
    if choice != slug:
        choose_incident(choice)
        for key in (_INIT_KEY, SELECTED_KEY):
            st.session_state.pop(key, None)
        st.rerun()
    if os.environ.get(USER_HEADER_ENV) and current_user():
        st.sidebar.caption(markdown_text(f"Signed in as {current_user()}"))
    else:
        st.sidebar.text_input("Your name (for the change log)", key=USER_KEY, max_chars=120)
    return slug


def _seed_slug() -> str:
    try:
        return default_slug()
    except (LookupError, OSError):
        return ""


def event_table() -> EventTable:
    return dataset().table


def corpus() -> Corpus:
    return dataset().corpus


def mention_rows(reports: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Every place the reports name (only the given reports', if any), with mention counts."""
    with st.spinner("Finding the places the reports name…"):
        return dataset().mention_rows(reports)


def cited_reports(events: list[Event]) -> frozenset[str]:
    """The reports behind the shown events, within the report filter if one is set."""
    cited = frozenset(r for e in events for r in e.reports)
    wanted = current_filter().reports
    return cited & wanted if wanted else cited


def shown_places(events: list[Event]) -> list[MentionedPlace]:
    """The places named by the reports behind the shown events (so the layer follows every filter)."""
    reports = cited_reports(events)
    if not reports:
        return []
    with st.spinner("Finding the places the reports name…"):
        return dataset().places(reports)


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


def data_date_range(table: EventTable, window: tuple[date | None, date | None] = (None, None)) -> tuple[date, date]:
    """The events' date span; with none yet, the incident's date window (else today)."""
    if not table.events:
        today = date.today()
        lo, hi = window[0] or window[1] or today, window[1] or window[0] or today
        return lo, hi
    return min(e.date_start for e in table.events), max(e.date_end for e in table.events)


def _date_range() -> tuple[date, date]:
    data = dataset()
    return data_date_range(data.table, data.incident.window if data.incident else (None, None))


def _url_params(keys: tuple[str, ...] = ALL_PARAMS) -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in keys if key in st.query_params}


def current_view() -> MapView:
    """The map's extent, selection and switched-off layers as the URL shows them."""
    view: MapView = st.session_state.get(VIEW_KEY, MapView())
    return MapView(bbox=view.bbox, selected=tuple(st.session_state.get(SELECTED_KEY, [])), hidden=view.hidden)


def set_view(view: MapView) -> None:
    st.session_state[VIEW_KEY] = view
    st.session_state[SELECTED_KEY] = list(view.selected)
    sync_url()


def _link_params() -> dict[str, list[str]]:
    params = {**to_query_params(current_filter()), **view_to_params(current_view())}
    if current_incident():
        params[INCIDENT_PARAM] = [current_incident()]
    return params


def link_to(url_path: str) -> str:
    """A relative link to another page with this view's incident, filter, extent and selection."""
    query = urlencode([(k, v) for k, values in _link_params().items() for v in values])
    return f"{url_path}?{query}" if query else url_path


def sync_url() -> None:
    """Incident, filter and view in the URL (only when they changed: writing it is a message to the browser)."""
    params = _link_params()
    if params != _url_params((*ALL_PARAMS, *VIEW_PARAMS, INCIDENT_PARAM)):
        st.query_params.from_dict(params)


def _init_from_url(table: EventTable, known: Mapping[str, Collection[str]]) -> None:
    """Once per session (a reload is a new session): widget state from the query parameters."""
    if st.session_state.get(_INIT_KEY):
        return
    flt, problems = from_query_params(_url_params(), known)
    lo, hi = _date_range()
    dates, date_problems, outside = fit_dates(flt.since, flt.until, lo, hi)
    problems += date_problems
    st.session_state[WIDGET_KEYS["dates"]] = dates
    st.session_state[_OUTSIDE_KEY] = (flt.since, flt.until) if outside else None
    st.session_state[WIDGET_KEYS["actor"]] = sorted(flt.actors)
    st.session_state[WIDGET_KEYS["type"]] = [t for t in known["type"] if t in flt.event_types]
    st.session_state[WIDGET_KEYS["report"]] = sorted(flt.reports)
    st.session_state[WIDGET_KEYS["target"]] = sorted(flt.targets)
    view, view_problems = view_from_params(_url_params(VIEW_PARAMS), [e.id for e in table.events])
    st.session_state[VIEW_KEY] = view
    st.session_state[SELECTED_KEY] = list(view.selected)
    for choice, key in HIDE_WIDGET_KEYS.items():
        st.session_state[key] = choice in flt.hide
    st.session_state[_PROBLEMS_KEY] = problems + view_problems
    st.session_state[_INIT_KEY] = True


def _follow_date_bounds(lo: date, hi: date) -> None:
    """When the data's date range changes (an event accepted, an incident switched), a full-range picker
    follows it and a narrower one is kept inside it (a picked range is never silently widened)."""
    previous = st.session_state.get("_date_bounds")
    st.session_state["_date_bounds"] = (lo, hi)
    picked = st.session_state.get(WIDGET_KEYS["dates"])
    if previous is None or previous == (lo, hi) or not isinstance(picked, tuple | list) or len(picked) != 2:
        return
    since, until = picked
    if (since, until) == tuple(previous):
        st.session_state[WIDGET_KEYS["dates"]] = (lo, hi)
    else:
        since, until = min(max(since, lo), hi), max(min(until, hi), lo)
        st.session_state[WIDGET_KEYS["dates"]] = (since, until)


def _reset() -> None:
    st.session_state[WIDGET_KEYS["dates"]] = _date_range()
    for key in ("actor", "type", "report", "target"):
        st.session_state[WIDGET_KEYS[key]] = []
    for key in HIDE_WIDGET_KEYS.values():
        st.session_state[key] = False
    st.session_state[SELECTED_KEY] = []
    st.session_state[_OUTSIDE_KEY] = None


def _dates_picked() -> None:
    st.session_state[_OUTSIDE_KEY] = None


def sidebar_filters() -> EventFilter:
    """Draw the shared filters in the sidebar, write them to the URL and return the filter."""
    table = event_table()
    known = dataset().vocabulary.as_mapping()
    _init_from_url(table, known)
    labels = report_labels()
    lo, hi = _date_range()
    _follow_date_bounds(lo, hi)
    with st.sidebar:
        st.markdown("### Filters")
        picked = st.date_input("Date range", min_value=lo, max_value=hi, key=WIDGET_KEYS["dates"],
                               format="YYYY-MM-DD", help="Events whose date span overlaps this range.",
                               on_change=_dates_picked)
        # Typing matches a substring (not a fuzzy subsequence: "002" must not find "001 … 2024"), and
        # Enter takes the top match (no "select all matches").
        exact = {"filter_mode": "contains", "select_all": False}
        st.multiselect("Actor", known["actor"], key=WIDGET_KEYS["actor"], placeholder="All actors", **exact)
        st.multiselect("Event type", known["type"], key=WIDGET_KEYS["type"], placeholder="All event types", **exact)
        st.multiselect("Report", known["report"], key=WIDGET_KEYS["report"], placeholder="All reports",
                       format_func=lambda r: labels.get(r, r), help="Events that this report supports.", **exact)
        st.multiselect("Target", known["target"], key=WIDGET_KEYS["target"], placeholder="All targets",
                       help="Events whose target, as any report names it, is this.", **exact)
        for choice, key in HIDE_WIDGET_KEYS.items():
            st.checkbox(f"Hide {HIDE_CHOICES[choice]}", key=key,
                        help="Their date is too vague to place them in a short window.")
        st.button("Reset filters", on_click=_reset, width="stretch")
        for problem in st.session_state.get(_PROBLEMS_KEY, []):
            st.warning(markdown_text(f"Link: {problem}"))
    since, until = ([*list(picked), None, None])[:2] if isinstance(picked, tuple | list) else (picked, picked)
    if since is not None and until is None:  # the user is half-way through picking a range
        until = since
    if st.session_state.get(_OUTSIDE_KEY):  # a link's dates outside the data: nothing matches
        since, until = st.session_state[_OUTSIDE_KEY]
    flt = EventFilter(
        since=since if since and since != lo else None,
        until=until if until and until != hi else None,
        actors=frozenset(st.session_state[WIDGET_KEYS["actor"]]),
        event_types=frozenset(st.session_state[WIDGET_KEYS["type"]]),
        reports=frozenset(st.session_state[WIDGET_KEYS["report"]]),
        targets=frozenset(st.session_state[WIDGET_KEYS["target"]]),
        hide=frozenset(choice for choice, key in HIDE_WIDGET_KEYS.items() if st.session_state.get(key)),
    )
    st.session_state[FILTER_KEY] = flt
    sync_url()
    return flt


def current_filter() -> EventFilter:
    """The filter the sidebar set in this run (pages call this; app.py draws the sidebar first)."""
    return st.session_state.get(FILTER_KEY, EventFilter())


def filtered_events() -> list[Event]:
    return filter_events(event_table().events, current_filter())


def filter_caption() -> None:
    flt = current_filter()
    events = filtered_events()
    total = len(event_table().events)
    st.caption(markdown_text(f"{flt.describe()} · {len(events)} of {total} events"))
