"""The store's commands, run as a user runs them: `python -m geo db ...`, `ingest`, and `events`/`export`
with --incident/--status, each in a subprocess against a real store."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from geo.paths import DATA_DIR, ROOT
from geo.store import repo
from geo.store.engine import open_store
from geo.store.models import Change, Claim, Event, Incident, Mention, Report
from tests.store.test_seed import csv_rows

EXTRA = ROOT / "tests" / "data" / "places" / "extra"
TABLES = (Incident, Report, Mention, Event, Claim, Change)


def geo(url: str, *args: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    environment = {**os.environ, "STRIKE_MAP_DATABASE_URL": url, **(env or {})}
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=timeout)


def counts(url: str) -> dict[str, int]:
    store = open_store(url)
    with store.read() as session:
        found = {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in TABLES}
    store.dispose()
    return found


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(EXTRA / "x01_sudan.txt", folder / "a_sudan.txt")
    shutil.copy(EXTRA / "x02_ukraine.txt", folder / "b_ukraine.txt")
    shutil.copy(EXTRA / "x03_scs.txt", folder / "c_scs.txt")
    (folder / "d_binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    (folder / "e_empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "f_latin1.txt").write_bytes("Caf\xe9 in Khartoum".encode("latin-1"))
    shutil.copy(EXTRA / "x01_sudan.txt", folder / "g_same_as_a.txt")
    return folder


def test_ingest_adds_good_reports_names_bad_files_and_skips_known_texts(seeded_url, batch, tmp_path):
    metadata = tmp_path / "meta.csv"
    metadata.write_text("id,title,publisher,published,date_method\na_sudan,Fighting in Sudan,Wire,2025-03-02,"
                        "dateline\n", encoding="utf-8")
    files = sorted(str(p) for p in batch.iterdir())
    done = geo(seeded_url, "ingest", "--incident", "sudan-2025", "--title", "Sudan, 2025", "--countries", "sd,ss",
               "--metadata", str(metadata), "--user", "tester", *files)
    assert done.returncode == 1, done.stderr  # some files could not be read
    err = done.stderr
    for name, reason in (("d_binary.txt", "looks like a binary file"), ("e_empty.txt", "no text found"),
                         ("f_latin1.txt", "not UTF-8 text")):
        assert f"error: {batch / name}: {reason}" in err
    assert f"skipped {batch / 'g_same_as_a.txt'}: the same text is already stored as report 'a_sudan'" in err
    assert "created incident 'sudan-2025'" in err and "3 added, 1 already stored, 3 failed" in err
    assert "Traceback" not in err

    store = open_store(seeded_url)
    with store.read() as session:
        incident = repo.require_incident(session, "sudan-2025")
        reports = {r.key: r for r in session.scalars(select(Report).where(Report.incident_id == incident.id))}
        assert (incident.title, incident.country_codes) == ("Sudan, 2025", ("SD", "SS"))
        assert sorted(reports) == ["a_sudan", "b_ukraine", "c_scs"]
        assert (reports["a_sudan"].title, str(reports["a_sudan"].published)) == ("Fighting in Sudan", "2025-03-02")
        assert reports["a_sudan"].added_by == "tester"
        for report in reports.values():
            assert report.mentions and all(report.text[m.start:m.end] == m.mention for m in report.mentions)
        assert any(m.country_code == "SD" for m in reports["a_sudan"].mentions)
    store.dispose()

    again = geo(seeded_url, "ingest", "--incident", "sudan-2025", str(batch / "a_sudan.txt"))
    assert again.returncode == 0 and "already stored as report 'a_sudan'" in again.stderr
    assert "0 added, 1 already stored" in again.stderr


def test_ingest_refuses_an_unknown_country_code_before_touching_the_store(seeded_url, batch):
    before = counts(seeded_url)
    done = geo(seeded_url, "ingest", "--incident", "x", "--countries", "IR,QQ", str(batch / "a_sudan.txt"))
    assert done.returncode == 2
    assert "unknown country code(s) QQ" in done.stderr and "Traceback" not in done.stderr
    assert counts(seeded_url) == before


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"ingest ended before pausing: {process.stderr.read()}")
        if time.monotonic() > deadline:
            raise AssertionError("ingest did not reach the pause point")
        time.sleep(0.05)  # polling for the pause file, not a fixed wait


def test_killing_an_ingest_midway_leaves_the_store_as_it_was(seeded_url, batch, tmp_path):
    before = counts(seeded_url)
    pause = tmp_path / "paused"
    files = [str(batch / n) for n in ("a_sudan.txt", "b_ukraine.txt", "c_scs.txt")]
    env = {**os.environ, "STRIKE_MAP_DATABASE_URL": seeded_url, "STRIKE_MAP_TEST_PAUSE_AFTER_REPORTS": "2",
           "STRIKE_MAP_TEST_PAUSE_FILE": str(pause)}
    process = subprocess.Popen([sys.executable, "-m", "geo", "ingest", "--incident", "killed", *files], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(pause, process)
        process.send_signal(signal.SIGKILL)  # two reports and their mentions written, nothing committed
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert counts(seeded_url) == before
    if seeded_url.startswith("sqlite"):
        with sqlite3.connect(seeded_url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    done = geo(seeded_url, "ingest", "--incident", "killed", *files)  # no lock or half batch left behind
    assert done.returncode == 0, done.stderr
    assert counts(seeded_url)["reports"] == before["reports"] + 3


def test_events_and_export_read_the_incident_and_status_asked_for(seeded_url, tmp_path):
    def add_candidate(session):
        incident = repo.require_incident(session, "iran-pakistan-2024")
        repo.upsert_event(session, incident, "proposed-drill", {
            "date": "2024-01-19", "date_precision": "day", "actor": "Iran", "event_type": "military exercise",
            "place": "Chabahar, Iran", "geo_precision": "town", "lat": 25.29, "lon": 60.64}, "extractor")

    store = open_store(seeded_url)
    store.write(add_candidate)
    store.dispose()
    ids = {}
    for status in ("accepted", "candidate", "all"):
        done = geo(seeded_url, "events", "--incident", "iran-pakistan-2024", "--status", status)
        assert done.returncode == 0, done.stderr
        ids[status] = [row["id"] for row in csv.DictReader(done.stdout.splitlines())]
    default = geo(seeded_url, "events")
    assert [row["id"] for row in csv.DictReader(default.stdout.splitlines())] == ids["accepted"]
    assert len(ids["accepted"]) == 20 and ids["candidate"] == ["proposed-drill"]
    assert ids["all"] == [*ids["accepted"], "proposed-drill"]

    out = tmp_path / "candidates.geojson"
    done = geo(seeded_url, "export", "--status", "candidate", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert '"proposed-drill"' in out.read_text(encoding="utf-8")

    missing = geo(seeded_url, "events", "--incident", "no-such-thing")
    assert missing.returncode == 2 and "no incident 'no-such-thing' in the store" in missing.stderr


def test_db_init_creates_seeds_and_then_has_nothing_to_do(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh' / 'store.sqlite'}"
    first = geo(url, "db", "init")
    assert first.returncode == 0, first.stderr
    assert "schema created" in first.stdout and "iran-pakistan-2024: imported" in first.stdout
    second = geo(url, "db", "init")
    assert "schema is at the newest revision" in second.stdout and "iran-pakistan-2024: up to date" in second.stdout
    assert counts(url)["reports"] == 5


def test_db_export_and_backup(seeded_url, tmp_path):
    out = tmp_path / "export"
    done = geo(seeded_url, "db", "export", str(out))
    assert done.returncode == 0, done.stderr
    for name in ("articles.csv", "events.csv", "claims.csv", "facts.csv"):
        assert csv_rows(out / name) == csv_rows(DATA_DIR / name), name
    assert (out / "events.gpkg").stat().st_size > 0

    backup = tmp_path / "backup.sqlite"
    done = geo(seeded_url, "db", "backup", str(backup))
    if not seeded_url.startswith("sqlite"):
        assert done.returncode == 2 and "for PostgreSQL use pg_dump" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert counts(f"sqlite:///{backup}") == counts(seeded_url)
    again = geo(seeded_url, "db", "backup", str(backup))
    assert again.returncode == 2 and "exists" in again.stderr
