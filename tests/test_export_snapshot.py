"""The briefing snapshot: PNG size and content, the border where it is, markers where events are, PDF."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from pypdf import PdfReader

from geo.boundaries.layers import load_layer
from geo.events.filter import EventFilter
from geo.export.briefing import build_briefing, format_date_range
from geo.export.snapshot import A4_LANDSCAPE, BORDER_COLOUR, SLIDE, draw, snapshot_pdf, view_extent

FIXED_TIME = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def everything(dataset, table):
    return build_briefing(dataset, EventFilter(), generated_at=FIXED_TIME)


@pytest.fixture(scope="module")
def everything_snapshot(everything):
    snap = draw(everything, SLIDE)
    return snap, np.asarray(Image.open(io.BytesIO(snap.png())).convert("RGB")).astype(int)


def near_colour(pixels: np.ndarray, col: float, row: float, colour: str, radius: int = 4, tol: int = 40) -> bool:
    """Whether a pixel within radius of (col, row) is within tol (per channel) of colour."""
    target = np.array([round(c * 255) for c in to_rgb(colour)])
    r0, r1 = max(int(row) - radius, 0), min(int(row) + radius + 1, pixels.shape[0])
    c0, c1 = max(int(col) - radius, 0), min(int(col) + radius + 1, pixels.shape[1])
    window = pixels[r0:r1, c0:c1]
    return bool((np.abs(window - target).max(axis=-1) <= tol).any())


def test_png_is_a_1920_by_1080_slide(everything_snapshot):
    _, pixels = everything_snapshot
    assert pixels.shape == (1080, 1920, 3)


def test_png_carries_title_and_caption_as_metadata(everything):
    from geo.export.snapshot import snapshot_png

    with Image.open(io.BytesIO(snapshot_png(everything))) as image:
        assert image.size == (1920, 1080)
        assert image.text["Title"] == everything.title
        assert image.text["Description"] == everything.summary_line


def test_png_is_not_blank(everything_snapshot):
    _, pixels = everything_snapshot
    flat = pixels.reshape(-1, 3)
    not_white = (flat < 245).any(axis=1).mean()
    assert not_white > 0.5, f"only {not_white:.0%} of the image is drawn"
    assert len(np.unique(flat[::7], axis=0)) > 200  # basemap, sea, markers, text: many colours
    assert flat.std() > 20


def test_border_colour_is_where_the_border_is(everything_snapshot):
    snap, pixels = everything_snapshot
    line = load_layer("border").geometry.iloc[0]
    samples = [line.interpolate(f, normalized=True) for f in np.linspace(0.02, 0.98, 25)]
    hits = [near_colour(pixels, *snap.to_pixel(p.x, p.y), BORDER_COLOUR) for p in samples]
    # event markers sit on parts of the border (strikes near it), so not every point shows it here;
    # with no events (test below) every point does
    assert sum(hits) >= 0.7 * len(hits), f"border colour found at {sum(hits)} of {len(hits)} border points"
    # and not where the border is not: points 3° west (inside Iran) and in the Arabian Sea
    away = [(p.x - 3.0, p.y) for p in samples[::3]] + [(62.0, 21.0), (60.0, 22.5)]
    misses = [near_colour(pixels, *snap.to_pixel(lon, lat), BORDER_COLOUR) for lon, lat in away]
    assert sum(misses) <= 1


def test_each_event_has_its_actor_colour_at_its_place(everything, everything_snapshot):
    snap, pixels = everything_snapshot
    assert everything.mapped, "the real event table should have located events"
    for event in everything.mapped:
        col, row = snap.to_pixel(event.lon, event.lat)
        assert 0 <= col < 1920 and 0 <= row < 1080
        # co-located markers are spread on a small ring, so look a little around the point
        assert near_colour(pixels, col, row, everything.colour(event.actor), radius=16, tol=30), event.id


def test_place_labels_do_not_collide_or_cover_the_border(everything, everything_snapshot):
    snap, _ = everything_snapshot
    renderer = snap.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in snap.place_labels]
    assert len(boxes) == len({(round(e.lon, 3), round(e.lat, 3)) for e in everything.mapped})
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    frame = snap.map_ax.get_window_extent(renderer)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    line = load_layer("border").geometry.iloc[0]
    border_px = [snap.to_pixel(p.x, p.y) for p in (line.interpolate(f, normalized=True)
                                                   for f in np.linspace(0, 1, 200))]
    height = snap.page.pixels[1]
    for b in boxes:
        assert not any(b.x0 < col < b.x1 and b.y0 < height - row < b.y1 for col, row in border_px)
    # nor any event's marker
    markers = [snap.to_pixel(e.lon, e.lat) for e in everything.mapped]
    for b in boxes:
        assert not any(b.x0 < col < b.x1 and b.y0 < height - row < b.y1 for col, row in markers)


def test_extent_covers_events_origins_and_border(everything, everything_snapshot):
    snap, _ = everything_snapshot
    x0, x1 = snap.map_ax.get_xlim()
    y0, y1 = snap.map_ax.get_ylim()
    frame = snap.map_ax.transData
    left, bottom = frame.transform((x0, y0))
    right, top = frame.transform((x1, y1))
    points = [(e.lon, e.lat) for e in everything.mapped]
    points += [(e.origin_lon, e.origin_lat) for e in everything.mapped if e.origin_lon is not None]
    points += list(load_layer("border").geometry.iloc[0].coords)
    for lon, lat in points:
        col, row = snap.to_pixel(lon, lat)
        assert left < col < right and 1080 - top < row < 1080 - bottom, (lon, lat)


def test_scale_bar_is_true_to_the_ground(everything_snapshot):
    from matplotlib_scalebar.scalebar import ScaleBar
    from pyproj import Geod, Transformer

    snap, _ = everything_snapshot
    bars = [a for a in snap.map_ax.artists if isinstance(a, ScaleBar)]
    assert len(bars) == 1 and bars[0].dx == 1 and bars[0].units == "m"
    assert snap.crs.axis_info[0].unit_name == "metre"
    # one map metre is one metre on the ellipsoid at the centre, and within 3 % anywhere in view
    to_lonlat = Transformer.from_crs(snap.crs, "EPSG:4326", always_xy=True)
    geod = Geod(ellps="WGS84")
    (x0, x1), (y0, y1) = snap.map_ax.get_xlim(), snap.map_ax.get_ylim()
    step = 100_000.0
    for fx, fy, tolerance in ((0.5, 0.5, 0.002), (0.05, 0.05, 0.03), (0.95, 0.95, 0.03), (0.05, 0.95, 0.03)):
        x, y = x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)
        for dx, dy in ((step, 0), (0, step)):
            lon_a, lat_a = to_lonlat.transform(x - dx / 2, y - dy / 2)
            lon_b, lat_b = to_lonlat.transform(x + dx / 2, y + dy / 2)
            ground = geod.inv(lon_a, lat_a, lon_b, lat_b)[2]
            assert abs(ground / step - 1) < tolerance, (fx, fy, dx, dy, ground)


def test_scale_label_is_in_km_and_miles():
    from geo.export.snapshot import scale_label

    assert scale_label(750, "km") == "750 km (466 mi)"
    assert scale_label(1, "Mm") == "1000 km (621 mi)"
    assert scale_label(500, "m") == "500 m"


def test_extent_for_one_event_and_for_none_is_sensible(table):
    border = load_layer("border")
    _, empty = view_extent([], border, 16 / 9)
    assert empty[2] - empty[0] >= 1_000_000  # at least ~1,000 km across: the region, not a dot
    assert abs((empty[2] - empty[0]) / (empty[3] - empty[1]) - 16 / 9) < 1e-6
    located = [e for e in table.events if e.lat is not None]
    event = located[0]
    crs, one = view_extent([(event.lon, event.lat)], border, 1.5)
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(event.lon, event.lat)
    assert one[0] < x < one[2] and one[1] < y < one[3]


def test_no_matching_events_still_draws_the_region_and_says_so(dataset):
    nothing = build_briefing(dataset, EventFilter(since=date(1990, 1, 1), until=date(1990, 1, 2)),
                             generated_at=FIXED_TIME)
    assert nothing.events == ()
    snap = draw(nothing)
    texts = [t.get_text() for t in snap.map_ax.texts]
    assert "No events match these filters" in texts
    pixels = np.asarray(Image.open(io.BytesIO(snap.png())).convert("RGB")).astype(int)
    line = load_layer("border").geometry.iloc[0]
    samples = [line.interpolate(f, normalized=True) for f in np.linspace(0.02, 0.98, 25)]
    assert all(near_colour(pixels, *snap.to_pixel(p.x, p.y), BORDER_COLOUR) for p in samples)


def test_filtered_snapshot_shows_only_the_filtered_events(dataset, table):
    actor = sorted({e.actor for e in table.events if e.lat is not None})[0]
    briefing = build_briefing(dataset, EventFilter(actors=frozenset({actor})), generated_at=FIXED_TIME)
    assert briefing.events and all(e.actor == actor for e in briefing.events)
    snap = draw(briefing)
    side_text = " ".join(t.get_text() for ax in snap.figure.axes for t in ax.texts)
    others = {e.actor for e in table.events} - {actor}
    legend_actors = {t.get_text() for t in snap.figure.axes[-1].texts}
    assert actor in legend_actors and not (others & legend_actors)
    assert f"Events ({len(briefing.events)})" in side_text


def test_caption_attribution_and_timestamp_are_on_the_figure(everything):
    snap = draw(everything)
    texts = " ".join(t.get_text() for t in snap.figure.texts)
    assert everything.title in texts
    assert "Filters: all dates" in texts
    assert "Natural Earth" in texts and "GeoNames" in texts
    assert "Generated 2024-02-01 12:00 UTC" in texts
    for report in everything.reports:
        assert report.id[:3] in texts


def test_pdf_is_a4_landscape_vector_with_the_caption_text(dataset, table):
    flt = EventFilter(since=date(2024, 1, 16), until=date(2024, 1, 18))
    briefing = build_briefing(dataset, flt, generated_at=FIXED_TIME)
    reader = PdfReader(io.BytesIO(snapshot_pdf(briefing)))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    text = page.extract_text()
    assert flt.describe() in text  # "16–18 Jan 2024"
    assert briefing.title in text
    assert "Natural Earth" in text
    assert not list(page.images)  # vector: no raster images inside
    assert reader.metadata.title == briefing.title


def test_pdf_and_png_come_from_the_same_drawing(everything):
    slide, a4 = draw(everything, SLIDE), draw(everything, A4_LANDSCAPE)
    assert [t.get_text() for t in slide.figure.texts] == [t.get_text() for t in a4.figure.texts]
    assert A4_LANDSCAPE.pixels[0] > A4_LANDSCAPE.pixels[1]


def test_dollar_signs_and_markup_in_text_are_shown_as_written(table):
    from dataclasses import replace

    from geo.export.briefing import Briefing

    event = next(e for e in table.events if e.lat is not None)
    odd = replace(event, place="$Zahedan_x^2$ <b>, Iran", target="a $5m {target}")
    briefing = Briefing(events=(odd,), caption="actor: $x$", title="Costs of $5 and $10", generated_at=FIXED_TIME)
    reader = PdfReader(io.BytesIO(snapshot_pdf(briefing)))
    text = reader.pages[0].extract_text()
    assert "Costs of $5 and $10" in text
    assert "$Zahedan_x^2$ <b>" in text
    assert "Filters: actor: $x$" in text


def test_briefing_date_range_says_month_when_only_the_month_is_known(table):
    from dataclasses import replace

    from geo.export.briefing import Briefing

    event = next(e for e in table.events if e.date_precision == "day")
    month = replace(event, date_start=date(2023, 12, 1), date_end=date(2023, 12, 31), date_precision="month")
    day = replace(event, date_start=date(2024, 1, 16), date_end=date(2024, 1, 16), date_precision="day")
    assert Briefing(events=(month, day), caption="").date_range == "Dec 2023 – 16 Jan 2024"
    assert Briefing(events=(day,), caption="").date_range == "16 Jan 2024"
    assert Briefing(events=(month,), caption="").date_range == "Dec 2023"
    assert Briefing(events=(), caption="").date_range == ""


def test_every_dashboard_marker_shape_has_a_snapshot_marker():
    from geo.export.snapshot import MARKERS, marker_style
    from geo.maps.style import SHAPES

    assert set(SHAPES) <= set(MARKERS), set(SHAPES) - set(MARKERS)
    assert marker_style("ring", "#123456", 1)["markerfacecolor"] == "white"
    assert marker_style("ring", "#123456", 1)["markeredgecolor"] == "#123456"


def test_date_range_labels():
    assert format_date_range(date(2024, 1, 16), date(2024, 1, 16)) == "16 Jan 2024"
    assert format_date_range(date(2024, 1, 3), date(2024, 1, 18)) == "3–18 Jan 2024"
    assert format_date_range(date(2024, 2, 28), date(2024, 3, 2)) == "28 Feb – 2 Mar 2024"
    assert format_date_range(date(2023, 12, 30), date(2024, 1, 2)) == "30 Dec 2023 – 2 Jan 2024"


def test_imprecise_events_are_hatched_areas_and_arrows_say_from_where(everything, everything_snapshot):
    """Issue 11: a province-, country- or region-precision event is its area, not a bare point; an arrow
    starts at the actor's border with a "from <country>" label, not at a launch site no report gives."""
    from geo.events.precision import uncertainty_area
    from geo.maps.style import AREA_HATCH

    snap, _ = everything_snapshot
    hatched = [c for c in snap.map_ax.collections if c.get_hatch() == AREA_HATCH]
    assert len(hatched) == sum(1 for e in everything.mapped if uncertainty_area(e) is not None)
    texts = [t.get_text() for t in snap.map_ax.texts]
    assert "from Iran" in texts and "from Pakistan" in texts
    legend = [t.get_text() for t in snap.figure.axes[1].texts]
    assert "Placed only to this area" in legend and not any("○" in t for t in legend)


def test_an_export_leaves_no_matplotlib_figure_behind():
    """A Figure and its canvas form a cycle holding the ~8 MB image buffer; with Streamlit's post-run collection
    off, each PNG/PDF export must free its own (it kept 80 MB for five figures until a full collection)."""
    import gc

    from matplotlib.figure import Figure

    from geo.dataset import load_dataset
    from geo.events.filter import EventFilter
    from geo.export import build_briefing
    from geo.export.snapshot import snapshot_pdf, snapshot_png

    gc.collect()
    before = sum(isinstance(o, Figure) for o in gc.get_objects())
    briefing = build_briefing(load_dataset(), EventFilter(), title="Figures freed")
    assert snapshot_png(briefing).startswith(b"\x89PNG")
    assert snapshot_pdf(briefing).startswith(b"%PDF")
    assert sum(isinstance(o, Figure) for o in gc.get_objects()) == before
