"""The dashboard's event table and timeline (geo.views.table) on the real event table."""

from __future__ import annotations

from geo.events.table import actors, load_events
from geo.maps.style import actor_colours
from geo.views.table import DISPLAY_COLUMNS, event_display_frame, timeline_chart


def test_display_frame_has_one_row_per_event_in_order():
    table = load_events()
    frame = event_display_frame(table.events)
    assert list(frame.columns) == list(DISPLAY_COLUMNS)
    assert list(frame["id"]) == [e.id for e in table.events]
    month = next(e for e in table.events if e.date_precision == "month")
    assert frame.set_index("id").loc[month.id, "date"] == f"{month.date_start:%b %Y}"  # no more precise than that
    saravan = frame.set_index("id").loc["pakistan-strike-saravan"]
    assert saravan["fatalities"] == "7–9+"  # "at least nine": no ceiling (issue 11)
    assert event_display_frame([]).empty


def test_timeline_uses_the_map_colours_and_marks_the_selection():
    table = load_events()
    chart = timeline_chart(table.events, all_actors=actors(table.events), selected_ids=["kerman-bombing"])
    spec = chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert sorted(r["id"] for r in rows) == sorted(e.id for e in table.events)
    assert [r["id"] for r in rows if r["selected"]] == ["kerman-bombing"]
    scale = spec["layer"][0]["encoding"]["color"]["scale"] if "encoding" in spec["layer"][0] else \
        spec["encoding"]["color"]["scale"]
    colours = actor_colours(actors(table.events))
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == colours


def test_timeline_gives_events_sharing_an_actor_and_date_their_own_rows():
    table = load_events()
    spec = timeline_chart(table.events).to_dict()
    rows = next(iter(spec["datasets"].values()))
    spots = {}
    for r in rows:
        spots.setdefault((r["actor"], r["start"], r["end"]), []).append(r["slot"])
    assert all(sorted(s) == list(range(len(s))) for s in spots.values())
    # Iran struck Iraq and Syria the same late Monday: two rows in Iran's lane, not one point on another
    same_day = spots[next(k for k in spots if k[0] == "Iran" and k[1].startswith("2024-01-15"))]
    assert sorted(same_day) == [0, 1]
    assert all(layer["encoding"]["yOffset"]["field"] == "slot" for layer in spec["layer"])


def test_timeline_shapes_are_the_maps_and_the_axis_follows_the_span(dataset):
    from datetime import date

    from geo.maps.style import VEGA_SHAPES

    spec = timeline_chart(dataset.table.events, shapes=dataset.shapes,
                          span=(date(2024, 1, 15), date(2024, 1, 18))).to_dict()
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    scale = points["encoding"]["shape"]["scale"]
    mapping = dict(zip(scale["domain"], scale["range"], strict=True))
    for event_type, shape in dataset.shapes.items():
        assert mapping[event_type] == VEGA_SHAPES[shape]  # the map's shape, in Vega's words
    assert mapping["diplomatic"] != mapping["armed attack"]
    domain = points["encoding"]["x"]["scale"]["domain"]
    assert domain[0].startswith("2024-01-15") and domain[1].startswith("2024-01-18")
    assert "params" in spec  # the analyst can zoom and pan it


def test_who_says_what_has_one_row_per_report_and_the_claimant_the_text_gives(dataset):
    from geo.views.table import claimant, who_says_what

    event = dataset.table.by_id()["pakistan-strike-saravan"]
    grid = who_says_what(event)
    assert list(grid["Report"]) == [r[:3] for r in event.reports]
    assert {"Date", "Actor", "Target", "Place", "Fatalities"} <= set(grid.columns)
    assert "Iranian officials via 000" in set(grid["Claimant"])
    assert claimant("Iranian officials said three women were killed") == "Iranian officials"
    assert claimant("an act claimed by Jaish al-Adl") == "Jaish al-Adl"
    assert claimant("which it said killed two children") == ""  # a pronoun names no one
    assert claimant("Seven people were killed") == ""
