"""The briefing map (geo.maps.build) on the real event table: offline links, markers, arrows, escaping."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from markupsafe import escape
from streamlit_folium import _get_header, generate_leaflet_string

from geo.boundaries.layers import border_length_km
from geo.corpus.articles import load_corpus
from geo.events.table import EVENT_TYPES, actors, load_events
from geo.maps import assets
from geo.maps.build import (
    arrow_path,
    build_map,
    events_at,
    map_links,
    marker_layout,
    marker_positions,
    mention_table,
)
from geo.maps.places import mentioned_places
from geo.maps.style import actor_colours, event_type_shapes
from geo.maps.view import MapView
from geo.places.toponyms import mentions_by_report

HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> ${alert(1)} `tick`'


@pytest.fixture(scope="module")
def table():
    return load_events()


@pytest.fixture(scope="module")
def gdf(table):
    """The events (typed values; the name is kept from when the map took a GeoDataFrame)."""
    return table.events


@pytest.fixture(scope="module")
def mentions():
    return mentioned_places(mentions_by_report(load_corpus().articles))


def render(m) -> str:
    return m.get_root().render()


def popups(html_text: str) -> list[str]:
    return [json.loads(s) for s in re.findall(r'\.bindPopup\(("(?:[^"\\]|\\.)*")', html_text)]


def tooltips(html_text: str) -> list[str]:
    return [json.loads(s) for s in re.findall(r'\.bindTooltip\(("(?:[^"\\]|\\.)*")', html_text)]


def test_every_resource_is_local_for_streamlit_and_for_a_custom_base(gdf, mentions):
    m = build_map(gdf, mentions)
    links = map_links(m)
    assert links == [assets.url(a) for a in assets.ALL_ASSETS if a.kind == "js"] + [
        assets.url(a) for a in assets.ALL_ASSETS if a.kind == "css"]  # Leaflet, then its plugins
    assert all(link.startswith("../../app/static/vendor/") for link in links)
    page = render(m)
    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert "cdn" not in page.lower()
    other = build_map(gdf, asset_base="assets")
    assert all(link.startswith("assets/vendor/") for link in map_links(other))
    assert 'L.Icon.Default.imagePath = "assets/vendor/leaflet/images/"' in render(other)


def test_one_marker_per_located_event_and_one_arrow_per_cross_border_strike(table, gdf):
    page = render(build_map(gdf))
    located = [e for e in table.events if e.lat is not None]
    assert len(located) >= 10
    assert page.count('class=\\"strike-marker\\"') + page.count('class=\\"strike-marker selected\\"') == len(
        located
    )
    cross_border = [e for e in located if e.origin_lat is not None]
    assert cross_border, "the table has cross-border strikes"
    assert page.count("strike-arrowhead") == len(cross_border)
    assert len(re.findall(r"L\.polyline\(\s*\[\[", page)) == len(cross_border)  # (not the fan's leader lines)


def test_filtered_map_has_fewer_markers_but_the_same_colours(table):
    iran = [e for e in table.events if e.actor == "Iran"]
    colours = actor_colours(actors(table.events))
    page = render(build_map(iran, colours=colours, shapes=event_type_shapes(EVENT_TYPES)))
    assert page.count('class=\\"strike-marker\\"') == sum(1 for e in iran if e.lat is not None)
    assert colours["Iran"] in page
    legend = re.search(r'setLegend\(("(?:[^"\\]|\\.)*")', page)
    legend_text = json.loads(legend.group(1))
    # the legend lists what the map shows: Iran's colour and mark, not the actors filtered out
    assert "Iran (IR)" in legend_text and colours["Iran"] in legend_text
    for actor in set(actors(table.events)) - {"Iran"}:
        assert f">{actor} (" not in legend_text


def test_selected_events_are_highlighted_with_the_view_fitted_and_popup_open(gdf, table):
    target = next(e for e in table.events if e.id == "kerman-bombing")
    page = render(build_map(gdf, view=MapView(selected=(target.id,))))
    assert page.count('strike-marker selected') == 1
    bounds = re.search(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", page)
    south, west, north, east = map(float, bounds.groups())
    assert south < target.lat < north and west < target.lon < east
    assert north - south < 10  # fitted to the one event, not the region
    assert page.count("{ marker.openPopup(); }") == 1
    two = render(build_map(gdf, view=MapView(selected=("kerman-bombing", "pakistan-strike-saravan"))))
    assert two.count("strike-marker selected") == 2
    assert "{ marker.openPopup(); }" not in two


def test_colocated_events_get_their_own_clickable_spot(gdf):
    spots = marker_layout(gdf)
    saravan = [e.id for e in gdf if e.id in ("pakistan-strike-saravan", "saravan-separate-blast")]
    assert len(saravan) == 2
    a, b = (spots[i] for i in saravan)
    assert (a.lat, a.lon) != (b.lat, b.lon) and abs(a.lat - b.lat) < 1e-3  # metres apart: a click names one
    positions = marker_positions(gdf)
    assert len(set(positions.values())) == len(positions)
    for event_id, (lat, lon) in positions.items():
        assert events_at(positions, {"lat": lat, "lng": lon}) == [event_id]
    assert events_at(positions, {"lat": 0.0, "lng": 0.0}) == []
    assert events_at(positions, None) == []
    assert events_at(positions, {"lat": "x"}) == []


def test_popups_show_date_actor_target_fatalities_and_quotes_with_sources(gdf, table):
    labels = {a.id: a.label for a in load_corpus().articles}
    page = render(build_map(gdf, report_labels=labels))
    saravan = next(p for p in popups(page) if "<td>pakistan-strike-saravan</td>" in p)
    event = table.by_id()["pakistan-strike-saravan"]
    assert "18 Jan 2024" in saravan and "Pakistan" in saravan and event.fatalities_label in saravan
    for claim in event.claims:
        assert str(escape(claim.quote)) in saravan
        assert labels[claim.report_id].split(" · ")[0] in saravan


def test_report_text_is_escaped_and_never_pasted_into_javascript_templates(gdf, table):
    first = gdf[0]
    claim = type(table.claims[0])(first.id, "999_hostile", "actor", HOSTILE, HOSTILE)
    hostile = [dataclasses.replace(first, summary=HOSTILE, target=HOSTILE, claims=(*first.claims, claim)), *gdf[1:]]
    mentions = mentioned_places({"999_hostile": [type("M", (), dict(mention=HOSTILE, name="Saravan", kind="town",
                                                                        country_code="IR", lat=27.37, lon=62.33,
                                                                        place_id="x"))()]})
    m = build_map(hostile, mentions)
    page = render(m)
    assert "<script>window.pwned" not in page and "<img src=x" not in page
    texts = popups(page) + tooltips(page)
    assert any("&lt;script&gt;window.pwned=1&lt;/script&gt;" in t for t in texts)
    assert all("<script" not in t and "<img" not in t for t in texts)
    m.render()
    script = generate_leaflet_string(m) + _get_header(m)
    outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', script)
    assert "`" not in outside_strings  # no JS template literal anywhere: report text only in JSON strings
    assert "alert(1)" not in outside_strings


def test_mentions_layer_sized_by_count(gdf, mentions):
    counts = [p.count for p in mentions]
    assert counts == sorted(counts, reverse=True)
    saravan = [p for p in mentions if "Saravan" in p.spellings]
    assert len(saravan) == 1 and saravan[0].count >= 3
    page = render(build_map(gdf, mentions))
    radii = [float(r) for r in re.findall(r'"radius": ([\d.]+)', page)]
    assert len(radii) == len(mentions)
    assert max(radii) > min(radii)
    assert any("Saravan" in t and "mentions" in t for t in tooltips(page))


def test_mentions_layer_follows_the_report_filter():
    by_report = mentions_by_report(load_corpus().articles)
    cna = next(i for i in by_report if i.startswith("004"))
    only_cna = mention_table(by_report, reports={cna})
    everything = mention_table(by_report)
    assert 0 < len(only_cna) < len(everything)
    assert all(r == [cna] for r in only_cna["reports"])
    assert only_cna["count"].sum() == sum(1 for m in by_report[cna] if m.lat is not None)
    # Kerman is named only by 004 (the others say "Islamic State-claimed suicide bombing"), Gaza not by 004
    names = set(only_cna["name"])
    assert "Kerman" in names and "Gaza Strip" not in names
    assert mention_table(by_report, reports=frozenset()).equals(everything)


def test_optional_tile_layer_is_off_by_default(gdf):
    assert "L.tileLayer" not in render(build_map(gdf))
    page = render(build_map(gdf, tile_url="http://127.0.0.1:9/{z}/{x}/{y}.png"))
    assert page.count("L.tileLayer") == 1
    assert "http://127.0.0.1:9/{z}/{x}/{y}.png" in page


def test_map_credits_its_data(gdf):
    page = render(build_map(gdf))
    assert "attributionControl.addAttribution(" in page and "GeoNames (CC BY 4.0)" in page
    assert "Natural Earth" in page


def test_border_drawn_with_its_measured_length(gdf):
    km = border_length_km()
    assert 800 < km < 835
    page = render(build_map(gdf))
    assert f"{km:,.0f} km" in page
    assert "Sistan and Baluchestan" in page and "Baluchistan" in page


def test_arrow_path_runs_from_origin_to_target_with_a_heading():
    path, angle = arrow_path((30.0, 60.0), (30.0, 70.0), bend=0.0)
    assert path[0] == pytest.approx((30.0, 60.0), abs=1e-4)
    assert path[-1] == pytest.approx((30.0, 70.0), abs=1e-4)
    assert angle == pytest.approx(0.0, abs=1e-6)  # due east
    _, north = arrow_path((20.0, 60.0), (30.0, 60.0), bend=0.0)
    assert north == pytest.approx(-90.0, abs=1e-6)  # screen y grows downwards
    there, _ = arrow_path((27.0, 62.0), (30.0, 70.0))
    back, _ = arrow_path((30.0, 70.0), (27.0, 62.0))
    assert there[len(there) // 2] != pytest.approx(back[len(back) // 2], abs=0.05)  # they bend apart


def test_styles_cover_every_actor_and_event_type(table):
    colours = actor_colours(actors(table.events))
    shapes = event_type_shapes(EVENT_TYPES)
    assert set(colours) == set(actors(table.events))
    assert len(set(colours.values())) == len(colours)
    assert list(shapes) == list(EVENT_TYPES)
    assert len(set(shapes.values())) == len(shapes)
