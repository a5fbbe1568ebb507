"""Score geo.extract against gold events: the curated seed table (dev set) and tests/data/extract/ (t* tuned
on, h* held out).

    .venv/bin/python -m devtools.extract_eval [--set dev|tuning|heldout|all] [--verbose]

Matching: a candidate matches a gold event when one of its reports tells the gold event, the types are of
one family (equal, or both violent), and the dates overlap where both are known; each gold event and
each candidate match at most once (best by date, place and actor agreement). Figures:
- recall: matched / gold events that a report dates, attributes and places ("complete");
- precision: candidates matching any gold event (complete or not) / candidates;
- per field, over matched complete events: date (same day or month and precision), actor, place (within a
  tolerance by the gold precision), fatalities (same low and high, where the gold gives a figure);
- merged: gold events told by several reports that come out as one candidate holding all of them;
- quotes: share of claims verbatim at their offsets, and share whose quote supports the value.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from geo.corpus.articles import Article, load_corpus
from geo.events.claim_values import parse_count, parse_quantity
from geo.events.dates import parse_iso_date, resolve_date
from geo.events.table import Claim, geocode_place, load_events
from geo.extract import Candidate, extract_events
from geo.extract.lexicon import find_actors
from geo.extract.triggers import find_triggers
from geo.paths import ROOT
from geo.places.gazetteer import distance_km, load_gazetteer
from geo.places.toponyms import find_places

LABELLED = ROOT / "tests" / "data" / "extract"
TOLERANCE_KM = {"exact": 10, "town": 50, "near town": 50, "district": 100, "province": 300, "country": 800,
                "region": 800, "sea": 800}
KINETIC = {"air/missile strike", "armed attack", "shelling", "bombing", "armed clash", "explosion"}


@dataclass
class Gold:
    key: str
    reports: set[str]
    type: str
    date: str
    actor: str
    place: str
    precision: str
    low: int | None
    high: int | None
    complete: bool


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def labelled_gold(prefix: str) -> tuple[list[Article], list[Gold]]:
    corpus = load_corpus(LABELLED / "texts", LABELLED / "articles.csv")
    articles = [a for a in corpus.articles if a.id.startswith(prefix)]
    gold: dict[str, Gold] = {}
    with (LABELLED / "gold.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["report"].startswith(prefix):
                continue
            g = gold.setdefault(row["event"], Gold(
                row["event"], set(), row["type"], row["date"], row["actor"], row["place"],
                row["location_precision"], _int(row["fatalities_low"]), _int(row["fatalities_high"]), False))
            g.reports.add(row["report"])
            g.complete = g.complete or row["complete"] == "1"
    return articles, list(gold.values())


def dev_gold() -> tuple[list[Article], list[Gold]]:
    table = load_events()
    articles = load_corpus().articles
    gold = []
    for e in table.events:
        dated = any(c.field == "date" for c in e.claims)
        gold.append(Gold(e.id, set(e.reports), e.event_type, e.date_label, e.actor, e.place, e.geo_precision,
                         e.fatalities_low, e.fatalities_high, dated and e.actor != "unknown" and bool(e.place)))
    return articles, gold


def _dates_overlap(gold: Gold, candidate: Candidate) -> bool:
    if not gold.date or not candidate.date_known:
        return True
    span = parse_iso_date(gold.date)
    return span.start <= candidate.event.date_end and candidate.event.date_start <= span.end


def _types_fit(gold: Gold, candidate: Candidate) -> bool:
    kind = candidate.event.event_type
    return kind == gold.type or (kind in KINETIC and gold.type in KINETIC)


def _place_ok(gold: Gold, candidate: Candidate) -> bool:
    if not gold.place:
        return not candidate.event.place
    where = geocode_place(gold.place)
    if where is None or candidate.event.lat is None or candidate.event.lon is None:
        return False
    return distance_km(where[0], where[1], candidate.event.lat, candidate.event.lon) <= TOLERANCE_KM.get(
        gold.precision, 800)


def _date_ok(gold: Gold, candidate: Candidate) -> bool:
    return candidate.date_known and candidate.event.date_label == gold.date


def _actor_ok(gold: Gold, candidate: Candidate) -> bool:
    return candidate.event.actor.lower() == gold.actor.lower()


def _fatalities_ok(gold: Gold, candidate: Candidate) -> bool:
    return (candidate.event.fatalities_low, candidate.event.fatalities_high) == (gold.low, gold.high)


def match(gold: Sequence[Gold], candidates: Sequence[Candidate]) -> dict[str, int]:
    """gold key -> index of its candidate, one-to-one, best agreement first."""
    pairs = []
    for g in gold:
        for i, c in enumerate(candidates):
            if g.reports & set(c.event.reports) and _types_fit(g, c) and _dates_overlap(g, c):
                score = 2 * _date_ok(g, c) + 2 * _place_ok(g, c) + _actor_ok(g, c) + (c.event.event_type == g.type)
                pairs.append((score, g.key, i))
    taken_gold: set[str] = set()
    taken_candidate: set[int] = set()
    result = {}
    for _, key, i in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if key not in taken_gold and i not in taken_candidate:
            result[key] = i
            taken_gold.add(key)
            taken_candidate.add(i)
    return result


def quote_supports(claim: Claim, published: date | None) -> bool:
    """Whether the claim's quote gives its value (not only contains text)."""
    q = claim.quote
    if claim.field == "date":
        if published is None:
            return bool(resolve_date(q, date(2200, 1, 1)))
        found = resolve_date(q, published)
        return found is not None and claim.value in q
    if claim.field in ("fatalities", "injuries"):
        return str(parse_count(q)) == claim.value
    if claim.field in ("actor", "target"):
        return claim.value in {a.name for a in find_actors(q, find_places(q, load_gazetteer()))}
    if claim.field == "place":
        return claim.value in {p.name for p in find_places(q, load_gazetteer())}
    if claim.field == "type":
        return claim.value in {t.event_type for t in find_triggers(q)}
    if claim.field == "casualties":
        return True if parse_quantity(claim.value) is None else False
    return True


def score(name: str, articles: list[Article], gold: list[Gold], verbose: bool) -> None:
    candidates = extract_events(articles)
    matched = match(gold, candidates)
    complete = [g for g in gold if g.complete]
    found = [g for g in complete if g.key in matched]
    print(f"\n== {name}: {len(articles)} reports, {len(gold)} gold events ({len(complete)} complete), "
          f"{len(candidates)} candidates")
    print(f"recall (complete events)   {len(found)}/{len(complete)} = {len(found) / max(1, len(complete)):.2f}")
    recall_all = len(matched) / max(1, len(gold))
    print(f"recall (all gold events)   {len(matched)}/{len(gold)} = {recall_all:.2f}")
    print(f"precision                  {len(matched)}/{len(candidates)} = {len(matched) / max(1, len(candidates)):.2f}")
    for label, check in (("date", _date_ok), ("actor", _actor_ok), ("place", _place_ok)):
        ok = sum(check(g, candidates[matched[g.key]]) for g in found)
        print(f"  {label:<24} {ok}/{len(found)}")
    with_figures = [g for g in found if g.low is not None]
    ok = sum(_fatalities_ok(g, candidates[matched[g.key]]) for g in with_figures)
    print(f"  {'fatality range':<24} {ok}/{len(with_figures)}")
    multi = [g for g in gold if len(g.reports) > 1]
    merged = sum(1 for g in multi if g.key in matched and g.reports <= set(candidates[matched[g.key]].event.reports))
    print(f"merged across reports      {merged}/{len(multi)}")
    texts = {a.id: a.text for a in articles}
    published = {a.id: a.published for a in articles}
    claims = [c for cand in candidates for c in cand.event.claims]
    verbatim = sum(c.start is not None and texts[c.report_id][c.start:c.end] == c.quote for c in claims)
    support = sum(quote_supports(c, published.get(c.report_id)) for c in claims)
    print(f"quotes verbatim at offsets {verbatim}/{len(claims)}; quote supports value {support}/{len(claims)}")
    if verbose:
        _details(gold, candidates, matched)


def _details(gold: list[Gold], candidates: list[Candidate], matched: dict[str, int]) -> None:
    by_candidate = defaultdict(list)
    for key, i in matched.items():
        by_candidate[i].append(key)
    for g in gold:
        c = candidates[matched[g.key]].event if g.key in matched else None
        got = f"{c.id} {c.date_label} {c.actor} {c.place} {c.fatalities_low}-{c.fatalities_high}" if c else "MISSED"
        print(f"  gold {g.key} [{'complete' if g.complete else 'partial'}] {g.date} {g.actor} {g.place} -> {got}")
    for i, cand in enumerate(candidates):
        if i not in by_candidate:
            e = cand.event
            print(f"  unmatched candidate {e.id} {e.actor} {e.place} ({cand.reason})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("dev", "tuning", "heldout", "all"), default="all")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.set in ("dev", "all"):
        score("dev: five seed reports vs data/events.csv", *dev_gold(), args.verbose)
    if args.set in ("tuning", "all"):
        score("tuning: tests/data/extract t*", *labelled_gold("t"), args.verbose)
    if args.set in ("heldout", "all"):
        score("held out: tests/data/extract h* (not looked at while tuning)", *labelled_gold("h"),
              args.verbose and args.set == "heldout")


if __name__ == "__main__":
    main()
