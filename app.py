"""Strike map dashboard: `streamlit run app.py`. Navigation and the shared sidebar; pages do the rest."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.store.engine import StoreUnreachable
from ui.shared import begin_run, sidebar_filters, sidebar_incident, store_unreachable_notice

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Strike map", page_icon="🗺️", layout="wide")

pages = [
    st.Page(HERE / "ui" / "map.py", title="Map", icon=":material/map:", default=True),
    st.Page(HERE / "ui" / "events.py", title="Events", icon=":material/table_chart:", url_path="events"),
    st.Page(HERE / "ui" / "sources.py", title="Sources", icon=":material/article:", url_path="sources"),
    st.Page(HERE / "ui" / "context.py", title="Context", icon=":material/scatter_plot:", url_path="context"),
    st.Page(HERE / "ui" / "briefing.py", title="Briefing", icon=":material/download:", url_path="briefing"),
    st.Page(HERE / "ui" / "print.py", title="Print view", icon=":material/print:", url_path="print"),
    st.Page(HERE / "ui" / "ingest.py", title="Add reports", icon=":material/upload_file:", url_path="add-reports"),
    st.Page(HERE / "ui" / "review.py", title="Review", icon=":material/fact_check:", url_path="review"),
    st.Page(HERE / "ui" / "changes.py", title="What changed", icon=":material/update:", url_path="changes"),
]

navigation = st.navigation(pages)
begin_run()
top = st.container()  # a store outage is said here, above whatever the page drew before it failed
try:
    sidebar_incident()
    sidebar_filters()
    navigation.run()
except StoreUnreachable as exc:  # nothing from the store is shown; the next rerun tries again
    with top:
        store_unreachable_notice(exc)
