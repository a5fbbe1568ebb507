"""streamlit-folium's `st_folium` in two rendered halves, so a rerun renders only what changed.

`st_folium(map, feature_group_to_add=layers)` renders the whole folium map to HTML and JavaScript on
every rerun (≈250 KiB for the basemap, its GeoJSON walked twice: once for the script, once for its
bounds) although the browser keeps the map and swaps only the layers. Here the same steps are split:

- `render_base(map)`: the map's script, header, HTML, bounds and links, as st_folium makes them. It
  depends only on the map's inputs, so the page keeps one per input in a process-wide cache (the
  Dataset's memo: tied to the data it was drawn from, bounded, made once when sessions ask together)
  and every session and rerun reuses it.
- `render_layers(groups, control)`: the feature groups and the layer control, as st_folium makes them.
- `show_map(base, layers, ...)`: the component call st_folium ends with, with the same arguments.

streamlit-folium's helpers and component function are private (`_get_header`, `_component_func`, ...):
the version is pinned in requirements.txt, and tests/test_folium_cache.py checks that the arguments
sent are those `st_folium` sends for the same map and layers, so an upgrade that changes them fails there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf


@dataclass(frozen=True)
class RenderedBase:
    """The base map as st_folium sends it (script, header, HTML, id, bounds, zoom, links)."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict[str, dict[str, float | None]]
    zoom: Any
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    _hashes: dict[tuple[str | None, bool], str] = field(default_factory=dict, repr=False, compare=False)

    def component_key(self, key: str | None, return_on_hover: bool = False) -> str:
        """st_folium's component key for this script (a hash of 250 KiB: computed once per key)."""
        if (key, return_on_hover) not in self._hashes:
            self._hashes[(key, return_on_hover)] = sf.generate_js_hash(self.script, key, return_on_hover)
        return self._hashes[(key, return_on_hover)]


@dataclass(frozen=True)
class RenderedLayers:
    """The feature groups and the layer control as st_folium sends them."""

    feature_group: str
    layer_control: str | None
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def render_base(fmap: folium.Map) -> RenderedBase:
    """Render a map as st_folium does before it adds the feature groups (this renames the map's ids)."""
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    try:
        bounds = fmap.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    (south, west), (north, east) = bounds
    css, js = _links([fmap])
    return RenderedBase(
        script=script, header=header, html=html, map_id=sf.get_full_id(fmap),
        bounds={"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        zoom=fmap.options.get("zoom"), css_links=css, js_links=js,
    )


def render_layers(groups: Sequence[folium.FeatureGroup], control: folium.MacroElement | None = None,
                  first: int = 0) -> RenderedLayers:
    """Render feature groups (and a layer control) as st_folium does; they refer to the map only by its
    name, which st_folium replaces by `map_div`, so a bare map carries them here. Groups are numbered from
    `first`, so groups rendered apart can be joined (`joined`) without two of them sharing a name."""
    carrier = folium.Map(tiles=None)
    script = "".join(sf._get_feature_group_string(group, map=carrier, idx=first + i) for i, group in enumerate(groups))
    control_script = sf._get_layer_control_string(control, carrier) if control is not None else None
    css, js = _links(groups)
    return RenderedLayers(feature_group=script, layer_control=control_script, css_links=css, js_links=js)


def joined(*parts: RenderedLayers) -> RenderedLayers:
    """Groups rendered apart (numbered apart: render_layers' `first`) as one feature_group_to_add, in order
    (the last on top); none of them may carry a layer control."""
    if any(part.layer_control is not None for part in parts):
        raise ValueError("only groups without a layer control can be joined")
    return RenderedLayers(feature_group="".join(part.feature_group for part in parts), layer_control=None,
                          css_links=tuple(dict.fromkeys(link for part in parts for link in part.css_links)),
                          js_links=tuple(dict.fromkeys(link for part in parts for link in part.js_links)))


def show_map(base: RenderedBase, layers: RenderedLayers, *, key: str, height: int, width: int | None = 500,
             use_container_width: bool = False, returned_objects: Iterable[str] | None = None) -> Any:
    """The st_folium component with these rendered halves; returns (and keeps in st.session_state[key])
    what the map reports back, as st_folium does."""
    returned = list(returned_objects) if returned_objects is not None else None
    defaults = {name: None for name in _RETURNED_DEFAULTS} | {"bounds": base.bounds, "zoom": base.zoom}
    hash_key = base.component_key(key)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=base.script, header=base.header, html=base.html, id=base.map_id, key=hash_key, height=height,
        width=None if use_container_width else width, returned_objects=returned,
        default={k: v for k, v in defaults.items() if returned is None or k in returned},
        zoom=None, center=None, feature_group=layers.feature_group, return_on_hover=False,
        layer_control=layers.layer_control, pixelated=False,
        css_links=list(dict.fromkeys([*base.css_links, *layers.css_links])),
        js_links=list(dict.fromkeys([*base.js_links, *layers.js_links])),
        on_change=on_change, wrap_longitude=False,
    )


#: What st_folium reports back, in its order (bounds and zoom come from the map).
_RETURNED_DEFAULTS = (
    "last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
    "last_object_clicked_popup", "all_drawings", "last_active_drawing", "bounds", "zoom", "last_circle_radius",
    "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result",
)


def _links(elements: Iterable[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSS and JS links of the elements and everything in them (st_folium's walk, without colormaps,
    which need d3 from a CDN and which this offline map never uses)."""
    css: list[str] = []
    js: list[str] = []

    def walk(element: Any) -> None:
        if isinstance(element, branca.colormap.ColorMap):
            raise ValueError("a colormap needs d3 from a CDN; the map must work offline")
        if isinstance(element, folium.elements.JSCSSMixin):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    for element in elements:
        walk(element)
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))
