"""The region's ground (countries, coasts) is served from static/ by content, not carried in the map's script."""

from __future__ import annotations

import json
import os
import re
import time

import pytest

from geo.boundaries.region import Region
from geo.commands.main import main
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


DAY = 24 * 3600.0


def _age(tmp_path, name: str, days: float) -> None:
    when = time.time() - days * DAY
    os.utime(tmp_path / name, (when, when))


def _left(tmp_path) -> set[str]:
    return {p.name for p in (tmp_path / assets.PUBLISHED).iterdir()}


@pytest.fixture
def another_process(monkeypatch):
    """What this process has published is forgotten: the files were published by an earlier server."""
    monkeypatch.setattr(assets, "_served", {})


def test_pruning_keeps_what_a_page_may_still_fetch_and_the_newest_of_each_stem(tmp_path, another_process):
    countries = [assets.publish_json({"v": v}, "countries", tmp_path) for v in range(5)]
    coasts = [assets.publish_json({"c": v}, "coasts", tmp_path) for v in range(2)]
    for name, days in zip(countries, (40, 30, 20, 9, 3), strict=True):  # the last one used 3 days ago
        _age(tmp_path, name, days)
    for name in coasts:
        _age(tmp_path, name, 60)
    (tmp_path / assets.PUBLISHED / "README.txt").write_text("not ours")
    crashed = f".{countries[0].split('/')[-1]}.4242"
    (tmp_path / assets.PUBLISHED / crashed).write_text("{")
    _age(tmp_path, f"{assets.PUBLISHED}/{crashed}", 30)
    assets._served.clear()

    removed = assets.prune_published(tmp_path)

    gone = {countries[0].split("/")[-1], countries[1].split("/")[-1], countries[2].split("/")[-1], crashed}
    assert {p.name for p in removed} == gone
    # 9 days old: beyond the grace, but one of the two most recently used countries; the coasts are both kept
    assert _left(tmp_path) == {n.split("/")[-1] for n in countries[3:] + coasts} | {"README.txt"}
    assert assets.prune_published(tmp_path) == []  # nothing more to do


def test_a_file_used_within_the_grace_period_stays_whatever_the_count(tmp_path, another_process):
    names = [assets.publish_json({"v": v}, "countries", tmp_path) for v in range(6)]
    for k, name in enumerate(names):
        _age(tmp_path, name, 6.5 - k)  # all within the 7 days: an open tab may still fetch any of them
    assets._served.clear()
    assert assets.prune_published(tmp_path) == []
    assert len(_left(tmp_path)) == 6


def test_a_file_this_process_serves_stays_and_publishing_it_again_refreshes_it(tmp_path, another_process):
    name = assets.publish_json({"v": 1}, "countries", tmp_path)
    _age(tmp_path, name, 30)
    assert assets.prune_published(tmp_path, keep_per_stem=0) == []  # published by this process just now
    assets._served.clear()
    assert assets.publish_json({"v": 1}, "countries", tmp_path) == name  # a page is given it again
    assert time.time() - (tmp_path / name).stat().st_mtime < 60
    assets._served.clear()
    assert assets.prune_published(tmp_path, keep_per_stem=0) == []


def test_publishing_new_data_prunes_the_old_and_a_pruned_file_is_written_again(tmp_path, another_process):
    old = [assets.publish_json({"v": v}, "coasts", tmp_path) for v in range(4)]
    for name in old:
        _age(tmp_path, name, 10)
    assets._served.clear()
    new = assets.publish_json({"v": "new"}, "coasts", tmp_path)
    assert len(_left(tmp_path)) == assets.PUBLISHED_KEEP_PER_STEM  # the new one and the newest old one
    assert new.split("/")[-1] in _left(tmp_path)
    again = assets.publish_json({"v": 0}, "coasts", tmp_path)  # old data back (its file was pruned)
    assert json.loads((tmp_path / again).read_text()) == {"v": 0}


def test_geo_assets_prunes_at_start(tmp_path, another_process, capsys):
    name = assets.publish_json({"v": 1}, "countries", tmp_path)
    for v in range(2, 5):
        _age(tmp_path, assets.publish_json({"v": v}, "countries", tmp_path), 1)
    _age(tmp_path, name, 30)
    assets._served.clear()
    assert main(["assets", "--static-dir", str(tmp_path)]) == 0
    assert f"removed {tmp_path / name}" in capsys.readouterr().out
    assert not (tmp_path / name).exists() and len(_left(tmp_path)) == 3


def test_a_file_this_process_published_weeks_ago_stays_while_the_process_lives(tmp_path, another_process):
    """A render is memoised: the process hands out a map drawn weeks ago without publishing its files again, so
    what it once published must stay (a server up for weeks with several incidents lost an old incident's land)."""
    name = assets.publish_json({"v": "old incident"}, "countries", tmp_path)
    _age(tmp_path, name, 30)
    later = time.time() + 30 * 24 * 3600  # a month on, other incidents published since
    assert assets.prune_published(tmp_path, keep_per_stem=0, now=later) == []
    assert name.split("/")[-1] in _left(tmp_path)
