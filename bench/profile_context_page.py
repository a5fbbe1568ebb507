"""Where the Context page's server time goes: AppTest of the page under cProfile, at N synthetic context events.

    .venv/bin/python bench/profile_context_page.py [--rows 100000] [--store PATH] [--top 25]

Runs the page once (caches warm up), then profiles: the first run for a second visitor, one filter change (an
event type taken out), and one pan (a zoom-10 view). Prints CPU and wall seconds of each and the functions
with the most cumulative time. The store is kept at --store (imported once) so reruns of this bench are quick.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner.script_runner import ScriptRunner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from geo.context import query  # noqa: E402
from geo.context.importer import import_events  # noqa: E402
from geo.store.engine import URL_ENV, open_store  # noqa: E402
from geo.store.migrate import upgrade  # noqa: E402
from tests.context.synthetic import write_acled  # noqa: E402

SLUG = "scale"


def _store(path: Path, rows: int) -> str:
    url = f"sqlite:///{path}"
    if not path.exists():
        store = open_store(url)
        upgrade(store)
        import_events(store, SLUG, "acled", write_acled(path.with_suffix(".csv"), rows))
        store.dispose()
    return url


_PROFILE: list[cProfile.Profile] = []


def _profile_script_thread() -> None:
    """AppTest runs the page in its own thread, which a profile enabled here would not see: profile inside it."""
    run = ScriptRunner._run_script

    def profiled(self: ScriptRunner, rerun_data: object) -> None:
        if not _PROFILE:
            return run(self, rerun_data)  # type: ignore[arg-type]
        _PROFILE[0].enable()
        try:
            return run(self, rerun_data)  # type: ignore[arg-type]
        finally:
            _PROFILE[0].disable()

    ScriptRunner._run_script = profiled  # type: ignore[method-assign]


def _profiled(label: str, step: object, top: int) -> None:
    profile = cProfile.Profile()
    _PROFILE[:] = [profile]
    wall, cpu = time.perf_counter(), time.process_time()
    step()  # type: ignore[operator]
    _PROFILE.clear()
    print(f"\n## {label}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU "
          f"(under cProfile; load {os.getloadavg()[0]:.1f})")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    print("\n".join(line for line in out.getvalue().splitlines()
                    if ("/ui/" in line or "/geo/" in line or "ncalls" in line or "{" in line)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--store", type=Path, default=Path("/tmp/strike-map-profile-context.sqlite"))
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    _profile_script_thread()
    os.environ[URL_ENV] = _store(args.store, args.rows)
    store = open_store(os.environ[URL_ENV])
    incident = query.incident_id(store, SLUG)
    assert incident is not None
    types = query.event_types(store, incident)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("ui/context.py").run()  # caches warm
    assert not at.exception, at.exception
    second = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    second.run()
    _profiled("first run for a second visitor", lambda: second.switch_page("ui/context.py").run(), args.top)
    _profiled("filter change", lambda: second.multiselect(key="context_types").set_value(types[:-1]).run(), args.top)

    def pan() -> None:
        second.session_state["context_map"] = {
            "bounds": {"_southWest": {"lat": 25.8, "lng": 62.8}, "_northEast": {"lat": 26.2, "lng": 63.3}},
            "zoom": 10, "last_object_clicked": None}
        second.run()

    _profiled("pan and zoom to 10 (AppTest reruns the whole page; in a browser only the map's fragment)", pan,
              args.top)
    assert not second.exception, second.exception


if __name__ == "__main__":
    main()
