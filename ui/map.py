"""Map page (landing): the briefing map beside a compact event list and who says what, linked both ways.

The map is created once per visit and then updated in place: filters and selection change its feature
groups (streamlit-folium's feature_group_to_add) under a stable key, so the analyst's zoom, pan and
layer choices survive; the view moves only on "Fit to filter" or to show a selection made in the table.
"""

from __future__ import annotations

import json

import streamlit as st

from geo.corpus.ids import short_report_id
from geo.errors import DataError
from geo.events.facts import border_length_claims
from geo.events.labels import date_range_label
from geo.events.model import Event
from geo.maps.build import base_map, event_layers, events_at, fit_bounds, marker_positions
from geo.maps.elements import ApplyHidden, GoTo, ViewChange
from geo.maps.view import MapView, bbox_from_bounds
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.places.search import PlaceCandidate, search_places
from geo.views.sources import markdown_text
from geo.views.table import compact_event_frame, who_says_what
from ui.folium_cache import render_base, render_layers, show_map
from ui.shared import (
    SELECTED_KEY,
    cited_reports,
    current_view,
    data_problems_notice,
    dataset,
    event_table,
    filter_caption,
    filtered_events,
    incident_title,
    link_to,
    set_view,
    short_report_labels,
    shown_places,
    tile_url,
)

MAP_KEY = "map"
MAP_BOX = "map_box"
TABLE_KEY = "map_table"
TABLE_IDS = "_map_table_ids"
CLICKS_SEEN = "_map_clicks_seen"
CLICK_PENDING = "_map_click_pending"
BASE_BOUNDS = "_map_base_bounds"
BASE_HIDDEN = "_map_base_hidden"
BASE_EXACT = "_map_base_exact"
VIEW_CHANGE = "_map_view_change"
FIT_COUNT = "_map_fits"
GOTO_COUNT = "_map_gotos"
SEARCH_KEY = "map_place_search"
SCROLL_TO = "_map_scroll_to"
POPUP = "_map_popup"
MAP_HEIGHT = 620
RETURNED = ["last_object_clicked", "last_object_clicked_count", "bounds", "selected_layers"]


def _map_value() -> dict:
    return st.session_state.get(MAP_KEY) or {}


def _clicked(events: list[Event]) -> list[str] | None:
    """The events under a marker click not handled yet (None: no new click). The click counts as handled
    only when the run ends (_click_handled): a run interrupted by the map's next report (its bounds after the
    popup's pan) would otherwise lose the click, the next run getting the list's old selection from the browser."""
    value = _map_value()
    count = value.get("last_object_clicked_count")
    if not count or count == st.session_state.get(CLICKS_SEEN):
        return None
    st.session_state[CLICK_PENDING] = count
    return events_at(marker_positions(events), value.get("last_object_clicked")) or None


def _click_handled() -> None:
    if CLICK_PENDING in st.session_state:
        st.session_state[CLICKS_SEEN] = st.session_state.pop(CLICK_PENDING)


def _table_rows() -> list[int] | None:
    state = st.session_state.get(TABLE_KEY)
    return list(state["selection"]["rows"]) if state else None


def _selection(events: list[Event]) -> tuple[list[str], bool]:
    """The selected event ids (map click, table rows or the URL, within the filter), and whether
    the table made a new selection (then the map shows it). A selection made on the map is kept in
    SCROLL_TO (its first row, and the click) so the list can bring that row into view."""
    visible = [e.id for e in events]
    previous_ids: list[str] = st.session_state.get(TABLE_IDS, [])
    before: list[str] = list(st.session_state.get(SELECTED_KEY, []))
    rows = _table_rows()
    selected = before if rows is None else [previous_ids[r] for r in rows if 0 <= r < len(previous_ids)]
    from_table = rows is not None and selected != before
    clicked = _clicked(events)
    if clicked:
        selected, from_table = clicked, False
    selected = [i for i in selected if i in visible]
    wanted = sorted(visible.index(i) for i in selected)
    if clicked and wanted:
        st.session_state[SCROLL_TO] = (wanted[0], st.session_state[CLICK_PENDING])
    # The popup to open, once per key: the clicked event's (key: the click), or a shared link's one selected
    # event on the visit's first run (key 0); none for rows chosen in the table (the grid beside has it all).
    if clicked and len(selected) == 1:
        st.session_state[POPUP] = [selected[0], st.session_state[CLICK_PENDING]]
    elif BASE_BOUNDS not in st.session_state and len(selected) == 1 and rows is None:
        st.session_state[POPUP] = [selected[0], 0]
    elif from_table or (st.session_state.get(POPUP) or [None])[0] not in selected:
        st.session_state[POPUP] = None
    if rows is None or wanted != sorted(rows) or previous_ids != visible:
        st.session_state[TABLE_KEY] = {"selection": {"rows": wanted, "columns": [], "cells": []}}
    st.session_state[TABLE_IDS] = visible
    return selected, from_table


def _fit_to_filter() -> None:
    st.session_state[FIT_COUNT] = st.session_state.get(FIT_COUNT, 0) + 1
    st.session_state["_map_fit_requested"] = True


def _go_to(place: PlaceCandidate) -> None:
    st.session_state[GOTO_COUNT] = st.session_state.get(GOTO_COUNT, 0) + 1
    st.session_state[VIEW_CHANGE] = ("goto", f"goto-{st.session_state[GOTO_COUNT]}", place.lat, place.lon,
                                     place.zoom, place.label)


@st.cache_resource(show_spinner="Opening the gazetteer…")
def _gazetteer() -> Gazetteer:
    return load_gazetteer()


@st.cache_data(show_spinner=False, max_entries=64)
def _candidates(query: str, prefer: tuple[str, ...]) -> list[PlaceCandidate]:
    """Searched once per text (~0.2 s of CPU), not again on every rerun while the text stays in the box."""
    return search_places(query, _gazetteer(), prefer=prefer)


def _place_search() -> None:
    """Find a place in the offline gazetteer and fly the map there (the layers stay as they are)."""
    query = st.text_input("Find a place", key=SEARCH_KEY, placeholder="Town, province or country, then Enter",
                          help="Searches the offline gazetteer; accents and spelling variants do not matter. "
                               "Add a country to narrow it: “Saravan, Iran”.")
    if not query.strip():
        return
    incident = dataset().incident
    found = _candidates(" ".join(query.split()), tuple(incident.countries) if incident else ())
    if not found:
        st.caption(markdown_text(f"No place called “{query.strip()}” in the offline gazetteer."))
        return
    for number, place in enumerate(found):
        st.button(markdown_text(place.label), key=f"_map_place_{number}", on_click=_go_to, args=(place,),
                  type="tertiary", icon=":material/location_on:", help="Show it on the map")


def _view_change(events: list[Event], selected: list[str], from_table: bool) -> ViewChange | GoTo | None:
    """The one-shot view change to carry (kept across reruns; the browser runs each key once)."""
    if st.session_state.pop("_map_fit_requested", False):
        st.session_state[VIEW_CHANGE] = ("fit", f"fit-{st.session_state[FIT_COUNT]}",
                                         fit_bounds(events, region=dataset().region))
    elif from_table and selected:
        st.session_state[VIEW_CHANGE] = ("show", "show-" + ",".join(sorted(selected)),
                                         fit_bounds(events, selected, dataset().region))
    change = st.session_state.get(VIEW_CHANGE)
    if not change:
        return None
    return GoTo(*change[1:]) if change[0] == "goto" else ViewChange(*change)


def _update_view(selected: list[str]) -> None:
    """The extent and switched-off layers the map reports, and the selection, into the URL."""
    view = current_view()
    value = _map_value()
    bbox = bbox_from_bounds(value.get("bounds")) or view.bbox
    layers = value.get("selected_layers")
    hidden = tuple(sorted(x["name"] for x in layers if x.get("url") == "hidden")) if layers is not None \
        else view.hidden
    set_view(MapView(bbox=bbox, selected=tuple(selected), hidden=hidden))


def _draw_map(events: list[Event], selected: list[str], from_table: bool) -> None:
    data = dataset()
    if BASE_BOUNDS not in st.session_state:  # once per visit: the view the map opens on
        view = current_view()
        st.session_state[BASE_BOUNDS] = (
            [[view.bbox[1], view.bbox[0]], [view.bbox[3], view.bbox[2]]] if view.bbox
            else fit_bounds(events, selected, data.region))
        st.session_state[BASE_HIDDEN] = view.hidden
        st.session_state[BASE_EXACT] = view.bbox is not None
    # Every input of base_map is in its key: the rendered base is shared by every rerun and session
    # (Dataset.memo: per data stamp and incident, bounded, made once); only the layers are rendered anew.
    base_args = {"bounds": _hashable(st.session_state[BASE_BOUNDS]), "hidden": tuple(st.session_state[BASE_HIDDEN]),
                 "tile_url": tile_url(), "exact": st.session_state[BASE_EXACT], "region": data.region}
    view_change = _view_change(events, selected, from_table)
    places = shown_places(events)
    # The layers depend on what is shown only: the selection, its popup and view changes go beside them
    # (_send_command), so a click or a row selection re-sends none of the layers' ~220 KiB.
    layer_args = (tuple(e.id for e in events), tuple(places))
    try:
        base = data.memo(("base_map", tuple(sorted(base_args.items()))), lambda: render_base(base_map(**base_args)))
        layers = data.memo(("event_layers", layer_args), lambda: render_layers(event_layers(
            events, places, colours=data.colours, shapes=data.shapes, report_labels=short_report_labels(),
            open_popup=False, region=data.region, selectable=True), ApplyHidden()))
    except DataError as exc:  # a broken boundary layer: said without a traceback; the list beside still shows
        st.error(markdown_text(f"The map cannot be drawn: {exc}"))
        return
    with st.container(key=MAP_BOX):
        show_map(base, layers, key=MAP_KEY, height=MAP_HEIGHT, use_container_width=True,
                 returned_objects=RETURNED)
        _send_command(base.component_key(MAP_KEY), selected, view_change)


#: Hands the map (MapController's `command`) the selection, a popup to open and a one-shot view change. It runs
#: in the page when its text changes (a new selection, change or map), waits for the map frame's controller,
#: and is state, not a step: the map re-applies the selection after every update of its layers, so the order in
#: which this and the map's own update arrive does not matter. Only JSON goes in, with <, > and & escaped.
_COMMAND_JS = """<script>(function () {
  var cmd = %s, tries = 0;
  var me = window.__smCommandSeq = (window.__smCommandSeq || 0) + 1;  /* a newer command supersedes this one */
  var go = function () {
    if (me !== window.__smCommandSeq) { return; }
    var frame = document.querySelector('.st-key-%s iframe');
    var sm = frame && frame.contentWindow && frame.contentWindow.smMap;
    if (!sm || !sm.command) {
      if (++tries < 2400) { setTimeout(go, 50); }
      return;
    }
    sm.command(cmd);
  };
  go();
})();</script>"""


def _send_command(map_key: str, selected: list[str], change: ViewChange | GoTo | None) -> None:
    command = {"map": map_key, "selected": sorted(selected), "popup": st.session_state.get(POPUP),
               "change": change.command() if change is not None else None}
    text = json.dumps(command).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    st.html(_COMMAND_JS % (text, MAP_BOX), unsafe_allow_javascript=True)


#: Brings a row of the event list into view (the grid scrolls itself; Streamlit offers no call for it). Only
#: numbers go in; the element is drawn on every run (a script that does nothing when there is no row), so the
#: column's layout never changes, and its text changes with each click, so each click's script runs once.
_SCROLL_JS = """<script>(function () {
  var row = %d, tries = 0, ROW = 35;  /* Streamlit's default row height; the header row is as high */
  if (row < 0) { return; }
  var go = function () {
    var grid = document.querySelector('.st-key-%s [data-testid=stDataFrame]');
    var scroller = grid && grid.querySelector('.dvn-scroller');
    if (!scroller || scroller.scrollHeight < (row + 2) * ROW) {
      if (++tries < 300) { requestAnimationFrame(go); }
      return;
    }
    var top = row * ROW, room = scroller.clientHeight - ROW;
    if (top < scroller.scrollTop) { scroller.scrollTop = top; }
    else if (top + ROW > scroller.scrollTop + room) { scroller.scrollTop = top + ROW - room; }
  };
  go();
})(); /* click %d */</script>"""


def _scroll_to_row(row: int, click: int) -> None:
    st.html(_SCROLL_JS % (int(row), TABLE_KEY, int(click)), unsafe_allow_javascript=True)


def _hashable(value: object) -> object:
    return tuple(_hashable(v) for v in value) if isinstance(value, list | tuple) else value


def _header(events: list[Event]) -> None:
    st.title(markdown_text(incident_title()))
    data = dataset()
    if events:
        first, last = min(e.date_start for e in events), max(e.date_end for e in events)
        st.markdown(markdown_text(f"Reported strikes and related events, {date_range_label(first, last)}, "
                                  f"from {len(data.corpus.articles)} news reports."))
    elif not data.table.events and data.region.units:
        st.markdown(markdown_text(f"No accepted events yet: the map shows the incident's countries "
                                  f"({data.region.label}) and what the reports name."))
    filter_caption()
    data_problems_notice()


def _metrics(events: list[Event]) -> None:
    try:
        figures = border_length_claims(event_table().facts)
    except DataError:  # a broken boundary layer: the map's message says which
        figures = None
    cols = st.columns(4)
    cols[0].metric("Events shown", f"{len(events)}", help="Events in the curated table matching the filters")
    cols[1].metric("Cross-border strikes", f"{sum(1 for e in events if e.origin)}")
    cols[2].metric("Reports cited", f"{len(cited_reports(events))}",
                   help="Reports behind the events shown (within the report filter, if set)")
    if figures is not None and figures.measured is not None:
        said = ", ".join(f"{c.value} {figures.unit} ({short_report_id(c.report_id)})" for c in figures.claims)
        cols[3].metric(dataset().region.border_name or "Border length", f"{figures.measured:,.0f} km",
                       help=markdown_text(f"Measured: {figures.method}. The reports say: {said}."))


def _side_panel(events: list[Event], selected: list[str]) -> None:
    st.markdown("**Events** — select rows to highlight them; click a marker to select its row.")
    frame = compact_event_frame(events)
    st.dataframe(frame, key=TABLE_KEY, on_select="rerun", selection_mode="multi-row", hide_index=True,
                 width="stretch", height=min(38 + 35 * len(frame), 360))
    _scroll_to_row(*st.session_state.get(SCROLL_TO, (-1, 0)))
    chosen = [e for e in events if e.id in selected]
    if len(chosen) == 1:
        st.markdown("**Who says what** — " + markdown_text(chosen[0].id))
        st.dataframe(who_says_what(chosen[0], short_report_labels()), hide_index=True, width="stretch")
    elif chosen:
        st.caption(f"{len(chosen)} events selected: select one to see who says what.")


events = filtered_events()
_header(events)
selected, from_table = _selection(events)
map_col, side_col = st.columns([2, 1], gap="small")
with map_col:
    _draw_map(events, selected, from_table)
with side_col:
    _place_search()
    fit_col, print_col = st.columns(2)
    fit_col.button("Fit to filter", on_click=_fit_to_filter, icon=":material/fit_screen:",
                   help="Zoom and pan the map to every event the filters show")
    print_slot = print_col.empty()
    _side_panel(events, selected)
_update_view(selected)
print_slot.link_button("Print view", link_to("print"), icon=":material/print:",
                       help="This view (extent, selection, filters) with the event table and sources, for printing")
unlocated = [e.id for e in events if e.lat is None]
if unlocated:
    st.caption(markdown_text(f"Not on the map (place not resolved): {', '.join(unlocated)}"))
_metrics(events)
_click_handled()
