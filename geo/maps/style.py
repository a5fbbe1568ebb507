"""How the map looks: colours per actor, marker shapes per event type, basemap styles, the legend.

Shared by the dashboard map (geo.maps.build) and the briefing export, so both speak the same visual
language. Nothing here knows the corpus: actors and event types are assigned colours and shapes in
sorted order from whatever the event table holds, so a sixth report with a new actor gets the next
colour in the palette.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

#: Actor colours, told apart under deuteranopia, protanopia and tritanopia as well as by normal vision:
#: every pair differs by ΔE*ab >= 25 (CIELAB) in all four, simulated with colorspacious (severity 100),
#: and each stands >= 25 clear of the land and sea colours. Found by a max-min search over the sRGB cube
#: (devtools/palette_search.py); tests/test_palette.py checks it. Lightness 30–82, so markers never vanish
#: into the basemap. Actors beyond ten share colours again: their mark (actor_marks) still tells them apart.
PALETTE: tuple[str, ...] = (
    "#3C87FF",  # blue
    "#E14B2D",  # vermillion
    "#78E178",  # light green
    "#5A3C78",  # purple
    "#E1C32D",  # yellow
    "#96000F",  # dark red
    "#A587C3",  # lavender
    "#1E3CB4",  # navy
    "#F08796",  # pink
    "#872D4B",  # plum
)
UNKNOWN_COLOUR = "#777777"
#: The model's name for an actor the reports do not name (geo.events.model.UNKNOWN_ACTOR).
UNKNOWN_ACTOR = "unknown"

#: Marker shapes, handed out to event types in order.
SHAPES: tuple[str, ...] = (
    "circle", "triangle", "square", "diamond", "star", "hexagon", "cross", "pentagon", "ring", "triangle-down",
)

# Basemap and overlay styles (Leaflet path options).
LAND_STYLE: dict[str, Any] = {"fillColor": "#f2efe6", "color": "#9c9a92", "weight": 0.8, "fillOpacity": 1.0}
FOCUS_LAND_STYLE: dict[str, Any] = {"fillColor": "#ebe4d2", "color": "#7d7a70", "weight": 1.0, "fillOpacity": 1.0}
#: Land drawn by its fill alone (the layers are cut at a box; outlines come from COASTS_STYLE lines that
#: leave the cut out, so the map has no edge), and the coasts and borders as lines.
LAND_FILL_STYLE: dict[str, Any] = {"fillColor": LAND_STYLE["fillColor"], "stroke": False, "fillOpacity": 1.0}
FOCUS_FILL_STYLE: dict[str, Any] = {"fillColor": FOCUS_LAND_STYLE["fillColor"], "stroke": False, "fillOpacity": 1.0}
COASTS_STYLE: dict[str, Any] = {"color": LAND_STYLE["color"], "weight": 0.8, "fill": False}
SEA_COLOUR = "#cfe0ec"
PROVINCE_STYLE: dict[str, Any] = {
    "fillColor": "#f4c27a",
    "color": "#a35f00",
    "weight": 2,
    "dashArray": "6 4",
    "fillOpacity": 0.18,
}
BORDER_STYLE: dict[str, Any] = {"color": "#b0002a", "weight": 4, "opacity": 0.95}
BORDER_HALO_STYLE: dict[str, Any] = {"color": "#ffffff", "weight": 8, "opacity": 0.9}
ARROW_COLOUR_ALPHA = 0.85
MENTION_STYLE: dict[str, Any] = {"color": "#35495e", "fillColor": "#35495e", "fillOpacity": 0.22, "weight": 1}
SELECTED_RING = "#ffd400"
#: imprecise events drawn as the area the reports allow (geo.maps.areas, geo.export.snapshot): translucent fill
#: and a dashed outline in the actor's colour; hatched in the PNG/PDF
AREA_STYLE: dict[str, Any] = {"weight": 1.5, "dashArray": "5 4", "opacity": 0.85, "fillOpacity": 0.13}
AREA_HATCH = "////"
#: the "from <country>" label at the start of a strike arrow (no report gives a launch site)
ORIGIN_LABEL_COLOUR = "#333333"
#: The legend's width; the map keeps this much free on its right when it fits the events.
LEGEND_WIDTH_PX = 215


#: The same shapes for Vega-Lite (the timeline): its own names where it has the shape, else an SVG path
#: in its unit square (-1..1, y down). One vocabulary for map, timeline and exports.
VEGA_SHAPES: dict[str, str] = {
    "circle": "circle",
    "triangle": "triangle-up",
    "square": "square",
    "diamond": "diamond",
    "star": "M0,-1L0.24,-0.33L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.33Z",
    "hexagon": "M1,0L0.5,0.87L-0.5,0.87L-1,0L-0.5,-0.87L0.5,-0.87Z",
    "cross": "cross",
    "pentagon": "M0,-1L0.95,-0.31L0.59,0.81L-0.59,0.81L-0.95,-0.31Z",
    "ring": "M0,-1A1,1 0 1,1 0,1A1,1 0 1,1 0,-1ZM0,-0.5A0.5,0.5 0 1,0 0,0.5A0.5,0.5 0 1,0 0,-0.5Z",
    "triangle-down": "triangle-down",
}


def actor_colours(actors: Iterable[str]) -> dict[str, str]:
    """Actor -> colour, assigned in sorted order so the same table always gives the same colours."""
    names = sorted({a for a in actors if a})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def actor_marks(actors: Iterable[str]) -> dict[str, str]:
    """Actor -> a short unique mark (2–3 letters) drawn in its markers and named in the legend, so the
    actor is told by more than its colour: 'Iran' IRA, 'Islamic State' IS, 'Jaish al-Adl' JAA."""
    marks: dict[str, str] = {}
    names = sorted({a for a in actors if a})
    if UNKNOWN_ACTOR in names:
        marks[UNKNOWN_ACTOR] = "?"
    for name in (n for n in names if n != UNKNOWN_ACTOR):
        words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
        initials = "".join(w[0] for w in words).upper()
        candidates = [initials[:3]] if len(words) > 1 else []
        letters = "".join(ch for ch in name if ch.isalnum()).upper()
        candidates += [letters[:2], letters[0] + letters[-1], letters[:3], letters[:4]]
        mark = next((c for c in candidates if c and c not in marks.values()), letters[:2] + str(len(marks)))
        marks[name] = mark
    return marks


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


def shape_svg(shape: str, colour: str, size: int = 22, *, stroke: str = "#ffffff", stroke_width: float = 2,
              mark: str = "") -> str:
    """An inline SVG of a marker shape (no external resources), with an optional short mark (the actor's)."""
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
    if mark:
        font = s * (0.36 if len(mark) < 3 else 0.3)
        body += (f'<text x="{c}" y="{c + font * 0.36:.1f}" text-anchor="middle" font-family="system-ui,sans-serif" '
                 f'font-size="{font:.1f}" font-weight="700" fill="#fff" stroke="#000" stroke-width="1.6" '
                 f'stroke-opacity=".75" paint-order="stroke">{html.escape(mark)}</text>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}">{body}</svg>'


#: Data credits on the map, the snapshots and the HTML export (GeoNames' licence asks for it); one text everywhere.
ATTRIBUTION = (
    "Boundaries: Natural Earth 1:10m (public domain) · Place coordinates: GeoNames (CC BY 4.0) · "
    "Events and figures as claimed by the reports, not verified"
)
