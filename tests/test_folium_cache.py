"""ui/folium_cache renders the map in two cached halves; what it sends must be what st_folium sends."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from geo.events.table import load_events
from geo.maps.build import base_map, event_layers
from geo.maps.elements import ApplyHidden
from geo.maps.style import actor_colours, event_type_shapes
from tests.conftest import ROOT
from ui.folium_cache import render_base, render_layers

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from streamlit_folium import st_folium
from geo.events.table import load_events
from geo.maps.build import base_map, event_layers
from geo.maps.elements import ApplyHidden
from geo.maps.style import actor_colours, event_type_shapes
from ui.folium_cache import render_base, render_layers, show_map

events = load_events().events
colours, shapes = actor_colours(e.actor for e in events), event_type_shapes(e.event_type for e in events)
def layers():
    return event_layers(events[:4], colours=colours, shapes=shapes, selected=[events[0].id])
kwargs = dict(key="map", height=620, use_container_width=True, returned_objects=["last_object_clicked", "bounds"])
if st.session_state.get("cached"):
    show_map(render_base(base_map(hidden=["x"])), render_layers(layers(), ApplyHidden()), **kwargs)
else:
    st_folium(base_map(hidden=["x"]), feature_group_to_add=layers(), layer_control=ApplyHidden(), **kwargs)
"""


def _args(cached: bool) -> dict:
    at = AppTest.from_string(SCRIPT.format(root=str(ROOT)), default_timeout=120)
    at.session_state["cached"] = cached
    at.run()
    assert not at.exception, at.exception
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def _without_ids(text: str) -> str:
    """folium names elements with random hex ids; st_folium renames most, not all (e.g. a popup's div)."""
    return re.sub(r"_[0-9a-f]{32}", "_ID", text)


def test_the_cached_halves_send_what_st_folium_sends():
    plain, cached = _args(False), _args(True)
    assert set(cached) == set(plain)
    for name in plain:
        left, right = plain[name], cached[name]
        if isinstance(left, str):
            left, right = _without_ids(left), _without_ids(right)
        assert left == right, name
    assert "strike-marker-icon" in cached["feature_group"] and "smMap.applyHidden" in cached["layer_control"]


def test_a_rendered_base_is_reusable_and_its_key_stable():
    events = load_events().events
    colours, shapes = actor_colours(e.actor for e in events), event_type_shapes(e.event_type for e in events)
    base = render_base(base_map())
    again = render_base(base_map())
    assert base.script == again.script and base.component_key("map") == again.component_key("map")
    first = render_layers(event_layers(events, colours=colours, shapes=shapes), ApplyHidden())
    second = render_layers(event_layers(events[:2], colours=colours, shapes=shapes), ApplyHidden())
    assert first.feature_group != second.feature_group
    assert base.script == again.script  # rendering layers never touches a rendered base
