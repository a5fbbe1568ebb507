"""The event table as the dashboard shows it, and the timeline chart (Altair). No Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from geo.events.table import Event
from geo.maps.style import UNKNOWN_COLOUR, actor_colours

DISPLAY_COLUMNS: tuple[str, ...] = (
    "id", "date", "actor", "target", "event_type", "place", "geo_precision", "fatalities", "reports", "summary",
)


def _date_text(event: Event) -> str:
    if event.date_precision == "month":
        return f"{event.date_start:%Y-%m} (month)"
    if event.date_end != event.date_start:
        return f"{event.date_start.isoformat()} – {event.date_end.isoformat()}"
    return event.date_start.isoformat()


#: Ticks on whole days (never one label per hour when the range is short); overlapping labels drop.
_DAY_AXIS = alt.Axis(format="%d %b %Y", tickCount={"interval": "day", "step": 1}, labelOverlap=True, grid=True)


def event_display_frame(events: Sequence[Event], report_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per event, in the given order, with readable columns (plain text: Streamlit escapes it)."""
    labels = report_labels or {}
    rows = [
        {
            "id": e.id,
            "date": _date_text(e),
            "actor": e.actor,
            "target": e.target,
            "event_type": e.event_type,
            "place": e.place,
            "geo_precision": e.geo_precision,
            "fatalities": e.fatalities_label,
            "reports": ", ".join(labels.get(r, r)[:3] if r in labels else r[:3] for r in e.reports),
            "summary": e.summary,
        }
        for e in events
    ]
    return pd.DataFrame(rows, columns=list(DISPLAY_COLUMNS))


def timeline_chart(
    events: Sequence[Event], *, all_actors: Sequence[str] | None = None, selected_ids: Sequence[str] = ()
) -> alt.Chart:
    """Events on a time axis, one lane per actor; month-precision events are drawn as a bar over the
    month (their date is that uncertain), day events as points. Colours match the map's."""
    colours = actor_colours(all_actors if all_actors is not None else [e.actor for e in events])
    selected = set(selected_ids)
    frame = pd.DataFrame(
        [
            {
                "id": e.id,
                "start": pd.Timestamp(e.date_start),
                "end": pd.Timestamp(e.date_end) + pd.Timedelta(hours=23),
                "actor": e.actor,
                "event_type": e.event_type,
                "place": e.place,
                "fatalities": e.fatalities_label,
                "precision": e.date_precision,
                "selected": e.id in selected,
            }
            for e in events
        ],
        columns=["id", "start", "end", "actor", "event_type", "place", "fatalities", "precision", "selected"],
    )
    # events of one actor on the same day (or the same month) share a spot: give each its own row in the lane
    frame["slot"] = frame.groupby(["actor", "start", "end"]).cumcount() if len(frame) else 0
    domain = list(colours) or ["(none)"]
    scale = alt.Scale(domain=domain, range=[colours.get(a, UNKNOWN_COLOUR) for a in domain])
    base = alt.Chart(frame).encode(
        y=alt.Y("actor:N", title=None, sort=domain, axis=alt.Axis(labelOverlap=False, labelLimit=220)),
        yOffset=alt.YOffset("slot:O"),
        color=alt.Color("actor:N", scale=scale, legend=None),
        tooltip=[
            alt.Tooltip("id:N", title="event"),
            alt.Tooltip("start:T", title="from", format="%d %b %Y"),
            alt.Tooltip("end:T", title="to", format="%d %b %Y"),
            alt.Tooltip("event_type:N", title="type"),
            alt.Tooltip("place:N"),
            alt.Tooltip("fatalities:N"),
        ],
    )
    spans = base.transform_filter(alt.datum.precision == "month").mark_bar(
        opacity=0.35, height=10, cornerRadius=3
    ).encode(x=alt.X("start:T", title=None, axis=_DAY_AXIS), x2="end:T")
    points = base.transform_filter(alt.datum.precision != "month").mark_point(filled=True, size=110).encode(
        x=alt.X("start:T", title=None, axis=_DAY_AXIS),
        shape=alt.Shape("event_type:N", legend=alt.Legend(title="event type", orient="bottom")),
        strokeWidth=alt.condition(alt.datum.selected, alt.value(3), alt.value(0)),
        stroke=alt.value("#111111"),
    )
    lanes = max(1, frame["actor"].nunique())
    # fit the width to the page but keep the height for the lanes alone (axis and legend come on top)
    return (spans + points).properties(
        height=max(120, 32 * lanes), autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )
