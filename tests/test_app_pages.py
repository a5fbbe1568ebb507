"""AppTest for every page: filters drive the table, the URL restores them, map and table are linked."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo.events.filter import EventFilter, filter_events
from geo.events.table import load_events
from geo.maps.build import marker_positions
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    """Rerun as the browser does: the page it is on, through app.py's st.navigation."""
    at.run()
    assert not at.exception, at.exception
    return at


def url_values(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def map_command(at: AppTest) -> dict:
    """What the Map page hands its map beside the layers (ui/map.py _send_command): selection, popup, view change."""
    (body,) = [h.proto.body for h in at.get("html") if "var cmd = " in h.proto.body]
    return json.loads(body.split("var cmd = ", 1)[1].split(", tries = 0;", 1)[0])


def table_ids(at: AppTest, index: int = 0) -> list[str]:
    return list(at.dataframe[index].value["id"])


@pytest.fixture(scope="module")
def events():
    return load_events().events


def test_map_page_is_the_landing_page_and_loads_nothing_from_outside(events):
    at = app()
    assert at.title[0].value == "Iran–Pakistan strikes, January 2024"  # the seed's own title (data/incidents.csv)
    args = map_args(at)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("../../app/static/vendor/") for link in links)
    assert "http://" not in args["header"] and "https://" not in args["header"]
    # a click reruns (to select its row); a pan or a layer switch reruns too (the URL keeps the view)
    assert args["returned_objects"] == ["last_object_clicked", "last_object_clicked_count", "bounds",
                                        "selected_layers"]
    assert table_ids(at) == [e.id for e in events]
    located = sum(1 for e in events if e.lat is not None)
    marker_icon = '"className": "strike-marker-icon'  # an event marker's icon (the controller only selects them)
    assert marker_icon not in args["script"]  # the map itself: created once, never with the events
    assert args["feature_group"].count(marker_icon) == located  # the layers updated in place
    assert any(m.label == "Iran–Pakistan border" and "km" in m.value for m in at.metric)
    assert dict(at.query_params) == {}


def test_actor_filter_changes_table_map_and_url(events):
    at = app()
    at.sidebar.multiselect(key="f_actor").set_value(["Iran"])
    rerun(at)
    iran = [e.id for e in events if e.actor == "Iran"]
    assert table_ids(at) == iran and 0 < len(iran) < len(events)
    assert map_args(at)["feature_group"].count("strike-marker-icon") == sum(
        1 for e in events if e.actor == "Iran" and e.lat is not None)
    assert url_values(at, "actor") == ["Iran"]
    assert "actor: Iran" in at.caption[0].value


def test_date_and_type_filters_change_the_table(events):
    at = app()
    at.sidebar.date_input(key="f_dates").set_value((date(2024, 1, 16), date(2024, 1, 18)))
    rerun(at)
    flt = EventFilter(since=at.sidebar.date_input(key="f_dates").value[0],
                      until=at.sidebar.date_input(key="f_dates").value[1])
    assert table_ids(at) == [e.id for e in filter_events(events, flt)]
    assert url_values(at, "since") == ["2024-01-16"] and url_values(at, "until") == ["2024-01-18"]
    at.sidebar.multiselect(key="f_type").set_value(["diplomatic"])
    rerun(at)
    assert table_ids(at) and all(
        e.event_type == "diplomatic" for e in events if e.id in table_ids(at))


def test_query_parameters_restore_the_filters(events):
    at = app(actor=["Pakistan"], type=["air/missile strike"], since="2024-01-17")
    assert at.sidebar.multiselect(key="f_actor").value == ["Pakistan"]
    assert at.sidebar.multiselect(key="f_type").value == ["air/missile strike"]
    assert at.sidebar.date_input(key="f_dates").value[0].isoformat() == "2024-01-17"
    expected = [e.id for e in events if e.actor == "Pakistan" and e.event_type == "air/missile strike"
                and e.date_end.isoformat() >= "2024-01-17"]
    assert table_ids(at) == expected and expected
    assert url_values(at, "actor") == ["Pakistan"]


def test_a_bad_link_says_what_is_wrong_and_still_loads(events):
    at = app(actor=["Atlantis", "Iran"], since="yesterday")
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "Atlantis" in warnings and "yesterday" in warnings
    assert table_ids(at) == [e.id for e in events if e.actor == "Iran"]


def test_reset_clears_filters_and_url(events):
    at = app(actor="Iran")
    at.sidebar.button[0].click()
    rerun(at)
    assert table_ids(at) == [e.id for e in events]
    assert dict(at.query_params) == {}


def test_clicking_a_marker_selects_its_row(events):
    at = app()
    positions = marker_positions(events)
    lat, lng = positions["kerman-bombing"]
    key, layers_before = map_args(at)["key"], map_args(at)["feature_group"]
    assert layers_before.count('"smSel"') == len(positions)  # every marker can be selected in place
    # What st_folium stores when the marker is clicked in the browser (its value after the click):
    at.session_state["map"] = {"last_object_clicked": {"lat": lat, "lng": lng}, "last_object_clicked_count": 1}
    rerun(at)
    row = table_ids(at).index("kerman-bombing")
    assert at.session_state["map_table"]["selection"]["rows"] == [row]
    assert at.session_state["selected_ids"] == ["kerman-bombing"]
    args = map_args(at)
    assert map_command(at)["selected"] == ["kerman-bombing"]
    assert map_command(at)["popup"] == ["kerman-bombing", 1]  # a click opens its popup, once per click
    assert args["key"] == key  # the same map, updated in place
    assert args["feature_group"] == layers_before  # a selection re-sends no layer
    assert url_values(at, "select") == ["kerman-bombing"]
    # a later rerun with the same (already handled) click does not undo a selection made since
    at.session_state["map_table"] = {"selection": {"rows": [], "columns": [], "cells": []}}
    rerun(at)
    assert at.session_state["selected_ids"] == []


def test_selecting_rows_highlights_markers_and_fits_the_map(events):
    at = app()
    ids = table_ids(at)
    rows = [ids.index("kerman-bombing"), ids.index("pakistan-strike-saravan")]
    at.session_state["map_table"] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    rerun(at)
    assert sorted(at.session_state["selected_ids"]) == ["kerman-bombing", "pakistan-strike-saravan"]
    command = map_command(at)
    assert command["selected"] == ["kerman-bombing", "pakistan-strike-saravan"]
    assert command["popup"] is None  # the table has the grid: no popup
    rerun(at)  # the next rerun (the map reporting its new extent) does not open one either
    assert map_command(at)["popup"] is None and map_command(at)["selected"] == command["selected"]
    assert command["change"][:2] == ["show", "show-kerman-bombing,pakistan-strike-saravan"]  # shown if out of view
    # a filter that hides one of them keeps the other selected, at its new row (the browser sends
    # the table's selection back with every rerun; AppTest does not, so it is put back here)
    at.session_state["map_table"] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.sidebar.multiselect(key="f_actor").set_value(["Pakistan"])
    rerun(at)
    assert at.session_state["selected_ids"] == ["pakistan-strike-saravan"]
    assert at.session_state["map_table"]["selection"]["rows"] == [table_ids(at).index("pakistan-strike-saravan")]


def test_the_map_is_created_once_and_filters_change_only_its_layers(events):
    at = app()
    first = map_args(at)
    at.sidebar.multiselect(key="f_actor").set_value(["Iran"])
    rerun(at)
    second = map_args(at)
    assert second["key"] == first["key"] and second["script"] == first["script"]
    assert second["feature_group"] != first["feature_group"]
    assert second["zoom"] is None and second["center"] is None  # the analyst's view is left alone


def test_the_link_restores_extent_selection_and_layers(events):
    at = app(bbox="60.5,25.5,64.5,29.5", select="pakistan-strike-saravan", hide="Places named in the reports")
    assert at.session_state["selected_ids"] == ["pakistan-strike-saravan"]
    args = map_args(at)
    assert "[[25.5, 60.5], [29.5, 64.5]]" in args["script"]  # the map opens on the shared extent
    assert '["Places named in the reports"]' in args["script"]  # and with that layer off
    assert map_command(at)["selected"] == ["pakistan-strike-saravan"]
    assert map_command(at)["popup"] == ["pakistan-strike-saravan", 0]  # a shared link opens the popup once
    assert url_values(at, "bbox") == ["60.5,25.5,64.5,29.5"] and url_values(at, "select") == ["pakistan-strike-saravan"]
    row = table_ids(at).index("pakistan-strike-saravan")
    assert at.session_state["map_table"]["selection"]["rows"] == [row]


def test_fit_to_filter_refits_once_per_click(events):
    at = app(actor="Iran", bbox="60.5,25.5,64.5,29.5")
    next(b for b in at.button if b.label == "Fit to filter").click()
    rerun(at)
    layers = map_args(at)["feature_group"]
    assert map_command(at)["change"][:2] == ["fit", "fit-1"]
    rerun(at)
    assert map_command(at)["change"][:2] == ["fit", "fit-1"]  # same key: the browser runs it once
    next(b for b in at.button if b.label == "Fit to filter").click()
    rerun(at)
    assert map_command(at)["change"][:2] == ["fit", "fit-2"]
    assert map_args(at)["feature_group"] == layers  # a view change re-sends no layer


def test_events_page_has_timeline_and_follows_filters(events):
    at = app(actor="Iran")
    at.switch_page("ui/events.py").run()
    assert not at.exception
    assert at.title[0].value == "Events"
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert "layer" in spec
    assert table_ids(at, 0) == [e.id for e in events if e.actor == "Iran"]
    claims = at.dataframe[1].value
    assert set(claims["Event"]) <= set(table_ids(at, 0)) and len(claims) > 0


def test_sources_page_marks_places_and_shows_disagreements():
    at = app()
    at.switch_page("ui/sources.py").run()
    assert not at.exception
    assert at.title[0].value == "Sources"
    bodies = [h.proto.body for h in at.get("html")]
    report = next(b for b in bodies if "report-text" in b)
    assert report.count("<mark") > 5 and 'class="quote"' in report
    cards = [b for b in bodies if "font-size:18px" in b]
    assert any("over 80" in b for b in cards) and any("over 90" in b for b in cards)
    assert any("817" in b and "909" in b for b in cards)  # the border: our measurement with its caveat
    # the who-died dispute of the Saravan strike comes first (issue 11)
    headings = [m.value for m in at.markdown if "contradict" in m.value or "compatible" in m.value]
    assert headings[0].startswith("**pakistan-strike-saravan · who died · the reports contradict"), headings[:3]
    at.selectbox(key="source_report").set_value("004_debe0072827b60f6").run()
    report = next(h.proto.body for h in at.get("html") if "report-text" in h.proto.body)
    assert "Kerman" in report


def test_online_tiles_only_when_configured(monkeypatch):
    assert "L.tileLayer" not in map_args(app())["script"]
    monkeypatch.setenv("STRIKE_MAP_TILE_URL", "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png")
    script = map_args(app())["script"]
    assert script.count("L.tileLayer") == 1 and "127.0.0.1:9/tiles/{z}/{x}/{y}.png" in script


def test_sources_page_follows_the_report_filter_from_the_link():
    at = app(report="004_debe0072827b60f6")
    at.switch_page("ui/sources.py").run()
    assert not at.exception
    chooser = at.selectbox(key="source_report")
    assert chooser.value == "004_debe0072827b60f6" and len(chooser.options) == 1
    report = next(h.proto.body for h in at.get("html") if "report-text" in h.proto.body)
    assert "Kerman" in report and "Tehran" in report


@pytest.fixture
def data_copy(monkeypatch, tmp_path):
    """A private copy of data/ that the app reads (STRIKE_MAP_DATA_DIR), to edit while it runs."""
    import shutil

    from geo.dataset import DATA_DIR_ENV
    from geo.paths import DATA_DIR

    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("gazetteer", "boundaries"))
    monkeypatch.setenv(DATA_DIR_ENV, str(copy))
    return copy


def _caption_counts(at: AppTest) -> str:
    return next(c.value for c in at.caption if " events" in c.value and " of " in c.value)


def test_map_page_says_when_some_input_did_not_load(data_copy, dataset):
    (data_copy / "articles" / "005_broken.txt").write_bytes(b"Saravan \xff\xfe\n")
    at = app()
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("1 problem(s) loading the data") for w in warnings), warnings
    assert len(table_ids(at)) == len(dataset.table.events)  # everything else still shows


def test_an_edit_while_the_app_runs_shows_on_the_next_interaction_everywhere(data_copy, dataset):
    """Delete one event row and edit a report in place while a session is open: the map page, its
    table and the exports all follow at the next rerun (no stale cache anywhere)."""
    import csv
    import io

    from geo.export.cache import export_bytes
    from ui.shared import dataset as current_dataset

    total = len(dataset.table.events)
    at = app()
    assert f"{total} of {total} events" in _caption_counts(at)
    events_csv = data_copy / "events.csv"
    lines = events_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    removed = next(line.split(",")[0] for line in lines[1:] if line.startswith("iran-air-defence-drill,"))
    events_csv.write_text("".join(line for line in lines if not line.startswith(removed + ",")), encoding="utf-8")
    report = data_copy / "articles" / "000_2764ba4b0611a321.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\nA later line naming Quetta.\n", encoding="utf-8")
    rerun(at)
    assert f"{total - 1} of {total - 1} events" in _caption_counts(at)
    assert removed not in table_ids(at)
    rows = list(csv.DictReader(io.StringIO(export_bytes(current_dataset(), EventFilter(), "csv").decode())))
    assert len(rows) == total - 1 and removed not in {r["id"] for r in rows}
    assert "A later line naming Quetta." in current_dataset().corpus.by_id()["000_2764ba4b0611a321"].text


def test_sources_page_shows_the_disagreements_first():
    """Issue 15: the disagreements sat ~2,400 px down the page, under the report. Now they are the first tab,
    open by default, and the report reader comes after them."""
    at = app()
    at.switch_page("ui/sources.py").run()
    assert not at.exception
    labels = [t.label for t in at.tabs]
    assert labels[0].startswith("Where the reports disagree (") and labels[1] == "Read a report"
    first = at.tabs[0]
    headings = [m.value for m in first.markdown if "contradict" in m.value or "compatible" in m.value]
    assert headings and headings[0].startswith("**pakistan-strike-saravan")
    assert not first.get("selectbox")  # the report chooser is in the second tab
    assert at.tabs[1].selectbox(key="source_report")
    assert _tab_container(at).proto.tab_container.default_tab_index == 0  # open on the disagreements
    linked = app(report="004_debe0072827b60f6")  # a link narrowed to one report opens on that report
    linked.switch_page("ui/sources.py").run()
    assert _tab_container(linked).proto.tab_container.default_tab_index == 1


def _tab_container(at: AppTest):
    def walk(node):
        for child in getattr(node, "children", {}).values():
            if child.type == "tab_container":
                return child
            found = walk(child)
            if found is not None:
                return found
        return None

    return walk(at.main)


def test_a_row_chosen_in_the_table_never_opens_its_popup_on_a_later_rerun(events):
    """The grid beside the map shows the row: no popup, neither on the run the row is chosen nor on the next
    one (the map reporting its extent after the "show" pan); it once opened on that next run."""
    at = app()
    row = table_ids(at).index("kerman-bombing")
    at.session_state["map_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    rerun(at)
    assert map_command(at)["selected"] == ["kerman-bombing"] and map_command(at)["popup"] is None
    rerun(at)
    assert map_command(at)["selected"] == ["kerman-bombing"] and map_command(at)["popup"] is None
