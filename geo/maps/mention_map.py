"""The small map of the Review page's place-mention correction: the places a mention may point at, its
current place highlighted, the one the analyst is considering marked, the rest grey.

The same offline basemap as the briefing map (geo.maps.build.base_map); tooltips from HTML_ENV templates
(autoescaped, passed as JSON), so a place name never reaches a template compiler or a script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium

from geo.boundaries.region import Region
from geo.maps import assets
from geo.maps.build import small_map
from geo.maps.elements import BindTooltip
from geo.maps.templates import choice_tooltip

#: the Leaflet class names of the three kinds of marker (tests and the page's CSS find them by these)
CURRENT_CLASS = "mention-current"
CONSIDERED_CLASS = "mention-considered"
CANDIDATE_CLASS = "mention-candidate"
#: degrees around a single place, so the map shows its surroundings
PAD_DEGREES = 0.6
_STYLES: dict[str, dict[str, Any]] = {
    CURRENT_CLASS: {"radius": 10, "color": "#b30000", "fill_color": "#e31a1c", "fill_opacity": 0.9, "weight": 3},
    CONSIDERED_CLASS: {"radius": 9, "color": "#1f4e9c", "fill_color": "#4c8ee8", "fill_opacity": 0.8, "weight": 3,
                       "dash_array": "4 3"},
    CANDIDATE_CLASS: {"radius": 6, "color": "#555555", "fill_color": "#9a9a9a", "fill_opacity": 0.7, "weight": 1},
}


def mention_map(choices: Sequence[Any], current_id: str | None, considered_id: str | None = None,
                region: Region | None = None, asset_base: str = assets.STREAMLIT_STATIC_URL) -> folium.Map:
    """The choices (geo.views.mentions.PlaceChoice) on a small map; current_id is drawn as the current choice,
    considered_id (if another) as the one about to be chosen, and the map is fitted to those two (the other
    candidates may lie outside the view: a far namesake would shrink the two to one dot)."""
    shown = [c for c in choices if choice_key(c) in (current_id, considered_id)] or list(choices)
    m = small_map(_bounds(shown), region, asset_base)
    group = folium.FeatureGroup(name="Places this mention may be", control=False)
    ordered = sorted(choices, key=lambda c: (_role(c, current_id, considered_id) != CANDIDATE_CLASS,
                                             _role(c, current_id, considered_id) == CURRENT_CLASS))
    for choice in ordered:  # the current choice drawn last, on top
        role = _role(choice, current_id, considered_id)
        marker = folium.CircleMarker((choice.lat, choice.lon), class_name=role, **_STYLES[role])
        # the two being compared are named on the map itself (the offline basemap has no place labels)
        BindTooltip(choice_tooltip(choice, _ROLE_WORDS[role]), permanent=role != CANDIDATE_CLASS,
                    direction="right" if role == CURRENT_CLASS else "left").add_to(marker)
        marker.add_to(group)
    group.add_to(m)
    return m


_ROLE_WORDS = {CURRENT_CLASS: "current choice", CONSIDERED_CLASS: "about to be chosen", CANDIDATE_CLASS: ""}


def _role(choice: Any, current_id: str | None, considered_id: str | None) -> str:
    key = choice_key(choice)
    if current_id is not None and key == current_id:
        return CURRENT_CLASS
    if considered_id is not None and key == considered_id:
        return CONSIDERED_CLASS
    return CANDIDATE_CLASS


def choice_key(choice: Any) -> str:
    """A choice's identity: its gazetteer id, or its coordinates when it has none."""
    return choice.place_id or f"{choice.lat:.5f},{choice.lon:.5f}"


def _bounds(choices: Sequence[Any]) -> list[list[float]]:
    if not choices:
        return [[-60.0, -170.0], [75.0, 170.0]]
    lats, lons = [c.lat for c in choices], [c.lon for c in choices]
    return [[min(lats) - PAD_DEGREES, min(lons) - PAD_DEGREES], [max(lats) + PAD_DEGREES, max(lons) + PAD_DEGREES]]
