"""Run the dashboard's landing page once inside a just-started server, before the first analyst visits.

    .venv/bin/python -m devtools.warm_server [--url http://127.0.0.1:8501] [--timeout 300]

`make run` starts this beside `streamlit run app.py --server.scriptHealthCheckEnabled true`. It waits for the
server, then asks Streamlit's own script health check (`/_stcore/script-health-check`), which runs app.py
once in a session of the server's process: the imports (≈2 s of CPU: pandas, folium, SQLAlchemy, ...), the
Dataset and the opening map's rendered base and layers then sit in the process's caches, and the first
visit only reuses them. It prints one line (how long the warm-up took, or why it failed) and never stops
the server; a failure only means the first visit pays the start-up itself.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request

HEALTH = "/_stcore/health"
SCRIPT_HEALTH = "/_stcore/script-health-check"


def _get(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (a local http URL)
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def warm(base_url: str, timeout: float = 300.0) -> str:
    """Wait for the server (at most timeout seconds), run the app once; a line saying what happened."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if _get(base_url + HEALTH, timeout=5)[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            return f"warm-up: no server at {base_url} within {timeout:.0f} s"
        time.sleep(0.25)  # polling a server that is starting, not a test wait
    started = time.monotonic()
    try:
        status, body = _get(base_url + SCRIPT_HEALTH, timeout=max(1.0, deadline - time.monotonic()))
    except OSError as exc:
        return f"warm-up: {exc}"
    if status == 404:
        return "warm-up: the server was started without --server.scriptHealthCheckEnabled true; nothing warmed"
    outcome = "done" if status == 200 else f"the landing page failed ({status}: {body.strip()[:200]})"
    return f"warm-up: {outcome} in {time.monotonic() - started:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    print(warm(args.url.rstrip("/"), args.timeout), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
