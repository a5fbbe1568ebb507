"""Load benchmark: N concurrent sessions against `streamlit run app.py` on 127.0.0.1, one process or several.

    .venv/bin/python bench/load.py [--sessions 25] [--timeout 600]
    .venv/bin/python bench/load.py --sessions 25 --compare 1,2          # 1 process, then 2 behind nginx
    .venv/bin/python bench/load.py --sessions 6 --processes 2 --no-sticky  # what stickiness prevents

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

With --processes N (N > 1) the bench starts N Streamlit processes and the system's nginx in front of them,
configured by the same rules as docs/deploy/nginx.conf minus TLS and authentication: an upstream hashed
(consistently) on a route cookie that nginx sets on the first response. Each warm-up session goes to its
own process directly; the load goes through nginx. Each client behaves like a browser: it loads the page
first, keeps the route cookie from that response and sends it with the websocket and every fetch (cached
messages, the PNG preview, the exports). The bench's nginx adds an X-Upstream header, so every fetch is
checked to come from the process that holds the session; --no-sticky routes round-robin instead, and the
fetches then meet the other process (HTTP 404). --compare 1,2 runs the configurations one after the other
and prints their figures side by side (CPU and memory summed over the Streamlit processes). nginx runs as a
child process with its pid, logs and temp files in a temporary folder, and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
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
MAX_PROCESSES = 8
ROUTE_COOKIE = "strike_route"  # docs/deploy/nginx.conf


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
    upstream: str = ""  # the process that served the page (behind nginx)
    fetches: int = 0  # HTTP fetches after the page: cached messages, the PNG, exports
    routed: int = 0  # responses that said which process answered (page, websocket, fetches; behind nginx)
    wrong_process: int = 0  # of those, answered by another process than the page's
    not_found: int = 0  # fetches answered 404


class Client:
    """One browser session, speaking Streamlit's websocket protocol. Like a browser, it loads the page
    first and sends back the route cookie that response set (behind nginx), with the websocket and every
    fetch."""

    def __init__(self, base: str, session: Session | None = None) -> None:
        self.base = base
        self.session = session or Session(-1, base, "")
        self.ws = None
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.widgets: dict[str, object] = {}
        self.cookie = ""  # "strike_route=...", as the browser would send it

    def _headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie} if self.cookie else {}

    def _upstream(self, headers) -> None:
        """Check that a response came from the process that served the page (X-Upstream: bench nginx)."""
        upstream = headers.get("X-Upstream", "")
        if not upstream:
            return
        self.session.routed += 1
        if not self.session.upstream:
            self.session.upstream = upstream
        elif upstream != self.session.upstream:
            self.session.wrong_process += 1

    def open_page(self) -> None:
        """GET / as a browser loads the page: keeps the route cookie nginx sets on this first response."""
        request = urllib.request.Request(self.base + "/", headers=self._headers())
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                if ROUTE_COOKIE in jar:
                    self.cookie = f"{ROUTE_COOKIE}={jar[ROUTE_COOKIE].value}"
            self._upstream(response.headers)

    async def connect(self) -> None:
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(url, origin=self.base, max_size=1 << 28, open_timeout=60, ping_interval=None,
                                additional_headers=self._headers())
        self._upstream(self.ws.response.headers)

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
                msg = await asyncio.to_thread(self._fetch_ref, msg.ref_hash)
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
            msg = ForwardMsg()
            msg.ParseFromString(self._fetch(f"{self.base}/_stcore/message?hash={ref}", timeout=60))
            return msg
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"message sent by reference, not found (fetched too late, or asked of another "
                               f"process): {exc}") from None

    def _fetch(self, url: str, timeout: float) -> bytes:
        self.session.fetches += 1
        request = urllib.request.Request(url, headers=self._headers())
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                self._upstream(response.headers)
                return response.read()
        except urllib.error.HTTPError as exc:
            self._upstream(exc.headers)
            self.session.not_found += exc.code == 404
            raise

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
        elif kind == "download_button" and element.download_button.url:  # made with the page: a media URL
            run.downloads[element.download_button.label] = "url:" + element.download_button.url
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
                return await asyncio.to_thread(self.get, response.deferred_file.url)

    def get(self, url: str) -> bytes:
        full = url if url.startswith("http") else self.base + ("" if url.startswith("/") else "/") + url
        if not full.startswith(f"http://{HOST}:"):
            raise RuntimeError(f"refusing to fetch {full!r}: not {HOST}")
        try:
            return self._fetch(full, timeout=120)
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
    client = Client(session.base, session)
    try:
        await asyncio.to_thread(client.open_page)  # the page load: not part of the time to map
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
            session.exported["png"] = len(await asyncio.to_thread(client.get, url))
        for label in EXPORTS:
            if label in run.downloads:
                target = run.downloads[label]
                body = (await asyncio.to_thread(client.get, target[4:]) if target.startswith("url:")
                        else await client.deferred_file(target))
                session.exported[label.split("(")[1].split(",")[0].split(")")[0]] = len(body)
            else:
                session.errors.append(f"no download button {label!r}")
    except Exception as exc:  # a load test reports every failure and carries on with the other sessions
        session.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await client.close()


def rss_mib(pid: int) -> float:
    """Resident memory of a server process (MiB): Streamlit serves all its sessions from one process."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process has used (nginx: its master; see nginx_cpu)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def nginx_cpu(master: int) -> float:
    """CPU seconds of nginx's master and its workers."""
    children = Path(f"/proc/{master}/task/{master}/children")
    pids = [master, *(int(p) for p in children.read_text().split())] if children.exists() else [master]
    return sum(cpu_seconds(pid) for pid in pids)


def start_servers(count: int, folder: Path) -> list[tuple[subprocess.Popen, str]]:
    """count Streamlit processes on free ports of 127.0.0.1, started together; returns when all answer."""
    servers = []
    try:
        for _ in range(count):
            port = free_port()
            with (folder / f"streamlit-{port}.log").open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", HOST,
                     "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
                     "--server.fileWatcherType", "none"],
                    cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                )
            servers.append((process, f"http://{HOST}:{port}"))
        for process, base in servers:
            wait_for_health(base, process, timeout=120)
    except BaseException:
        for process, _ in servers:
            stop(process)
        raise
    return servers


def find_nginx() -> str | None:
    """The system's nginx binary (root's PATH has /usr/sbin, a user's often not)."""
    found = shutil.which("nginx")
    candidates = [found] if found else []
    candidates += ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]
    return next((c for c in candidates if os.access(c, os.X_OK)), None)


def nginx_conf(folder: Path, listen: int, ports: list[int], sticky: bool = True) -> str:
    """docs/deploy/nginx.conf's rules for 127.0.0.1 without TLS and authentication: the route cookie map,
    the upstream hashed on it, the websocket headers and timeouts, the security headers (no HSTS without
    TLS, and no Secure on the cookie). Its own pid, logs and temp paths in folder. Host passes the port on
    ($http_host: the bench's nginx is not on port 80/443). X-Upstream tells the bench which process answered.
    sticky=False is the same proxy without the cookie hash (round-robin): what stickiness prevents."""
    servers = "\n".join(f"        server {HOST}:{port};" for port in ports)
    balance = "hash $strike_route consistent;" if sticky else "# no stickiness (--no-sticky): round-robin"
    cookie = 'add_header Set-Cookie "strike_route=$strike_route; Path=/; HttpOnly; SameSite=Lax";' if sticky else ""
    csp = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data: blob:; font-src 'self' data:; "
           f"connect-src 'self' ws://{HOST}:{listen}; frame-src 'self'; worker-src 'self' blob:; object-src 'none'; "
           "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                              "scgi"))
    return f"""# generated by bench/load.py from the rules of docs/deploy/nginx.conf (no TLS, no authentication)
daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                        'upstream=$upstream_addr route=$strike_route';
    access_log {folder / "access.log"} upstream;
{temp}

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}
    map $cookie_strike_route $strike_route {{
        "~^[0-9a-f]{{32}}$" $cookie_strike_route;
        default           $request_id;
    }}
    upstream strike_map {{
        {balance}
{servers}
    }}
    server {{
        listen {HOST}:{listen};
        server_name {HOST};
        add_header Content-Security-Policy "{csp}" always;
        add_header X-Frame-Options "DENY" always;
        add_header X-Content-Type-Options "nosniff" always;
        add_header Referrer-Policy "no-referrer" always;
        add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always;
        {cookie}
        add_header X-Upstream $upstream_addr always;
        client_max_body_size 25m;
        location = /_stcore/script-health-check {{
            return 404;
        }}
        location / {{
            proxy_pass http://strike_map;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_connect_timeout 5s;
            proxy_read_timeout 86400s;
            proxy_send_timeout 86400s;
        }}
    }}
}}
"""


def start_nginx(binary: str, folder: Path, ports: list[int], sticky: bool) -> tuple[subprocess.Popen, str]:
    """nginx in front of ports, as a child process (daemon off) with everything in folder."""
    folder.mkdir()
    if os.geteuid() == 0:  # its workers run as nobody: they must reach the temp paths
        folder.chmod(0o755)
        folder.parent.chmod(0o755)
    listen = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf(folder, listen, ports, sticky))
    command = [binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx rejected the generated configuration {conf}: {check.stderr.strip()}")
    log = (folder / "nginx.out").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    base = f"http://{HOST}:{listen}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited with code {process.returncode}: "
                                   f"{(folder / 'error.log').read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return process, base
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not answer on {base} within 30 s")
            time.sleep(0.2)
    except BaseException:
        stop_nginx(process)
        raise


def stop_nginx(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # fast shutdown: master and workers
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _short(values: list[float]) -> str:
    if not values:
        return "n=0"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.2f} / {p90:.2f} / {ordered[-1]:.2f} s"


async def _load(base: str, count: int, pids: list[int], timeout: float,
                clicks: dict[str, dict]) -> tuple[list[Session], float]:
    sessions = [Session(i, base, ACTORS[i % len(ACTORS)]) for i in range(count)]
    in_use = {s.actor for s in sessions} | set(ACTORS)
    peak = [0.0]

    async def sample() -> None:
        while True:
            peak[0] = max(peak[0], sum(rss_mib(pid) for pid in pids))
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    try:
        await asyncio.wait_for(asyncio.gather(*(run_session(s, in_use, clicks) for s in sessions)), timeout)
    except TimeoutError:
        for s in sessions:
            if s.briefing is None and not s.errors:
                s.errors.append(f"not finished within {timeout:.0f} s")
    except asyncio.CancelledError:  # Ctrl-C: the sessions are being cancelled; no traceback for each of them
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: None)
        raise
    finally:
        sampler.cancel()
    return sessions, peak[0]


@dataclass
class Result:
    """One configuration's figures: CPU and memory are summed over its Streamlit processes."""

    processes: int
    sticky: bool
    base: str
    count: int
    warm: list[Session]
    sessions: list[Session]
    cpu_warm: float
    wall: float
    cpu: float
    proxy_cpu: float
    client_cpu: float
    idle: float
    after_warm: float
    peak: float
    loaded: float
    load_start: tuple[float, ...]
    load_end: tuple[float, ...]

    @property
    def label(self) -> str:
        if self.processes == 1:
            return "1 process (direct)"
        return f"{self.processes} processes, nginx{'' if self.sticky else ' NOT sticky'}"

    @property
    def errors(self) -> list[str]:
        return [f"session {s.index}: {e}" for s in [*self.warm, *self.sessions] for e in s.errors]

    @property
    def leaks(self) -> list[str]:
        return [leak for s in self.sessions for leak in s.leaks]


def measure(processes: int, sticky: bool, count: int, timeout: float, clicks: dict[str, dict],
            nginx: str | None) -> Result:
    """Start the servers (and nginx), warm each process with one session, run the load, stop everything."""
    with tempfile.TemporaryDirectory(prefix="strike-load-") as tmp:
        servers = start_servers(processes, Path(tmp))
        proxy = None
        try:
            pids = [process.pid for process, _ in servers]
            idle = sum(rss_mib(pid) for pid in pids)
            cpu_idle = sum(cpu_seconds(pid) for pid in pids)
            warm = []
            for index, (_, direct) in enumerate(servers):  # one after the other, as `make run` warms each
                session = Session(-1 - index, direct, ACTORS[0])
                asyncio.run(run_session(session, set(ACTORS), clicks))
                warm.append(session)
            after_warm = sum(rss_mib(pid) for pid in pids)
            cpu_warm = sum(cpu_seconds(pid) for pid in pids) - cpu_idle
            base = servers[0][1]
            if processes > 1:
                proxy, base = start_nginx(nginx or "nginx", Path(tmp) / "nginx",
                                          [int(url.rsplit(":", 1)[1]) for _, url in servers], sticky)
            load_start = os.getloadavg()
            proxy_started = nginx_cpu(proxy.pid) if proxy else 0.0
            started, cpu_started = time.perf_counter(), sum(cpu_seconds(pid) for pid in pids)
            client_started = time.process_time()
            sessions, peak = asyncio.run(_load(base, count, pids, timeout, clicks))
            wall = time.perf_counter() - started
            client_cpu = time.process_time() - client_started
            cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_started
            proxy_cpu = nginx_cpu(proxy.pid) - proxy_started if proxy else 0.0
            loaded = sum(rss_mib(pid) for pid in pids)
        finally:
            if proxy is not None:
                stop_nginx(proxy)
            for process, _ in servers:
                stop(process)
    return Result(processes, sticky, base, count, warm, sessions, cpu_warm, wall, cpu, proxy_cpu, client_cpu, idle,
                  after_warm, peak, loaded, load_start, os.getloadavg())


def _rows(result: Result) -> dict[str, str]:
    sessions, count = result.sessions, result.count
    per_process: dict[str, int] = {}
    for s in sessions:
        per_process[s.upstream or "?"] = per_process.get(s.upstream or "?", 0) + 1
    warm = result.warm[0]
    exported = [s.exported for s in sessions if s.exported]
    per_session = (result.peak - result.after_warm) / count
    load = f"{result.load_start[0]:.2f} -> {result.load_end[0]:.2f}"
    return {
        "sessions per process": ("all" if result.processes == 1 else
                                 ", ".join(f"{n} on :{u.rsplit(':', 1)[-1]}" for u, n in sorted(per_process.items()))),
        "errors / leaks": f"{len(result.errors)} / {len(result.leaks)}",
        "HTTP fetches / of them 404": f"{sum(s.fetches for s in sessions)} / {sum(s.not_found for s in sessions)}",
        "off the page's process": (f"{sum(s.wrong_process for s in sessions)} of {sum(s.routed for s in sessions)} "
                                   "responses" if result.processes > 1 else "-"),
        "exports fetched": f"{sum(len(e) for e in exported)} files, {len(exported)} sessions",
        "warm-up (cold): map, filter": (f"{warm.to_map or float('nan'):.2f} s, "
                                        f"{'/'.join(f'{t:.2f}' for t in warm.filter_changes)} s"),
        "time to map (med/p90/max)": _short([s.to_map for s in sessions if s.to_map is not None]),
        "filter change (med/p90/max)": _short([t for s in sessions for t in s.filter_changes]),
        "marker click (med/p90/max)": _short([s.click for s in sessions if s.click is not None]),
        "Briefing+PNG (med/p90/max)": _short([s.briefing for s in sessions if s.briefing is not None]),
        "wall time of the load": f"{result.wall:.1f} s",
        "Streamlit CPU (sum)": f"{result.cpu:.1f} s, {result.cpu / count:.2f} s/session",
        "nginx CPU": f"{result.proxy_cpu:.1f} s" if result.processes > 1 else "-",
        "bench clients' CPU (same cores)": f"{result.client_cpu:.1f} s",
        "RSS idle / warm (sum)": f"{result.idle:.0f} / {result.after_warm:.0f} MiB",
        "RSS peak / after (sum)": f"{result.peak:.0f} / {result.loaded:.0f} MiB",
        "RSS per load session": f"{per_session:.1f} MiB",
        "load average (1 min)": load,
    }


def report(results: list[Result]) -> None:
    rows = [_rows(r) for r in results]
    width = max(len(k) for k in rows[0])
    columns = [max(len(r.label), *(len(v) for v in row.values())) for r, row in zip(results, rows, strict=True)]
    print(f"{results[0].count} concurrent sessions; CPU and RSS summed over the Streamlit processes; load average "
          f"of this machine (1 min) at the start and end of each load; cores: {os.cpu_count()}")
    print(f"{'':{width}}  " + "  ".join(f"{r.label:{c}}" for r, c in zip(results, columns, strict=True)))
    for key in rows[0]:
        print(f"{key:{width}}  " + "  ".join(f"{row[key]:{c}}" for row, c in zip(rows, columns, strict=True)))
    for result in results:
        leaks, errors = result.leaks, result.errors
        isolation = "no session saw another session state" if not leaks else f"{len(leaks)} leaks"
        print(f"{result.label}: isolation: {isolation}; errors: {len(errors)}")
        for leak in leaks[:10]:
            print(f"  leak: {leak}")
        for error in errors[:10]:
            print(f"  {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=25, help=f"concurrent sessions (at most {MAX_SESSIONS})")
    parser.add_argument("--timeout", type=float, default=600.0, help="bound on each load, seconds")
    parser.add_argument("--processes", type=int, default=1,
                        help=f"Streamlit processes; more than 1: behind nginx with sticky routing (at most "
                             f"{MAX_PROCESSES})")
    parser.add_argument("--compare", metavar="N,M", help="process counts to measure one after the other, side by "
                                                         "side (e.g. 1,2); overrides --processes")
    parser.add_argument("--no-sticky", action="store_true",
                        help="nginx without the route cookie hash (round-robin): shows the 404s stickiness prevents")
    args = parser.parse_args()
    count = max(1, min(args.sessions, MAX_SESSIONS))
    try:
        counts = [int(n) for n in args.compare.split(",")] if args.compare else [args.processes]
    except ValueError:
        parser.error(f"--compare takes process counts separated by commas, not {args.compare!r}")
    if any(not 1 <= n <= MAX_PROCESSES for n in counts):
        parser.error(f"process counts must be between 1 and {MAX_PROCESSES}")
    nginx = find_nginx() if any(n > 1 for n in counts) else None
    if any(n > 1 for n in counts) and nginx is None:
        print("bench/load.py: more than one Streamlit process needs nginx in front of them, and no nginx binary was "
              "found (PATH, /usr/sbin, /usr/local/sbin). Install it (Debian: apt-get install nginx-light) or run "
              "with --processes 1.", file=sys.stderr)
        return 2

    clicks = marker_clicks()
    results = []
    try:
        for n in counts:
            print(f"measuring {n} process{'es' if n > 1 else ''}, {count} sessions ...", flush=True)
            results.append(measure(n, not args.no_sticky, count, args.timeout, clicks, nginx))
    except KeyboardInterrupt:
        print("interrupted: servers and nginx stopped", file=sys.stderr)
        if not results:
            return 130
    except RuntimeError as exc:
        print(f"bench/load.py: {exc}", file=sys.stderr)
        return 1
    report(results)
    return 1 if any(r.errors or r.leaks for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
