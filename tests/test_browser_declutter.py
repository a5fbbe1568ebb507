"""The marker fan-out is one rule written twice: in the browser (MapController's `sm.declutter`, the live map)
and in Python (geo.maps.geometry.declutter, the PNG/PDF snapshot). Here the browser's runs in headless
Chromium on the map page the dashboard renders (its own Leaflet and MapController, nothing copied), on fixed
and random marker sets, and must give the same offsets as the Python rule."""

from __future__ import annotations

import random

import pytest

from geo.export.html import INLINE_BASE, inline_assets
from geo.maps import geometry
from geo.maps.build import base_map
from geo.maps.geometry import declutter
from geo.maps.templates import marker_html

pytestmark = pytest.mark.browser

PLAIN = marker_html("circle", "#0072B2", False, "", "")[1]  # 24 px
SELECTED = marker_html("circle", "#0072B2", True, "", "")[1]  # 30 px
#: px: the two rules do the same arithmetic in doubles; only the last bits of sin/cos may differ
TOLERANCE = 1e-6

#: Adds markers at layer points (integers: Leaflet rounds a marker's layer point), as the map's own markers are
#: (a div icon of class strike-marker-icon, titled "<event id>: <actor> → <target>"), runs sm.declutter and reads
#: each marker's offset and the layer point it was fanned from.
_RUN = """([points, sizes, ids]) => {
  const sm = window.smMap, map = sm.map;
  (window.__markers || []).forEach(m => map.removeLayer(m));
  window.__markers = points.map((p, i) => L.marker(map.layerPointToLatLng(L.point(p[0], p[1])), {
    icon: L.divIcon({className: 'strike-marker-icon', iconSize: [sizes[i], sizes[i]], html: ''}),
    title: ids[i] + ': Iran → Pakistan'}).addTo(map));
  sm.declutter();
  return window.__markers.map(m => {
    const p = map.latLngToLayerPoint(m.getLatLng());
    return [m.smOffset.x, m.smOffset.y, p.x, p.y];
  });
}"""

Case = tuple[list[tuple[float, float]], list[float], list[str]]


def _ids(n: int) -> list[str]:
    return [f"ev{i:04d}" for i in range(n)]


def _fixed_cases() -> dict[str, Case]:
    line = [(100.0 + 9 * k, 100.0) for k in range(7)]  # a chain: neighbours overlap, the ends do not
    quetta = "airstrike-quetta-2024-01-16"  # two more events extracted there that day: -2, -3 (geo.extract)
    return {
        "two at one place": ([(200.0, 200.0)] * 2, [PLAIN] * 2, _ids(2)),
        "three at one place, one selected": ([(200.0, 200.0)] * 3, [PLAIN, SELECTED, PLAIN], _ids(3)),
        "twelve at one place": ([(300.0, 300.0)] * 12, [PLAIN] * 12, _ids(12)),
        "close, not coincident, and a far one": ([(0.0, 0.0), (5.0, 0.0), (300.0, 300.0)], [PLAIN] * 3, _ids(3)),
        "a chain": (line, [PLAIN] * len(line), _ids(len(line))),
        "two groups that meet once fanned": ([(100.0, 100.0)] * 4 + [(150.0, 100.0)] * 4, [PLAIN] * 8, _ids(8)),
        "a crowd beyond the passes": ([(float(k % 5 * 6), float(k // 5 * 6)) for k in range(25)], [PLAIN] * 25,
                                      _ids(25)),
        "apart": ([(0.0, 0.0), (100.0, 0.0), (0.0, 100.0)], [PLAIN] * 3, _ids(3)),
        "one event id the start of another": ([(200.0, 200.0)] * 3, [PLAIN] * 3,
                                              [f"{quetta}-2", quetta, f"{quetta}-3"]),
    }


def _random_ids(rng: random.Random, n: int) -> list[str]:
    """Event ids as the extraction makes them: a slug, then -2, -3 ... for the next at that place and day."""
    taken: list[str] = []
    for _ in range(n):
        base = rng.choice(["airstrike-quetta-2024-01-16", "drone-strike-panjgur", "strike-saravan", "strike-s"])
        event_id, k = base, 2
        while event_id in taken:
            event_id, k = f"{base}-{k}", k + 1
        taken.append(event_id)
    rng.shuffle(taken)
    return taken


def _random_cases(count: int = 24) -> dict[str, Case]:
    cases = {}
    for seed in range(count):
        rng = random.Random(seed)
        n = rng.randint(2, 40)
        side = rng.choice([20, 60, 150, 400])  # from a pile at one town to markers spread over the map
        points = [(float(rng.randint(0, side)), float(rng.randint(0, side))) for _ in range(n)]
        if rng.random() < 0.5:  # some co-located events (two reports of one town)
            points += [rng.choice(points) for _ in range(rng.randint(1, 6))]
        sizes = [float(rng.choice([PLAIN, PLAIN, PLAIN, SELECTED, 16, 20])) for _ in points]
        cases[f"random {seed} ({len(points)} markers in {side} px)"] = (points, sizes, _random_ids(rng, len(points)))
    return cases


CASES = _fixed_cases() | _random_cases()


def _python_offsets(points: list[tuple[float, float]], sizes: list[float], ids: list[str]) -> list[tuple[float, float]]:
    """The snapshot's way: markers in event id order (geo.export.snapshot._marker_places), then declutter."""
    order = sorted(range(len(ids)), key=ids.__getitem__)
    placed = declutter([points[i] for i in order], [sizes[i] for i in order])
    offsets: list[tuple[float, float]] = [(0.0, 0.0)] * len(ids)
    for i, (x, y) in zip(order, placed, strict=True):
        offsets[i] = (x - points[i][0], y - points[i][1])
    return offsets


@pytest.fixture(scope="module")
def map_page(browser_context):
    """The dashboard's map page (no events), its assets inlined: offline, nothing fetched."""
    page = browser_context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_content(inline_assets(base_map(asset_base=INLINE_BASE, standalone=True).get_root().render()))
    page.wait_for_function("() => window.smMap && window.smMap.declutter && window.L")
    yield page
    assert not [u for u in requests if u.startswith(("http:", "https:"))]
    page.close()


@pytest.mark.parametrize("case", list(CASES))
def test_the_map_and_the_snapshot_fan_markers_out_alike(map_page, case):
    points, sizes, ids = CASES[case]
    browser = map_page.evaluate(_RUN, [points, sizes, ids])
    assert [(x, y) for _, _, x, y in browser] == points  # the browser fanned out what Python is given
    python = _python_offsets(points, sizes, ids)
    for i, ((ox, oy, _, _), (x, y)) in enumerate(zip(browser, python, strict=True)):
        assert (ox, oy) == pytest.approx((x, y), abs=TOLERANCE), (ids[i], points[i], browser[i][:2], python[i])


def test_the_cases_exercise_the_rule(monkeypatch):
    """The cases move markers, and some end at the pass limit (so a change of it on one side only shows)."""
    moved = sum(any(o != (0.0, 0.0) for o in _python_offsets(*case)) for case in CASES.values())
    assert moved >= len(CASES) - 2
    before = {name: _python_offsets(*case) for name, case in CASES.items()}
    monkeypatch.setattr(geometry, "DECLUTTER_PASSES", geometry.DECLUTTER_PASSES + 1)
    assert any(_python_offsets(*case) != before[name] for name, case in CASES.items())
    # and an event id that is the start of another one's is among the co-located markers
    prefixed = [ids for _, _, ids in CASES.values() if any(a != b and b.startswith(a) for a in ids for b in ids)]
    assert len(prefixed) >= 5
