"""Where the briefing map puts things: marker spots (co-located events a few metres apart, so a click names
one), which marker a click hit, and the curved path of a cross-border strike arrow. Pure geometry, no folium.

Markers that overlap on screen (co-located or merely close at the current zoom) are fanned out by the map
itself, in screen space and per zoom, with a leader line to the true place (geo.maps.elements.MapController).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np
from pyproj import Transformer

from geo.events.model import Event

#: Co-located markers' coordinates are nudged by this much (degrees, ~10 m) so a click names one of them.
COLOCATED_STEP_DEG = 1e-4
#: Overlapping markers are fanned out on a ring at least this many pixels wide (the map's MapController and the
#: briefing snapshot, geo.export.snapshot, both through the rule of `declutter`).
SPREAD_PX = 14
#: How many merge passes the fan-out makes (a fanned group can come to overlap another one).
DECLUTTER_PASSES = 8
#: A click this close (degrees) to a marker's coordinates hits it.
CLICK_TOLERANCE_DEG = 2e-5

_TO_MERC = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_FROM_MERC = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


def valid(value: Any) -> TypeGuard[float]:
    """A usable number (not None, not NaN)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class MarkerSpot:
    """Where an event's marker is: its coordinates (what a click reports)."""

    lat: float
    lon: float


def marker_layout(events: Iterable[Event]) -> dict[str, MarkerSpot]:
    """Event id -> MarkerSpot.

    Events at the same coordinates (two events near one town, say) get coordinates a few metres apart, so a
    click identifies exactly one; the map fans their markers out on screen. Order is by id: deterministic.
    """
    groups: dict[tuple[float, float], list[str]] = {}
    for event in events:
        if valid(event.lat) and valid(event.lon):
            groups.setdefault((round(float(event.lat), 6), round(float(event.lon), 6)), []).append(event.id)
    spots: dict[str, MarkerSpot] = {}
    for (lat, lon), ids in groups.items():
        for k, event_id in enumerate(sorted(ids)):
            spots[event_id] = MarkerSpot(round(lat + COLOCATED_STEP_DEG * k, 6), lon)
    return spots


def _fan(group: list[int], points: Sequence[tuple[float, float]], sizes: Sequence[float], spread: float,
         at: list[tuple[float, float]]) -> None:
    cx = sum(points[i][0] for i in group) / len(group)
    cy = sum(points[i][1] for i in group) / len(group)
    size = max(sizes[i] for i in group)
    radius = 0.0 if len(group) < 2 else max(spread, (size + 4) / (2 * math.sin(math.pi / len(group))))
    for k, i in enumerate(group):
        angle = 2 * math.pi * k / len(group) - math.pi / 2
        at[i] = points[i] if len(group) < 2 else (cx + radius * math.cos(angle), cy + radius * math.sin(angle))


def declutter(points: Sequence[tuple[float, float]], sizes: Sequence[float],
              spread: float = SPREAD_PX) -> list[tuple[float, float]]:
    """Where to draw markers so that none overlaps another, in screen units (y down), given their true
    screen positions (ordered by event id) and sizes: markers that overlap are grouped and fanned out on a
    ring (at least `spread` across, wide enough for the group) around the group's centre, again until no two
    overlap or DECLUTTER_PASSES passes. The map does the same in its browser (geo.maps.elements.MapController
    `declutter`, at every zoom; tests/test_browser_declutter.py runs both); the snapshot calls this at its own
    scale."""
    at = list(points)
    groups = [[i] for i in range(len(points))]
    for _ in range(DECLUTTER_PASSES):
        owner = {i: gi for gi, group in enumerate(groups) for i in group}
        merged = next(((owner[i], owner[j]) for i in range(len(at)) for j in range(i + 1, len(at))
                       if owner[i] != owner[j]
                       and math.dist(at[i], at[j]) < (sizes[i] + sizes[j]) / 2 + 2), None)
        if merged is not None:
            gi, gj = merged
            groups[gi] = sorted(groups[gi] + groups[gj])
            del groups[gj]
        for group in groups:
            _fan(group, points, sizes, spread, at)
        if merged is None:
            break
    return at


def marker_positions(events: Iterable[Event]) -> dict[str, tuple[float, float]]:
    """Event id -> (lat, lon) of its marker: what st_folium reports when it is clicked."""
    return {event_id: (spot.lat, spot.lon) for event_id, spot in marker_layout(events).items()}


def events_at(
    positions: Mapping[str, tuple[float, float]], clicked: Mapping[str, Any] | None
) -> list[str]:
    """Ids of the events whose marker is at a clicked point ({"lat":…, "lng":…} from st_folium)."""
    if not clicked:
        return []
    try:
        lat, lng = float(clicked["lat"]), float(clicked["lng"])
    except (KeyError, TypeError, ValueError):
        return []
    return sorted(
        event_id
        for event_id, (plat, plon) in positions.items()
        if abs(plat - lat) <= CLICK_TOLERANCE_DEG and abs(plon - lng) <= CLICK_TOLERANCE_DEG
    )


def arrow_path(
    origin: tuple[float, float], target: tuple[float, float], *, bend: float = 0.18, steps: int = 24
) -> tuple[list[tuple[float, float]], float]:
    """A gently curved path (lat, lon) from origin to target, drawn in Web Mercator, and the screen
    angle (degrees clockwise from east) at the target, where the head is drawn. The curve always
    bends to the right of travel, so a strike and the counter-strike do not overlap."""
    (x0, y0) = _TO_MERC.transform(origin[1], origin[0])
    (x1, y1) = _TO_MERC.transform(target[1], target[0])
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 + bend * dy, (y0 + y1) / 2 - bend * dx
    t = np.linspace(0.0, 1.0, steps)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    lons, lats = _FROM_MERC.transform(xs, ys)
    tx = 2 * (1 - t[-1]) * (cx - x0) + 2 * t[-1] * (x1 - cx)
    ty = 2 * (1 - t[-1]) * (cy - y0) + 2 * t[-1] * (y1 - cy)
    angle = -math.degrees(math.atan2(ty, tx))
    return [(round(float(a), 5), round(float(b), 5)) for a, b in zip(lats, lons, strict=True)], angle
