"""URL parameters: capped in length and count, never echoed whole, dates outside the data said
(issue 9, "Quadratic or unbounded work" and "Lax validation")."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from geo.events.filter_params import MAX_PARAM_CHARS, MAX_PARAM_VALUES, fit_dates, from_query_params
from geo.paths import ROOT

KNOWN = {"actor": ("Iran", "Pakistan"), "type": (), "report": (), "target": ()}


def test_a_huge_value_is_not_echoed_and_is_ignored():
    flt, problems = from_query_params({"actor": ["Iran", "x" * 100_000]}, KNOWN)
    assert flt.actors == {"Iran"}
    assert len(problems) == 1 and len(problems[0]) < 300
    assert f"over {MAX_PARAM_CHARS}" in problems[0]


def test_too_many_values_are_cut_with_one_message():
    flt, problems = from_query_params({"actor": ["Iran"] + [f"a{i}" for i in range(10_000)]}, KNOWN)
    assert flt.actors == {"Iran"}
    assert len(problems) <= 2 and any(f"only the first {MAX_PARAM_VALUES}" in p for p in problems)
    assert sum(len(p) for p in problems) < 2_000


def test_unknown_values_are_echoed_shortened():
    _, problems = from_query_params({"actor": ["<b>" + "y" * (MAX_PARAM_CHARS - 10)]}, KNOWN)
    assert len(problems) == 1 and "…" in problems[0] and len(problems[0]) < 200


def test_a_date_range_outside_the_data_is_said_and_matches_nothing():
    lo, hi = date(2023, 12, 1), date(2024, 1, 31)
    widget, problems, outside = fit_dates(date(2099, 1, 1), None, lo, hi)
    assert outside and widget == (lo, hi)
    assert problems == ["query parameters: from 1 Jan 2099 is outside the data (1 Dec 2023 – 31 Jan 2024); "
                        "no event matches"]
    assert fit_dates(date(2020, 1, 1), date(2024, 1, 5), lo, hi) == ((lo, date(2024, 1, 5)), [], False)


def _app(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_since_2099_shows_no_event_and_says_why():
    at = _app(since="2099-01-01")
    assert at.metric[0].value == "0"
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "2099" in warnings and "no event matches" in warnings
    assert at.query_params["since"] == ["2099-01-01"] or at.query_params["since"] == "2099-01-01"


def test_a_100_kb_parameter_is_not_echoed_on_the_page():
    at = _app(actor="A" * 100_000)
    assert all(len(w.value) < 400 for w in at.sidebar.warning)
    assert at.sidebar.warning
