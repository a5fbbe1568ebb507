"""AppTest for every page: filters drive the table, the URL restores them, map and table are linked."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo.events.filter import EventFilter, filter_events
from geo.events.table import load_events, to_geodataframe
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


def table_ids(at: AppTest, index: int = 0) -> list[str]:
    return list(at.dataframe[index].value["id"])


@pytest.fixture(scope="module")
def events():
    return load_events().events


def test_map_page_is_the_landing_page_and_loads_nothing_from_outside(events):
    at = app()
    assert at.title[0].value == "Iran–Pakistan strike map"
    args = map_args(at)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("../../app/static/vendor/") for link in links)
    assert "http://" not in args["header"] and "https://" not in args["header"]
    assert args["returned_objects"] == ["last_object_clicked"]
    assert table_ids(at) == [e.id for e in events]
    located = sum(1 for e in events if e.lat is not None)
    assert args["script"].count("strike-marker-icon") == located
    assert any(m.label == "Iran–Pakistan border" and "km" in m.value for m in at.metric)
    assert dict(at.query_params) == {}


def test_actor_filter_changes_table_map_and_url(events):
    at = app()
    at.sidebar.multiselect(key="f_actor").set_value(["Iran"])
    rerun(at)
    iran = [e.id for e in events if e.actor == "Iran"]
    assert table_ids(at) == iran and 0 < len(iran) < len(events)
    assert map_args(at)["script"].count("strike-marker-icon") == sum(
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
    positions = marker_positions(to_geodataframe(events))
    lat, lng = positions["kerman-bombing"]
    # What st_folium's on_change does when the marker is clicked in the browser:
    at.session_state["map"] = {"last_object_clicked": {"lat": lat, "lng": lng}}
    at.session_state["map_click_pending"] = True
    rerun(at)
    row = table_ids(at).index("kerman-bombing")
    assert at.session_state["map_table"]["selection"]["rows"] == [row]
    assert at.session_state["selected_ids"] == ["kerman-bombing"]
    assert map_args(at)["script"].count("strike-marker selected") == 1


def test_selecting_rows_highlights_markers_and_fits_the_map(events):
    at = app()
    ids = table_ids(at)
    rows = [ids.index("kerman-bombing"), ids.index("pakistan-strike-saravan")]
    at.session_state["map_table"] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    rerun(at)
    assert sorted(at.session_state["selected_ids"]) == ["kerman-bombing", "pakistan-strike-saravan"]
    script = map_args(at)["script"]
    assert script.count("strike-marker selected") == 2
    assert "fitBounds" in script
    # a filter that hides one of them keeps the other selected, at its new row (the browser sends
    # the table's selection back with every rerun; AppTest does not, so it is put back here)
    at.session_state["map_table"] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.sidebar.multiselect(key="f_actor").set_value(["Pakistan"])
    rerun(at)
    assert at.session_state["selected_ids"] == ["pakistan-strike-saravan"]
    assert at.session_state["map_table"]["selection"]["rows"] == [table_ids(at).index("pakistan-strike-saravan")]


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
    assert set(claims["event"]) <= set(table_ids(at, 0)) and len(claims) > 0


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
    assert any("817" in b for b in cards)  # the border: the reports' figures beside our measurement
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
