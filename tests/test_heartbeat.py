"""devtools/heartbeat.py: set-up never sits silent; the command's output and exit code pass through."""

from __future__ import annotations

import io
import sys

from devtools.heartbeat import run


def test_a_silent_command_gets_still_working_lines_and_its_output_passes_through():
    out = io.StringIO()
    code = run([sys.executable, "-c", "import time; time.sleep(1.6); print('installed')"], every=0.5, out=out)
    lines = out.getvalue().splitlines()
    assert code == 0
    assert lines[-1] == "installed"
    assert any("still working" in line for line in lines[:-1])  # said while it was silent, before its output


def test_a_chatty_command_gets_no_extra_lines_and_its_exit_code_is_kept():
    out = io.StringIO()
    script = "import sys; print('a'); print('b', file=sys.stderr); sys.exit(3)"
    code = run([sys.executable, "-c", script], every=30, out=out)
    assert code == 3
    assert sorted(out.getvalue().splitlines()) == ["a", "b"]  # stderr too, nothing added


def test_bytes_that_are_not_utf8_are_shown_replaced_not_a_crash():
    out = io.StringIO()
    script = "import sys; sys.stdout.buffer.write(b'caf\\xe9 ok\\n'); sys.stdout.flush()"
    assert run([sys.executable, "-c", script], every=30, out=out) == 0
    assert out.getvalue() == "caf\ufffd ok\n"
