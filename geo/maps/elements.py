"""Small folium elements for the briefing map that keep untrusted text out of JavaScript templates.

Every string goes to the browser as a JSON literal (Jinja's tojson), never inside a template
literal or through jQuery as folium's own Popup does; so report text cannot run as script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template

from geo.maps import literal_render  # noqa: F401  (rendered output is never compiled as a template)
from geo.maps.style import SEA_COLOUR


class BindPopup(MacroElement):
    """parent.bindPopup(html) with the HTML passed as a JSON string (no jQuery, no `${}` injection)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {{ this.options|tojson }});
{% endmacro %}"""
    )

    def __init__(self, html_text: str, max_width: int = 380):
        super().__init__()
        self._name = "BindPopup"
        self.html = html_text
        self.options = {"maxWidth": max_width, "minWidth": 240}


class OpenPopup(MacroElement):
    """Open a marker's popup once everything is on the map (add it to the map last)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this.marker.get_name() }}.openPopup();
{% endmacro %}"""
    )

    def __init__(self, marker: folium.Marker):
        super().__init__()
        self._name = "OpenPopup"
        self.marker = marker


class BindTooltip(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.bindTooltip({{ this.html|tojson }}, {{ this.options|tojson }});
{% endmacro %}"""
    )

    def __init__(self, html_text: str, **options: Any):
        super().__init__()
        self._name = "BindTooltip"
        self.html = html_text
        self.options = {"sticky": False, "direction": "top", **options}


class Legend(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
{{ this.get_name() }}.onAdd = function () {
    var div = L.DomUtil.create('div', 'strike-legend');
    div.innerHTML = {{ this.html|tojson }};
    L.DomEvent.disableClickPropagation(div);
    return div;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, html_text: str, position: str = "topright"):
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.position = position


class Labels(MacroElement):
    """Non-interactive text labels, many in one loop (much smaller than one folium.Marker each)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this.data|tojson }}.forEach(function (d) {
    L.marker([d[0], d[1]], {icon: L.divIcon({html: d[2], className: {{ this.class_name|tojson }},
        iconSize: [0, 0]}), interactive: false, keyboard: false}).addTo({{ this._parent.get_name() }});
});
{% endmacro %}"""
    )

    def __init__(self, labels: Sequence[tuple[float, float, str]], class_name: str):
        super().__init__()
        self._name = "Labels"
        self.data = [list(label) for label in labels]
        self.class_name = class_name


class MapSetup(MacroElement):
    """Sea colour behind the vector basemap, and where Leaflet finds its default marker images."""

    _template = Template(
        """{% macro script(this, kwargs) %}
L.Icon.Default.imagePath = {{ this.image_path|tojson }};
{{ this._parent.get_name() }}.getContainer().style.background = {{ this.sea|tojson }};
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
{% endmacro %}"""
    )

    def __init__(self, image_path: str, sea: str = SEA_COLOUR, attribution: str = ""):
        super().__init__()
        self._name = "MapSetup"
        self.image_path = image_path
        self.sea = sea
        self.attribution = attribution
