"""Small folium elements for the briefing map that keep untrusted text out of JavaScript templates.

Every string goes to the browser as a JSON literal (Jinja's tojson), never inside a template
literal or through jQuery as folium's own Popup does; so report text cannot run as script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template

from geo.maps import literal_render  # noqa: F401  (rendered output is never compiled as a template)
from geo.maps.geometry import SPREAD_PX
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
        # clear of the buttons down the left edge (their column is ~44 px wide) and of the layer switcher and
        # Legend button at the top right (~90 px tall), which Leaflet draws above popups
        self.options = {"maxWidth": max_width, "minWidth": 240, "autoPanPaddingTopLeft": [56, 96]}


class OpenPopup(MacroElement):
    """Open a marker's popup once everything is on the map (add it to the map last)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (marker) {
  // the marker may sit in a layer not yet on the map (in-place updates add the layer after its content)
  var open = function () { marker.openPopup(); };
  if (marker._map) { open(); } else { marker.once('add', open); }
})({{ this.marker.get_name() }});
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


class MapController(MacroElement):
    """The map's state that survives in-place updates, as `window.smMap` in the map's page.

    Holds the layer switcher (one L.control.layers, whose entries dynamic layers replace by name), the
    layers the analyst switched off (re-applied after every update, and reported to Python through
    streamlit-folium's `selected_layers` so they can go in the URL), the legend box (collapsible, its
    open state remembered in localStorage), date labels shown once the zoom is close enough, and
    one-shot view changes (fit to filter, show the selection) keyed so that each runs once.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var sm = {map: map, layers: {}, hidden: {}, done: {}};
  {{ this.hidden|tojson }}.forEach(function (n) { sm.hidden[n] = true; });
  sm.control = L.control.layers(null, null, {collapsed: true, position: 'topright'}).addTo(map);
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  var legend = L.control({position: 'topright'});
  legend.onAdd = function () {
    if (legend._smBox) { return legend._smBox; }  // moved to another corner: the same box
    var box = legend._smBox = L.DomUtil.create('details', 'strike-legend');
    var remembered = store ? store.getItem('sm-legend-open') : null;
    box.open = remembered === null ? map.getSize().x >= 480 : remembered === '1';  // closed on a phone
    box.innerHTML = '<summary>Legend</summary><div class="sm-lg-body"></div>';
    // only the analyst's own click (or Enter on the summary) is remembered, not what the map sets
    box.querySelector('summary').addEventListener('click', function () {
      if (store) { store.setItem('sm-legend-open', box.open ? '0' : '1'); }  // before the default toggles it
    });
    box.addEventListener('toggle', function () { if (box.open) { sm.placeLegend(false); } });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legend.addTo(map);
  var legendRoom = function () {  // keep fitted events clear of an open legend
    var box = legend.getContainer();
    return box.open ? box.offsetWidth + 30 : 40;
  };
  sm.setLegend = function (html) {
    legend.getContainer().querySelector('.sm-lg-body').innerHTML = html;
  };
  // The open legend goes to the right-hand corner where it covers none of the events on screen (top
  // first); when it would cover them in both, it opens collapsed (at the first layout only: a legend the
  // analyst opens stays open, in the better corner). The analyst's own open/closed choice is remembered.
  var eventsBox = function () {
    var box = null, origin = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll('.strike-marker-icon').forEach(function (el) {
      if (el.style.display === 'none') { return; }
      var r = el.getBoundingClientRect();
      var b = L.bounds([r.left - origin.left, r.top - origin.top], [r.right - origin.left, r.bottom - origin.top]);
      box = box ? box.extend(b.min).extend(b.max) : b;
    });
    return box;
  };
  var legendBox = function () {
    var r = legend.getContainer().getBoundingClientRect(), origin = map.getContainer().getBoundingClientRect();
    return L.bounds([r.left - origin.left - 4, r.top - origin.top - 4],
                    [r.right - origin.left + 4, r.bottom - origin.top + 4]);
  };
  sm.placeLegend = function (opening) {
    var box = legend.getContainer(), events = eventsBox();
    if (!box.open || !events) { return; }
    var corners = ['topright', 'bottomright'];
    for (var i = 0; i < corners.length; i++) {
      legend.setPosition(corners[i]);
      if (!legendBox().intersects(events)) { return; }
    }
    legend.setPosition(corners[0]);
    if (opening) { box.open = false; }
  };
  var legendPlaced = false, tries = 0;
  var laidOut = function () {  // the frame has its final size (streamlit-folium sizes it after the first render)
    var c = map.getContainer(), r = c.getBoundingClientRect(), l = legend.getContainer().getBoundingClientRect();
    return r.width > 0 && Math.abs(r.width - map.getSize().x) < 1 && l.left >= r.left && l.bottom <= r.bottom;
  };
  sm.legendFirstLayout = function () {
    if (legendPlaced || !eventsBox()) { return; }
    if (!laidOut()) {
      if (++tries < 600) { L.Util.requestAnimFrame(sm.legendFirstLayout); }
      return;
    }
    legendPlaced = true;
    sm.placeLegend(true);
  };
  map.on('resize', function () { sm.placeLegend(false); });
  function report() {
    var g = window.__GLOBAL_DATA__;
    if (!g) return;
    var hidden = {};
    Object.keys(sm.hidden).forEach(function (n) { hidden['sm:' + n] = {name: n, url: 'hidden'}; });
    g.selected_layers = hidden;
  }
  // A marker click reaches Python at once. streamlit-folium reports clicks through a 250 ms debounce that
  // restarts with every move, so the popup's pan held a click back ~0.8 s. This sends what its
  // updateComponentValue would send (same keys, same order: streamlit-folium 0.27, pinned), right after
  // the click's own handlers have counted it; the debounced report then finds nothing new (or the pan's
  // new bounds only).
  var REPORTED = ['last_clicked', 'last_object_clicked', 'last_object_clicked_count', 'last_object_clicked_tooltip',
                  'last_object_clicked_popup', 'all_drawings', 'last_active_drawing', 'last_geocoder_result',
                  'bounds', 'zoom', 'last_circle_radius', 'last_circle_polygon', 'center', 'selected_layers',
                  'selected_tags'];
  sm.reportNow = function () {
    var g = window.__GLOBAL_DATA__, S = window.Streamlit;
    if (!g || !S || g.wrap_longitude) return;
    var all = {last_clicked: g.lat_lng_clicked, bounds: map.getBounds(), zoom: map.getZoom(), center: map.getCenter(),
               selected_layers: Object.values(g.selected_layers)}, data = {};
    REPORTED.forEach(function (k) {
      if (g.returned_objects && g.returned_objects.indexOf(k) < 0) return;
      data[k] = k in all ? all[k] : g[k];
    });
    if (JSON.stringify(g.previous_data) === JSON.stringify(data)) return;
    g.previous_data = data;
    S.setComponentValue(data);
  };
  sm.clickedAt = 0;
  map.getContainer().addEventListener('click', function (e) {
    if (e.target && e.target.closest && e.target.closest('.strike-marker-icon')) {
      sm.clickedAt = Date.now();
      setTimeout(sm.reportNow, 0);
    }
  }, true);
  // The popup's pan right after a click (and again when the update re-opens it) is not reported on its own:
  // a second rerun would interrupt the one answering the click. The extent goes with the next report.
  map.on('moveend', function () {
    var g = window.__GLOBAL_DATA__, last = g && g.previous_data;
    if (!last || Date.now() - sm.clickedAt > 3000) return;
    if ('bounds' in last) { last.bounds = map.getBounds(); }
    if ('zoom' in last) { last.zoom = map.getZoom(); }
    if ('center' in last) { last.center = map.getCenter(); }
  });
  map.on('overlayadd overlayremove', function (e) {
    if (!sm.control._handlingClick) return;  // only the analyst's own switching is remembered
    if (e.type === 'overlayremove') { sm.hidden[e.name] = true; } else { delete sm.hidden[e.name]; }
    report();
  });
  function dates() {
    L.DomUtil[map.getZoom() >= {{ this.label_zoom|tojson }} ? 'addClass' : 'removeClass'](
      map.getContainer(), 'sm-dates');
  }
  map.on('zoomend', dates);
  map.whenReady(dates);
  sm.register = function (name, layer) {
    var old = sm.layers[name];
    if (old && old !== layer) { sm.control.removeLayer(old); }
    sm.layers[name] = layer;
    sm.control.addOverlay(layer, name);
  };
  sm.applyHidden = function () {
    Object.keys(sm.hidden).forEach(function (n) {
      var layer = sm.layers[n];
      if (layer && map.hasLayer(layer)) { map.removeLayer(layer); }
    });
    sm.applySelection();
    if (sm.reopenPopup) { sm.reopenPopup(); }
    if (sm.time) { sm.time.refresh(); }
    sm.declutter();
    sm.quiet();
    sm.restoreFocus();
    sm.legendFirstLayout();
    report();
  };
  // Markers that overlap on screen at this zoom are fanned out on a ring around their cluster's centre,
  // each with a thin leader line to its true position (a dot), so every one can be seen and clicked and no
  // position is misrepresented. Recomputed on every zoom and update; same input, same layout (ordered by
  // event id, the title's part before ': ', as the snapshot orders them: the whole title put an extracted
  // event's "<id>-2" before its "<id>", since '-' sorts before ':').
  sm.leaders = L.layerGroup().addTo(map);
  sm.declutter = function () {
    var items = [];
    map.eachLayer(function (layer) {
      var icon = layer.options && layer.options.icon;
      if (!(layer instanceof L.Marker) || !icon || !/strike-marker-icon/.test(icon.options.className || '')) return;
      if (!layer._icon || layer._icon.style.display === 'none') return;
      var truth = layer.options.smTrue ? L.latLng(layer.options.smTrue) : layer.getLatLng();
      items.push({m: layer, size: icon.options.iconSize[0], truth: truth, p: map.latLngToLayerPoint(truth),
                  key: (layer.options.title || '').split(': ')[0]});
    });
    items.sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
    var groups = items.map(function (it, i) { return [i]; });
    var at = items.map(function (it) { return it.p; });
    var fan = function (group) {
      var c = L.point(0, 0), size = 0;
      group.forEach(function (i) { c = c.add(items[i].p); size = Math.max(size, items[i].size); });
      c = c.divideBy(group.length);
      var r = group.length < 2 ? 0
        : Math.max({{ this.spread_px|tojson }}, (size + 4) / (2 * Math.sin(Math.PI / group.length)));
      group.forEach(function (i, k) {
        var a = 2 * Math.PI * k / group.length - Math.PI / 2;
        at[i] = group.length < 2 ? items[i].p : c.add(L.point(r * Math.cos(a), r * Math.sin(a)));
      });
    };
    for (var pass = 0; pass < 8; pass++) {
      var owner = items.map(function () { return -1; }), merged = false;
      groups.forEach(function (g, gi) { g.forEach(function (i) { owner[i] = gi; }); });
      for (var i = 0; i < items.length && !merged; i++) {
        for (var j = i + 1; j < items.length && !merged; j++) {
          if (owner[i] === owner[j]) continue;
          if (at[i].distanceTo(at[j]) < (items[i].size + items[j].size) / 2 + 2) {
            var gi = owner[i], gj = owner[j];
            groups[gi] = groups[gi].concat(groups[gj]).sort(function (x, y) { return x - y; });
            groups.splice(gj, 1);
            merged = true;
          }
        }
      }
      groups.forEach(fan);
      if (!merged) break;
    }
    sm.leaders.clearLayers();
    items.forEach(function (it, i) {
      var off = at[i].subtract(it.p), half = it.size / 2, el = it.m._icon;
      el.style.marginLeft = (off.x - half) + 'px';
      el.style.marginTop = (off.y - half) + 'px';
      it.m.smOffset = off;
      if (off.x === 0 && off.y === 0) return;
      var shown = map.layerPointToLatLng(at[i]);
      L.polyline([it.truth, shown], {color: '#333', weight: 1, opacity: 0.8, interactive: false,
                                     className: 'sm-leader'}).addTo(sm.leaders);
      L.circleMarker(it.truth, {radius: 2.5, weight: 1, color: '#fff', fillColor: '#222', fillOpacity: 1,
                                interactive: false, className: 'sm-leader-dot'}).addTo(sm.leaders);
    });
  };
  map.on('zoomend', function () { sm.declutter(); });
  // Keyboard: the markers are the tab stops. Shapes drawn for the pointer (areas, borders, arrows, place
  // circles) leave the tab order: their tooltips repeat what the event list and the legend say.
  sm.quiet = function () {
    map.getContainer().querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').forEach(function (el) {
      el.setAttribute('tabindex', '-1');
    });
  };
  var quieting = false;
  map.on('layeradd', function () {
    if (quieting) { return; }
    quieting = true;
    setTimeout(function () { quieting = false; sm.quiet(); }, 0);
  });
  // Enter (or Space) on a focused marker does what a click does: select its row and open its popup.
  // Leaflet alone only opens the popup on Enter; this runs first and stands in for the click.
  map.getContainer().addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' && e.key !== ' ') { return; }
    var icon = e.target && e.target.closest ? e.target.closest('.strike-marker-icon') : null;
    var hit = null;
    if (icon) { map.eachLayer(function (l) { if (l._icon === icon) { hit = l; } }); }
    if (!hit) { return; }
    e.preventDefault();
    e.stopPropagation();
    sm.refocus = {title: hit.options.title, until: Date.now() + 30000};
    sm.clickedAt = Date.now();
    hit.fire('click', {latlng: hit.getLatLng(), originalEvent: e}, true);  // propagate: its layer listens too
    setTimeout(sm.reportNow, 0);
  }, true);
  // The updates that follow (the selection, then maybe a pan to show the popup) replace the marker: each one
  // gives the focus back to its successor, until the analyst moves on (another element, or out of the map).
  sm.restoreFocus = function () {
    var want = sm.refocus;
    if (!want || Date.now() > want.until) { sm.refocus = null; return; }
    var active = document.activeElement;
    if (active && active.isConnected && active.getAttribute('title') === want.title) { return; }
    map.getContainer().querySelectorAll('.strike-marker-icon').forEach(function (el) {
      if (el.getAttribute('title') === want.title) { el.focus({preventScroll: true}); }
    });
  };
  map.getContainer().addEventListener('focusin', function (e) {
    if (sm.refocus && e.target.getAttribute('title') !== sm.refocus.title) { sm.refocus = null; }
  });
  map.getContainer().addEventListener('mousedown', function () { sm.refocus = null; });
  window.addEventListener('blur', function () { sm.refocus = null; });
  sm.fit = function (key, bounds, maxZoom) {
    if (sm.done.fit === key) return;
    sm.done.fit = key;
    map.fitBounds(bounds, {maxZoom: maxZoom, paddingTopLeft: [30, 30], paddingBottomRight: [legendRoom(), 30]});
  };
  sm.show = function (key, bounds, maxZoom) {
    if (sm.done.show === key) return;
    sm.done.show = key;
    if (!map.getBounds().contains(L.latLngBounds(bounds))) {
      map.fitBounds(bounds, {maxZoom: Math.max(map.getZoom(), maxZoom), paddingTopLeft: [40, 40],
                             paddingBottomRight: [legendRoom(), 40]});
    }
  };
  // The selection is the map's own state, applied to whatever markers the layers hold now and again after
  // every update (applyHidden): a selection change swaps two or three icons instead of re-sending the layers.
  // Each marker carries its event id (smId) and its selected icon (smSel: html and size); the plain icon is
  // kept to swap back.
  sm.selection = Object.create(null);  // no prototype: an event called "constructor" is not always selected
  // every marker the map holds, on the map or in a layer the analyst switched off (it must come back right)
  var eachMarker = function (fn) {
    var seen = Object.create(null);
    var visit = function (layer) {
      if (!(layer instanceof L.Marker) || seen[L.stamp(layer)]) return;
      seen[L.stamp(layer)] = true;
      fn(layer);
    };
    map.eachLayer(visit);
    Object.keys(sm.layers).forEach(function (name) {
      var group = sm.layers[name];
      if (group && group.eachLayer) { group.eachLayer(visit); }
    });
  };
  sm.applySelection = function () {
    var changed = false;
    eachMarker(function (layer) {
      var o = layer.options;
      if (!(layer instanceof L.Marker) || !o || !o.smId || !o.smSel) return;
      var want = !!sm.selection[o.smId];
      if (want === !!layer._smSelected) return;
      if (!layer._smPlain) { layer._smPlain = o.icon; }
      var plain = layer._smPlain.options, size = o.smSel[1];
      layer.setIcon(want ? L.divIcon({html: o.smSel[0], className: plain.className, iconSize: [size, size],
                                      iconAnchor: [size / 2, size / 2]}) : layer._smPlain);
      layer.setZIndexOffset(want ? 1000 : 0);
      layer._smSelected = want;
      changed = true;
    });
    if (!changed) return;
    if (sm.time) { sm.time.refresh(); }
    sm.declutter();
    sm.restoreFocus();
  };
  // The popup the analyst has open is opened again when an update re-creates its marker (a filter change):
  // a popup closed because its marker left the map (its icon already gone) is not a popup the analyst closed.
  sm.openId = null;
  map.on('popupopen', function (e) {
    var source = e.popup && e.popup._source;
    sm.openId = source && source.options && source.options.smId ? source.options.smId : null;
  });
  map.on('popupclose', function (e) {
    var source = e.popup && e.popup._source;
    if (source && source._icon) { sm.openId = null; }
  });
  sm.reopenPopup = function () {
    if (sm.openId && !sm.openPopup(sm.openId)) { sm.openId = null; }  // its event is no longer shown
  };
  // opens the popup of the event's marker on the map; whether there is one
  sm.openPopup = function (id) {
    var found = false;
    eachMarker(function (layer) {
      if (!layer._map || layer.options.smId !== id) return;
      found = true;
      if (!layer.isPopupOpen()) { layer.openPopup(); }
    });
    return found;
  };
  // What the page asks of the map on each run (ui/map.py sends it beside the map, not inside its layers):
  // the selection, a popup to open once (a click, a link), and a one-shot view change (fit, show, goto).
  sm.command = function (cmd) {
    sm.selection = Object.create(null);
    (cmd.selected || []).forEach(function (id) { sm.selection[id] = true; });
    sm.applySelection();
    if (cmd.popup && sm.done.popup !== JSON.stringify(cmd.popup)) {
      sm.done.popup = JSON.stringify(cmd.popup);
      sm.openPopup(cmd.popup[0]);
    }
    var change = cmd.change;
    if (change && (change[0] === 'fit' || change[0] === 'show' || change[0] === 'goto')) {
      sm[change[0]].apply(null, change.slice(1));
    }
  };
  // a place found by search: fly there and mark it for now (its label to the left: the legend is on the right)
  sm.goto = function (key, lat, lng, zoom, label) {
    if (sm.done.goto === key) return;
    sm.done.goto = key;
    if (sm.found) { map.removeLayer(sm.found); }
    var text = L.DomUtil.create('span');
    text.textContent = label;  // text, never markup
    sm.found = L.circleMarker([lat, lng], {radius: 13, className: 'sm-found', interactive: false,
                                           color: '#111', weight: 3, dashArray: '4 3', fill: false})
      .bindTooltip(text, {permanent: true, direction: 'left', offset: [-14, 0], className: 'sm-found-label'})
      .addTo(map);
    map.setView([lat, lng], zoom);
    map.once('click', function () { if (sm.found) { map.removeLayer(sm.found); sm.found = null; } });
  };
  window.smMap = sm;
})();
{% endmacro %}"""
    )

    def __init__(self, hidden: Sequence[str] = (), label_zoom: float = 6.5, spread_px: int = SPREAD_PX):
        super().__init__()
        self._name = "MapController"
        self.hidden = sorted(hidden)
        self.label_zoom = label_zoom
        self.spread_px = spread_px


class RegisterLayer(MacroElement):
    """Put the parent layer in the layer switcher under `name` (replacing an older layer of that name)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.smMap.register({{ this.layer_name|tojson }}, {{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, name: str):
        super().__init__()
        self._name = "RegisterLayer"
        self.layer_name = name


class LegendBody(MacroElement):
    """Replace the legend's content (what the map shows now)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.smMap.setLegend({{ this.html|tojson }});
{% endmacro %}"""
    )

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "LegendBody"
        self.html = html_text


@dataclass(frozen=True)
class ViewChange:
    """A one-shot view change the page sends the map (MapController's `command`): `fit` the bounds, or `show`
    them (only if not already in view). The map runs each key once, however often it is sent."""

    mode: str
    key: str
    bounds: Sequence[Sequence[float]]
    max_zoom: float = 7

    def __post_init__(self) -> None:
        if self.mode not in ("fit", "show"):
            raise ValueError(f"unknown view change {self.mode!r}")

    def command(self) -> list[object]:
        """This change as the `change` of MapController's `command`."""
        return [self.mode, self.key, [[float(c) for c in corner] for corner in self.bounds], self.max_zoom]


@dataclass(frozen=True)
class GoTo:
    """A one-shot move to a place found by search (MapController's `command`): centre on it at `zoom` and mark
    it until the next map click or search (the analyst's layers stay as they are). Runs once per key."""

    key: str
    lat: float
    lon: float
    zoom: float
    label: str

    def command(self) -> list[object]:
        """This move as the `change` of MapController's `command`."""
        return ["goto", self.key, float(self.lat), float(self.lon), float(self.zoom), self.label]


class ApplyHidden(MacroElement):
    """After the layers are (re)created: switch off again what the analyst switched off.

    streamlit-folium evaluates its `layer_control` after the dynamic layers, so the page passes this
    there; it defines the variable streamlit-folium reads back (`layer_control_layer_control`) as a
    control that is never shown."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.smMap.applyHidden();
var layer_control_layer_control = L.control();
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ApplyHidden"


class GroundLayers(MacroElement):
    """The basemap's ground in the parent group, drawn in order once every part is there (later parts on
    top): each part fetched from its `url` (the dashboard: static files, content-addressed, fetched once and
    cached by the browser, so no update of the map resends them) or carried as `data` (an export, which
    must stay one offline file). A feature whose `focus` property is true gets `focus_style`."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var parts = {{ this.parts|tojson }};
  Promise.all(parts.map(function (part) {
    return part.url ? fetch(part.url).then(function (r) { return r.json(); }) : Promise.resolve(part.data);
  })).then(function (loaded) {
    loaded.forEach(function (data, i) {
      var part = parts[i];
      var style = part.focus_style ? function (f) {
        return f.properties && f.properties.focus ? part.focus_style : part.style;
      } : part.style;
      L.geoJSON(data, {style: style, interactive: false}).addTo(group);
    });
    if (group.bringToBack) { group.bringToBack(); }
  });
})();
{% endmacro %}"""
    )

    def __init__(self, parts: Sequence[dict[str, Any]]):
        super().__init__()
        for part in parts:
            if ("url" in part) == ("data" in part):
                raise ValueError("each ground layer needs a url or data, not both")
        self._name = "GroundLayers"
        self.parts = list(parts)


class MeasureControl(MacroElement):
    """The distance tool (Leaflet.PolylineMeasure, vendored from npm), measuring on the WGS84 ellipsoid.

    The plugin measures with LatLng.distanceTo, which Leaflet computes on a sphere (up to ~0.5 % off);
    this sets Leaflet's Earth distance to the ellipsoidal (Vincenty) distance first, the figure geopy's
    geodesic gives, falling back to the sphere only where Vincenty does not converge (near-antipodal
    points). Without the plugin (assets not vendored) the map works without the tool."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  if (!L.Control.PolylineMeasure) { return; }
  if (!L.CRS.Earth.smGeodesic) {
    var sphere = L.CRS.Earth.distance;
    L.CRS.Earth.distance = function (p, q) {
      var a = 6378137, f = 1 / 298.257223563, b = a * (1 - f), rad = Math.PI / 180;
      var L_ = (q.lng - p.lng) * rad, U1 = Math.atan((1 - f) * Math.tan(p.lat * rad));
      var U2 = Math.atan((1 - f) * Math.tan(q.lat * rad)), sU1 = Math.sin(U1), cU1 = Math.cos(U1);
      var sU2 = Math.sin(U2), cU2 = Math.cos(U2), lam = L_, prev, n = 0;
      var sS, cS, sig, sA, c2A, c2Sm, C;
      do {
        var sL = Math.sin(lam), cL = Math.cos(lam);
        sS = Math.sqrt(Math.pow(cU2 * sL, 2) + Math.pow(cU1 * sU2 - sU1 * cU2 * cL, 2));
        if (sS === 0) { return 0; }
        cS = sU1 * sU2 + cU1 * cU2 * cL;
        sig = Math.atan2(sS, cS);
        sA = cU1 * cU2 * sL / sS;
        c2A = 1 - sA * sA;
        c2Sm = c2A !== 0 ? cS - 2 * sU1 * sU2 / c2A : 0;
        C = f / 16 * c2A * (4 + f * (4 - 3 * c2A));
        prev = lam;
        lam = L_ + (1 - C) * f * sA * (sig + C * sS * (c2Sm + C * cS * (-1 + 2 * c2Sm * c2Sm)));
      } while (Math.abs(lam - prev) > 1e-12 && ++n < 200);
      if (n >= 200) { return sphere.call(L.CRS.Earth, p, q); }
      var u2 = c2A * (a * a - b * b) / (b * b);
      var A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      var B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      var dS = B * sS * (c2Sm + B / 4 * (cS * (-1 + 2 * c2Sm * c2Sm) -
        B / 6 * c2Sm * (-3 + 4 * sS * sS) * (-3 + 4 * c2Sm * c2Sm)));
      return b * A * (sig - dS);
    };
    L.CRS.Earth.smGeodesic = true;
  }
  var tool = L.control.polylineMeasure({{ this.options|tojson }}).addTo({{ this._parent.get_name() }});
  tool.getContainer().querySelectorAll('a').forEach(function (a) {  // the plugin's anchors have no href
    a.setAttribute('role', 'button');
    a.setAttribute('tabindex', '0');
    a.setAttribute('aria-label', a.getAttribute('title') || '');
    a.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); a.click(); }
    });
  });
  if (window.smMap) { window.smMap.measure = tool; }
})();
{% endmacro %}"""
    )

    def __init__(self, position: str = "topleft"):
        super().__init__()
        self._name = "MeasureControl"
        self.options = {
            "position": position, "unit": "metres", "showBearings": False, "clearMeasurementsOnStop": False,
            "showClearControl": True, "measureControlTitleOn": "Measure a distance (km, on the ellipsoid)",
            "measureControlTitleOff": "Stop measuring", "clearControlTitle": "Clear the measurements",
            "measureControlLabel": "&#8614;", "tooltipTextFinish": "Click to <b>finish the line</b><br>",
        }


class TimeControl(MacroElement):
    """A time slider on the map: show the events up to a day, or play them in order (▶), in the browser.

    Events carry their first day as a class (`sm-day-YYYYMMDD`: markers, arrows, arrowheads); the slider
    hides what is later. `window.smMap.time.refresh()` re-reads the days after an in-place update."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var control = L.control({position: 'bottomleft'});
  control.onAdd = function () {
    var box = L.DomUtil.create('div', 'sm-time leaflet-bar');
    box.innerHTML = '<button type="button" class="sm-play" aria-label="Play the events in order">\u25B6</button>' +
      '<input type="range" min="0" max="0" value="0" step="1" aria-label="Show events up to">' +
      '<span class="sm-time-label">all dates</span>';
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  control.addTo(map);
  var box = control.getContainer(), range = box.querySelector('input');
  var label = box.querySelector('.sm-time-label'), play = box.querySelector('button');
  var days = [], timer = null, pending = false;
  var dayOf = function (el) {
    var m = /sm-day-(\\d{8})/.exec(el.getAttribute('class') || '');
    return m ? m[1] : null;
  };
  var timed = function () { return map.getContainer().querySelectorAll('[class*="sm-day-"]'); };
  var collect = function () {
    var seen = {};
    timed().forEach(function (el) { var d = dayOf(el); if (d) { seen[d] = true; } });
    var atEnd = +range.value >= days.length;
    days = Object.keys(seen).sort();
    range.max = days.length;
    if (atEnd || +range.value > days.length) { range.value = days.length; }
  };
  var apply = function () {
    var i = +range.value, limit = i < days.length ? days[i] : null;
    label.textContent = limit ? 'up to ' + (+limit.slice(6, 8)) + ' ' + months[+limit.slice(4, 6) - 1] + ' ' +
      limit.slice(0, 4) : 'all dates';
    timed().forEach(function (el) {
      var d = dayOf(el);
      el.style.display = limit && d > limit ? 'none' : '';
    });
    if (window.smMap.declutter) { window.smMap.declutter(); }
  };
  var stop = function () { clearInterval(timer); timer = null; play.textContent = '\u25B6'; };
  range.addEventListener('input', function () { if (timer) { stop(); } apply(); });
  play.addEventListener('click', function () {
    if (timer) { stop(); return; }
    collect();
    range.value = 0;
    apply();
    play.textContent = '\u275A\u275A';
    timer = setInterval(function () {
      if (+range.value >= days.length) { stop(); return; }
      range.value = +range.value + 1;
      apply();
    }, {{ this.step_ms|tojson }});
  });
  map.on('layeradd', function () {
    if (pending) { return; }
    pending = true;
    setTimeout(function () { pending = false; apply(); }, 0);
  });
  window.smMap.time = {refresh: function () { collect(); apply(); }};
  map.whenReady(function () { window.smMap.time.refresh(); });
})();
{% endmacro %}"""
    )

    def __init__(self, step_ms: int = 1200):
        super().__init__()
        self._name = "TimeControl"
        self.step_ms = step_ms
