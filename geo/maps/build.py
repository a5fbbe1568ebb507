"""The briefing map: a Leaflet map (folium) that works with no internet.

Basemap: Natural Earth countries (vector, simplified for the browser) with labels, the Iran–Pakistan
border with its measured length, the two border provinces. On top: event markers (colour = actor,
shape = event type), arrows for cross-border strikes, and every place the reports name, sized by
mentions. Every JS/CSS resource comes from geo.maps.assets (no CDN); every string that came from a report
is html-escaped before it reaches HTML, and handed to JavaScript as JSON, never pasted into a
template literal.

Pieces: geo.maps.elements (the small JSON-safe folium elements), geo.maps.geometry (marker spots,
click matching, arrow paths), geo.maps.style (colours, shapes, legend).

build_map is pure: it takes data and returns a folium.Map; the Streamlit pages and the briefing
export both call it (the export with its own asset_base, inlining the files).
"""

from __future__ import annotations

import html
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.boundaries.layers import border_length_km, load_layer
from geo.maps import assets
from geo.maps.areas import add_event_areas
from geo.maps.elements import BindPopup, BindTooltip, Labels, Legend, MapSetup, OpenPopup
from geo.maps.geometry import arrow_path, events_at, marker_layout, marker_positions, valid
from geo.maps.style import (
    ARROW_COLOUR_ALPHA,
    BORDER_HALO_STYLE,
    BORDER_STYLE,
    FOCUS_LAND_STYLE,
    LAND_STYLE,
    LEGEND_WIDTH_PX,
    MENTION_STYLE,
    PROVINCE_STYLE,
    SELECTED_RING,
    UNKNOWN_COLOUR,
    actor_colours,
    event_type_shapes,
    legend_html,
    shape_svg,
)

__all__ = [
    "arrow_path", "border_length_km", "build_map", "events_at", "marker_layout", "marker_positions", "mention_table",
]

#: Countries drawn a shade darker (the two sides of the border).
FOCUS_COUNTRIES = ("IRN", "PAK")
#: Simplification tolerance (degrees) for the browser basemap (~3 km: invisible at briefing zooms);
#: it keeps the map payload sent on every rerun near 100 KB. The border itself keeps full detail.
BASEMAP_TOLERANCE = 0.03
#: Data credits shown on the map (GeoNames' licence asks for it).
ATTRIBUTION = "Boundaries: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0) · Events: as the reports claim"
#: Countries smaller than this (square degrees; Cyprus's sovereign bases, say) get no label.
MIN_LABEL_AREA = 0.3
#: The context countries are clipped to this box (lon_min, lat_min, lon_max, lat_max).
BASEMAP_CLIP = (28.0, 8.0, 80.0, 44.0)



# --------------------------------------------------------------------------------------------
# Basemap data
# --------------------------------------------------------------------------------------------


def _round_coords(geom: Any, decimals: int) -> Any:
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


@lru_cache(maxsize=1)
def basemap_layers() -> dict[str, gpd.GeoDataFrame]:
    """The boundary layers, simplified and rounded for the browser (the border keeps full detail)."""
    out: dict[str, gpd.GeoDataFrame] = {}
    for key, layer, tolerance, decimals in (
        ("countries", "countries_context", BASEMAP_TOLERANCE, 2),
        ("provinces", "provinces", BASEMAP_TOLERANCE / 6, 3),
        ("border", "border", 0.0, 5),
    ):
        frame = load_layer(layer).to_crs("EPSG:4326").copy()
        if key == "countries":
            frame = frame.clip(BASEMAP_CLIP)
            frame = frame[~frame.geometry.is_empty].sort_values("name").reset_index(drop=True)
        if tolerance:
            frame["geometry"] = frame.geometry.simplify(tolerance, preserve_topology=True)
        frame["geometry"] = frame.geometry.apply(_round_coords, decimals=decimals)
        out[key] = frame
    return out


def _geojson(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    keep = [c for c in columns if c in frame.columns]
    return frame[[*keep, "geometry"]].__geo_interface__


# --------------------------------------------------------------------------------------------
# HTML fragments (escaped)
# --------------------------------------------------------------------------------------------


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _date_label(row: Any) -> str:
    start = str(getattr(row, "date", "") or "")
    end = str(getattr(row, "date_end", "") or "")
    precision = str(getattr(row, "date_precision", "") or "")
    if precision == "month":
        return f"{start[:7]} (month)"
    if end and end != start:
        return f"{start} – {end}"
    return start


def event_popup_html(
    row: Any,
    claims: Sequence[Any] = (),
    report_labels: Mapping[str, str] | None = None,
) -> str:
    """The popup for one event row: date, actor → target, type, place, fatalities, quotes by source."""
    labels = report_labels or {}
    origin = getattr(row, "origin", "") or ""
    parts = [
        '<div class="sm-pop">',
        f'<div class="sm-h">{_e(row.actor)} → {_e(row.target)}</div>',
        f'<div class="sm-m">{_e(row.event_type)} · {_e(_date_label(row))}</div>',
        "<table>",
        f"<tr><th>Place</th><td>{_e(row.place)} <span class='sm-m'>({_e(row.geo_precision)})</span></td></tr>",
    ]
    if origin:
        parts.append(f"<tr><th>From</th><td>{_e(origin)}</td></tr>")
    parts.append(
        f"<tr><th>Fatalities</th><td>{_e(row.fatalities)}</td></tr>"
        f"<tr><th>Event</th><td>{_e(row.id)}</td></tr></table>"
    )
    summary = getattr(row, "summary", "") or ""
    if summary:
        parts.append(f"<p>{_e(summary)}</p>")
    if claims:
        parts.append("<div class='sm-b'>What the reports say</div>")
        by_report: dict[str, list[Any]] = {}
        for claim in claims:
            by_report.setdefault(claim.report_id, []).append(claim)
        for report_id, report_claims in sorted(by_report.items()):
            parts.append(
                f"<div class='sm-r'><div class='sm-rl'>{_e(labels.get(report_id, report_id))}</div>"
            )
            for claim in report_claims:
                parts.append(
                    f"<div><span class='sm-m'>{_e(claim.field)}:</span> <b>{_e(claim.value)}</b>"
                    f" — <i>“{_e(claim.quote)}”</i></div>"
                )
            parts.append("</div>")
    else:
        reports = str(getattr(row, "reports", "") or "")
        if reports:
            names = ", ".join(_e(labels.get(r, r)) for r in reports.split(";") if r)
            parts.append(f"<div class='sm-m'>Sources: {names}</div>")
    parts.append("</div>")
    return "".join(parts)


def _marker_html(shape: str, colour: str, selected: bool) -> tuple[str, int]:
    size = 30 if selected else 22
    svg = shape_svg(shape, colour, size, stroke="#1a1a1a" if selected else "#ffffff", stroke_width=2)
    if selected:
        svg = (
            f'<div style="border-radius:50%;box-shadow:0 0 0 4px {SELECTED_RING},0 0 10px 4px rgba(0,0,0,0.35);'
            f'width:{size}px;height:{size}px">{svg}</div>'
        )
    return f'<div class="strike-marker{" selected" if selected else ""}">{svg}</div>', size


def _arrowhead_html(colour: str, angle: float, back_px: int = 19) -> str:
    """An arrowhead whose tip stops back_px short of the target point (the marker's edge)."""
    return (
        f'<div style="transform:rotate({angle:.1f}deg) translateX(-{back_px}px);width:18px;height:18px">'
        f'<svg width="18" height="18" viewBox="0 0 18 18"><polygon points="2,2 17,9 2,16 6,9" '
        f'fill="{html.escape(colour)}" stroke="#fff" stroke-width="1"/></svg></div>'
    )


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------


def mention_radius(count: int) -> float:
    """Circle radius in pixels: area grows with the number of mentions."""
    return round(4.0 + 3.2 * math.sqrt(max(count, 1)), 1)


def _mention_rows(mentions: Any) -> list[dict[str, Any]]:
    if mentions is None:
        return []
    if isinstance(mentions, pd.DataFrame):
        return mentions.to_dict("records")
    return [dict(m) if isinstance(m, Mapping) else vars(m) for m in mentions]


# --------------------------------------------------------------------------------------------
# The map
# --------------------------------------------------------------------------------------------


#: Classes used by popups, tooltips and labels (one stylesheet instead of inline styles: smaller map).
MAP_CSS = """
.sm-pop{font:13px/1.4 system-ui,sans-serif;max-height:320px;overflow:auto;color:#222}
.sm-pop p{margin:4px 0 6px}
.sm-pop table{margin:6px 0;border-collapse:collapse}
.sm-pop th{text-align:left;padding-right:8px;vertical-align:top}
.sm-h{font-weight:700;font-size:14px}
.sm-m{color:#666}
.sm-b{font-weight:600;margin-top:4px}
.sm-r{margin:6px 0 2px;padding-left:8px;border-left:3px solid #bbb}
.sm-rl{color:#555;font-size:11px;font-weight:600}
.sm-cl{font:11px system-ui,sans-serif;color:#777;white-space:nowrap;transform:translate(-50%,-50%);
  text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none}
.sm-cl.sm-focus{font-weight:600;font-size:13px;color:#3a3a3a;letter-spacing:.08em}
.sm-pl{font:italic 11px system-ui,sans-serif;color:#8a4b00;white-space:nowrap;transform:translate(-50%,140%);
  text-shadow:0 0 3px #fff;pointer-events:none}
"""


def _new_map(asset_base: str) -> folium.Map:
    m = folium.Map(
        location=(29.0, 58.0),
        zoom_start=5,
        tiles=None,
        max_zoom=18,
        min_zoom=3,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,  # fitBounds can then use the space it has instead of dropping a whole level
        zoom_delta=0.5,
        # Leaflet's keyboard handler focuses the map on mousedown; inside Streamlit's iframe that scrolls
        # the page when the map is partly off screen, so the mouseup lands elsewhere and the click is lost.
        keyboard=False,
    )
    # Instance attributes: folium's add_*_link would mutate the class-level lists.
    m.default_js = [(assets.LEAFLET_JS.name, assets.url(assets.LEAFLET_JS, asset_base))]
    m.default_css = [(assets.LEAFLET_CSS.name, assets.url(assets.LEAFLET_CSS, asset_base))]
    MapSetup(assets.leaflet_image_path(asset_base), attribution=ATTRIBUTION).add_to(m)
    m.get_root().header.add_child(folium.Element(f"<style>{MAP_CSS}</style>"), name="strike_map_css")
    return m


def _add_basemap(m: folium.Map, border_km: float) -> None:
    layers = basemap_layers()
    countries = layers["countries"]
    land = folium.FeatureGroup(name="Countries (Natural Earth 1:10m)", control=True)
    folium.GeoJson(
        _geojson(countries, ["name", "adm0_a3"]),
        style_function=lambda f: FOCUS_LAND_STYLE if f["properties"].get("adm0_a3") in FOCUS_COUNTRIES else LAND_STYLE,
        interactive=False,
        control=False,
    ).add_to(land)
    land.add_to(m)

    labels = folium.FeatureGroup(name="Country labels", control=True)
    texts = []
    for row in countries.itertuples(index=False):
        if not (valid(row.label_lat) and valid(row.label_lon)) or row.geometry.area < MIN_LABEL_AREA:
            continue
        focus = row.adm0_a3 in FOCUS_COUNTRIES
        texts.append((round(float(row.label_lat), 3), round(float(row.label_lon), 3),
                      f'<div class="sm-cl{" sm-focus" if focus else ""}">'
                      f"{_e(str(row.name).upper() if focus else row.name)}</div>"))
    Labels(texts, "country-label").add_to(labels)
    labels.add_to(m)

    provinces = layers["provinces"]
    prov = folium.FeatureGroup(name="Border provinces", control=True)
    for row in provinces.itertuples(index=False):
        gj = folium.GeoJson(
            shapely.geometry.mapping(row.geometry),
            style_function=lambda _f: PROVINCE_STYLE,
            control=False,
        )
        BindTooltip(f"{_e(row.name)} ({_e(row.admin)})", sticky=True).add_to(gj)
        gj.add_to(prov)
    Labels(
        [(float(row.latitude), float(row.longitude), f'<div class="sm-pl">{_e(row.name)}</div>')
         for row in provinces.itertuples(index=False) if valid(row.latitude) and valid(row.longitude)],
        "province-label",
    ).add_to(prov)
    prov.add_to(m)

    border = layers["border"]
    border_group = folium.FeatureGroup(name=f"Iran–Pakistan border ({border_km:,.0f} km)", control=True)
    gj_border = _geojson(border, ["name"])
    folium.GeoJson(gj_border, style_function=lambda _f: BORDER_HALO_STYLE, interactive=False, control=False).add_to(
        border_group
    )
    line = folium.GeoJson(gj_border, style_function=lambda _f: BORDER_STYLE, control=False)
    BindTooltip(
        f"Iran–Pakistan border: <b>{border_km:,.0f} km</b> measured (geodesic, Natural Earth 1:10m)", sticky=True
    ).add_to(line)
    line.add_to(border_group)
    # Length label near the northern end of the line (the tripoint with Afghanistan), on the
    # Pakistani side, clear of the strike markers further south.
    merged = shapely.line_merge(shapely.union_all(border.geometry.values))
    ends = shapely.get_coordinates(merged)
    north_first = ends[0][1] >= ends[-1][1]
    mid = shapely.line_interpolate_point(merged, 0.12 if north_first else 0.88, normalized=True)
    label_html = (
        f'<div style="font:700 12px system-ui,sans-serif;color:{BORDER_STYLE["color"]};white-space:nowrap;'
        f'transform:translate(14px,-50%);text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff">'
        f"Border {border_km:,.0f} km</div>"
    )
    Labels([(mid.y, mid.x, label_html)], "border-label").add_to(border_group)
    border_group.add_to(m)


def build_map(
    events_gdf: gpd.GeoDataFrame,
    *,
    mentions: Any = None,
    selected_ids: Iterable[str] = (),
    asset_base: str = assets.STREAMLIT_STATIC_URL,
    tile_url: str | None = None,
    claims: Iterable[Any] = (),
    report_labels: Mapping[str, str] | None = None,
    all_actors: Iterable[str] | None = None,
    event_types: Iterable[str] | None = None,
) -> folium.Map:
    """The briefing map for these events.

    events_gdf: geo.events.table.to_geodataframe output (possibly filtered). mentions: rows (DataFrame,
    dicts or objects) with name, lat, lon, count and optionally kind, country_code, spellings,
    reports (see geo.maps.build.mention_table). selected_ids are highlighted and the view fits them.
    claims: geo.events.table.Claim-like objects, shown as quotes in the popups. all_actors/event_types
    fix the colour/shape assignment (default: what events_gdf holds) so a filtered map keeps the
    same legend colours as the full one. tile_url: an optional online tile layer, off by default.
    """
    selected = {str(s) for s in selected_ids}
    m = _new_map(asset_base)
    if tile_url:
        folium.TileLayer(
            tiles=tile_url, name="Online tiles (needs network)", attr="configured tile server", overlay=True,
            show=False, max_zoom=18,
        ).add_to(m)
    border_km = border_length_km()
    _add_basemap(m, border_km)

    colours = actor_colours(all_actors if all_actors is not None else events_gdf.get("actor", []))
    types = list(event_types) if event_types is not None else sorted(set(events_gdf.get("event_type", [])))
    shapes = event_type_shapes(types)
    claims_by_event: dict[str, list[Any]] = {}
    for claim in claims:
        claims_by_event.setdefault(str(claim.event_id), []).append(claim)

    mention_rows = _mention_rows(mentions)
    if mention_rows:
        places = folium.FeatureGroup(name="Places named in the reports", control=True)
        for rec in sorted(mention_rows, key=lambda r: -int(r.get("count", 1))):
            if not (valid(rec.get("lat")) and valid(rec.get("lon"))):
                continue
            count = int(rec.get("count", 1))
            circle = folium.CircleMarker(
                (float(rec["lat"]), float(rec["lon"])),
                radius=mention_radius(count),
                **MENTION_STYLE,
            )
            spellings = rec.get("spellings") or ()
            reports = rec.get("reports") or ()
            if isinstance(reports, str):
                reports = [r for r in reports.split(";") if r]
            tip = [f"<b>{_e(rec.get('name'))}</b>"]
            if rec.get("kind"):
                tip.append(f" <span class='sm-m'>{_e(rec.get('kind'))}</span>")
            tip.append(f"<br>{count} mention{'s' if count != 1 else ''}")
            if reports:
                tip.append(f" in {len(reports)} report{'s' if len(reports) != 1 else ''}")
            if spellings:
                tip.append(f"<br><span class='sm-m'>as: {_e(', '.join(sorted(spellings)))}</span>")
            BindTooltip("".join(tip)).add_to(circle)
            circle.add_to(places)
        places.add_to(m)

    spots = marker_layout(events_gdf)
    positions = {event_id: (spot.lat, spot.lon) for event_id, spot in spots.items()}
    arrows = folium.FeatureGroup(name="Cross-border strike arrows", control=True)
    markers = folium.FeatureGroup(name="Strikes and events", control=True)
    has_arrows = False
    open_popup = None
    rows = sorted(events_gdf.itertuples(index=False), key=lambda r: (str(r.id) in selected, str(r.id)))
    for row in rows:
        event_id = str(row.id)
        if event_id not in positions:
            continue
        lat, lon = positions[event_id]
        spot = spots[event_id]
        colour = colours.get(row.actor, UNKNOWN_COLOUR)
        if valid(getattr(row, "origin_lat", None)) and valid(getattr(row, "origin_lon", None)):
            path, angle = arrow_path((float(row.origin_lat), float(row.origin_lon)), (lat, lon))
            line = folium.PolyLine(path, color=colour, weight=3, opacity=ARROW_COLOUR_ALPHA, dash_array="8 5")
            BindTooltip(f"{_e(row.origin)} → {_e(row.place)} · {_e(_date_label(row))}", sticky=True).add_to(line)
            line.add_to(arrows)
            folium.Marker(
                path[-1],
                icon=folium.DivIcon(html=_arrowhead_html(colour, angle), icon_size=(18, 18),
                                    icon_anchor=(9 - spot.dx, 9 - spot.dy),
                                    class_name="strike-arrowhead"),
                interactive=False,
                keyboard=False,
            ).add_to(arrows)
            has_arrows = True
        is_selected = event_id in selected
        marker_html, size = _marker_html(shapes.get(row.event_type, "circle"), colour, is_selected)
        marker = folium.Marker(
            (lat, lon),
            icon=folium.DivIcon(
                html=marker_html, icon_size=(size, size), icon_anchor=(size // 2 - spot.dx, size // 2 - spot.dy),
                class_name="strike-marker-icon",
            ),
            z_index_offset=1000 if is_selected else 0,
            title=f"{event_id}: {row.actor} → {row.target}",
        )
        BindPopup(event_popup_html(row, claims_by_event.get(event_id, ()), report_labels)).add_to(marker)
        if is_selected and len(selected) == 1:
            open_popup = OpenPopup(marker)
        BindTooltip(f"{_e(row.actor)} → {_e(row.target)} · {_e(_date_label(row))}").add_to(marker)
        marker.add_to(markers)
    if has_arrows:
        arrows.add_to(m)
    markers.add_to(m)

    add_event_areas(m, events_gdf, colours)  # imprecise events as areas, "from <country>" labels (issue 11)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)  # added first: sits above the legend
    Legend(
        legend_html(colours, shapes, border_label=f"Iran–Pakistan border ({border_km:,.0f} km)",
                    show_mentions=bool(mention_rows))
    ).add_to(m)
    # Keep the events clear of the legend (top right, under the layer control): fit them to its left.
    m.fit_bounds(*_view_bounds(events_gdf, positions, selected), padding_top_left=(30, 30),
                 padding_bottom_right=(LEGEND_WIDTH_PX + 40, 30), max_zoom=7)
    if open_popup is not None:
        open_popup.add_to(m)
    return m


def _view_bounds(
    events_gdf: pd.DataFrame, positions: Mapping[str, tuple[float, float]], selected: set[str]
) -> tuple[list[list[float]]]:
    points = [p for i, p in positions.items() if i in selected] if selected else list(positions.values())
    if not selected:
        for row in events_gdf.itertuples(index=False):
            if valid(getattr(row, "origin_lat", None)) and valid(getattr(row, "origin_lon", None)):
                points.append((float(row.origin_lat), float(row.origin_lon)))
    if not points:  # nothing to show: the border region
        bounds = basemap_layers()["provinces"].total_bounds
        return ([[bounds[1], bounds[0]], [bounds[3], bounds[2]]],)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    pad = 3.0 if len(points) == 1 else 0.2
    return ([[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]],)


def map_links(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the map's elements ask the browser to load (what st_folium will request)."""
    urls: list[str] = []

    def walk(element: Any) -> None:
        for _, url in getattr(element, "default_js", []):
            urls.append(url)
        for _, url in getattr(element, "default_css", []):
            urls.append(url)
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(urls))


def mention_table(mentions_by_report: Mapping[str, Iterable[Any]],
                  reports: Collection[str] = ()) -> pd.DataFrame:
    """One row per place the reports name: name, kind, country_code, lat, lon, count (mentions over
    all reports), reports (ids, sorted) and spellings (the words the reports used, sorted).

    mentions_by_report: report id -> geo.places.toponyms.PlaceMention-like objects (attributes mention,
    name, kind, country_code, lat, lon). Mentions without coordinates are left out.
    reports: only these reports' mentions (the report filter); empty means every report.
    """
    places: dict[tuple[str, str, float, float], dict[str, Any]] = {}
    for report_id, mentions in mentions_by_report.items():
        if reports and report_id not in reports:
            continue
        for m in mentions:
            lat, lon = getattr(m, "lat", None), getattr(m, "lon", None)
            if not (valid(lat) and valid(lon)):
                continue
            code = str(getattr(m, "country_code", "") or "")
            key = (str(getattr(m, "place_id", "") or m.name), code, round(float(lat), 4), round(float(lon), 4))
            rec = places.setdefault(
                key,
                {"name": m.name, "kind": getattr(m, "kind", ""), "country_code": code, "lat": float(lat),
                 "lon": float(lon), "count": 0, "reports": set(), "spellings": set()},
            )
            rec["count"] += 1
            rec["reports"].add(str(report_id))
            rec["spellings"].add(str(m.mention))
    rows = [
        {**rec, "reports": sorted(rec["reports"]), "spellings": sorted(rec["spellings"])}
        for rec in sorted(places.values(), key=lambda r: (-r["count"], r["name"]))
    ]
    columns = ["name", "kind", "country_code", "lat", "lon", "count", "reports", "spellings"]
    return pd.DataFrame(rows, columns=columns)
