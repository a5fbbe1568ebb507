"""The region's ground (countries, coasts) is served from static/ by content, not carried in the map's script."""

from __future__ import annotations

import json
import re

from geo.boundaries.region import Region
from geo.maps import assets
from geo.maps.basemap import coast_lines, region_countries
from geo.maps.build import base_map


def _script(m) -> str:
    return m.get_root().render()


def _ground_parts(html: str) -> list[dict]:
    match = re.search(r"var parts = (\[.*?\]);\n", html, re.S)
    assert match, "the ground layers element is in the map"
    return json.loads(match.group(1))


def test_the_dashboard_map_fetches_the_region_ground_from_published_files():
    region = Region.seed()
    html = _script(base_map(region=region))
    parts = _ground_parts(html)
    assert [("url" in p, "data" in p) for p in parts] == [(True, False)] * 3
    world, countries, coasts = (p["url"] for p in parts)
    assert world == assets.world_url()
    for url, data in ((countries, region_countries(region)), (coasts, coast_lines(region))):
        assert url.startswith(f"{assets.STREAMLIT_STATIC_URL}/{assets.PUBLISHED}/")
        path = assets.STATIC_DIR / url.removeprefix(assets.STREAMLIT_STATIC_URL + "/")
        assert json.loads(path.read_text()) == json.loads(json.dumps(data))
    # the coordinates are not in the script any more: ~210 KB lighter
    first = json.dumps(coast_lines(region)["geometry"]["coordinates"][0][:3])
    assert first.replace(" ", "") not in html.replace(" ", "")
    assert len(html) < 120_000


def test_the_export_carries_the_ground_in_the_file():
    region = Region.seed()
    html = _script(base_map(region=region, standalone=True))
    parts = _ground_parts(html)
    assert all("data" in p and "url" not in p for p in parts)
    focus = {f["properties"]["adm0_a3"] for f in parts[1]["data"]["features"] if f["properties"]["focus"]}
    assert focus == set(region.units)


def test_published_files_are_named_by_content_and_written_once(tmp_path):
    name = assets.publish_json({"a": 1}, "x", tmp_path)
    again = assets.publish_json({"a": 1}, "x", tmp_path)
    other = assets.publish_json({"a": 2}, "x", tmp_path)
    assert name == again != other
    assert json.loads((tmp_path / name).read_text()) == {"a": 1}
    assert sorted(p.name for p in (tmp_path / assets.PUBLISHED).iterdir()) == sorted(
        [name.split("/")[-1], other.split("/")[-1]])
