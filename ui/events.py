"""Events page: the timeline (Altair) and the full event table with every claim behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.events.table import actors
from geo.views.table import event_display_frame, timeline_chart
from ui.shared import SELECTED_KEY, event_table, filter_caption, filtered_events, report_labels

table = event_table()
events = filtered_events()

st.title("Events")
filter_caption()

st.subheader("Timeline")
st.caption("Points: events dated to the day (shape = event type). Bars: events the reports date only to a month "
           "or a range. Dashed bars with an arrowhead: ongoing as of a report, no end known.")
timeline = timeline_chart(events, all_actors=actors(table.events), selected_ids=st.session_state.get(SELECTED_KEY, []))
st.altair_chart(timeline, width="stretch")

st.subheader("Event table")
st.dataframe(event_display_frame(events, report_labels()), key="events_table", hide_index=True, width="stretch")

st.subheader("What each report says")
claims = pd.DataFrame(
    [{"event": c.event_id, "report": c.report_id, "field": c.field, "value": c.value, "quote": c.quote}
     for e in events for c in e.claims],
    columns=["event", "report", "field", "value", "quote"],
)
st.dataframe(claims, key="claims_table", hide_index=True, width="stretch")

if table.problems:
    with st.expander(f"{len(table.problems)} problem(s) loading the event table"):
        for problem in table.problems:
            st.text(str(problem))
