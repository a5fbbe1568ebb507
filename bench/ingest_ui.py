"""Time from upload to results on screen, in a real browser: three test reports (tests/data/ingest) uploaded
on the Add reports page of a fresh incident in a temp SQLite store, until every file says 'added', then
until the Review page shows the report text with its marks. Prints wall time and the server's CPU time
(user + system, from /proc: the same work on a busy machine takes longer on the wall, not on the CPU).
Prints figures; asserts nothing.

    .venv/bin/python bench/ingest_ui.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.store import intake  # noqa: E402
from geo.store.engine import URL_ENV, open_store  # noqa: E402
from geo.store.migrate import upgrade  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_FLAGS, start_streamlit, stop  # noqa: E402

DATA = ROOT / "tests" / "data" / "ingest"
FILES = ["thai-cambodia-1.txt", "thai-cambodia-2.html", "thai-cambodia-3.md"]
TIMEOUT = 180_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/store.sqlite"
        store = open_store(url)
        upgrade(store)
        slugs = [store.write(lambda s, i=i: intake.create_incident(s, f"Bench {i}", ("TH", "KH"), "bench").slug)
                 for i in range(rounds + 1)]
        os.environ[URL_ENV] = url
        server = start_streamlit(Path(folder))
        try:
            _run(server.base_url, slugs, rounds, server.process.pid)
        finally:
            stop(server.process)


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(base: str, slugs: list[str], rounds: int, server_pid: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        for i, slug in enumerate(slugs):
            page.goto(f"{base}/add-reports?incident={slug}")
            page.get_by_role("button", name="Add reports").wait_for(timeout=TIMEOUT)
            page.locator('input[type="file"]').set_input_files([str(DATA / f) for f in FILES])
            start, cpu = time.perf_counter(), _cpu(server_pid)
            page.get_by_role("button", name="Add reports").click()
            for name in FILES:
                page.get_by_text(f"added as '{Path(name).stem}'").wait_for(timeout=TIMEOUT)
            added, added_cpu = time.perf_counter() - start, _cpu(server_pid) - cpu
            page.goto(f"{base}/review?incident={slug}")
            page.get_by_text("Propose an event from a quote").wait_for(timeout=TIMEOUT)
            page.get_by_text("Candidates", exact=True).wait_for(timeout=TIMEOUT)
            shown, shown_cpu = time.perf_counter() - start, _cpu(server_pid) - cpu
            label = "warm-up (first load: gazetteer, store)" if i == 0 else f"round {i}"
            print(f"{label}: 3 reports uploaded -> all 'added' with candidate counts on screen {added:.2f} s wall "
                  f"({added_cpu:.2f} s server CPU); -> Review page ready {shown:.2f} s wall ({shown_cpu:.2f} s CPU)",
                  flush=True)
        browser.close()


if __name__ == "__main__":
    main()
