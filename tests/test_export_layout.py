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
from geo.export.snapshot import A4_LANDSCAPE, SLIDE, Snapshot, draw
from geo.maps.geometry import SPREAD_PX, declutter
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


def test_declutter_fans_out_overlapping_markers_like_the_map():
    """geo.maps.geometry.declutter: the rule of the map's MapController.declutter (screen units, y down)."""
    # two markers at one place: a vertical pair on a ring of at least SPREAD_PX around it
    (a, b) = declutter([(100.0, 100.0), (100.0, 100.0)], [20.0, 20.0])
    assert a == pytest.approx((100.0, 100.0 - SPREAD_PX)) and b == pytest.approx((100.0, 100.0 + SPREAD_PX))
    # close but not coincident markers that overlap are grouped too; a far one stays where it is
    moved = declutter([(0.0, 0.0), (5.0, 0.0), (300.0, 300.0)], [20.0, 20.0, 20.0])
    assert moved[2] == (300.0, 300.0)
    assert np.hypot(moved[0][0] - moved[1][0], moved[0][1] - moved[1][1]) >= 20
    # a crowd: nobody overlaps anybody after the passes
    crowd = declutter([(float(i % 3), float(i // 3)) for i in range(6)], [20.0] * 6)
    assert all(np.hypot(p[0] - q[0], p[1] - q[1]) >= 20 for i, p in enumerate(crowd) for q in crowd[i + 1:])


def test_snapshot_markers_are_fanned_out_with_leaders_to_their_place(dataset):
    """The snapshot uses the map's rule at its own scale: no event marker covers another, and each marker
    moved off its place has a leader line ending at a dot on the true place."""
    briefing = build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME)
    snap = draw(briefing, SLIDE)
    size_px = 17 * SLIDE.scale * SLIDE.dpi / 72
    markers = [line for line in snap.map_ax.lines if line.get_markersize() == pytest.approx(17 * SLIDE.scale)]
    centres = [tuple(line.get_transform().transform(line.get_xydata())[0]) for line in markers]
    assert len(centres) == len(briefing.mapped)
    for i, p in enumerate(centres):
        for q in centres[i + 1:]:
            assert np.hypot(p[0] - q[0], p[1] - q[1]) >= size_px - 1
    leaders = [line for line in snap.map_ax.lines if len(line.get_xydata()) == 2]
    truths = [snap.to_pixel(e.lon, e.lat) for e in briefing.mapped]
    height = SLIDE.pixels[1]
    moved = [c for c in centres if min(np.hypot(c[0] - t[0], height - c[1] - t[1]) for t in truths) > 1]
    assert moved, "the seed has events at one place"
    ends = [tuple(x) for line in leaders for x in line.get_transform().transform(line.get_xydata())]
    for c in moved:
        assert min(np.hypot(c[0] - e[0], c[1] - e[1]) for e in ends) < 1


#: 120 characters (the Briefing page's limit): long words, short words, and one word with no space at all
LONG_WORDS = " ".join(["Internationalisation", "counterinsurgency", "Baluchistan-Sistan", "reconnaissance",
                       "interdiction", "retaliatory"] * 3)[:120].rstrip()
SHORT_WORDS = " ".join(["at", "of", "to", "in", "on", "by", "we", "go", "the"] * 20)[:120]
NO_SPACE = ("Iran-Pakistan/Jaish-al-Adl/Sistan-Baluchestan/" * 3)[:120]
TITLES = {"long words": LONG_WORDS, "short words": SHORT_WORDS, "no space": NO_SPACE}


def _title_text(snap: Snapshot, title: str) -> Text:
    """The drawn title: the figure text whose characters, line breaks aside, are the title's."""
    compact = "".join(title.split())
    return next(t for t in snap.figure.texts if "".join(t.get_text().split()).replace("…", "") in compact
                and t.get_text().strip() and "".join(t.get_text().split())[:12] == compact[:12])


@pytest.mark.parametrize("page", [SLIDE, A4_LANDSCAPE], ids=["slide", "a4"])
@pytest.mark.parametrize("kind", list(TITLES))
def test_a_long_title_stays_on_the_page_and_clear_of_the_summary(dataset, kind, page):
    title = TITLES[kind]
    assert len(title) == 120
    briefing = build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME, title=title)
    snap = draw(briefing, page)
    renderer = snap.figure.canvas.get_renderer()
    text = _title_text(snap, title)
    extent = text.get_window_extent(renderer)
    width, height = snap.figure.bbox.width, snap.figure.bbox.height
    # inside the page's margins (the same as the map's left edge and the timestamp's right one)
    assert extent.x0 >= 0.01 * width and extent.x1 <= 0.99 * width, (extent, width)
    assert extent.y1 <= height - 0.005 * height, (extent, height)
    # above the summary line and everything under it
    summary = next(t for t in snap.figure.texts if t.get_text() == briefing.summary_line)
    assert extent.y0 > summary.get_window_extent(renderer).y1
    assert all(extent.y0 > ax.get_window_extent(renderer).y1 for ax in snap.figure.axes)
    # all of it is there, in order, at a title's size, on at most two lines
    assert "".join(text.get_text().split()) == "".join(title.split())
    if kind != "no space":  # only a word wider than the page is broken inside
        assert text.get_text().replace("\n", " ") == title
    assert text.get_text().count("\n") <= 1
    assert text.get_fontsize() >= 16 * page.scale > summary.get_fontsize()
    # and on the image: nothing is drawn in the title's rows beyond the right margin
    pixels = np.asarray(Image.open(io.BytesIO(snap.png())).convert("L"))
    rows = pixels[: round(height - summary.get_window_extent(renderer).y1), round(0.99 * width):]
    assert rows.min() > 245


def test_a_short_title_keeps_its_size_and_place(dataset):
    briefing = build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME, title="Iran–Pakistan strikes")
    snap = draw(briefing, SLIDE)
    text = _title_text(snap, briefing.title)
    assert (text.get_text(), text.get_fontsize()) == (briefing.title, 27)
    assert text.get_position() == pytest.approx((0.015, 0.955))


def test_a_title_longer_than_two_lines_allow_is_cut_with_an_ellipsis(dataset):
    title = " ".join(["Strikes and counter-strikes on the border"] * 10)  # 429 characters (the command line's)
    briefing = build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME, title=title)
    snap = draw(briefing, SLIDE)
    text = next(t for t in snap.figure.texts if t.get_text().startswith("Strikes and"))
    extent = text.get_window_extent(snap.figure.canvas.get_renderer())
    assert text.get_text().endswith("…") and text.get_text().count("\n") == 1
    assert extent.x1 <= 0.99 * snap.figure.bbox.width and extent.y1 <= snap.figure.bbox.height
    assert text.get_fontsize() == 16
