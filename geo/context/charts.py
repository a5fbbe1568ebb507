"""Charts of the context layer (Altair specs; the page or a notebook renders them)."""

from __future__ import annotations

import altair as alt
import pandas as pd


def weekly_chart(per_week: pd.DataFrame) -> alt.VConcatChart:
    """Events per week stacked by type, and fatalities per week (the low bound) under it."""
    base = alt.Chart(per_week).encode(x=alt.X("yearmonthdate(week):T", title="week (Monday)"))
    events = base.mark_bar().encode(
        y=alt.Y("sum(events):Q", title="events"),
        color=alt.Color("event_type:N", title="event type"),
        tooltip=[alt.Tooltip("yearmonthdate(week):T", title="week"), "event_type:N", "sum(events):Q"],
    ).properties(height=220)
    deaths = base.mark_area(opacity=0.7, color="#8c2d04").encode(
        y=alt.Y("sum(fatalities):Q", title="fatalities (at least)"),
        tooltip=[alt.Tooltip("yearmonthdate(week):T", title="week"), alt.Tooltip("sum(fatalities):Q")],
    ).properties(height=140)
    return alt.vconcat(events, deaths)


def admin_chart(per_admin: pd.DataFrame, top: int = 20) -> alt.Chart:
    """Events per admin area (the `top` busiest), fatalities in the tooltip."""
    frame = per_admin.head(top)
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("events:Q"), y=alt.Y("admin1:N", sort="-x", title="admin area (as the source names it)"),
        tooltip=["admin1:N", "events:Q", "fatalities:Q"],
    ).properties(height=max(120, 22 * len(frame)))
