"""Since the last briefing: mark a briefing as given (its time and the export made), then see what changed
since: new reports, new and changed events and figures, new disagreements. Logic: geo.views.changes."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.orm import Session

from geo.events.filter_params import to_query_params
from geo.export import FORMATS, file_name
from geo.export.cache import export_bytes
from geo.store import repo
from geo.views.changes import SinceBriefing, since_last_briefing
from geo.views.sources import markdown_text
from ui.shared import acting_user, current_filter, current_incident, dataset, incident_title, store

MAP_TABLE_KEY = "map_table"
MAP_TABLE_IDS = "_map_table_ids"


def _mark_briefing(slug: str) -> None:
    flt = current_filter()
    png_name = file_name(flt.describe(), FORMATS["png"])
    png = export_bytes(dataset(), flt, "png", incident_title())
    st.download_button("Download the briefing PNG", data=png, file_name=png_name, mime="image/png",
                       on_click="ignore", icon=":material/download:", key="briefing_png")
    note = st.text_input("Note (optional)", max_chars=300, key="briefing_note")
    if st.button("Mark briefing as given", type="primary"):
        def work(session: Session) -> None:
            incident = repo.require_incident(session, slug)
            repo.mark_briefing(session, incident, acting_user(), to_query_params(flt), export_file=png_name,
                               note=note)

        store().write(work)
        st.rerun()


def _highlight_on_map(keys: list[str]) -> None:
    visible = [e.id for e in dataset().table.events if e.id in keys]
    st.session_state[MAP_TABLE_IDS] = visible
    st.session_state[MAP_TABLE_KEY] = {"selection": {"rows": list(range(len(visible))), "columns": [],
                                                     "cells": []}}


def _since(summary: SinceBriefing) -> None:
    if summary.briefing is None:
        st.caption("No briefing marked yet: everything below is new.")
    else:
        b = summary.briefing
        st.markdown(markdown_text(f"Last briefing: {b.given_at:%Y-%m-%d %H:%M} UTC by {b.given_by or 'unknown'}"
                                  f" · export {b.export_file or 'none'}"))
    if summary.empty:
        st.success("Nothing changed since the last briefing.")
        return
    st.subheader(f"New reports ({len(summary.reports)})")
    for line in summary.reports:
        st.markdown(markdown_text(f"{line.at:%Y-%m-%d %H:%M} · {line.who} · {line.what}"))
    st.subheader(f"New and changed events ({len(summary.events)})")
    for line in summary.events:
        st.markdown(markdown_text(f"{line.at:%Y-%m-%d %H:%M} · {line.who} · {line.what}"))
    st.subheader(f"New disagreements ({len(summary.disagreements)})")
    for text in summary.disagreements:
        st.markdown(markdown_text(text))
    keys = sorted(summary.event_keys)
    if keys and st.button("Highlight these events on the map"):
        _highlight_on_map(keys)
        st.switch_page("ui/map.py")


st.title("Since the last briefing")
slug = current_incident()
if not slug:
    st.info("Pick an incident from the store in the sidebar: briefings are recorded per incident.")
else:
    st.caption(markdown_text(f"Incident: {incident_title()}"))
    with st.container(border=True):
        _mark_briefing(slug)
    with store().read() as session:
        summary = since_last_briefing(session, slug)
    _since(summary)
