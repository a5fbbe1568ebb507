"""Strike map dashboard: `streamlit run app.py`. Navigation and the shared sidebar; pages do the rest."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pages._shared import sidebar_filters

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Strike map · Iran–Pakistan, Jan 2024", page_icon="🗺️", layout="wide")

pages = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("pages/events.py", title="Events", icon=":material/table_chart:", url_path="events"),
    st.Page("pages/sources.py", title="Sources", icon=":material/article:", url_path="sources"),
]
if (HERE / "pages" / "briefing.py").exists():  # written by the export side
    pages.append(st.Page("pages/briefing.py", title="Briefing", icon=":material/download:", url_path="briefing"))

navigation = st.navigation(pages)
sidebar_filters()
navigation.run()
