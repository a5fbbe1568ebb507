"""AppTest for the map's tools where the server decides: place search, the print view and its link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from geo.events.filter import EventFilter, filter_events
from geo.events.table import load_events
from geo.places.gazetteer import load_gazetteer
from geo.places.search import search_places
from tests.test_app_pages import app, map_args, map_command, rerun


def _search(at, text: str):
    at.text_input(key="map_place_search").input(text)
    return rerun(at)


def test_a_place_search_offers_candidates_and_moves_only_the_layers():
    at = app()
    before = map_args(at)
    _search(at, "sarāvān")
    wanted = next(c for c in search_places("saravan", load_gazetteer(), prefer=("IR", "PK")) if c.country_code == "IR")
    labels = [b.label for b in at.button]
    assert any(wanted.label in label for label in labels)  # name · kind · province · country
    assert "Sistan and Baluchestan" in wanted.label
    next(b for b in at.button if wanted.label in b.label).click()
    rerun(at)
    after = map_args(at)
    assert after["script"] == before["script"] and after["key"] == before["key"]  # the map is not rebuilt
    assert map_command(at)["change"][:4] == ["goto", "goto-1", 27.37089, 62.33096]
    assert after["feature_group"] == before["feature_group"]  # the layers are not re-sent
    assert after["zoom"] is None and after["center"] is None
    rerun(at)  # a rerun keeps the same one-shot key: the browser moves once
    assert map_command(at)["change"][:2] == ["goto", "goto-1"]


def test_the_incidents_countries_come_first_in_the_candidates():
    at = _search(app(), "Saravan")
    labels = [b.label for b in at.button if "·" in b.label]
    assert labels and "Iran" in labels[0]  # the seed incident's countries (IR, PK) before Laos


def test_an_unknown_place_says_so():
    at = _search(app(), "Qwxzv Plateau")
    assert any("No place called" in c.value for c in at.caption)


def test_the_print_link_carries_the_filter_and_selection():
    at = app(actor="Iran", select="iran-strike-balochistan")
    (link,) = [e for e in at.get("link_button") if e.proto.label == "Print view"]
    query = parse_qs(urlparse(link.proto.url).query)
    assert urlparse(link.proto.url).path == "print"
    assert query["actor"] == ["Iran"] and query["select"] == ["iran-strike-balochistan"]


def test_the_print_view_lists_the_filtered_events_their_reports_and_the_sources():
    at = app(actor="Pakistan", select="pakistan-strike-saravan")
    at.switch_page("ui/print.py")
    rerun(at)
    shown = filter_events(load_events().events, EventFilter(actors=frozenset({"Pakistan"})))
    page = "".join(h.proto.body for h in at.get("html"))
    assert page.count('<tr class="sm-print-selected">') == 1
    assert all(e.id in page for e in shown)
    cited = sorted({r for e in shown for r in e.reports})
    assert page.count("<li>") == len(cited)
    assert "@page{size:A4 landscape" in page
    assert len(at.get("image")) == 1  # the map, with its legend
