"""Imprecise events drawn as their areas (geo.maps.areas) on the map, in the HTML, and in the timeline."""

from __future__ import annotations

import json

from shapely.geometry import Point, shape

from geo.events.precision import AREA_PRECISIONS
from geo.events.table import actors, to_geodataframe
from geo.maps.areas import LAYER_NAME, area_features, origin_labels
from geo.maps.build import build_map
from geo.maps.style import actor_colours
from geo.views.table import timeline_chart, timeline_frame


def test_every_imprecise_event_has_an_area_holding_its_marker(table):
    gdf = to_geodataframe(table.events)
    features = {f["properties"]["id"]: f for f in area_features(gdf, actor_colours(actors(table.events)))}
    for event in table.events:
        if event.lat is None:
            assert event.id not in features
            continue
        if event.geo_precision in AREA_PRECISIONS or event.geo_precision in ("town", "near town"):
            area = shape(features[event.id]["geometry"])
            assert area.buffer(1e-3).contains(Point(event.lon, event.lat)), event.id
    # "near the town of Saravan" is a circle, not a pin; "northern Iraq" is not all of Iraq
    assert features["pakistan-strike-saravan"]["properties"]["precision"] == "near town"
    assert shape(features["iran-strike-iraq"]["geometry"]).area < shape(features["iraq-recalls-ambassador"]
                                                                        ["geometry"]).area * 0.7


def test_arrows_are_labelled_from_the_actors_country(table):
    labels = origin_labels(to_geodataframe(table.events))
    texts = " ".join(label[2] for label in labels)
    assert "from Iran" in texts and "from Pakistan" in texts


def test_the_map_draws_the_areas_in_their_own_layer_with_the_precision(dataset, table):
    m = build_map(table.events, colours=dataset.colours, shapes=dataset.shapes)
    page = m.get_root().render()
    assert LAYER_NAME in page
    assert "near the town (within about 25 km)" in page and "somewhere in the country" in page
    assert "from Pakistan" in page
    assert "Where the reports place an event, no closer" in page  # the legend says what an area means


def test_a_hostile_place_name_is_escaped_in_the_area_tooltip(table):
    import dataclasses

    event = next(e for e in table.events if e.geo_precision in ("province", "country") and e.lat is not None)
    hostile = dataclasses.replace(event, place="<img src=x onerror=alert(1)>", origin="<script>x</script>",
                                  origin_lat=30.0, origin_lon=60.0)
    page = build_map([hostile]).get_root().render()
    assert "<img src=x" not in page and "<script>x</script>" not in page


def test_ongoing_events_are_open_ended_bars_on_the_timeline(table):
    frame = timeline_frame(table.events).set_index("id")
    last = max(e.date_end for e in table.events)
    gaza = frame.loc["israel-hamas-war"]
    assert gaza["drawn"] == "ongoing" and gaza["end"].date() > last  # runs past every dated day
    assert frame.loc["iran-summons-charge", "drawn"] == "span"  # a range is a bar over the range
    assert frame.loc["kerman-bombing", "drawn"] == "span"
    assert frame.loc["pakistan-strike-saravan", "drawn"] == "point"
    spec = timeline_chart(table.events).to_dict()
    marks = json.dumps(spec["layer"])
    assert "triangle-right" in marks and "datum.drawn === 'ongoing'" in marks
