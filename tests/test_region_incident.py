"""A second incident from another region, end to end: three reports of the September 2022 Armenia–Azerbaijan
border clashes (tests/data/region/, written for this test) ingested with the command line into a fresh SQLite
store, one candidate accepted through the repository, then the map, the pages and the exports must be that
incident's: its region, its shared border with its length, its countries labelled, its title; nothing of
Iran–Pakistan. Also: a corrected place mention shows corrected on the map after the next rerun."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import shapely
from PIL import Image
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from geo.boundaries.layers import load_layer
from geo.boundaries.region import WORLD_BOUNDS, Region
from geo.dataset import Dataset, DataSource, load_dataset
from geo.export import build_briefing, render
from geo.export.snapshot import BORDER_COLOUR, SLIDE, draw
from geo.maps.build import base_map, build_map
from geo.paths import DATA_DIR
from geo.store import repo
from geo.store.engine import URL_ENV, Store, open_store
from geo.store.models import Event, Mention, Report
from tests.conftest import ROOT
from tests.test_export_snapshot import near_colour

REPORTS = ROOT / "tests" / "data" / "region"
SLUG = "armenia-azerbaijan-2022"
TITLE = "Armenia–Azerbaijan border clashes, September 2022"
SEED_WORDS = ("Iran", "Pakistan", "January 2024", "2024-01", "Balochistan", "Sistan")
APP = str(ROOT / "app.py")


@dataclass
class Incident:
    url: str
    folder: Path
    accepted: str  # the accepted event's key


def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, URL_ENV: url}
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def incident(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Incident]:
    folder = tmp_path_factory.mktemp("region")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    result = _cli(url, "ingest", "--incident", SLUG, "--title", TITLE, "--countries", "AM,AZ",
                  "--metadata", str(REPORTS / "articles.csv"), *(str(p) for p in sorted(REPORTS.glob("*.txt"))))
    assert result.returncode == 0, result.stderr
    store = open_store(url)
    try:
        with store.read() as session:
            incident = repo.require_incident(session, SLUG)
            candidates = session.scalars(select(Event).where(Event.incident_id == incident.id,
                                                             Event.status == "candidate")
                                         .order_by(Event.position, Event.id)).all()
            # the first candidate the extractor placed at a town (whichever it is)
            town = next(e for e in candidates if e.lat is not None and e.geo_precision in ("town", "near town"))
            key, event_id, version = town.key, town.id, town.version
        store.write(lambda s: repo.set_status(s, event_id, "accepted", "tester", expected_version=version))
    finally:
        store.dispose()
    yield Incident(url, folder, key)


@pytest.fixture(scope="module")
def dataset(incident: Incident) -> Dataset:
    return load_dataset(DataSource(DATA_DIR, incident.url, SLUG))


def _countries(*codes: str) -> shapely.Geometry:
    world = load_layer("countries_world")
    return shapely.union_all(world[world["iso_a2"].isin(codes)].geometry.values)


def _json_text(text: str) -> str:
    """text as it appears inside a JSON string (non-ASCII escaped)."""
    return json.dumps(text)[1:-1]


def _contains(page: str, text: str) -> bool:
    return text in page or _json_text(text) in page


# --- the Region value ---------------------------------------------------------------------------------------

def test_seed_region_is_todays_map() -> None:
    seed = Region.seed()
    assert seed.units == ("IRN", "PAK")
    assert seed.border_name == "Iran–Pakistan border" and round(seed.border_km) == 817
    assert list(seed.provinces["iso_3166_2"]) == ["IR-13", "PK-BA"]  # the provinces layer: where the data has it
    x0, y0, x1, y1 = load_layer("provinces").total_bounds
    assert seed.bounds == [[y0, x0], [y1, x1]]
    assert shapely.equals(seed.borders.geometry.iloc[0], load_layer("border").geometry.iloc[0])


def test_region_of_another_pair_has_its_border_no_provinces_and_opens_on_its_countries() -> None:
    region = Region.of(["am", "AZ"])
    assert region.units == ("ARM", "AZE") and region.border_name == "Armenia–Azerbaijan border"
    assert 700 < region.border_km < 800 and region.disputed_km == 0
    assert len(region.provinces) == 0
    (south, west), (north, east) = region.bounds
    land = _countries("AM", "AZ")
    opened, whole = shapely.box(west, south, east, north), shapely.box(*land.bounds)
    assert whole.buffer(1e-9).contains(opened) and opened.area > 0.9 * whole.area  # main parts: islets left out


def test_disputed_stretches_are_marked_and_regions_far_away_draw_the_world_layer() -> None:
    region = Region.of(["IN", "CN"])
    assert set(region.borders["status"]) == {"international", "disputed"} and region.disputed_km > 50
    assert not region.in_context  # China reaches far beyond the detailed box: the global layer is drawn
    assert {"CHN", "IND"} <= set(region.countries["adm0_a3"])
    assert set(region.countries.geom_type) <= {"Polygon", "MultiPolygon"}


def test_unknown_country_draws_nothing_and_opens_on_the_world() -> None:
    region = Region.of(["XQ"])
    assert region.unknown == ("XQ",) and region.units == () and len(region.borders) == 0
    m = base_map(region=region, standalone=True).get_root().render()
    assert not _contains(m, "sm-cl sm-focus") and re.search(r"Border \d", m) is None
    assert _fit_bounds(m) == WORLD_BOUNDS


# --- the second incident, end to end ------------------------------------------------------------------------

def test_the_dataset_is_the_incidents(dataset: Dataset, incident: Incident) -> None:
    assert dataset.title == TITLE and dataset.region.units == ("ARM", "AZE")
    assert [e.id for e in dataset.table.events] == [incident.accepted]


def test_the_base_map_opens_on_the_region_and_draws_its_border_and_countries(dataset: Dataset) -> None:
    empty = base_map(region=dataset.region, standalone=True)
    html = empty.get_root().render()
    (south, west), (north, east) = _fit_bounds(html)
    (s0, w0), (n0, e0) = dataset.region.bounds
    assert (south, west, north, east) == pytest.approx((s0, w0, n0, e0), abs=1e-6)  # the countries' extent
    assert _contains(html, "Armenia–Azerbaijan border (754 km)")  # layer name, with the geodesic length
    assert _contains(html, "Armenia–Azerbaijan border") and _contains(html, "Border 754 km")
    for name in ("ARMENIA", "AZERBAIJAN"):
        assert name in html
    for word in ("Iran–Pakistan", "PAKISTAN", "IRAN", "Border provinces", "Balochistan"):
        assert not _contains(html, word), word


def test_the_full_map_fits_the_accepted_event_inside_the_region(dataset: Dataset) -> None:
    html = build_map(dataset.table.events, region=dataset.region, colours=dataset.colours, shapes=dataset.shapes,
                     standalone=True).get_root().render()
    (south, west), (north, east) = _fit_bounds(html)
    assert _countries("AM", "AZ").contains(shapely.Point((west + east) / 2, (south + north) / 2))
    assert not _contains(html, "Iran–Pakistan")


def _fit_bounds(html: str) -> list[list[float]]:
    found = re.findall(r"fitBounds\(\s*(\[\[[^\]]*\],\s*\[[^\]]*\]\])", html)
    assert found, "the map does not fit any bounds"
    return json.loads(found[-1])


def test_the_png_export_shows_the_region_and_its_border(dataset: Dataset) -> None:
    briefing = build_briefing(dataset)
    assert briefing.title == TITLE
    snap = draw(briefing, SLIDE)
    pixels = np.asarray(Image.open(io.BytesIO(snap.png())).convert("RGB")).astype(int)
    frame = snap.map_ax.get_window_extent()
    top, bottom = SLIDE.pixels[1] - frame.y1, SLIDE.pixels[1] - frame.y0

    def inside(lon: float, lat: float) -> bool:
        col, row = snap.to_pixel(lon, lat)
        return frame.x0 <= col <= frame.x1 and top <= row <= bottom

    line = dataset.region.borders.geometry.iloc[0]
    samples = [line.interpolate(f, normalized=True) for f in np.linspace(0.02, 0.98, 25)]
    assert all(inside(p.x, p.y) for p in samples)
    hits = [near_colour(pixels, *snap.to_pixel(p.x, p.y), BORDER_COLOUR) for p in samples]
    assert sum(hits) >= 0.7 * len(hits), f"border colour at {sum(hits)} of {len(hits)} border points"
    assert not inside(73.05, 33.68) and not inside(67.0, 24.86)  # Islamabad, Karachi: far off this map
    names = {t.get_text() for t in snap.map_ax.texts}
    assert {"ARMENIA", "AZERBAIJAN"} <= names and "PAKISTAN" not in names
    centre = snap.map_ax.transData.transform(((snap.map_ax.get_xlim()[0] + snap.map_ax.get_xlim()[1]) / 2,
                                              (snap.map_ax.get_ylim()[0] + snap.map_ax.get_ylim()[1]) / 2))
    assert abs(centre[0] - (frame.x0 + frame.x1) / 2) < 1  # (sanity: the limits are the frame)
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(snap.crs, "EPSG:4326", always_xy=True).transform(
        np.mean(snap.map_ax.get_xlim()), np.mean(snap.map_ax.get_ylim()))
    assert _countries("AM", "AZ").buffer(1.0).contains(shapely.Point(lon, lat))


def test_the_command_line_exports_name_the_incident(incident: Incident) -> None:
    png, kml = incident.folder / "brief.png", incident.folder / "brief.kml"
    for out in (png, kml):
        result = _cli(incident.url, "export", "--incident", SLUG, "--out", str(out))
        assert result.returncode == 0, result.stderr
    with Image.open(png) as image:
        assert image.text["Title"] == TITLE
        assert not any(word in value for value in image.text.values() for word in SEED_WORDS)
    text = kml.read_text(encoding="utf-8")
    assert TITLE in text and "Armenia–Azerbaijan border (754 km, geodesic)" in text
    assert not any(word in text for word in SEED_WORDS)


def test_the_html_and_geojson_exports_name_the_incident(dataset: Dataset) -> None:
    briefing = build_briefing(dataset)
    page = render(briefing, "html").decode("utf-8")
    assert f"<title>{TITLE}</title>" in page and _contains(page, "Armenia–Azerbaijan border (754 km)")
    assert not _contains(page, "Iran–Pakistan") and "PAKISTAN" not in page
    collection = json.loads(render(briefing, "geojson"))
    assert collection["name"] == TITLE


# --- the pages ----------------------------------------------------------------------------------------------

@pytest.fixture
def app_store(incident: Incident, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(URL_ENV, incident.url)
    return incident.url


def _page(path: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    if path:
        at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at


def _map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def _page_text(at: AppTest) -> str:
    parts = [t.value for t in at.title] + [c.value for c in at.caption] + [m.value for m in at.markdown]
    parts += [m.label for m in at.metric] + [i.value for i in at.info] + [c.value for c in at.code]
    return "\n".join(str(p) for p in parts)


def test_the_map_page_is_the_incidents(app_store: str, incident: Incident) -> None:
    at = _page(incident=SLUG)
    assert at.title[0].value == TITLE
    text = _page_text(at)
    assert not any(word in text for word in SEED_WORDS), text
    args = _map_args(at)
    assert _contains(args["script"], "Armenia–Azerbaijan border (754 km)") and "ARMENIA" in args["script"]
    assert not _contains(args["script"], "Iran–Pakistan") and "PAKISTAN" not in args["script"]
    (south, west), (north, east) = _fit_bounds(args["script"])
    assert _countries("AM", "AZ").contains(shapely.Point((west + east) / 2, (south + north) / 2))


def test_the_briefing_page_is_the_incidents(app_store: str) -> None:
    at = _page("ui/briefing.py", incident=SLUG)
    assert at.text_input(key="briefing_title").value == TITLE
    text = _page_text(at)
    assert f"--incident {SLUG}" in text and not any(word in text for word in SEED_WORDS), text


def test_the_incident_selector_lists_the_seed_once(app_store: str) -> None:
    at = _page(incident=SLUG)
    options = at.sidebar.selectbox[0].options
    assert sum("Iran–Pakistan" in o for o in options) == 1, options
    assert TITLE in options and len(options) == len(set(options))


def test_a_corrected_mention_shows_corrected_on_the_map_after_the_next_rerun(app_store: str,
                                                                            incident: Incident) -> None:
    at = _page(incident=SLUG)
    before = _map_args(at)["feature_group"]
    store: Store = open_store(incident.url)
    try:
        with store.read() as session:
            event = session.scalars(select(Event).where(Event.key == incident.accepted)).one()
            mention = session.scalars(select(Mention).join(Report).where(Mention.name == event.place.split(",")[0])
                                      .order_by(Mention.id)).first()
            assert mention is not None
            mention_id, original = mention.id, mention.name
        assert _contains(before, original)
        corrected = {"place_id": "test:corrected", "name": "Corrected Place Zq", "kind": "town",
                     "country_code": "AM", "lat": 40.0, "lon": 45.0}
        store.write(lambda s: repo.correct_mention(s, mention_id, corrected, "tester"))
    finally:
        store.dispose()
    at.run()
    assert not at.exception, at.exception
    after = _map_args(at)["feature_group"]
    assert _contains(after, "Corrected Place Zq")
    data = load_dataset(DataSource(DATA_DIR, incident.url, SLUG))
    fixed = [m for ms in data.mentions.values() for m in ms if m.place_id == "test:corrected"]
    assert fixed and (fixed[0].lat, fixed[0].lon) == (40.0, 45.0)
