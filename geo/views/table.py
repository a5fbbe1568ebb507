"""The event table as the dashboard shows it, and the timeline chart (Altair). No Streamlit here."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from geo.corpus.ids import short_report_id
from geo.events.labels import event_date_label
from geo.events.model import EVENT_TYPES
from geo.events.table import Event
from geo.maps.style import UNKNOWN_COLOUR, VEGA_SHAPES, actor_colours, event_type_shapes

if TYPE_CHECKING:
    import altair as alt

DISPLAY_COLUMNS: tuple[str, ...] = (
    "id", "date", "actor", "target", "event_type", "place", "geo_precision", "fatalities", "casualties", "reports",
    "summary",
)
#: What the analyst reads as the column header (no snake_case on screen).
HEADERS: dict[str, str] = {
    "event_type": "Event type", "geo_precision": "Located to", "fatalities": "Fatalities (as claimed)",
    "reports": "Reports", "summary": "Summary", "date": "Date", "actor": "Actor", "target": "Target",
    "place": "Place",
}
COMPACT_COLUMNS: tuple[str, ...] = ("id", "date", "actor", "event_type", "place", "fatalities")
#: The fields of the "who says what" grid, in order.
GRID_FIELDS: tuple[str, ...] = ("date", "actor", "target", "place", "fatalities")
_CLAIMANT_PATTERNS = (
    re.compile(r"\b(?:claimed|reported|announced) by (?:the )?((?:[A-Z][\w’'-]*)(?: (?:[A-Z][\w’'-]*|al-\w+)){0,4})"),
    re.compile(r"\baccording to ((?:the )?[A-Z][^,.;:“”\"]{2,60})"),
    re.compile(r"(?:^|[.;:“\"]\s*|,\s+)((?:The |the )?[A-Z][\w’'-]*(?: [\w’'-]+){0,5}?)"
               r"(?:, [^,]{3,80},)? (?:said|says|reported|told|announced|claimed)\b"),
)
_NOT_CLAIMANTS = {"it", "he", "she", "they", "which", "this", "that", "we", "i"}


def _date_text(event: Event) -> str:
    return event_date_label(event)
#: how far past the last dated day an ongoing event's bar runs (it has no end: the bar runs off the chart)
ONGOING_TAIL_DAYS = 3


def claimant(quote: str) -> str:
    """Who the quote says made the claim ("Iranian officials", "Jaish al-Adl"), or '' if it names no one.

    Only what the words say: a pronoun ("it said") or no attribution gives ''."""
    for pattern in _CLAIMANT_PATTERNS:
        match = pattern.search(quote)
        if match:
            who = match.group(1).strip()
            if who.casefold() not in _NOT_CLAIMANTS:
                return who
    return ""


def who_says_what(event: Event, report_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per report with a claim about the event: the claimant the text gives (via the report),
    and what it says for each key field ('—' where it says nothing)."""
    labels = report_labels or {}
    rows = []
    for report in event.reports:
        claims = [c for c in event.claims if c.report_id == report]
        who = sorted({name for c in claims if (name := claimant(c.quote))})
        source = labels.get(report, short_report_id(report))
        row = {"Report": source, "Claimant": f"{'; '.join(who)} via {source}" if who else source}
        for field in GRID_FIELDS:
            values = list(dict.fromkeys(c.value for c in claims if c.field == field))
            row[field.capitalize()] = "; ".join(values) or "—"
        rows.append(row)
    return pd.DataFrame(rows, columns=["Report", "Claimant", *(f.capitalize() for f in GRID_FIELDS)])


def compact_event_frame(events: Sequence[Event]) -> pd.DataFrame:
    """The event list beside the map: id, date, actor, type, place, fatalities, with readable headers."""
    frame = event_display_frame(events)[list(COMPACT_COLUMNS)]
    return frame.rename(columns=HEADERS)


def event_display_frame(events: Sequence[Event], report_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per event, in the given order, with readable columns (plain text: Streamlit escapes it).
    Reports are cited by their short id (geo.corpus.ids); report_labels is accepted for callers' sake."""
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
            "casualties": e.casualties_label,
            "reports": ", ".join(short_report_id(r) for r in e.reports),
            "summary": e.summary,
        }
        for e in events
    ]
    return pd.DataFrame(rows, columns=list(DISPLAY_COLUMNS))


def timeline_chart(
    events: Sequence[Event], *, all_actors: Sequence[str] | None = None, selected_ids: Sequence[str] = (),
    shapes: Mapping[str, str] | None = None, span: tuple[date, date] | None = None,
) -> alt.Chart:
    """Events on a time axis, one lane per actor; events known only to a month or a range are drawn as a
    bar over it (their date is that uncertain), day events as points, ongoing events as a bar from the
    day the reports show them under way that runs off the right edge, with an arrowhead (no end is known).
    Colours and shapes match the map's (shapes: event type -> geo.maps.style shape). span: the days the
    axis shows (the selection's or the filter's), so a few days' exchange is not squeezed by a month-long
    event; the chart zooms and pans."""
    import altair as alt  # 0.3 s of imports: only the pages that draw a timeline pay for it (not the map's)

    colours = actor_colours(all_actors if all_actors is not None else [e.actor for e in events])
    shapes = shapes or event_type_shapes([*EVENT_TYPES, *(e.event_type for e in events)])
    frame = timeline_frame(events, selected_ids)
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
            alt.Tooltip("when:N", title="date"),
            alt.Tooltip("event_type:N", title="type"),
            alt.Tooltip("place:N"),
            alt.Tooltip("fatalities:N"),
        ],
    )
    types = list(shapes)
    shape_scale = alt.Scale(domain=types, range=[VEGA_SHAPES.get(shapes[t], "circle") for t in types])
    x_scale = alt.Scale(domain=[pd.Timestamp(span[0]).isoformat(), (pd.Timestamp(span[1]) + pd.Timedelta(
        hours=23)).isoformat()], clamp=True) if span else alt.Undefined
    # ticks on whole days (never one label per hour when the range is short); overlapping labels drop
    day_axis = alt.Axis(format="%d %b %Y", tickCount={"interval": "day", "step": 1}, labelOverlap=True, grid=True)
    x_axis = alt.X("start:T", title=None, axis=day_axis, scale=x_scale)
    spans = base.transform_filter(alt.datum.drawn == "span").mark_bar(
        opacity=0.35, height=10, cornerRadius=3, clip=True
    ).encode(x=x_axis, x2="end:T")
    ongoing = base.transform_filter(alt.datum.drawn == "ongoing")
    open_bars = ongoing.mark_bar(opacity=0.3, height=10, strokeDash=[4, 3], strokeWidth=1, clip=True).encode(
        x=x_axis, x2="end:T", stroke=alt.value("#555555"),
    )
    open_heads = ongoing.mark_point(shape="triangle-right", filled=True, size=90, clip=True).encode(
        x=alt.X("end:T", scale=x_scale))
    points = base.transform_filter(alt.datum.drawn == "point").mark_point(filled=True, size=110, clip=True).encode(
        x=x_axis,
        shape=alt.Shape("event_type:N", scale=shape_scale, legend=alt.Legend(title="event type", orient="bottom")),
        strokeWidth=alt.condition(alt.datum.selected, alt.value(3), alt.value(0)),
        stroke=alt.value("#111111"),
    )
    lanes = max(1, frame["actor"].nunique())
    # fit the width to the page but keep the height for the lanes alone (axis and legend come on top)
    return (spans + open_bars + points + open_heads).interactive(bind_y=False).properties(
        height=max(120, 32 * lanes), autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )


def _drawn(event: Event) -> str:
    if event.ongoing:
        return "ongoing"
    return "span" if event.date_precision in ("month", "range") else "point"


def timeline_frame(events: Sequence[Event], selected_ids: Sequence[str] = ()) -> pd.DataFrame:
    """One row per event: where its mark starts and ends, and how it is drawn ("point", "span" for a
    month or a range, "ongoing" for a bar with no end: it runs ONGOING_TAIL_DAYS past the last day
    any event reaches, off the chart's right edge)."""
    selected = set(selected_ids)
    last = max((e.date_end for e in events), default=None)
    tail = pd.Timestamp(last) + pd.Timedelta(days=ONGOING_TAIL_DAYS) if last else None
    columns = ["id", "start", "end", "actor", "event_type", "place", "fatalities", "precision", "when", "drawn",
               "selected"]
    rows = [
        {
            "id": e.id,
            "start": pd.Timestamp(e.date_start),
            "end": tail if e.ongoing else pd.Timestamp(e.date_end) + pd.Timedelta(hours=23),
            "actor": e.actor,
            "event_type": e.event_type,
            "place": e.place,
            "fatalities": e.fatalities_label,
            "precision": e.date_precision,
            "when": e.when,
            "drawn": _drawn(e),
            "selected": e.id in selected,
        }
        for e in events
    ]
    return pd.DataFrame(rows, columns=columns)
