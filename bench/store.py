"""Store benchmark: ingest time per report and store size at 10, 100 and 1,000 synthetic reports (SQLite,
and PostgreSQL + PostGIS when its binaries are installed), and loading the seed incident's events from the
store beside loading them from today's CSVs, in the same run.

Run: .venv/bin/python bench/store.py [--sizes 10,100,1000] [--repeat 5] [--no-postgres]

Synthetic reports are built from sentence templates over real place names (a fixed random seed), ~1,500
characters each, so the geoparser has work like a real report's. Ingest is `geo.store.ingest.ingest` (read,
geoparse, one transaction) with the gazetteer already loaded; "write" is the transaction alone. Store size:
the SQLite file with its WAL, or pg_database_size. Load: geo.events.table.build_table on the CSVs (what the
dashboard did: parse, check every claim, geocode every place; geocoder cache cleared each time) vs
geo.store.ready.load_incident (stored coordinates, no checks), median of --repeat runs after one warm-up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.corpus.articles import load_corpus  # noqa: E402
from geo.events import table as event_table  # noqa: E402
from geo.paths import DATA_DIR  # noqa: E402
from geo.places.gazetteer import load_gazetteer  # noqa: E402
from geo.store.engine import Store, open_store  # noqa: E402
from geo.store.ingest import IngestRequest, ingest  # noqa: E402
from geo.store.migrate import upgrade  # noqa: E402
from geo.store.ready import load_incident  # noqa: E402
from geo.store.seed import ensure_seeded  # noqa: E402

PLACES = ("Khartoum", "Omdurman", "El Fasher", "Nyala", "Port Sudan", "Kharkiv", "Odesa", "Zaporizhzhia",
          "Quetta", "Panjgur", "Saravan", "Zahedan", "Chabahar", "Gwadar", "Turbat", "Kerman", "Baghdad", "Erbil",
          "Aleppo", "Idlib", "Manila", "Hanoi", "Juba", "Wad Madani", "Kassala")
ACTORS = ("the army", "a militia", "government forces", "rebel fighters", "an armed group", "the air force")
TEMPLATES = (
    "{a} said on Tuesday that {n} people were killed when shells hit a market in {p}.",
    "Residents of {p} reported heavy fighting near the road to {q} late on Monday.",
    "Officials in {p} said at least {n} civilians were wounded; {a} denied involvement.",
    "Aid agencies warned that {p} and {q} were cut off after {a} seized the bridge.",
    "Drone strikes were reported over {p} early Thursday, according to a spokesman for {a}.",
    "Thousands fled {p} towards {q} as {a} advanced from the east.",
)


def synthetic_report(rng: random.Random, index: int) -> str:
    lines = [f"Report {index}: fighting around {rng.choice(PLACES)}", ""]
    while sum(len(line) for line in lines) < 1500:
        lines.append(rng.choice(TEMPLATES).format(a=rng.choice(ACTORS), n=rng.randint(2, 90), p=rng.choice(PLACES),
                                                  q=rng.choice(PLACES)))
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, count: int) -> list[Path]:
    rng = random.Random(12)  # synthetic text, fixed seed
    paths = []
    for i in range(count):
        path = folder / f"r{i:05d}.txt"
        path.write_text(synthetic_report(rng, i), encoding="utf-8")
        paths.append(path)
    return paths


def store_size(store: Store) -> int:
    if store.sqlite_path is not None:
        wal = store.sqlite_path.with_name(store.sqlite_path.name + "-wal")
        return store.sqlite_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    with store.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())


def bench_ingest(url: str, paths: list[Path]) -> tuple[float, float, int]:
    """(total seconds, seconds in the transaction, bytes the store grew by)"""
    store = open_store(url)
    upgrade(store)
    empty = store_size(store)
    written: list[float] = []
    original = store.write

    def timed_write(work):  # the transaction alone
        start = time.perf_counter()
        try:
            return original(work)
        finally:
            written.append(time.perf_counter() - start)

    store.write = timed_write  # type: ignore[method-assign]
    start = time.perf_counter()
    ingest(store, IngestRequest("bench", paths, "bench"))
    total = time.perf_counter() - start
    size = store_size(store) - empty
    store.dispose()
    return total, sum(written), size


def bench_load(repeat: int, url: str) -> None:
    store = open_store(url)
    upgrade(store)
    ensure_seeded(store)
    corpus = load_corpus()

    def from_csv() -> int:
        event_table.geocode_place.cache_clear()
        files = (DATA_DIR / "events.csv", DATA_DIR / "claims.csv", DATA_DIR / "facts.csv")
        return len(event_table.build_table(*files, load_corpus()).events)

    def from_store() -> int:
        return len(load_incident(store).table.events)

    for label, run in (("today's CSVs (build_table)", from_csv), ("the store (load_incident)", from_store)):
        run()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            count = run()
            times.append(time.perf_counter() - start)
        print(f"  load seed incident from {label:30s} {count} events, {len(corpus.articles)} reports: "
              f"median {statistics.median(times) * 1000:8.1f} ms, min {min(times) * 1000:8.1f} ms")
    store.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load_gazetteer()
    server = None
    if not args.no_postgres:
        from tests.store.postgres import PostgresUnavailable, start_server

        try:
            server = start_server()
        except PostgresUnavailable as exc:
            print(f"(PostgreSQL skipped: {exc})")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            print("ingest (read + geoparse + one transaction), synthetic ~1,500-character reports")
            for n in sizes:
                (folder / f"in{n}").mkdir()
                paths = write_reports(folder / f"in{n}", n)
                backends = [("sqlite", f"sqlite:///{folder / f'store{n}.sqlite'}")]
                if server:
                    backends.append(("postgresql", server.create_database(f"bench{n}")))
                for name, url in backends:
                    total, write, size = bench_ingest(url, paths)
                    print(f"  {name:10s} {n:5d} reports: {total:7.2f} s total, {total / n * 1000:7.1f} ms/report "
                          f"(transaction {write / n * 1000:6.1f} ms/report), store +{size / 1e6:7.2f} MB "
                          f"({size / n / 1e3:6.1f} kB/report)")
            print("dataset load, seed incident")
            bench_load(args.repeat, f"sqlite:///{folder / 'seed.sqlite'}")
            if server:
                print("  (PostgreSQL)")
                bench_load(args.repeat, server.create_database("benchseed"))
    finally:
        if server:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
