"""The Review page's place-mention section: a report's place mentions as resolved, and for one of them the
gazetteer's other candidates on a small map; pick another, mark it "not a place", or search for another name
(each a click, then a confirmation); the events the mention placed follow it, and the page says which moved and
which kept their place. Logic: geo.views.mentions, geo.maps.mention_map, intake.correct_mention."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo.maps.mention_map import choice_key, mention_map
from geo.store import intake
from geo.store.engine import StoreError
from geo.views.mentions import (
    MentionRow,
    PlaceChoice,
    mention_table,
    place_choices,
    replacing_notice,
    report_mentions,
)
from geo.views.sources import markdown_text
from ui.shared import acting_user, dataset, store

PENDING = "_mention_pending"
NOTICE = "_mention_notice"
MAP_HEIGHT = 320


def mention_section(reports: dict[int, str]) -> None:
    st.subheader("Place mentions")
    st.caption("Where each place named in a report was resolved. Correct one: pick another place of that name, "
               "search the gazetteer for another name, or say it is not a place. The map, the Sources page and "
               "the exports follow at once, and so do the candidate and accepted events placed by it; a place an "
               "analyst set by hand is never overwritten.")
    _notice()
    report_id = st.selectbox("Report (its place mentions)", list(reports), format_func=lambda r: reports[r],
                             key="mention_report")
    with store().read() as session:
        rows = report_mentions(session, report_id)
    if not rows:
        st.caption("No place named in this report.")
        return
    st.dataframe(mention_table(rows), hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 280))
    labels = {r.id: r.label for r in rows}
    chosen = st.selectbox("Mention to correct", list(labels), format_func=lambda i: labels[i], key="mention_pick")
    _correct(next(r for r in rows if r.id == chosen))


def _notice() -> None:
    """What the last correction did: the mention, then the events that moved, lost their place or kept it."""
    shown = st.session_state.pop(NOTICE, None)
    if not shown:
        return
    text, replacing = shown
    st.success(markdown_text(text), icon=":material/where_to_vote:")
    notice = replacing_notice(replacing)
    if notice.moved:
        st.success(markdown_text("Events placed again: " + "; ".join(notice.moved)), icon=":material/moving:")
    if notice.unplaced:
        st.warning(markdown_text("Events left without a place: " + "; ".join(notice.unplaced)),
                   icon=":material/location_off:")
    for line in notice.kept:
        st.info(markdown_text(line), icon=":material/lock:")


def _correct(row: MentionRow) -> None:
    search = st.text_input("Search the gazetteer for another name", key=f"mention_search_{row.id}",
                           placeholder=row.written, max_chars=120).strip()
    choices = {choice_key(c): c for c in place_choices(row, search)}
    current = choice_key(row.place) if row.place else None
    map_col, pick_col = st.columns([3, 2])
    with pick_col:
        considered = _pick(row, choices, current, search)
    with map_col:
        if choices:
            st_folium(mention_map(list(choices.values()), current, considered, dataset().region), height=MAP_HEIGHT,
                      use_container_width=True, returned_objects=[],
                      key=f"mention_map_{row.id}")  # one map per mention, redrawn when its markers change
        else:
            st.info(markdown_text(f"No place named {search or row.written!r} in the gazetteer."))


def _pick(row: MentionRow, choices: dict[str, PlaceChoice], current: str | None, search: str) -> str | None:
    """The candidate list and the buttons; returns the candidate being considered."""
    considered = None
    if choices:
        considered = st.radio("Places of that name", list(choices), key=f"mention_choice_{row.id}_{search}",
                              format_func=lambda k: ("✓ " if k == current else "") + choices[k].label)
        if st.button("Use this place", disabled=considered == current, key=f"mention_use_{row.id}"):
            _ask(row, choices[considered])
    if st.button("Not a place", disabled=row.not_a_place, key=f"mention_none_{row.id}"):
        _ask(row, None)
    _confirm(row)
    return considered


def _ask(row: MentionRow, place: PlaceChoice | None) -> None:
    st.session_state[PENDING] = {"mention_id": row.id, "place": place}


def _confirm(row: MentionRow) -> None:
    pending: dict[str, Any] | None = st.session_state.get(PENDING)
    if not pending or pending["mention_id"] != row.id:
        return
    place: PlaceChoice | None = pending["place"]
    what = place.label if place else "not a place"
    with st.container(border=True):
        st.markdown(markdown_text(f"“{row.written}” → {what}"))
        if st.button("Confirm the place", type="primary", key=f"mention_confirm_{row.id}"):
            try:
                replacing = store().write(lambda s: intake.correct_mention(
                    s, row.id, place.as_place() if place else None, acting_user()))
            except StoreError as exc:
                st.error(markdown_text(str(exc)))
                return
            st.session_state.pop(PENDING, None)
            st.session_state[NOTICE] = (f"“{row.written}” now {'points at ' + what if place else 'is not a place'}",
                                        replacing)
            st.rerun()
        st.button("Cancel", key=f"mention_cancel_{row.id}", on_click=lambda: st.session_state.pop(PENDING, None))
