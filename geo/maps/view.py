"""What the analyst is looking at: the map's extent, the selected events and the layers switched off.

It lives in the URL next to the filter (`?bbox=W,S,E,N&select=ID&hide=LAYER`), so "look at this strike"
can be shared, and drives the exports (PNG, PDF, HTML) and `python -m geo export --bbox/--select`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from geo.errors import InputError

#: (west, south, east, north) in degrees
BBox = tuple[float, float, float, float]
VIEW_PARAMS = ("bbox", "select", "hide")
#: Decimals kept in a URL's bbox (~100 m): the link stays short and stable under tiny pans.
BBOX_DECIMALS = 3


@dataclass(frozen=True)
class MapView:
    bbox: BBox | None = None
    selected: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()

    def describe(self) -> str:
        """For export metadata and captions: 'extent 60.1,25.0,64.2,29.9 · selected: a, b'."""
        parts = []
        if self.bbox:
            parts.append("extent W,S,E,N " + ",".join(f"{v:g}" for v in self.bbox))
        if self.selected:
            parts.append(f"selected: {', '.join(self.selected)}")
        if self.hidden:
            parts.append(f"layers off: {', '.join(self.hidden)}")
        return " · ".join(parts)


def parse_bbox(text: str) -> BBox:
    """'W,S,E,N' in degrees -> a bbox; InputError saying what is wrong otherwise."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise InputError(f"bbox {text!r}: expected four numbers W,S,E,N") from None
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise InputError(f"bbox {text!r}: expected four numbers W,S,E,N")
    west, south, east, north = values
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InputError(f"bbox {text!r}: need -180 <= W < E <= 180 and -90 <= S < N <= 90")
    return west, south, east, north


def bbox_text(bbox: BBox) -> str:
    return ",".join(f"{round(v, BBOX_DECIMALS):g}" for v in bbox)


def bbox_from_bounds(bounds: Mapping[str, Mapping[str, float]] | None) -> BBox | None:
    """streamlit-folium's {'_southWest': {lat, lng}, '_northEast': {...}} -> a bbox clamped to the world."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]  # type: ignore[index]
        west, south = max(float(sw["lng"]), -180.0), max(float(sw["lat"]), -90.0)
        east, north = min(float(ne["lng"]), 180.0), min(float(ne["lat"]), 90.0)
    except (KeyError, TypeError, ValueError):
        return None
    if not (west < east and south < north):
        return None
    return tuple(round(v, BBOX_DECIMALS) for v in (west, south, east, north))  # type: ignore[return-value]


def view_to_params(view: MapView) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    if view.bbox:
        params["bbox"] = [bbox_text(view.bbox)]
    if view.selected:
        params["select"] = sorted(view.selected)
    if view.hidden:
        params["hide"] = sorted(view.hidden)
    return params


def _values(raw: str | Iterable[str] | None) -> list[str]:
    if raw is None:
        return []
    return [v for v in ([raw] if isinstance(raw, str) else raw) if v and v.strip()]


def view_from_params(params: Mapping[str, str | Iterable[str]],
                     event_ids: Iterable[str] | None = None) -> tuple[MapView, list[str]]:
    """The view a link describes, and what was wrong with it (a bad bbox or unknown event is dropped)."""
    problems: list[str] = []
    bbox = None
    raw = _values(params.get("bbox"))
    if raw:
        try:
            bbox = parse_bbox(raw[-1])
        except InputError as exc:
            problems.append(f"query parameter 'bbox': {exc}; ignored")
    selected = list(dict.fromkeys(_values(params.get("select"))))
    if event_ids is not None:
        known = set(event_ids)
        problems += [f"query parameter 'select': no such event {i!r}; ignored" for i in selected if i not in known]
        selected = [i for i in selected if i in known]
    hidden = tuple(sorted(set(_values(params.get("hide")))))
    return MapView(bbox=bbox, selected=tuple(selected), hidden=hidden), problems
