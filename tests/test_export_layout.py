"""The snapshot's layout: country names inside their own country (countries of interest always named), the
A4 page used, co-located markers fanned out as on the dashboard map, the context layer aggregated."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image
from shapely.geometry import box

from geo.boundaries.layers import load_layer
from geo.events.filter import EventFilter
from geo.export.briefing import build_briefing
from geo.export.snapshot import A4_LANDSCAPE, FAN_PT_PER_PX, SLIDE, Snapshot, draw
from geo.maps.geometry import SPREAD_PX, marker_layout
from geo.maps.view import MapView

FIXED_TIME = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
#: (filter, the on-screen extent W,S,E,N or None for fitted, page): wide, regional, zoomed on the border
CASES = [
    (EventFilter(), None, SLIDE),
    (EventFilter(actors=frozenset({"Iran"})), None, A4_LANDSCAPE),
    (EventFilter(), (30.0, 8.0, 82.0, 46.0), SLIDE),
    (EventFilter(actors=frozenset({"Iran"})), (50.0, 22.0, 72.0, 36.0), SLIDE),
    (EventFilter(), (59.0, 24.5, 66.0, 30.5), A4_LANDSCAPE),
    (EventFilter(actors=frozenset({"Pakistan"})), (61.0, 25.0, 64.5, 28.5), SLIDE),
]


def _country_labels(snap: Snapshot) -> dict[str, Text]:
    """The country names on the map (found by their text, so any version of the drawing can be checked)."""
    names = {str(n).upper(): code for code, n in load_layer("countries_context")[["adm0_a3", "name_long"]].values}
    return {names[t.get_text()]: t for t in snap.map_ax.texts if t.get_text() in names}


@pytest.fixture(scope="module", params=range(len(CASES)), ids=lambda i: f"case{i}")
def drawn(request, dataset):
    flt, bbox, page = CASES[request.param]
    briefing = build_briefing(dataset, flt, generated_at=FIXED_TIME, view=MapView(bbox=bbox))
    return briefing, draw(briefing, page)


def test_country_names_sit_inside_their_own_country(drawn):
    _, snap = drawn
    countries = load_layer("countries_context").set_index("adm0_a3").to_crs(snap.crs)
    renderer = snap.figure.canvas.get_renderer()
    to_data = snap.map_ax.transData.inverted()
    labels = _country_labels(snap)
    assert labels
    for code, text in labels.items():
        shape = countries.geometry[code]
        x, y = text.get_position()
        assert shape.contains(box(x - 1, y - 1, x + 1, y + 1)), f"{text.get_text()} placed outside {code}"
        extent = text.get_window_extent(renderer)
        (x0, y0), (x1, y1) = to_data.transform([(extent.x0, extent.y0), (extent.x1, extent.y1)])
        footprint = box(x0, y0, x1, y1)
        assert footprint.intersection(shape).area / footprint.area >= 0.6, f"{text.get_text()} mostly outside {code}"


def test_countries_of_interest_are_always_named(drawn, dataset):
    _, snap = drawn
    view = box(*snap.map_ax.get_xlim()[:1], snap.map_ax.get_ylim()[0], snap.map_ax.get_xlim()[1],
               snap.map_ax.get_ylim()[1])
    countries = load_layer("countries_context").to_crs(snap.crs)
    assert dataset.incident is not None and dataset.incident.countries  # the seed incident: Iran, Pakistan
    interest = countries[countries["iso_a2"].isin(dataset.incident.countries)]
    labels = _country_labels(snap)
    for _, row in interest.iterrows():
        if row.geometry.intersection(view).area > view.area * 0.01:
            assert row["adm0_a3"] in labels, f"{row['name_long']} not named"


def _blank_fraction(png: bytes, dpi: int, cell_mm: float = 5.0) -> float:
    """The share of the page, in cells of cell_mm, where nothing at all is drawn (every pixel white)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    cell = round(dpi * cell_mm / 25.4)
    rows, cols = pixels.shape[0] // cell, pixels.shape[1] // cell
    cells = pixels[:rows * cell, :cols * cell].reshape(rows, cell, cols, cell).min(axis=(1, 3))
    return float((cells > 245).mean())


@pytest.mark.parametrize("flt", [EventFilter(), EventFilter(actors=frozenset({"Iran"})),
                                 EventFilter(actors=frozenset({"Pakistan"}))], ids=["all", "iran", "pakistan"])
def test_the_a4_page_is_used(dataset, flt):
    """The PDF's page, drawn by the same figure code at the same size: at most a fifth of it blank, and the
    side panel (events, disagreements, reports) runs down to the map's foot."""
    snap = draw(build_briefing(dataset, flt, generated_at=FIXED_TIME), A4_LANDSCAPE)
    assert _blank_fraction(snap.png(), A4_LANDSCAPE.dpi) <= 0.20
    renderer = snap.figure.canvas.get_renderer()
    side = [ax for ax in snap.figure.axes if ax is not snap.map_ax]
    lowest = min(t.get_window_extent(renderer).y0 for ax in side for t in ax.texts)
    map_foot = snap.map_ax.get_window_extent(renderer).y0
    assert lowest - map_foot <= 0.06 * snap.figure.bbox.height


def test_co_located_markers_use_the_dashboard_fan_out(dataset):
    """Events at one place are spread on the dashboard's ring (geo.maps.geometry), each offset in its direction."""
    briefing = build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME)
    spots = marker_layout(briefing.mapped)
    fanned = [e for e in briefing.mapped if spots[e.id].dx or spots[e.id].dy]
    assert fanned, "the seed has co-located events"
    snap = draw(briefing, SLIDE)
    height = SLIDE.pixels[1]
    drawn = {(round(x), round(height - y)) for line in snap.map_ax.lines
             for x, y in line.get_transform().transform(line.get_xydata())}
    for event in fanned:
        col, row = snap.to_pixel(event.lon, event.lat)
        spot = spots[event.id]
        per_px = FAN_PT_PER_PX * SLIDE.scale * SLIDE.dpi / 72
        expected = (col + spot.dx * per_px, row + spot.dy * per_px)
        assert min(np.hypot(x - expected[0], y - expected[1]) for x, y in drawn) < 2, event.id
        assert np.hypot(spot.dx, spot.dy) == pytest.approx(SPREAD_PX, abs=1)
