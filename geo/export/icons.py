"""Marker icons as small PNG files, in the dashboard's shape vocabulary (geo.maps.style.SHAPES) and actor
colours, for exports that must carry their own icons: a KMZ opens in an air-gapped Google Earth, which
cannot fetch Google's online pushpin."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageColor, ImageDraw

SIZE = 64  # pixels; Google Earth scales icons to about 32 px at scale 1
OUTLINE = "#111111"


def _regular(n: int, radius: float, start_deg: float = -90.0) -> list[tuple[float, float]]:
    c = SIZE / 2
    return [(c + radius * math.cos(math.radians(start_deg + 360 * k / n)),
             c + radius * math.sin(math.radians(start_deg + 360 * k / n))) for k in range(n)]


def _star(radius: float) -> list[tuple[float, float]]:
    c = SIZE / 2
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.45
        angle = math.radians(-90 + 36 * k)
        points.append((c + r * math.cos(angle), c + r * math.sin(angle)))
    return points


def _cross(radius: float) -> list[tuple[float, float]]:
    c, a, b = SIZE / 2, radius, radius * 0.38
    return [(c - b, c - a), (c + b, c - a), (c + b, c - b), (c + a, c - b), (c + a, c + b), (c + b, c + b),
            (c + b, c + a), (c - b, c + a), (c - b, c + b), (c - a, c + b), (c - a, c - b), (c - b, c - b)]


def _outline(shape: str) -> list[tuple[float, float]] | None:
    """The polygon of a shape (None for the round ones)."""
    r = SIZE * 0.42
    polygons = {
        "triangle": lambda: _regular(3, r * 1.1),
        "triangle-down": lambda: _regular(3, r * 1.1, 90.0),
        "square": lambda: _regular(4, r * 1.15, 45.0),
        "diamond": lambda: _regular(4, r * 1.1),
        "star": lambda: _star(r * 1.15),
        "hexagon": lambda: _regular(6, r, 0.0),
        "pentagon": lambda: _regular(5, r),
        "cross": lambda: _cross(r),
    }
    return polygons[shape]() if shape in polygons else None


def marker_png(shape: str, colour: str) -> bytes:
    """A PNG marker: the shape filled in the colour with a dark edge ("ring": a white disc edged in the
    colour), on a transparent background."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    fill = ImageColor.getrgb(colour)
    polygon = _outline(shape)
    inset = SIZE * 0.08
    if polygon is not None:
        draw.polygon(polygon, fill=fill, outline=OUTLINE, width=3)
    elif shape == "ring":
        draw.ellipse((inset, inset, SIZE - inset, SIZE - inset), fill="white", outline=fill, width=9)
    else:
        draw.ellipse((inset, inset, SIZE - inset, SIZE - inset), fill=fill, outline=OUTLINE, width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
