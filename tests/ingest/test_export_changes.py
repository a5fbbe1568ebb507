"""The "changes since <time>" box of the briefing PNG/PDF (issue 14) over a real SQLite store: off by default,
the last briefing's time in the box, new reports, changed figures and new disagreements listed; the export
command's --changes-since-briefing flag."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from geo.dataset import DataSource, load_dataset
from geo.export.briefing import build_briefing
from geo.export.snapshot import SLIDE, draw, snapshot_pdf
from geo.paths import DATA_DIR
from geo.store import intake, repo
from geo.store.engine import Store
from geo.store.ingest import Upload
from geo.views.changes import changes_box
from tests.conftest import ROOT
from tests.ingest.conftest import REPORTS, add_uploads, report_bytes
from tests.ingest.test_review_changes import _loaded, _propose


def _briefed_then_changed(store: Store) -> str:
    """An incident briefed once, then a new report, a changed figure and a contradicting claim."""
    slug, ids = _loaded(store)
    event_id = _propose(store, slug, ids["thai-cambodia-1"], "Kantharalak", 12)
    store.write(lambda s: repo.set_status(s, event_id, "accepted", "ana"))
    store.write(lambda s: repo.mark_briefing(s, repo.require_incident(s, slug), "ana", {}, "brief.png"))
    add_uploads(store, slug, [Upload(REPORTS[3], report_bytes(REPORTS[3]))], "ben")
    with store.read() as session:
        version = repo.get_event(session, repo.require_incident(session, slug), "strike-kantharalak").version
    store.write(lambda s: repo.edit_event(s, event_id, {"fatalities_low": 14}, version, "ben"))
    store.write(lambda s: intake.add_event_claim(s, event_id, ids["thai-cambodia-2"], "fatalities", "14",
                                                 "raised its toll to 14 dead", "ben"))
    return slug


def _side_text(snap) -> str:
    return "\n".join(t.get_text() for ax in snap.figure.axes if ax is not snap.map_ax for t in ax.texts)


def test_the_box_lists_what_changed_since_the_briefing_with_its_time(store: Store) -> None:
    slug = _briefed_then_changed(store)
    with store.read() as session:
        given = repo.last_briefing(session, repo.require_incident(session, slug)).given_at
        box = changes_box(session, slug)
    assert box.since == given
    assert f"{given:%Y-%m-%d %H:%M} UTC" in box.heading
    text = "\n".join(box.lines)
    assert box.lines[0].startswith("1 new report · ") and "new disagreement" in box.lines[0]
    assert "new report thai-cambodia-4" in text
    assert "fatalities_low: 12 → 14" in text
    assert "strike-kantharalak · fatalities: thai-cambodia-1: 12; thai-cambodia-2: 14" in text

    data = load_dataset(DataSource(DATA_DIR, store.url, slug))  # the one loader
    plain = draw(build_briefing(data), SLIDE)
    assert "Changes since" not in _side_text(plain)  # off by default
    boxed = draw(build_briefing(data, changes=box), SLIDE)
    side = _side_text(boxed)
    assert box.heading in side and "new report thai-cambodia-4" in side and "12 → 14" in side
    png = Image.open(io.BytesIO(boxed.png(extra=build_briefing(data, changes=box).metadata)))
    assert png.text["Changes since"] == box.heading
    pdf = PdfReader(io.BytesIO(snapshot_pdf(build_briefing(data, changes=box))))
    page = " ".join(pdf.pages[0].extract_text().split())
    assert f"{given:%Y-%m-%d %H:%M} UTC" in page and "thai-cambodia-4" in page


def test_before_any_briefing_the_box_says_so(store: Store) -> None:
    slug, _ = _loaded(store)
    with store.read() as session:
        box = changes_box(session, slug)
    assert box.since is None and "no briefing marked" in box.heading
    assert any("new report thai-cambodia-1" in line for line in box.lines)


def test_export_command_adds_the_box_on_request(store: Store, tmp_path: Path) -> None:
    slug = _briefed_then_changed(store)
    env = {**os.environ, "STRIKE_MAP_DATABASE_URL": str(store.engine.url), "PYTHONPATH": str(ROOT)}
    env.pop("STRIKE_MAP_DATA_DIR", None)
    for flag, expected in (([], False), (["--changes-since-briefing"], True)):
        out = tmp_path / f"brief{len(flag)}.pdf"
        done = subprocess.run([sys.executable, "-m", "geo", "export", "--incident", slug, "--out", str(out), *flag],
                              env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        text = " ".join(PdfReader(out).pages[0].extract_text().split())
        assert ("Changes since" in text) is expected
        assert ("thai-cambodia-4 Thailand" in text) is expected
