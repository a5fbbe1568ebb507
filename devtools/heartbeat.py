"""Run a command, pass its output through, and say "still working" whenever it has been silent for a while.

    python3 devtools/heartbeat.py [--every SECONDS] -- COMMAND [ARG ...]

Set-up steps such as pip's final "Installing collected packages" print nothing for a minute or two on a fresh
machine; `make run` and `make test` run their installs through this so a newcomer never looks at a silent
terminal wondering whether it hangs. Standard library only (it runs before the virtual environment exists).
Exits with the command's own exit code.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from typing import TextIO


def run(command: list[str], every: float = 15.0, out: TextIO = sys.stdout) -> int:
    """Run command, copy its output (stdout and stderr, merged) line by line to out, and write a line saying
    how long it has been going whenever it has printed nothing for `every` seconds. Returns its exit code."""
    started = last = time.monotonic()
    lock = threading.Lock()
    # bytes the command writes that are not UTF-8, or that the terminal cannot show, become U+FFFD / "?":
    # never a crash of this wrapper (which would fail the set-up though the command itself went well)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                               encoding="utf-8", errors="replace")
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    done = threading.Event()

    def beat() -> None:
        nonlocal last
        while not done.wait(1.0):
            with lock:
                now = time.monotonic()
                if now - last >= every:
                    out.write(f"    ... still working ({now - started:.0f} s so far)\n")
                    out.flush()
                    last = now

    beater = threading.Thread(target=beat, daemon=True)
    beater.start()
    assert process.stdout is not None
    for line in process.stdout:
        with lock:
            out.write(line)
            out.flush()
            last = time.monotonic()
    code = process.wait()
    done.set()
    beater.join()
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=15.0, help="seconds of silence before a line (15)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    return run(command, args.every)


if __name__ == "__main__":
    raise SystemExit(main())
