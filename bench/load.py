"""Load benchmark: N concurrent sessions against one `streamlit run app.py` on 127.0.0.1.

    .venv/bin/python bench/load.py [--sessions 25] [--timeout 600]

Each session is a protocol-level client (Streamlit's own websocket protocol, the protobuf messages the
browser sends), so the figures measure the server, not a browser on the same cores. A session:
opens the Map page (time to map: connect to the end of the first run, the map component received),
changes the actor filter three times (time per filter change: the rerun until the script finished),
clicks a marker (the map component's value, as st_folium sends it), opens the Briefing page (the PNG
preview is rendered and fetched) and downloads the CSV and KML exports (deferred download buttons).

Printed: errors, median and p90 of time to map and per filter change, server RSS (before, with all
sessions, per session), and an isolation check: every run a session sees shows its own filter and
never another session's. One warm-up session runs first (cold start: data and gazetteer loaded).
Only 127.0.0.1; the session count and the total time are bounded. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402  (a dependency of streamlit)

from tests.browser_support import free_port, stop, wait_for_health  # noqa: E402

HOST = "127.0.0.1"
MAX_SESSIONS = 60
ACTORS = ("Iran", "Pakistan", "Islamic State", "Houthis", "Iraq", "Jaish al-Adl", "Hezbollah")
EXPORTS = ("Event table (CSV, claims included)", "Event table (KML, Google Earth)")


@dataclass
class Run:
    """What one script run sent back: elements of interest, by kind."""

    seconds: float
    multiselects: dict[str, str] = field(default_factory=dict)  # label -> widget id
    map_id: str = ""
    map_args: str = ""
    captions: list[str] = field(default_factory=list)
    image_urls: list[str] = field(default_factory=list)
    downloads: dict[str, str] = field(default_factory=dict)  # label -> deferred file id
    exceptions: list[str] = field(default_factory=list)


@dataclass
class Session:
    index: int
    base: str
    actor: str
    to_map: float | None = None
    filter_changes: list[float] = field(default_factory=list)
    click: float | None = None
    briefing: float | None = None
    exported: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)


class Client:
    """One browser session, speaking Streamlit's websocket protocol."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.ws = None
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.widgets: dict[str, object] = {}

    async def connect(self) -> None:
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(url, origin=self.base, max_size=1 << 28, open_timeout=60, ping_interval=None)

    async def rerun(self, page: str | None = None) -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        if page is not None:
            self.page_hash = self.pages[page]
        state.page_script_hash = self.page_hash
        for widget in self.widgets.values():
            state.widget_states.widgets.append(widget)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        return await self._collect(started)

    async def _collect(self, started: float) -> Run:
        run = Run(seconds=0.0)
        while True:
            raw = await self.ws.recv()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                msg = self._fetch_ref(msg.ref_hash)
                kind = msg.WhichOneof("type")
            if kind == "new_session":
                self._new_session(msg)
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, run)
            elif kind == "script_finished":
                run.seconds = time.perf_counter() - started
                return run

    def _fetch_ref(self, ref: str) -> ForwardMsg:
        try:
            with urllib.request.urlopen(f"{self.base}/_stcore/message?hash={ref}", timeout=60) as response:
                msg = ForwardMsg()
                msg.ParseFromString(response.read())
                return msg
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"message sent by reference, fetched too late: {exc}") from None

    def _new_session(self, msg: ForwardMsg) -> None:
        self.session_id = msg.new_session.initialize.session_id
        for page in msg.new_session.app_pages:
            self.pages[page.url_pathname] = page.page_script_hash
        if not self.page_hash:
            self.page_hash = msg.new_session.page_script_hash

    @staticmethod
    def _element(element, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind == "multiselect":
            run.multiselects[element.multiselect.label] = element.multiselect.id
        elif kind == "component_instance" and "folium" in element.component_instance.component_name:
            run.map_id, run.map_args = element.component_instance.id, element.component_instance.json_args
        elif kind == "markdown":
            run.captions.append(element.markdown.body)
        elif kind == "imgs":
            run.image_urls += [img.url for img in element.imgs.imgs]
        elif kind == "download_button" and element.download_button.deferred_file_id:
            run.downloads[element.download_button.label] = element.download_button.deferred_file_id
        elif kind == "exception":
            run.exceptions.append(element.exception.message)

    def set_multiselect(self, widget_id: str, values: list[str]) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=widget_id)
        state.string_array_value.data[:] = values
        self.widgets[widget_id] = state

    def set_json(self, widget_id: str, value: dict) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        self.widgets[widget_id] = WidgetState(id=widget_id, json_value=json.dumps(value))

    async def deferred_file(self, file_id: str) -> bytes:
        msg = BackMsg()
        request = msg.backend_operation_request
        request.request_id = file_id
        request.session_id = self.session_id
        request.deferred_file.file_id = file_id
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await self.ws.recv()
            reply = ForwardMsg()
            reply.ParseFromString(raw)
            if reply.WhichOneof("type") == "backend_operation_response":
                response = reply.backend_operation_response
                if response.error_msg:
                    raise RuntimeError(f"export failed: {response.error_msg}")
                return self.get(response.deferred_file.url)

    def get(self, url: str) -> bytes:
        full = url if url.startswith("http") else self.base + ("" if url.startswith("/") else "/") + url
        if not full.startswith(f"http://{HOST}:"):
            raise RuntimeError(f"refusing to fetch {full!r}: not {HOST}")
        try:
            with urllib.request.urlopen(full, timeout=120) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"{url}: {exc}") from None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def marker_clicks() -> dict[str, dict]:
    """actor -> a click on the first marker of the map filtered by that actor, as st_folium reports it
    (the marker's lat/lng: computed by the same code the Map page uses to match a click)."""
    from geo.dataset import load_dataset
    from geo.events.filter import EventFilter, filter_events
    from geo.maps.build import marker_positions

    events = load_dataset().table.events
    clicks = {}
    for actor in ACTORS:
        positions = marker_positions(filter_events(events, EventFilter(actors=frozenset({actor}))))
        if positions:
            lat, lon = next(iter(positions.values()))
            clicks[actor] = {"last_object_clicked": {"lat": lat, "lng": lon}}
    return clicks


def _check_own_filter(session: Session, run: Run, actor: str | None, others: set[str]) -> None:
    caption = next((c for c in run.captions if " of " in c and "events" in c), "")
    if actor and f"actor: {actor}".replace("-", "\\-") not in caption and f"actor: {actor}" not in caption:
        session.leaks.append(f"session {session.index} expected actor {actor!r}, saw {caption!r}")
    for other in others - {actor}:
        if other and (f"actor: {other}" in caption or f"actor: {other}".replace("-", "\\-") in caption):
            session.leaks.append(f"session {session.index} saw another session's actor {other!r}: {caption!r}")


async def run_session(session: Session, actors_in_use: set[str], clicks: dict[str, dict]) -> None:
    client = Client(session.base)
    try:
        started = time.perf_counter()
        await client.connect()
        first = await client.rerun()
        session.to_map = time.perf_counter() - started
        if not first.map_id or first.exceptions:
            session.errors.append(f"first run: map={bool(first.map_id)} exceptions={first.exceptions}")
            return
        actor_id = first.multiselects["Actor"]
        for actor in (session.actor, ACTORS[(session.index + 1) % len(ACTORS)], session.actor):
            client.set_multiselect(actor_id, [actor])
            run = await client.rerun()
            session.filter_changes.append(run.seconds)
            _check_own_filter(session, run, actor, actors_in_use)
            if run.exceptions:
                session.errors.append(f"filter {actor}: {run.exceptions}")
            last = run
        click = clicks.get(session.actor)
        if click and last.map_id:
            client.set_json(last.map_id, click)
            run = await client.rerun()
            session.click = run.seconds
            _check_own_filter(session, run, session.actor, actors_in_use)
        briefing = next((p for p in client.pages if p.strip("/").casefold() == "briefing"), None)
        if briefing is None:
            session.errors.append(f"no briefing page among {sorted(client.pages)}")
            return
        run = await client.rerun(page=briefing)
        session.briefing = run.seconds
        if run.exceptions:
            session.errors.append(f"briefing: {run.exceptions}")
        for url in run.image_urls[:1]:
            session.exported["png"] = len(client.get(url))
        for label in EXPORTS:
            if label in run.downloads:
                session.exported[label.split("(")[1].split(",")[0].split(")")[0]] = len(
                    await client.deferred_file(run.downloads[label]))
            else:
                session.errors.append(f"no download button {label!r}")
    except Exception as exc:  # a load test reports every failure and carries on with the other sessions
        session.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await client.close()


def rss_mib(pid: int) -> float:
    """Resident memory of the server process (MiB): Streamlit serves every session from one process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) the server process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://{HOST}:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", HOST, "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    wait_for_health(base, process, timeout=120)
    return process, base


def _quantiles(values: list[float]) -> str:
    if not values:
        return "n=0"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.2f} s, p90 {p90:6.2f} s, max {ordered[-1]:6.2f} s (n={len(ordered)})"


async def _load(base: str, count: int, pid: int, timeout: float,
                clicks: dict[str, dict]) -> tuple[list[Session], float]:
    sessions = [Session(i, base, ACTORS[i % len(ACTORS)]) for i in range(count)]
    in_use = {s.actor for s in sessions} | set(ACTORS)
    peak = [0.0]

    async def sample() -> None:
        while True:
            peak[0] = max(peak[0], rss_mib(pid))
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    try:
        await asyncio.wait_for(asyncio.gather(*(run_session(s, in_use, clicks) for s in sessions)), timeout)
    except TimeoutError:
        for s in sessions:
            if s.briefing is None and not s.errors:
                s.errors.append(f"not finished within {timeout:.0f} s")
    finally:
        sampler.cancel()
    return sessions, peak[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=25, help=f"concurrent sessions (at most {MAX_SESSIONS})")
    parser.add_argument("--timeout", type=float, default=600.0, help="bound on the whole load, seconds")
    args = parser.parse_args()
    count = max(1, min(args.sessions, MAX_SESSIONS))

    clicks = marker_clicks()
    with tempfile.TemporaryDirectory() as tmp:
        process, base = start_server(Path(tmp) / "streamlit.log")
        try:
            idle = rss_mib(process.pid)
            cpu_idle = cpu_seconds(process.pid)
            warm = Session(-1, base, ACTORS[0])
            asyncio.run(run_session(warm, set(ACTORS), clicks))
            after_one = rss_mib(process.pid)
            cpu_warm = cpu_seconds(process.pid) - cpu_idle
            load_start = os.getloadavg()
            started, cpu_started = time.perf_counter(), cpu_seconds(process.pid)
            sessions, peak = asyncio.run(_load(base, count, process.pid, args.timeout, clicks))
            wall, cpu = time.perf_counter() - started, cpu_seconds(process.pid) - cpu_started
            loaded = rss_mib(process.pid)
        finally:
            stop(process)

    errors = [f"session {s.index}: {e}" for s in [warm, *sessions] for e in s.errors]
    leaks = [leak for s in sessions for leak in s.leaks]
    print(f"server {base}, {count} concurrent sessions, wall time {wall:.1f} s, server CPU {cpu:.1f} s "
          f"({cpu / count:.2f} s per session); load average at the start {' '.join(f'{x:.2f}' for x in load_start)}, "
          f"at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"warm-up session (cold server): map {warm.to_map or float('nan'):.2f} s, filter changes "
          f"{', '.join(f'{t:.2f}' for t in warm.filter_changes)} s, briefing {warm.briefing or float('nan'):.2f} s; "
          f"server CPU {cpu_warm:.1f} s")
    print(f"time to map:            {_quantiles([s.to_map for s in sessions if s.to_map is not None])}")
    print(f"per filter change:      {_quantiles([t for s in sessions for t in s.filter_changes])}")
    print(f"marker click:           {_quantiles([s.click for s in sessions if s.click is not None])}")
    print(f"briefing page (PNG):    {_quantiles([s.briefing for s in sessions if s.briefing is not None])}")
    exported = [s.exported for s in sessions if s.exported]
    print(f"exports fetched:        {sum(len(e) for e in exported)} files by {len(exported)} sessions "
          f"({', '.join(sorted({k for e in exported for k in e}))})")
    per_session = (peak - after_one) / max(1, count - 1)
    print(f"server RSS: idle {idle:.0f} MiB, after one session {after_one:.0f} MiB, peak under load {peak:.0f} MiB, "
          f"after the load {loaded:.0f} MiB; per extra session {per_session:.1f} MiB")
    print(f"isolation: {'no session saw another session state' if not leaks else f'{len(leaks)} leaks'}")
    for leak in leaks[:10]:
        print(f"  leak: {leak}")
    print(f"errors: {len(errors)}")
    for error in errors[:20]:
        print(f"  {error}")
    return 1 if errors or leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
