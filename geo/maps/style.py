"""How the map looks: colours per actor, marker shapes per event type, basemap styles, the legend.

Shared by the dashboard map (geo.maps.build) and the briefing export, so both speak the same visual
language. Nothing here knows the corpus: actors and event types are assigned colours and shapes in
sorted order from whatever the event table holds, so a sixth report with a new actor gets the next
colour in the palette.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

#: Colour-blind-safe categorical palette (Okabe & Ito), then Tableau extras for long actor lists.
PALETTE: tuple[str, ...] = (
    "#D55E00",  # vermillion
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#7F3C8D",  # purple
    "#8C564B",  # brown
    "#3B3B3B",  # near black
    "#BCBD22",  # olive
)
UNKNOWN_COLOUR = "#777777"

#: Marker shapes, handed out to event types in order.
SHAPES: tuple[str, ...] = (
    "circle", "triangle", "square", "diamond", "star", "hexagon", "cross", "pentagon", "ring", "triangle-down",
)

# Basemap and overlay styles (Leaflet path options).
LAND_STYLE = {"fillColor": "#f2efe6", "color": "#9c9a92", "weight": 0.8, "fillOpacity": 1.0}
FOCUS_LAND_STYLE = {"fillColor": "#ebe4d2", "color": "#7d7a70", "weight": 1.0, "fillOpacity": 1.0}
SEA_COLOUR = "#cfe0ec"
PROVINCE_STYLE = {
    "fillColor": "#f4c27a",
    "color": "#a35f00",
    "weight": 2,
    "dashArray": "6 4",
    "fillOpacity": 0.18,
}
BORDER_STYLE = {"color": "#b0002a", "weight": 4, "opacity": 0.95}
BORDER_HALO_STYLE = {"color": "#ffffff", "weight": 8, "opacity": 0.9}
ARROW_COLOUR_ALPHA = 0.85
MENTION_STYLE = {"color": "#35495e", "fillColor": "#35495e", "fillOpacity": 0.22, "weight": 1}
SELECTED_RING = "#ffd400"
#: imprecise events drawn as the area the reports allow (geo.maps.areas, geo.export.snapshot): translucent fill
#: and a dashed outline in the actor's colour; hatched in the PNG/PDF
AREA_STYLE = {"weight": 1.5, "dashArray": "5 4", "opacity": 0.85, "fillOpacity": 0.13}
AREA_HATCH = "////"
#: the "from <country>" label at the start of a strike arrow (no report gives a launch site)
ORIGIN_LABEL_COLOUR = "#333333"
#: The legend's width; the map keeps this much free on its right when it fits the events.
LEGEND_WIDTH_PX = 215


def actor_colours(actors: Iterable[str]) -> dict[str, str]:
    """Actor -> colour, assigned in sorted order so the same table always gives the same colours."""
    names = sorted({a for a in actors if a})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def event_type_shapes(event_types: Iterable[str]) -> dict[str, str]:
    """Event type -> marker shape name, in the given order (the event table's EVENT_TYPES order)."""
    shapes: dict[str, str] = {}
    for event_type in event_types:
        if event_type and event_type not in shapes:
            shapes[event_type] = SHAPES[len(shapes) % len(SHAPES)]
    return shapes


def _star_points(cx: float, cy: float, outer: float, inner: float, n: int = 5) -> str:
    import math

    points = []
    for k in range(2 * n):
        r = outer if k % 2 == 0 else inner
        angle = math.pi / n * k - math.pi / 2
        points.append(f"{cx + r * math.cos(angle):.1f},{cy + r * math.sin(angle):.1f}")
    return " ".join(points)


def shape_svg(shape: str, colour: str, size: int = 22, *, stroke: str = "#ffffff", stroke_width: float = 2) -> str:
    """An inline SVG of a marker shape (no external resources)."""
    s = size
    c = s / 2
    r = s / 2 - stroke_width
    paint = f'fill="{html.escape(colour)}" stroke="{html.escape(stroke)}" stroke-width="{stroke_width}"'
    lo, hi = stroke_width, s - stroke_width
    if shape == "triangle":
        body = f'<polygon points="{c},{lo} {hi},{hi} {lo},{hi}" {paint}/>'
    elif shape == "square":
        w = s - 2 * stroke_width - 2
        body = f'<rect x="{stroke_width + 1}" y="{stroke_width + 1}" width="{w}" height="{w}" {paint}/>'
    elif shape == "diamond":
        body = f'<polygon points="{c},{lo} {hi},{c} {c},{hi} {lo},{c}" {paint}/>'
    elif shape == "star":
        body = f'<polygon points="{_star_points(c, c, r + 1, r * 0.45)}" {paint}/>'
    elif shape == "hexagon":
        import math

        pts = " ".join(
            f"{c + r * math.cos(math.pi / 3 * k):.1f},{c + r * math.sin(math.pi / 3 * k):.1f}" for k in range(6)
        )
        body = f'<polygon points="{pts}" {paint}/>'
    elif shape == "pentagon":
        import math

        pts = " ".join(
            f"{c + r * math.cos(2 * math.pi / 5 * k - math.pi / 2):.1f},"
            f"{c + r * math.sin(2 * math.pi / 5 * k - math.pi / 2):.1f}"
            for k in range(5)
        )
        body = f'<polygon points="{pts}" {paint}/>'
    elif shape == "triangle-down":
        body = f'<polygon points="{lo},{lo} {hi},{lo} {c},{hi}" {paint}/>'
    elif shape == "ring":
        inner = max(r - 4, 2)
        body = (
            f'<circle cx="{c}" cy="{c}" r="{r}" {paint}/>'
            f'<circle cx="{c}" cy="{c}" r="{inner}" fill="#ffffff" stroke="none"/>'
        )
    elif shape == "cross":
        t = s / 3
        pts = (
            f"{t},{stroke_width} {2 * t},{stroke_width} {2 * t},{t} {s - stroke_width},{t} "
            f"{s - stroke_width},{2 * t} {2 * t},{2 * t} {2 * t},{s - stroke_width} {t},{s - stroke_width} "
            f"{t},{2 * t} {stroke_width},{2 * t} {stroke_width},{t} {t},{t}"
        )
        body = f'<polygon points="{pts}" {paint}/>'
    else:
        body = f'<circle cx="{c}" cy="{c}" r="{r}" {paint}/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}">{body}</svg>'


def legend_html(
    colours: dict[str, str],
    shapes: dict[str, str],
    *,
    border_label: str | None = None,
    show_mentions: bool = True,
    show_areas: bool = True,
) -> str:
    """The map legend as an HTML fragment; every label is escaped."""
    grid = '<div style="display:grid;grid-template-columns:1fr;row-gap:1px">'
    item = '<div style="display:flex;align-items:center;gap:5px">{}<span>{}</span></div>'
    rows = ['<div style="font-weight:600;margin-bottom:3px">Actor (colour)</div>', grid]
    for actor, colour in colours.items():
        rows.append(item.format(shape_svg("circle", colour, 13, stroke_width=1), html.escape(actor)))
    rows.append('</div><div style="font-weight:600;margin:6px 0 3px">Event type (shape)</div>')
    rows.append(grid)
    for event_type, shape in shapes.items():
        rows.append(item.format(shape_svg(shape, "#555555", 13, stroke_width=1), html.escape(event_type)))
    rows.append("</div>")
    rows.append('<div style="font-weight:600;margin:6px 0 4px">Lines and areas</div>')
    rows.append(
        '<div style="display:flex;align-items:center;gap:6px">'
        f'<svg width="22" height="10"><line x1="0" y1="5" x2="22" y2="5" stroke="{BORDER_STYLE["color"]}" '
        f'stroke-width="4"/></svg><span>{html.escape(border_label or "Iran–Pakistan border")}</span></div>'
    )
    rows.append(
        '<div style="display:flex;align-items:center;gap:6px">'
        f'<svg width="22" height="12"><rect x="1" y="1" width="20" height="10" fill="{PROVINCE_STYLE["fillColor"]}" '
        f'fill-opacity="0.4" stroke="{PROVINCE_STYLE["color"]}" stroke-dasharray="4 2" stroke-width="1.5"/></svg>'
        "<span>Border provinces</span></div>"
    )
    rows.append(
        '<div style="display:flex;align-items:center;gap:6px">'
        '<svg width="22" height="10"><line x1="0" y1="5" x2="15" y2="5" stroke="#555" stroke-width="2.5"/>'
        '<polygon points="14,0 22,5 14,10" fill="#555"/></svg><span>Strike, from the actor&#39;s border '
        "(no launch site given)</span></div>"
    )
    if show_areas:
        rows.append(
            '<div style="display:flex;align-items:center;gap:6px">'
            '<svg width="22" height="12"><rect x="1" y="1" width="20" height="10" fill="#555" '
            f'fill-opacity="{AREA_STYLE["fillOpacity"] * 2}" stroke="#555" stroke-dasharray="3 2" stroke-width="1.2"/>'
            "</svg><span>Where the reports place an event, no closer (marker inside, not a known spot)</span></div>"
        )
    if show_mentions:
        rows.append(
            '<div style="display:flex;align-items:center;gap:6px">'
            f'<svg width="22" height="14"><circle cx="11" cy="7" r="6" fill="{MENTION_STYLE["fillColor"]}" '
            f'fill-opacity="0.3" stroke="{MENTION_STYLE["color"]}"/></svg>'
            "<span>Place named in reports (size = mentions)</span></div>"
        )
    return (
        '<div style="background:rgba(255,255,255,0.94);padding:8px 10px;border-radius:6px;'
        "box-shadow:0 1px 4px rgba(0,0,0,0.3);font:11px/1.35 system-ui,sans-serif;color:#222;"
        f'width:{LEGEND_WIDTH_PX}px;box-sizing:border-box;max-height:80vh;overflow:auto">'
        '<details open><summary style="cursor:pointer;'
        'font-weight:700;font-size:12px">Legend</summary>' + "".join(rows) + "</details></div>"
    )
