"""Briefing snapshot layout and cost: the blank share of the A4 page (cells of 5 mm where every pixel is white,
the same measure as tests/test_export_layout.py) for three filters, and the PNG/PDF cost with and without
100,000 context events (a seeded synthetic ACLED export, tests/context/synthetic.py, in a fresh SQLite store).

    PYTHONPATH=. .venv/bin/python bench/export_snapshot.py

Prints wall and CPU time side by side (wall time is inflated when the machine is shared); asserts nothing.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from geo.context.importer import import_events  # noqa: E402
from geo.context.snapshot import briefing_context  # noqa: E402
from geo.dataset import load_dataset  # noqa: E402
from geo.events.filter import EventFilter  # noqa: E402
from geo.export.briefing import build_briefing  # noqa: E402
from geo.export.snapshot import A4_LANDSCAPE, draw, snapshot_pdf, snapshot_png  # noqa: E402
from geo.store.engine import open_store  # noqa: E402
from geo.store.migrate import upgrade  # noqa: E402
from tests.context.synthetic import write_acled  # noqa: E402

CONTEXT_ROWS = 100_000
T = TypeVar("T")


def blank_fraction(png: bytes, dpi: int, cell_mm: float = 5.0) -> float:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    cell = round(dpi * cell_mm / 25.4)
    rows, cols = pixels.shape[0] // cell, pixels.shape[1] // cell
    return float((pixels[:rows * cell, :cols * cell].reshape(rows, cell, cols, cell).min(axis=(1, 3)) > 245).mean())


def timed(label: str, make: Callable[[], T]) -> T:
    wall, cpu = time.perf_counter(), time.process_time()
    result = make()
    print(f"{label}: wall {time.perf_counter() - wall:.2f} s, CPU {time.process_time() - cpu:.2f} s")
    return result


def main() -> None:
    data = load_dataset()
    for name, flt in (("all", EventFilter()), ("Iran", EventFilter(actors=frozenset({"Iran"}))),
                      ("Pakistan", EventFilter(actors=frozenset({"Pakistan"})))):
        png = draw(build_briefing(data, flt), A4_LANDSCAPE).png()
        print(f"A4 blank fraction, {name}: {blank_fraction(png, A4_LANDSCAPE.dpi):.1%}")
    folder = Path(tempfile.mkdtemp())
    store = open_store(f"sqlite:///{folder / 'store.sqlite'}")
    upgrade(store)
    import_events(store, "context", "acled", write_acled(folder / "acled.csv", CONTEXT_ROWS))
    layer = timed(f"read the context layer ({CONTEXT_ROWS:,} events)", lambda: briefing_context(store, "context"))
    for fmt, make in (("png", snapshot_png), ("pdf", snapshot_pdf)):
        for context in (None, layer):
            briefing = build_briefing(data, context=context)
            label = f"{fmt} {'with' if context else 'without'} {CONTEXT_ROWS:,} context events"
            out = timed(label, lambda b=briefing, m=make: m(b))
            print(f"  {len(out) / 1e6:.2f} MB")
    store.dispose()


if __name__ == "__main__":
    main()
