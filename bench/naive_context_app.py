"""The naive rendering of the context layer inside Streamlit, for bench/scale_streamlit.py to measure against:
one folium CircleMarker with its popup inlined per event, sent through st_folium on every rerun.

    STRIKE_MAP_DATABASE_URL=sqlite:///... streamlit run bench/naive_context_app.py -- --incident SLUG
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path.cwd()  # the bench runs it from the project folder (it copies this file beside a link to static/)
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo.context import query  # noqa: E402
from geo.maps.build import base_map  # noqa: E402
from geo.maps.context import naive_group  # noqa: E402
from geo.store.engine import database_url, open_store  # noqa: E402

slug = sys.argv[sys.argv.index("--incident") + 1]
store = open_store(database_url())
incident = query.incident_id(store, slug)
assert incident is not None
types = query.event_types(store, incident)
chosen = st.multiselect("Event types", types, default=types, key="context_types")
frame = query.table(store, incident, query.ContextFilter(event_types=tuple(chosen)))
rows = frame.assign(notes=frame["summary"]).to_dict("records")
st.caption(f"{len(rows):,} context events, one marker each")
st_folium(base_map(), key="naive_map", height=620, use_container_width=True,
          feature_group_to_add=[naive_group(rows)], returned_objects=[])
