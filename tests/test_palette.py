"""Actor colours stay apart for colour-blind readers, and the actor is told by a mark as well as colour."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert

from geo.maps.style import LAND_STYLE, PALETTE, SEA_COLOUR, actor_colours, actor_marks

CVD = ("deuteranomaly", "protanomaly", "tritanomaly")
MIN_DELTA_E = 20.0


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def _lab(colour: str, cvd: str | None) -> np.ndarray:
    rgb = _rgb(colour)
    if cvd:
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CIELab")


def delta_e(a: str, b: str, cvd: str | None) -> float:
    return float(np.linalg.norm(_lab(a, cvd) - _lab(b, cvd)))


def test_the_simulation_catches_the_old_iran_pakistan_pair():
    # green vs brown (the old palette) collapse under deuteranopia: the check can fail
    assert delta_e("#009E73", "#8C564B", "deuteranomaly") < MIN_DELTA_E


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_every_actor_pair_in_the_table_is_apart_under_each_vision(table, cvd):
    colours = actor_colours(e.actor for e in table.events)
    assert len(colours) <= len(PALETTE)  # every actor of the incident can appear together
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        assert delta_e(ca, cb, cvd) >= MIN_DELTA_E, (a, b, cvd)


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_every_palette_colour_stands_out_from_land_and_sea(cvd):
    for colour in PALETTE:
        for background in (LAND_STYLE["fillColor"], SEA_COLOUR):
            assert delta_e(colour, background, cvd) >= MIN_DELTA_E, (colour, background, cvd)


def test_actor_marks_are_unique_short_and_stable(table):
    actors = sorted({e.actor for e in table.events})
    marks = actor_marks(actors)
    assert set(marks) == set(actors)
    assert len(set(marks.values())) == len(marks)
    assert all(1 <= len(m) <= 4 for m in marks.values())
    assert marks == actor_marks(reversed(actors))
    many = [f"Group {chr(65 + i)}" for i in range(12)] + ["Group"]
    assert len(set(actor_marks(many).values())) == len(many)
