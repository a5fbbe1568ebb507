"""The context layer on a throw-away PostgreSQL + PostGIS (tests/store/postgres.py), beside SQLite: import
(COPY vs executemany), a filter, per-week and per-area aggregation and "within 50 km, 90 days before" run in
the database, with the plan of the distance query (GiST index on events.location).

    .venv/bin/python bench/scale_pg.py [--rows 100000] [--table-max 200000] [--postgresql-only]

Wall seconds and this process's CPU seconds (the database's own CPU is not in the latter). Nothing asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.context import analysis, query  # noqa: E402
from geo.context.areas import per_area  # noqa: E402
from geo.context.importer import import_events  # noqa: E402
from geo.store.engine import Store, open_store  # noqa: E402
from geo.store.migrate import upgrade  # noqa: E402
from tests.context.synthetic import write_acled  # noqa: E402
from tests.store.postgres import start_server  # noqa: E402

AROUND = analysis.Around(lat=27.3709, lon=62.3342, day=date(2023, 6, 1), km=50, days=90)


def timed(work: Callable[[], Any]) -> tuple[Any, str]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, f"{time.perf_counter() - wall:.2f} s ({time.process_time() - cpu:.2f} CPU)"


def run(store: Store, csv_path: Path, table_max: int) -> dict[str, str]:
    upgrade(store)
    out: dict[str, str] = {}
    _, out["import"] = timed(lambda: import_events(store, "bench", "acled", csv_path))
    incident = query.incident_id(store, "bench")
    assert incident is not None
    types = query.event_types(store, incident)
    flt = query.ContextFilter(since=date(2022, 1, 1), until=date(2022, 12, 31), event_types=tuple(types[:2]))
    points, out["filter (2022, two types)"] = timed(lambda: query.points(store, incident, flt, types))
    out["filter (2022, two types)"] += f", {len(points):,} events"
    frame, out["table (2022, two types)"] = timed(lambda: query.table(store, incident, flt))
    out["table (2022, two types)"] += f", {len(frame):,} rows"
    every, out["points, all (the map layer)"] = timed(lambda: query.points(store, incident, query.ContextFilter(),
                                                                          types))
    out["points, all (the map layer)"] += f", {len(every):,}"
    del every
    out["table, all"] = (timed(lambda: query.table(store, incident, query.ContextFilter()))[1]
                         if args_rows(csv_path) <= table_max else f"skipped (over --table-max {table_max:,})")
    _, out["per area (country, admin1)"] = timed(lambda: per_area(store, incident, query.ContextFilter()))
    _, out["per week"] = timed(lambda: analysis.per_week(store, incident, query.ContextFilter()))
    _, out["per admin area"] = timed(lambda: analysis.per_admin(store, incident, query.ContextFilter()))
    found, out["within 50 km, 90 days before"] = timed(lambda: analysis.near(store, incident, AROUND))
    out["within 50 km, 90 days before"] += f", {len(found):,} events"
    return out


def args_rows(csv_path: Path) -> int:
    return int(csv_path.stem.rsplit("-", 1)[1])


def plan(store: Store, incident: int) -> str:
    compiled = analysis.near_postgis_statement(incident, AROUND).compile(dialect=store.engine.dialect)
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN ANALYZE {compiled}", compiled.params)
        return "\n".join(r[0] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--table-max", type=int, default=200_000,
                        help="read the whole table into a DataFrame only up to this many rows")
    parser.add_argument("--postgresql-only", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="strike-map-scale-pg-") as tmp:
        csv_path = write_acled(Path(tmp) / f"acled-{args.rows}.csv", args.rows)
        results = {}
        if not args.postgresql_only:
            sqlite = open_store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
            results["SQLite"] = run(sqlite, csv_path, args.table_max)
            sqlite.dispose()
        server = start_server()
        try:
            pg = open_store(server.create_database("bench"))
            results["PostgreSQL + PostGIS"] = run(pg, csv_path, args.table_max)
            incident = query.incident_id(pg, "bench")
            assert incident is not None
            print(f"Plan of the distance query on PostgreSQL:\n{plan(pg, incident)}\n")
            pg.dispose()
        finally:
            server.stop()
    print(f"load average after: {os.getloadavg()}")
    names = list(results)
    print(f"{args.rows:,} context events\n\n| step | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for step in results[names[0]]:
        print(f"| {step} | " + " | ".join(results[n][step] for n in names) + " |")


if __name__ == "__main__":
    main()
