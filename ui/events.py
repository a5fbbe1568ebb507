"""Events page: the timeline (Altair) and the full event table with every claim behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.events.table import actors
from geo.views.table import HEADERS, event_display_frame, timeline_chart
from ui.shared import (
    SELECTED_KEY,
    current_filter,
    dataset,
    event_table,
    filter_caption,
    filtered_events,
    report_labels,
    short_report_labels,
)

table = event_table()
events = filtered_events()

st.title("Events")
filter_caption()

st.subheader("Timeline")
st.caption("Points: events dated to the day (shape = event type, as on the map). Bars: events the reports date "
           "only to a month or a range. Dashed bars with an arrowhead: ongoing as of a report, no end known. "
           "Drag to pan, scroll to zoom.")
selected = [e for e in events if e.id in st.session_state.get(SELECTED_KEY, [])]
flt = current_filter()
if selected:  # the timeline zooms to the selection, else to the filter's dates
    span = (min(e.date_start for e in selected), max(e.date_end for e in selected))
elif flt.since or flt.until:
    span = (flt.since or min(e.date_start for e in table.events), flt.until or max(e.date_end for e in table.events))
else:
    span = None
timeline = timeline_chart(events, all_actors=actors(table.events), selected_ids=[e.id for e in selected],
                          shapes=dataset().shapes, span=span)
st.altair_chart(timeline, width="stretch")

st.subheader("Event table")
st.dataframe(event_display_frame(events, report_labels()).rename(columns=HEADERS), key="events_table",
             hide_index=True, width="stretch")

st.subheader("What each report says")
short = short_report_labels()
claims = pd.DataFrame(
    [{"Event": c.event_id, "Report": short.get(c.report_id, c.report_id[:3]), "Field": c.field, "Value": c.value,
      "Quote": c.quote} for e in events for c in e.claims],
    columns=["Event", "Report", "Field", "Value", "Quote"],
)
st.dataframe(claims, key="claims_table", hide_index=True, width="stretch")

if table.problems:
    with st.expander(f"{len(table.problems)} problem(s) loading the event table"):
        for problem in table.problems:
            st.text(str(problem))
