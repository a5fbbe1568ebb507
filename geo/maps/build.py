"""The briefing map: a Leaflet map (folium) that works with no internet.

Two parts, so the dashboard can create the map once and then change only what the filter and the
selection change (streamlit-folium's `feature_group_to_add`):

- `base_map`: the map itself, its basemap (geo.maps.basemap), the layer switcher, legend box and scale,
  and the view it opens on. It never depends on the filter or the selection.
- `event_layers`: the feature groups for the events shown (markers, the selection, cross-border arrows,
  the places the reports name) and the legend for them.

`build_map` puts both together in one map (the HTML export and tests). Every JS/CSS resource comes from
geo.maps.assets (no CDN); HTML comes from geo.maps.templates (autoescaped) and reaches JavaScript as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
from branca.element import Figure

from geo.boundaries.region import Region
from geo.events.labels import event_date_label
from geo.events.model import EVENT_TYPES, Event
from geo.maps import assets
from geo.maps.areas import area_features, areas_layer
from geo.maps.basemap import add_basemap, add_land, border_layer_name, region_bounds
from geo.maps.elements import (
    ApplyHidden,
    BindPopup,
    BindTooltip,
    LegendBody,
    MapController,
    MapSetup,
    MeasureControl,
    OpenPopup,
    RegisterLayer,
    TimeControl,
)
from geo.maps.geometry import MarkerSpot, arrow_path, events_at, marker_layout, marker_positions, valid
from geo.maps.places import MentionedPlace, mention_table
from geo.maps.style import (
    ARROW_COLOUR_ALPHA,
    ATTRIBUTION,
    LEGEND_WIDTH_PX,
    MENTION_STYLE,
    UNKNOWN_COLOUR,
    actor_colours,
    actor_marks,
    event_type_shapes,
)
from geo.maps.templates import (
    MAP_CSS,
    arrow_tooltip,
    arrowhead_html,
    event_popup_html,
    event_tooltip,
    legend_html,
    marker_html,
    place_radius,
    place_tooltip,
)
from geo.maps.view import MapView

__all__ = [
    "ATTRIBUTION", "arrow_path", "base_map", "build_map", "event_layers", "events_at", "fit_bounds",
    "marker_layout", "marker_positions", "mention_table",
]

#: Data credits shown on the map (GeoNames' licence asks for it).
#: Names in the layer switcher (also the values of the URL's `hide` parameter).
EVENTS_LAYER = "Strikes and events"
ARROWS_LAYER = "Cross-border strike arrows"
PLACES_LAYER = "Places named in the reports"
#: The closest zoom a fit goes to (one event still shows its surroundings).
FIT_MAX_ZOOM = 7


def base_map(*, bounds: Sequence[Sequence[float]] | None = None, hidden: Iterable[str] = (),
             asset_base: str = assets.STREAMLIT_STATIC_URL, tile_url: str | None = None,
             standalone: bool = False, exact: bool = False, region: Region | None = None) -> folium.Map:
    """The map with the region's basemap (default: the seed incident's), opening on bounds ([[S, W], [N, E]];
    default: the region's), left of the legend, or exactly on them (exact: a shared extent, which must not
    grow with every share).

    standalone: the map's page carries all its data (an export); otherwise the world basemap is
    fetched from the static folder under asset_base."""
    region = region or Region.seed()
    m = _new_map(asset_base)
    MapController(hidden=list(hidden)).add_to(m)
    if tile_url:
        folium.TileLayer(tiles=tile_url, name="Online tiles (needs network)", attr="configured tile server",
                         overlay=True, show=False, max_zoom=18).add_to(m)
    add_basemap(m, region, None if standalone else asset_base)
    TimeControl().add_to(m)
    MeasureControl().add_to(m)
    if exact and bounds:
        _open_on(m, bounds)
    else:  # the events keep clear of the legend (top right): fitted to its left
        _open_on(m, bounds or region_bounds(region), padding_top_left=(30, 30),
                 padding_bottom_right=(LEGEND_WIDTH_PX + 40, 30), max_zoom=FIT_MAX_ZOOM)
    return m


def _open_on(m: folium.Map, bounds: Sequence[Sequence[float]], **options: Any) -> None:
    """Fit the map to bounds as it opens, at once: folium's fit_bounds without Leaflet's zoom animation.

    The map is made at zoom 5 and then fitted. Animated, that fit runs on for at least a quarter of a second
    (longer on a loaded machine) after the map is on screen, Leaflet drops any setView made meanwhile (a wheel,
    a +/- click, a search result), and the animation then ends on the fitted zoom. That undid a zoom made as
    the map appeared (notes/issue-17.md, Stop 10)."""
    fit = folium.FitBounds(bounds, **options)
    fit.options["animate"] = False
    m.add_child(fit)


def small_map(bounds: Sequence[Sequence[float]], region: Region | None = None,
              asset_base: str = assets.STREAMLIT_STATIC_URL) -> folium.Map:
    """A plain map for a side panel, fitted to bounds ([[S, W], [N, E]]): the land only (the region's
    countries in detail), with no layer switcher, legend, time slider or the incident's overlays."""
    m = _new_map(asset_base)
    add_land(m, region, assets.world_url(asset_base))
    _open_on(m, bounds, padding=(20, 20), max_zoom=FIT_MAX_ZOOM + 2)
    return m


def _new_map(asset_base: str) -> folium.Map:
    m = folium.Map(
        location=(29.0, 58.0), zoom_start=5, tiles=None, max_zoom=18, min_zoom=2, control_scale=True,
        zoom_snap=0.25,  # fitBounds can then use the space it has instead of dropping a whole level
        zoom_delta=0.5,
        # Leaflet's keyboard handler focuses the map on mousedown; inside Streamlit's iframe that scrolls
        # the page when the map is partly off screen, so the mouseup lands elsewhere and the click is lost.
        keyboard=False,
    )
    # Instance attributes: folium's add_*_link would mutate the class-level lists.
    m.default_js = [(a.name, assets.url(a, asset_base)) for a in assets.ALL_ASSETS if a.kind == "js"]
    m.default_css = [(a.name, assets.url(a, asset_base)) for a in assets.ALL_ASSETS if a.kind == "css"]
    MapSetup(assets.leaflet_image_path(asset_base), attribution=ATTRIBUTION).add_to(m)
    root = m.get_root()
    assert isinstance(root, Figure)  # a folium.Map always sits in a branca Figure
    root.header.add_child(folium.Element(f"<style>{MAP_CSS}</style>"), name="strike_map_css")
    return m


def event_layers(
    events: Sequence[Event],
    places: Sequence[MentionedPlace] = (),
    *,
    colours: Mapping[str, str],
    shapes: Mapping[str, str],
    selected: Iterable[str] = (),
    report_labels: Mapping[str, str] | None = None,
    open_popup: bool = True,
    region: Region | None = None,
    selectable: bool = False,
) -> list[folium.FeatureGroup]:
    """Feature groups for the events shown: places, arrows, markers, the selection (drawn last, on top).
    open_popup: open the popup of a single selected event (a click; the table has the grid instead).
    selectable: each marker also carries its selected icon, so a live map (MapController's `command`) can
    change the selection without new layers; a file made once (an export) has no need of it."""
    chosen = {str(s) for s in selected}
    spots = marker_layout(events)
    located = sorted((e for e in events if e.id in spots), key=lambda e: e.id)
    marks = actor_marks(colours)
    areas = areas_layer(located, colours)  # imprecise events as the area the reports allow (issue 11)
    groups = [_places_layer(places), *([areas] if areas is not None else []), _arrows_layer(located, spots, colours)]
    markers = _group(EVENTS_LAYER)
    highlight = folium.FeatureGroup(name="Selection", control=False)
    for event in located:
        target = highlight if event.id in chosen else markers
        marker = _marker(event, spots[event.id], colours, shapes, marks, event.id in chosen, report_labels or {},
                         selectable)
        marker.add_to(target)
        if open_popup and event.id in chosen and len(chosen) == 1:
            OpenPopup(marker).add_to(highlight)
    LegendBody(_legend(located, places, colours, shapes, region or Region.seed())).add_to(markers)
    return [*groups, markers, highlight]


def build_map(
    events: Sequence[Event],
    places: Sequence[MentionedPlace] = (),
    *,
    colours: Mapping[str, str] | None = None,
    shapes: Mapping[str, str] | None = None,
    view: MapView | None = None,
    report_labels: Mapping[str, str] | None = None,
    asset_base: str = assets.STREAMLIT_STATIC_URL,
    tile_url: str | None = None,
    standalone: bool = False,
    region: Region | None = None,
) -> folium.Map:
    """The whole map in one: base (the region's; default: the seed incident's), event layers, and the view
    (the view's bbox, else fitted to the selection, else to the events, else the region). colours/shapes
    default to those of `events` alone; pass the Dataset's so a filtered map keeps the full table's colours."""
    view = view or MapView()
    region = region or Region.seed()
    bounds = _bbox_bounds(view.bbox) if view.bbox else fit_bounds(events, view.selected, region)
    m = base_map(bounds=bounds, hidden=view.hidden, asset_base=asset_base, tile_url=tile_url, standalone=standalone,
                 exact=view.bbox is not None, region=region)
    for group in event_layers(
        events, places, selected=view.selected, report_labels=report_labels, region=region,
        colours=colours if colours is not None else actor_colours(e.actor for e in events),
        shapes=shapes if shapes is not None else event_type_shapes([*EVENT_TYPES, *(e.event_type for e in events)]),
    ):
        group.add_to(m)
    ApplyHidden().add_to(m)
    return m


def fit_bounds(events: Sequence[Event], selected: Iterable[str] = (),
               region: Region | None = None) -> list[list[float]]:
    """[[S, W], [N, E]] around the selected events (if any) or every event and where its strike came from;
    with no located event, the region's (default: the seed incident's)."""
    chosen = set(selected)
    positions = marker_positions(events)
    points = [p for i, p in positions.items() if i in chosen]
    if not points:
        points = list(positions.values())
        points += [(float(e.origin_lat), float(e.origin_lon)) for e in events
                   if e.id in positions and valid(e.origin_lat) and valid(e.origin_lon)]
    if not points:
        return region_bounds(region)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad = 3.0 if len(points) == 1 else 0.2
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]


def _bbox_bounds(bbox: tuple[float, float, float, float]) -> list[list[float]]:
    west, south, east, north = bbox
    return [[south, west], [north, east]]


def _group(name: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name, control=False)
    RegisterLayer(name).add_to(group)
    return group


def _places_layer(places: Sequence[MentionedPlace]) -> folium.FeatureGroup:
    group = _group(PLACES_LAYER)
    for place in places:
        circle = folium.CircleMarker((place.lat, place.lon), radius=place_radius(place.count), **MENTION_STYLE)
        BindTooltip(place_tooltip(place)).add_to(circle)
        circle.add_to(group)
    return group


def _arrows_layer(events: Sequence[Event], spots: Mapping[str, MarkerSpot],
                  colours: Mapping[str, str]) -> folium.FeatureGroup:
    group = _group(ARROWS_LAYER)
    for event in events:
        if valid(event.origin_lat) and valid(event.origin_lon):
            _add_arrow(group, event, spots[event.id], colours.get(event.actor, UNKNOWN_COLOUR))
    return group


def _add_arrow(group: folium.FeatureGroup, event: Event, spot: MarkerSpot, colour: str) -> None:
    path, angle = arrow_path((float(event.origin_lat), float(event.origin_lon)),  # type: ignore[arg-type]
                             (spot.lat, spot.lon))
    line = folium.PolyLine(path, color=colour, weight=3, opacity=ARROW_COLOUR_ALPHA, dash_array="8 5",
                           class_name=_day_class(event))
    BindTooltip(arrow_tooltip(event), sticky=True).add_to(line)
    line.add_to(group)
    icon = folium.DivIcon(html=arrowhead_html(colour, angle), icon_size=(18, 18),
                          icon_anchor=(9, 9),
                          class_name=f"strike-arrowhead {_day_class(event)}")
    folium.Marker(path[-1], icon=icon, interactive=False, keyboard=False).add_to(group)


def _marker(event: Event, spot: MarkerSpot, colours: Mapping[str, str], shapes: Mapping[str, str],
            marks: Mapping[str, str], selected: bool, report_labels: Mapping[str, str],
            selectable: bool = False) -> folium.Marker:
    colour = colours.get(event.actor, UNKNOWN_COLOUR)
    html, size = marker_html(shapes.get(event.event_type, "circle"), colour, selected,
                             event_date_label(event, year=False), marks.get(event.actor, ""))
    # Anchored at the event's place: overlapping markers are fanned out by the map itself (MapController's
    # declutter, per zoom, with a leader line); smTrue (sm_true) is the place before the few-metre nudge a co-located
    # event gets so that a click names exactly one event.
    icon = folium.DivIcon(html=html, icon_size=(size, size), class_name=f"strike-marker-icon {_day_class(event)}",
                          icon_anchor=(size // 2, size // 2))
    options: dict[str, object] = {}
    if selectable:  # smId and smSel (its icon when selected): MapController's applySelection swaps them
        selected_html, selected_size = marker_html(shapes.get(event.event_type, "circle"), colour, True,
                                                   event_date_label(event, year=False), marks.get(event.actor, ""))
        options = {"sm_id": event.id, "sm_sel": [selected_html, selected_size]}
    marker = folium.Marker((spot.lat, spot.lon), icon=icon, z_index_offset=1000 if selected else 0,
                           title=f"{event.id}: {event.actor} → {event.target}",
                           sm_true=[float(event.lat), float(event.lon)], **options)  # type: ignore[arg-type]
    BindPopup(event_popup_html(event, report_labels)).add_to(marker)
    BindTooltip(event_tooltip(event)).add_to(marker)
    return marker


def _day_class(event: Event) -> str:
    """The class the map's time slider reads: the event's first day (a month event: the 1st)."""
    return f"sm-day-{event.date_start:%Y%m%d}"


def _legend(events: Sequence[Event], places: Sequence[MentionedPlace], colours: Mapping[str, str],
            shapes: Mapping[str, str], region: Region) -> str:
    """Only what is on the map; the colours and shapes stay those of the whole table."""
    actors = {e.actor for e in events}
    types = {e.event_type for e in events}
    marks = actor_marks(colours)
    shown_colours = {f"{a} ({marks[a]})" if a in marks else a: c for a, c in colours.items() if a in actors}
    return legend_html(shown_colours, {t: s for t, s in shapes.items() if t in types},
                       border_label=border_layer_name(region) if len(region.borders) else "",
                       arrows=any(valid(e.origin_lat) for e in events), places=bool(places),
                       areas=bool(area_features(events, colours)), provinces=bool(len(region.provinces)))


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
