"""Briefing export page: the view on the map (extent, selection) and the filtered table as PNG, PDF, HTML,
CSV, GeoJSON, KML and KMZ.

Thin: the filter comes from the shared sidebar and the view from the map page (ui.shared); every export is
geo.export, cached in geo.export.cache. The title and the options are a form: "Make export" (or Enter)
submits them together, the preview is redrawn, and every download below is built from the submitted values.
A download made while a typed title was not yet submitted would run before the rerun that carries it (the
bug of issue 15), so nothing is read from a widget that the form has not submitted.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo.context.query import ContextFilter
from geo.context.snapshot import briefing_context
from geo.dataset import Dataset
from geo.errors import DataError
from geo.events.filter import EventFilter, filter_events
from geo.export import FORMATS, file_name
from geo.export.briefing import DEFAULT_TITLE, ChangesBox, ContextLayer
from geo.export.cache import export_bytes
from geo.maps.view import MapView
from geo.store.engine import StoreError
from geo.store.intake import incident_stamp
from geo.views.changes import changes_box
from geo.views.sources import markdown_text
from ui.shared import current_filter, current_view, dataset, filter_caption, store

TITLE_KEY = "briefing_title"
CHANGES_KEY = "briefing_changes"
CONTEXT_KEY = "briefing_context"
FORM_KEY = "briefing_export"


def _default_title() -> str:
    """The incident's own title (a folder read as files has none)."""
    return dataset().title or DEFAULT_TITLE


@st.cache_resource(show_spinner="Reading the context layer…", max_entries=4)
def _context_layer(slug: str, stamp: tuple[str, int], flt: ContextFilter) -> ContextLayer | None:
    """The incident's context events within the filter's dates (read again when the incident changes)."""
    return briefing_context(store(), slug, flt)


def _context(slug: str, flt: EventFilter) -> ContextLayer | None:
    try:
        with store().read() as session:
            stamp = incident_stamp(session, slug)
        return _context_layer(slug, stamp, ContextFilter(since=flt.since, until=flt.until))
    except StoreError:
        return None


def _changes(slug: str) -> ChangesBox | None:
    try:
        with store().read() as session:
            return changes_box(session, slug)
    except StoreError as exc:
        st.warning(markdown_text(f"The changes since the last briefing cannot be read: {exc}"))
        return None


def preview_alt(title: str, flt: EventFilter, view: MapView, events: int, context: int) -> str:
    """What the preview shows, for a screen reader: title, extent, filters, number of events."""
    extent = (f"extent {', '.join(f'{v:g}' for v in view.bbox)} (W, S, E, N)" if view.bbox
              else "extent fitted to the events")
    parts = [f"Map preview: {title}", extent, f"{events} event{'s' * (events != 1)}", flt.describe()]
    if context:
        parts.append(f"{context:,} context events as hexagons")
    return " · ".join(parts)


#: Formats handed to the download button as bytes: the PNG (made for the preview anyway) and those made in
#: well under 0.2 s (then kept in the Dataset's memo). The PDF and the HTML take 0.4-3.5 s, so they are made
#: only when clicked (a deferred download). A deferred file is stored unreferenced by any session, and
#: Streamlit 1.67 deletes such files at the second end of *any* session's run: on a busy server the browser's
#: fetch can then find it gone (HTTP 404; bench/load.py saw 5 of 25 sessions lose a deferred CSV or KML at
#: 25 sessions on one process). A file given as bytes belongs to this session's page and stays.
MADE_NOW = frozenset({"png", "csv", "claims_csv", "geojson", "kml", "kmz"})


def _download(data: Dataset, flt: EventFilter, view: MapView, key: str, title: str, changes: ChangesBox | None,
              context: ContextLayer | None) -> bytes | Callable[[], bytes]:
    if key in MADE_NOW:
        return export_bytes(data, flt, key, title, view, changes, context)
    return lambda: export_bytes(data, flt, key, title, view, changes, context)


st.title("Briefing export")
filter_caption()
flt = current_filter()
view = current_view()
if view.describe():
    st.caption(f"As on the map: {view.describe()}")
data = dataset()
slug = data.incident.slug if data.incident else ""
context = _context(slug, flt) if slug else None

with st.form(FORM_KEY, enter_to_submit=True):
    st.text_input("Title on the map", value=_default_title(), max_chars=120, key=TITLE_KEY)
    st.checkbox("Add a “changes since the last briefing” box to the PNG and PDF", value=False, key=CHANGES_KEY,
                disabled=not slug, help="New reports, new and changed events and figures, new disagreements "
                "since the last briefing marked as given (What changed page).")
    if context is not None:
        st.checkbox(f"Draw the context layer ({len(context):,} events, aggregated as hexagons)", value=True,
                    key=CONTEXT_KEY)
    st.form_submit_button("Make export", type="primary", icon=":material/refresh:")

# only what the form submitted (a typed, unsubmitted title stays in the browser)
title = (st.session_state.get(TITLE_KEY) or "").strip() or _default_title()
changes = _changes(slug) if slug and st.session_state.get(CHANGES_KEY) else None
drawn_context = context if context is not None and st.session_state.get(CONTEXT_KEY, True) else None

try:
    png: bytes | None = export_bytes(data, flt, "png", title, view, changes, drawn_context)
except DataError as exc:  # a broken boundary layer: said, and the tables are still offered
    png = None
    st.error(markdown_text(f"Map exports are unavailable: {exc}"))
extras = [s for s, on in (("with the changes box", changes), ("with the context layer", drawn_context)) if on]
st.markdown(markdown_text(f"Files below carry the title “{title}”" + (f", {' and '.join(extras)}" if extras else "")
                          + ". Changed the title? Press Make export (or Enter) first."))
st.markdown("**Download** — exactly the events the filters show, as the map shows them:")
columns = st.columns(4)
offered = [fmt for fmt in FORMATS.values() if png is not None or not fmt.needs_boundaries]
for i, fmt in enumerate(offered):
    columns[i % 4].download_button(
        fmt.label,
        data=_download(data, flt, view, fmt.key, title, changes, drawn_context),
        file_name=file_name(flt.describe(), fmt),
        mime=fmt.media_type,
        key=f"download_{fmt.key}",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
if png is not None:
    st.image(png, caption="Preview of the PNG (1920 × 1080, 16:9 for slides); the PDF is the same map on A4 landscape.",
             width="stretch", alt=preview_alt(title, flt, view, len(filter_events(data.table.events, flt)),
                                            len(drawn_context) if drawn_context is not None else 0))
incident = f"--incident {data.incident.slug} " if data.incident else ""
st.caption("The command line makes the same files (also .pdf, .html, .csv, .claims.csv, .geojson, .kml, .kmz; "
           "`--changes-since-briefing` adds the changes box, `--context` the context layer):")
st.code(f"python -m geo export {incident}--out briefing.png --actor ACTOR --bbox W,S,E,N --select ID",
        language="bash")  # shown literally: the slug is the incident's, never markup
