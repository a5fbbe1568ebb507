"""The briefing PNG/PDF with an incident's context layer at scale (issue 17): 100,000 synthetic ACLED events
(tests/context/synthetic.py) in a real SQLite store, drawn as hexagons under the report events, never as
100,000 markers; `python -m geo export --context` makes the same picture."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from PIL import Image

from geo.context.importer import import_events
from geo.context.query import ContextFilter
from geo.context.snapshot import briefing_context
from geo.export.briefing import build_briefing
from geo.export.snapshot import CONTEXT_CMAP, SLIDE, draw, snapshot_pdf
from geo.store.engine import Store, open_store
from geo.store.migrate import upgrade
from tests.conftest import ROOT
from tests.context.synthetic import write_acled

ROWS = 100_000


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("context-at-scale")
    store = open_store(f"sqlite:///{folder / 'store.sqlite'}")
    upgrade(store)
    result = import_events(store, "balochistan-context", "acled", write_acled(folder / "acled.csv", ROWS))
    assert result.imported == ROWS and not result.problems
    yield store
    store.dispose()


def test_100000_context_events_are_hexagons_not_markers(big_store: Store, dataset) -> None:
    layer = briefing_context(big_store, "balochistan-context")
    assert layer is not None and len(layer) == ROWS
    plain = draw(build_briefing(dataset), SLIDE)
    briefing = build_briefing(dataset, context=layer)
    snap = draw(briefing, SLIDE)
    assert 0.9 * ROWS <= snap.context_shown <= ROWS  # the synthetic towns lie in the map's extent
    # the same markers as without the layer: nothing is drawn per context event ...
    assert len(snap.map_ax.lines) == len(plain.map_ax.lines)
    # ... but one collection of hexagons, each counting many events
    new = [c for c in snap.map_ax.collections if isinstance(c, PolyCollection) and c.get_array() is not None
           and c.get_cmap().name == CONTEXT_CMAP]
    assert len(new) == 1
    counts = np.asarray(new[0].get_array())
    assert 50 <= len(counts) <= 5_000 and counts.sum() == pytest.approx(snap.context_shown)
    # visibly there: the layer changes a patch of the picture (at least 1 % of its pixels), not a few specks
    changed, total = _changed_pixels(snap.png(), plain.png())
    assert changed > 0.01 * total, (changed, total)
    side = " ".join(t.get_text() for ax in snap.figure.axes for t in ax.texts)
    assert f"Context: {snap.context_shown:,} events" in side
    assert len(snapshot_pdf(briefing)) < 3_000_000  # vector hexagons, not 100,000 paths


def _changed_pixels(png: bytes, before: bytes) -> tuple[int, int]:
    """How many pixels differ clearly between two pictures of the same size, and how many there are."""
    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB")).astype(int) for p in (png, before))
    assert a.shape == b.shape
    return int((np.abs(a - b).sum(axis=2) > 60).sum()), a.shape[0] * a.shape[1]


def test_context_follows_the_briefing_dates(big_store: Store) -> None:
    layer = briefing_context(big_store, "balochistan-context", ContextFilter(since=date(2021, 1, 1),
                                                                            until=date(2021, 12, 31)))
    assert layer is not None and 0 < len(layer) < ROWS / 3
    assert briefing_context(big_store, "no-such-incident") is None


def test_export_command_draws_the_context_layer(big_store: Store, tmp_path: Path) -> None:
    env = {**os.environ, "STRIKE_MAP_DATABASE_URL": str(big_store.engine.url), "PYTHONPATH": str(ROOT)}
    env.pop("STRIKE_MAP_DATA_DIR", None)
    out = tmp_path / "context.png"
    done = subprocess.run([sys.executable, "-m", "geo", "export", "--incident", "balochistan-context", "--context",
                           "--out", str(out)], env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    with Image.open(out) as image:
        assert image.text["Context"].startswith(f"{ROWS} events")
