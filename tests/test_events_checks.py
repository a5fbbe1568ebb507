"""The faithfulness rules (geo.events.checks) catch what they are for, on events built to break them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from geo.events.checks import check_disagreements, check_events
from geo.events.disagreements import Disagreement
from geo.events.model import Claim


@pytest.fixture(scope="module")
def events(table):
    return table.by_id()


def _messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_an_over_figure_never_becomes_a_ceiling(events):
    kerman = replace(events["kerman-bombing"], fatalities_low=85, fatalities_high=90)
    messages = _messages(check_events([kerman]))
    assert any("fatalities_high" in m and "sets none" in m for m in messages), messages
    assert any("fatalities_low" in m and "above the claims' lowest bound 81" in m for m in messages)


def test_a_country_event_is_never_a_bare_point(events):
    assert _messages(check_events([events["iraq-recalls-ambassador"]])) == []
    outside = replace(events["iraq-recalls-ambassador"], lat=30.0, lon=60.0)  # in Iran
    assert any("marker lies outside" in m for m in _messages(check_events([outside])))


def test_no_place_finer_than_its_claims(events):
    pin = replace(events["iran-air-defence-drill"], place="Chabahar, Iran", geo_precision="town")
    assert _messages(check_events([pin])) == []  # 000 names Chabahar: a town the report gives
    saravan = replace(events["pakistan-strike-saravan"], geo_precision="town")
    assert any("only near 'Saravan, Iran'" in m for m in _messages(check_events([saravan])))
    iraq = replace(events["iran-strike-iraq"], place="Erbil, Iraq", geo_precision="town")
    assert any("no place claim names it" in m for m in _messages(check_events([iraq])))


def test_no_date_finer_than_its_claims(table, events):
    summons = replace(events["iran-summons-charge"], date_end=date(2024, 1, 18), date_precision="day")
    changed = [summons if e.id == summons.id else e for e in table.events]
    messages = _messages(check_events(changed, table.published, table.datelined))
    assert any("iran-summons-charge, field date" in m and "narrower" in m for m in messages), messages
    gaza = replace(events["israel-hamas-war"], claims=tuple(c for c in events["israel-hamas-war"].claims
                                                             if c.field != "ongoing"))
    assert any("no claim says it is under way" in m for m in _messages(check_events([gaza], table.published)))


def test_a_contradiction_needs_two_claims_that_contradict(table):
    flagged = Disagreement("pakistan-strike-saravan", "target", (("BLA", ("001",)), ("BLF", ("004",))),
                           contradicts=True)
    assert any("no two claims contradict" in m
               for m in _messages(check_disagreements([flagged], table.claims, table.published)))
    real = [Claim("x", "a", "casualties", "civilians", "q"), Claim("x", "b", "casualties", "militants", "q")]
    ok = Disagreement("x", "casualties", (("civilians", ("a",)), ("militants", ("b",))), contradicts=True)
    assert check_disagreements([ok], real, {}) == []
    compatible = [Claim("y", "a", "casualties", "non-citizens", "q"), Claim("y", "b", "casualties", "militants", "q")]
    flagged = Disagreement("y", "casualties", (("non-citizens", ("a",)), ("militants", ("b",))), contradicts=True)
    assert check_disagreements([flagged], compatible, {}) != []
