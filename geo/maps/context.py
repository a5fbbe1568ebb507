"""The context layer on the map: up to hundreds of thousands of ACLED/UCDP events that stay interactive.

One canvas GridLayer (no plugin to vendor): the points go to the browser once per filter as compact
integer columns (coordinates x 1e4, the source's own precision; a type index), bucketed by tile per zoom
in the browser and drawn per tile. Below AGGREGATE_BELOW_ZOOM each tile shows counts in 16-px squares
(aligned to the tile grid, so no seams); above it each event is a small dot coloured by type. The layer
sits in its own pane between the basemap (overlay pane) and the markers, so the report-based events stay on top.

Popups are not inlined: a click finds the nearest dot (within 8 px) in the browser and fires a Leaflet
'click' at that dot's exact coordinates, which st_folium returns as last_object_clicked; the page then
reads that point's events, sources and notes from the store (geo.context.query.details_at). A click on an
aggregated square zooms in on it.

On the Streamlit page the browser gets only what the view needs (geo.context.grid): below
AGGREGATE_BELOW_ZOOM a CellLayer of counts per grid cell made by the database (GROUP BY), from that zoom on
the ContextLayer with the points inside the view (capped). The offline HTML export keeps the ContextLayer
with every point, aggregated in the browser.

naive_group() is the one-marker-per-event rendering with inlined popups, kept for bench/scale.py to
measure against.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import folium
import numpy as np
from branca.element import MacroElement
from folium.template import Template

from geo.context.query import ContextCells, ContextPoints
from geo.maps import literal_render  # noqa: F401  (rendered output is never compiled as a template)
from geo.maps.elements import BindPopup

#: Muted colours for context event types, distinct from the report events' saturated palette.
CONTEXT_PALETTE: tuple[str, ...] = (
    "#4e79a7", "#59a14f", "#9c755f", "#b07aa1", "#76b7b2", "#edc948", "#bab0ac", "#ff9da7", "#8cd17d", "#86bcb6",
)
OTHER_COLOUR = "#999999"
AGGREGATE_BELOW_ZOOM = 8
SCALE = 10_000  # coordinates travel as integers: degrees x 1e4 (ACLED and UCDP give at most 4 decimals)
PANE = "smContext"
GROUP_NAME = "Context events (ACLED/UCDP)"

#: How both context scripts open: their data, the map, and the pane they draw in (made once per map).
_OPENING = r"""
(function () {
  var data = {{ this.data|tojson }};
  var map = {{ this._parent._parent.get_name() if this._parent._parent else this._parent.get_name() }};
  if (!map.getPane(data.pane)) {
    var pane = map.createPane(data.pane);
    pane.style.zIndex = 450;  // over the basemap polygons (overlay pane, 400), under the report markers (600)
  }
"""

_JS = _OPENING + r"""  var n = data.lat.length, mx = new Float64Array(n), my = new Float64Array(n);
  for (var i = 0; i < n; i++) {
    var la = data.lat[i] / data.scale, lo = data.lon[i] / data.scale, s = Math.sin(la * Math.PI / 180);
    mx[i] = (lo + 180) / 360;
    my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  var Layer = L.GridLayer.extend({
    buckets: {},
    bucketsFor: function (z) {
      if (this.buckets[z]) return this.buckets[z];
      var size = 256 * Math.pow(2, z), b = {}, r = data.radius;
      for (var i = 0; i < n; i++) {
        var x = mx[i] * size, y = my[i] * size;
        var x0 = Math.floor((x - r) / 256), x1 = Math.floor((x + r) / 256);
        var y0 = Math.floor((y - r) / 256), y1 = Math.floor((y + r) / 256);
        for (var tx = x0; tx <= x1; tx++) for (var ty = y0; ty <= y1; ty++) {
          var k = tx + ':' + ty; (b[k] || (b[k] = [])).push(i);
        }
      }
      return (this.buckets[z] = b);
    },
    createTile: function (c) {
      var tile = L.DomUtil.create('canvas', 'leaflet-tile'), ctx = tile.getContext('2d');
      tile.width = tile.height = 256;
      var idx = this.bucketsFor(c.z)[c.x + ':' + c.y];
      if (!idx) return tile;
      var size = 256 * Math.pow(2, c.z), ox = c.x * 256, oy = c.y * 256;
      if (c.z < data.aggregate_below) this.drawCounts(ctx, idx, size, ox, oy);
      else this.drawDots(ctx, idx, size, ox, oy);
      return tile;
    },
    drawCounts: function (ctx, idx, size, ox, oy) {
      var cell = data.cell, per = 256 / cell, counts = new Uint32Array(per * per);
      for (var j = 0; j < idx.length; j++) {
        var x = mx[idx[j]] * size - ox, y = my[idx[j]] * size - oy;
        if (x < 0 || y < 0 || x >= 256 || y >= 256) continue;  // counted once, by the tile that holds it
        counts[Math.floor(y / cell) * per + Math.floor(x / cell)]++;
      }
      for (var k = 0; k < counts.length; k++) {
        if (!counts[k]) continue;
        var t = Math.min(1, Math.log(1 + counts[k]) / Math.log(1 + data.saturate));
        ctx.fillStyle = 'rgba(' + Math.round(255 - 120 * t) + ',' + Math.round(200 - 170 * t) + ',' +
          Math.round(90 - 60 * t) + ',' + (0.35 + 0.5 * t) + ')';
        ctx.fillRect((k % per) * cell + 1, Math.floor(k / per) * cell + 1, cell - 2, cell - 2);
      }
    },
    drawDots: function (ctx, idx, size, ox, oy) {
      ctx.globalAlpha = 0.8; ctx.strokeStyle = 'rgba(255,255,255,0.8)'; ctx.lineWidth = 0.7;
      for (var j = 0; j < idx.length; j++) {
        var i = idx[j];
        ctx.fillStyle = data.colours[data.type[i]] || data.other;
        ctx.beginPath();
        ctx.arc(mx[i] * size - ox, my[i] * size - oy, data.radius, 0, 2 * Math.PI);
        ctx.fill(); ctx.stroke();
      }
    },
    nearest: function (latlng) {
      var z = map.getZoom(), size = 256 * Math.pow(2, z), p = map.project(latlng, z);
      var b = this.bucketsFor(Math.round(z)), best = -1, bestD = data.hit * data.hit;
      var sz = 256 * Math.pow(2, Math.round(z));
      var idx = b[Math.floor(p.x / size * sz / 256) + ':' + Math.floor(p.y / size * sz / 256)] || [];
      for (var j = 0; j < idx.length; j++) {
        var dx = mx[idx[j]] * size - p.x, dy = my[idx[j]] * size - p.y, d = dx * dx + dy * dy;
        if (d <= bestD) { bestD = d; best = idx[j]; }
      }
      return best;
    },
    onClick: function (e) {
      var z = map.getZoom();
      if (z < data.aggregate_below) {
        var hit = this.nearest(e.latlng);
        if (hit >= 0) map.setView(e.latlng, Math.min(z + 2, data.aggregate_below));
        return;
      }
      var i = this.nearest(e.latlng);
      if (i < 0) return;
      var at = L.latLng(data.lat[i] / data.scale, data.lon[i] / data.scale), same = 0;
      for (var j = 0; j < n; j++) if (data.lat[j] === data.lat[i] && data.lon[j] === data.lon[i]) same++;
      L.popup({maxWidth: 260}).setLatLng(at).setContent(
        same + (same === 1 ? ' context event' : ' context events') + ' here; details below the map'
      ).openOn(map);
      this.fire('click', {latlng: at, sourceTarget: this, target: this});
    },
    onAdd: function (m) { L.GridLayer.prototype.onAdd.call(this, m); m.on('click', this.onClick, this); },
    onRemove: function (m) { m.off('click', this.onClick, this); L.GridLayer.prototype.onRemove.call(this, m); }
  });
  var layer = new Layer({pane: data.pane, tileSize: 256, updateWhenZooming: false, keepBuffer: 1});
  layer.smContextCount = n;
  {{ this._parent.get_name() }}.addLayer(layer);
  window.smContextLayers = (window.smContextLayers || []).concat([layer]);
})();
"""


class ContextLayer(MacroElement):
    """The canvas layer (see the module docstring); add it to a FeatureGroup."""

    _template = Template("{% macro script(this, kwargs) %}" + _JS + "{% endmacro %}")

    def __init__(self, points: ContextPoints, colours: Sequence[str]):
        super().__init__()
        self._name = "ContextLayer"
        self.data = {
            "lat": np.rint(points.lat * SCALE).astype(np.int64).tolist(),
            "lon": np.rint(points.lon * SCALE).astype(np.int64).tolist(),
            "type": points.type_index.astype(int).tolist(),
            "colours": list(colours), "other": OTHER_COLOUR, "scale": SCALE, "pane": PANE,
            "aggregate_below": AGGREGATE_BELOW_ZOOM, "cell": 16, "saturate": 200, "radius": 3.5, "hit": 8,
        }


_CELLS_JS = _OPENING + r"""  var n = data.count.length, total = 0, at = {};
  for (var i = 0; i < n; i++) { total += data.count[i]; at[data.row[i] + ':' + data.col[i]] = i; }
  function mercY(lat) {
    var s = Math.sin(Math.max(-85.06, Math.min(85.06, lat)) * Math.PI / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  var Layer = L.GridLayer.extend({
    createTile: function (c) {
      var tile = L.DomUtil.create('canvas', 'leaflet-tile'), ctx = tile.getContext('2d');
      tile.width = tile.height = 256;
      var size = 256 * Math.pow(2, c.z), ox = c.x * 256, oy = c.y * 256, d = data.size;
      for (var i = 0; i < n; i++) {
        var west = data.col[i] * d - 180, south = data.row[i] * d - 90;
        var x0 = (west + 180) / 360 * size - ox, x1 = (west + d + 180) / 360 * size - ox;
        var y0 = mercY(south + d) * size - oy, y1 = mercY(south) * size - oy;
        if (x1 <= 0 || y1 <= 0 || x0 >= 256 || y0 >= 256) continue;
        var t = Math.min(1, Math.log(1 + data.count[i]) / Math.log(1 + data.most));
        ctx.fillStyle = 'rgba(' + Math.round(255 - 120 * t) + ',' + Math.round(200 - 170 * t) + ',' +
          Math.round(90 - 60 * t) + ',' + (0.35 + 0.5 * t) + ')';
        ctx.fillRect(x0 + 1, y0 + 1, Math.max(1, x1 - x0 - 2), Math.max(1, y1 - y0 - 2));
      }
      return tile;
    },
    onClick: function (e) {
      var d = data.size, key = Math.floor((e.latlng.lat + 90) / d) + ':' + Math.floor((e.latlng.lng + 180) / d);
      var i = at[key];
      if (i === undefined) return;
      var text = document.createElement('span');
      text.textContent = data.count[i].toLocaleString() + (data.count[i] === 1 ? ' context event' : ' context events') +
        ' in this cell; zoom in to see them';
      L.popup({maxWidth: 260}).setLatLng(e.latlng).setContent(text).openOn(map);
      map.setView(e.latlng, Math.min(map.getZoom() + 2, data.aggregate_below));
    },
    onAdd: function (m) { L.GridLayer.prototype.onAdd.call(this, m); m.on('click', this.onClick, this); },
    onRemove: function (m) { m.off('click', this.onClick, this); L.GridLayer.prototype.onRemove.call(this, m); }
  });
  var layer = new Layer({pane: data.pane, tileSize: 256, updateWhenZooming: false, keepBuffer: 1});
  layer.smContextCount = total;
  layer.smContextCells = n;
  {{ this._parent.get_name() }}.addLayer(layer);
  window.smContextLayers = (window.smContextLayers || []).concat([layer]);
})();
"""


class CellLayer(MacroElement):
    """Counts per grid cell (geo.context.query.cells), drawn as squares on canvas tiles; add it to a FeatureGroup.
    A click on a square says how many events it holds and zooms in."""

    _template = Template("{% macro script(this, kwargs) %}" + _CELLS_JS + "{% endmacro %}")

    def __init__(self, cells: ContextCells):
        super().__init__()
        self._name = "CellLayer"
        self.data = {
            "row": cells.row.astype(int).tolist(), "col": cells.col.astype(int).tolist(),
            "count": cells.count.astype(int).tolist(), "size": cells.size, "most": most_in_a_cell(cells),
            "pane": PANE, "aggregate_below": AGGREGATE_BELOW_ZOOM,
        }


def most_in_a_cell(cells: ContextCells) -> int:
    """The count the darkest square stands for (the legend says it)."""
    return max(1, int(cells.count.max())) if len(cells) else 1


def cell_group(cells: ContextCells, name: str = GROUP_NAME) -> folium.FeatureGroup:
    """The aggregated context layer as a FeatureGroup (for st_folium's feature_group_to_add)."""
    group = folium.FeatureGroup(name=name, control=True)
    CellLayer(cells).add_to(group)
    return group


def type_colours(types: Sequence[str]) -> list[str]:
    """A colour per context event type, in the given (fixed) order."""
    return [CONTEXT_PALETTE[i % len(CONTEXT_PALETTE)] for i in range(len(types))]


def context_group(points: ContextPoints, name: str = GROUP_NAME) -> folium.FeatureGroup:
    """The context layer as a FeatureGroup: add it to a map, or hand it to st_folium's feature_group_to_add
    so a filter change sends only this group and the map is updated in place."""
    group = folium.FeatureGroup(name=name, control=True)
    ContextLayer(points, type_colours(points.types)).add_to(group)
    return group


def add_to_map(fmap: folium.Map, group: folium.FeatureGroup) -> None:
    """Add the group before the map's LayerControl, whose script names every overlay when it runs."""
    names = list(fmap._children)
    control = next((i for i, key in enumerate(names) if isinstance(fmap._children[key], folium.LayerControl)), None)
    fmap.add_child(group, index=control)


def legend_html(types: Sequence[str], counts: Sequence[int] | None = None) -> str:
    """A small HTML legend of the context types (escaped: type names come from the data)."""
    colours = type_colours(types)
    items = []
    for i, (name, colour) in enumerate(zip(types, colours, strict=True)):
        count = f" ({counts[i]:,})" if counts is not None else ""
        items.append(f'<span style="color:{colour}">&#9679;</span> {html.escape(name)}{count}')
    return " &nbsp; ".join(items)


def naive_group(rows: Any, name: str = "Context events (one marker each)") -> folium.FeatureGroup:
    """One CircleMarker per event with its popup inlined: the rendering bench/scale.py compares against.

    rows: an iterable of mappings with lat, lon, event_type, date, actor, notes.
    """
    group = folium.FeatureGroup(name=name)
    for row in rows:
        popup = html.escape(f"{row['date']} {row['event_type']}: {row['actor']}. {row.get('notes', '')}")
        marker = folium.CircleMarker((row["lat"], row["lon"]), radius=3, weight=1, fill=True, class_name="sm-naive")
        BindPopup(popup, max_width=300).add_to(marker)
        marker.add_to(group)
    return group


def admin_choropleth(provinces_with_counts: Any, name: str = "Context events per admin area") -> folium.FeatureGroup:
    """Admin areas shaded by context events (geo.context.areas.match_areas; a GeoJson layer, tooltips escaped)."""
    frame = provinces_with_counts
    most = max(1, int(frame["events"].max() or 0))
    group = folium.FeatureGroup(name=name)
    for row in frame.itertuples():
        share = row.events / most
        style = {"fillColor": f"rgba(140,45,4,{0.1 + 0.7 * share:.2f})", "fillOpacity": 1, "color": "#8c2d04",
                 "weight": 1}
        where = f"{row.name} ({row.admin})" if getattr(row, "admin", "") else str(row.name)
        tip = f"{html.escape(where)}: {row.events:,} events, at least {row.fatalities:,} killed"
        folium.GeoJson(row.geometry.__geo_interface__, style_function=lambda _f, s=style: s,
                       tooltip=folium.Tooltip(tip)).add_to(group)
    return group
