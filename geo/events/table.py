"""The curated event table: data/events.csv (one row per event) and data/claims.csv (who says what).

Every number, date and name in events.csv must follow from the claims, and every claim quotes its report
verbatim; load_events() checks both and reports each bad row as "events.csv line N, field F: message",
keeping every good row. Rules that tie an event to its claims (all in code, none per report):
- date: the day or month that the most reports' date phrases resolve to (geo.events.dates, against each
  report's publication date); ties go to the finer precision, then the earlier date. An event no report
  dates lies between the events a report says it followed (claims with field "after", value = that
  event's id) and the earliest publication of its reports: that day if they coincide, else that month;
  with no such claim, the publication month of its earliest report, at month precision.
- fatalities_low/high: the smallest and largest number any fatality claim gives (empty if none).
Coordinates come from the offline geocoder (geo.places.geocoder.OfflineGeocoder); a place it cannot resolve is
reported and the event kept without coordinates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.corpus.articles import Corpus, load_corpus
from geo.csvfile import read_rows
from geo.errors import Problem
from geo.events.claim_values import Quantity, parse_count, parse_length_km, parse_quantity
from geo.events.dates import ResolvedDate, month_span, parse_iso_date, resolve_date, resolved_claim_date
from geo.events.disagreements import Disagreement, find_disagreements
from geo.events.facts import Fact, read_facts
from geo.events.model import (
    CLAIM_COLUMNS,
    DATE_PRECISIONS,
    EVENT_CLAIM_FIELDS,
    EVENT_COLUMNS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    Claim,
    Event,
)
from geo.paths import DATA_DIR

if TYPE_CHECKING:
    import geopandas as gpd

EVENTS_CSV = DATA_DIR / "events.csv"
CLAIMS_CSV = DATA_DIR / "claims.csv"
FACTS_CSV = DATA_DIR / "facts.csv"

@dataclass
class EventTable:
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    #: report id -> publication date (what the relative dates were resolved against)
    published: dict[str, date | None] = field(default_factory=dict)

    def by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}


# --- geocoding ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _geocoder() -> Any:
    from geo.places.geocoder import OfflineGeocoder  # imported late: it loads the gazetteer

    return OfflineGeocoder()


@lru_cache(maxsize=512)
def geocode_place(place: str) -> tuple[float, float] | None:
    """(lat, lon) of a place name from the offline geocoder, or None if it does not resolve."""
    location = _geocoder().geocode(place)
    if location is None:
        return None
    return float(location.latitude), float(location.longitude)


# --- reading CSVs ------------------------------------------------------------------------------------

class _RowErrors:
    """Collects "FILE line N, field F: message" problems for one row."""

    def __init__(self, file_name: str, line: int, problems: list[Problem]):
        self.where = f"{file_name} line {line}"
        self.problems = problems
        self.count = 0

    def add(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(f"{self.where}, field {field_name}", message))
        self.count += 1


def _optional_int(value: str, name: str, errors: _RowErrors) -> int | None:
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        errors.add(name, f"{value!r} is not a whole number")
        return None
    if number < 0:
        errors.add(name, f"{number} is negative")
        return None
    return number


@dataclass(frozen=True)
class _EventRow:
    line: int
    values: dict[str, str]
    span: ResolvedDate
    low: int | None
    high: int | None


def _check_event_row(line: int, row: dict[str, str], seen: set[str], problems: list[Problem],
                     file_name: str) -> _EventRow | None:
    errors = _RowErrors(file_name, line, problems)
    for name in ("id", "date", "date_precision", "actor", "event_type", "place", "geo_precision"):
        if not row.get(name):
            errors.add(name, "empty")
    if row["id"] and row["id"] in seen:
        errors.add("id", f"duplicate id {row['id']!r}; first row kept")
    span = None
    if row["date"]:
        try:
            span = parse_iso_date(row["date"])
        except ValueError as exc:
            errors.add("date", f"{row['date']!r}: {exc}")
    if row["date_precision"] and row["date_precision"] not in DATE_PRECISIONS:
        errors.add("date_precision", f"{row['date_precision']!r} not one of {list(DATE_PRECISIONS)}")
    elif span and row["date_precision"] and span.precision != row["date_precision"]:
        errors.add("date_precision", f"{row['date_precision']!r} but date {row['date']!r} is a {span.precision}")
    if row["event_type"] and row["event_type"] not in EVENT_TYPES:
        errors.add("event_type", f"{row['event_type']!r} not one of {list(EVENT_TYPES)}")
    if row["geo_precision"] and row["geo_precision"] not in GEO_PRECISIONS:
        errors.add("geo_precision", f"{row['geo_precision']!r} not one of {list(GEO_PRECISIONS)}")
    low = _optional_int(row["fatalities_low"], "fatalities_low", errors)
    high = _optional_int(row["fatalities_high"], "fatalities_high", errors)
    if (low is None) != (high is None) and not errors.count:
        errors.add("fatalities_high" if high is None else "fatalities_low", "give both bounds or neither")
    if low is not None and high is not None and low > high:
        errors.add("fatalities_low", f"{low} is above fatalities_high {high}")
    if errors.count or span is None:
        return None
    seen.add(row["id"])
    return _EventRow(line, row, span, low, high)


def _check_claim_row(line: int, row: dict[str, str], allowed: dict[str, tuple[str, ...]], event_ids: set[str],
                     texts: dict[str, str], published: dict[str, date | None], problems: list[Problem],
                     file_name: str) -> Claim | None:
    errors = _RowErrors(file_name, line, problems)
    for name in CLAIM_COLUMNS:
        if not row.get(name):
            errors.add(name, "empty")
    if errors.count:
        return None
    claim = Claim(row["event_id"], row["report_id"], row["field"], row["value"], row["quote"])
    if claim.event_id not in allowed:
        errors.add("event_id", f"no event or fact {claim.event_id!r}")
    elif claim.field not in allowed[claim.event_id]:
        kind = "an event" if claim.event_id in event_ids else "this fact"
        errors.add("field", f"{claim.field!r} is not a field of {kind}; use one of {list(allowed[claim.event_id])}")
    if claim.report_id not in texts:
        errors.add("report_id", f"no report {claim.report_id!r} in the corpus")
    elif claim.quote not in texts[claim.report_id]:
        errors.add("quote", f"does not occur verbatim in {claim.report_id}.txt")
    if claim.field == "after" and (claim.value not in event_ids or claim.value == claim.event_id):
        errors.add("value", f"'after' needs the id of another event, not {claim.value!r}")
    if errors.count:
        return None
    problem = claim_value_problem(claim, published.get(claim.report_id))
    if problem:
        errors.add("value", problem)
        if claim.field != "place":  # a place the geocoder misses is still what the report says
            return None
    return claim


def claim_value_problem(claim: Claim, published: date | None) -> str | None:
    """Why a claim's value does not follow from its quote (None if it does)."""
    if claim.field == "date":
        if published is None:
            return f"report {claim.report_id} has no publication date to resolve {claim.value!r} against"
        resolved = resolve_date(claim.quote, published)
        if resolved is None:
            return "the quote holds no date the resolver understands"
        if resolved.phrase != claim.value:
            return f"{claim.value!r} is not the quote's first date phrase ({resolved.phrase!r})"
        return None
    if claim.field in ("fatalities", "border_length_km"):
        parsed: Quantity | None = parse_count(claim.quote) if claim.field == "fatalities" \
            else parse_length_km(claim.quote)
        if parsed is None:
            return f"the quote gives no {'count' if claim.field == 'fatalities' else 'length'}"
        if str(parsed) != claim.value:
            return f"{claim.value!r} but the quote says {str(parsed)!r}"
        return None
    if claim.field in ("actor", "target"):
        return _party_problem(claim.value, claim.quote)
    if claim.field == "place":
        try:
            found = geocode_place(claim.value)
        except ImportError as exc:
            return f"geocoder unavailable ({exc}); place {claim.value!r} not checked"
        if found is None:
            return f"place {claim.value!r} not found by the geocoder"
    return None


def _party_problem(value: str, quote: str) -> str | None:
    from geo.events.claim_parties import party_problem  # the check needs the gazetteer: loaded late
    from geo.places.gazetteer import load_gazetteer

    return party_problem(value, quote, load_gazetteer())


def derived_date(claims: list[Claim] | tuple[Claim, ...], published: dict[str, date | None],
                 event_dates: dict[str, ResolvedDate] | None = None) -> ResolvedDate | None:
    """The date the claims give an event (module docstring); None if no claim has a report with a date.

    event_dates (event id -> its date) resolves "after" claims; without it they are ignored.
    """
    votes: Counter[tuple[str, str]] = Counter()
    spans: dict[str, ResolvedDate] = {}
    for claim in claims:
        if claim.field != "date":
            continue
        resolved = resolved_claim_date(claim, published)
        if resolved:
            spans.setdefault(resolved.iso, resolved)
            votes[(resolved.iso, claim.report_id)] = 1
    if spans:
        support = Counter(iso for iso, _ in votes)
        best = min(spans.values(), key=lambda r: (-support[r.iso], DATE_PRECISIONS.index(r.precision), r.start))
        return best
    days = sorted(d for c in claims if (d := published.get(c.report_id)))
    if not days:
        return None
    upper = days[0]  # the event happened by the time the first report on it was published
    after = [event_dates[c.value].start for c in claims
             if c.field == "after" and event_dates and c.value in event_dates]
    lower = max(after) if after else None
    if lower == upper:
        return ResolvedDate("(after an event, reported the same day)", upper, upper, "day")
    if lower and lower < upper and (lower.year, lower.month) == (upper.year, upper.month):
        start, end = month_span(upper.year, upper.month)
        return ResolvedDate("(after an event, reported the same month)", start, end, "month")
    start, end = month_span(upper.year, upper.month)
    return ResolvedDate("(undated: publication month)", start, end, "month")


def _cross_check(row: _EventRow, claims: list[Claim], published: dict[str, date | None],
                 event_dates: dict[str, ResolvedDate], problems: list[Problem], file_name: str) -> None:
    errors = _RowErrors(file_name, row.line, problems)
    if not claims:
        errors.add("id", "no claim in claims.csv supports this event")
        return
    expected = derived_date(claims, published, event_dates)
    if expected and expected.iso != row.values["date"]:
        errors.add("date", f"{row.values['date']!r} but the claims resolve to {expected.iso!r}")
    counts = [q.number for c in claims if c.field == "fatalities" and (q := parse_quantity(c.value))]
    low, high = (min(counts), max(counts)) if counts else (None, None)
    if (row.low, row.high) != (low, high):
        errors.add("fatalities_low", f"{row.low}–{row.high} but the fatality claims give {low}–{high}")


def _coords(place: str, errors: _RowErrors, field_name: str) -> tuple[float | None, float | None]:
    try:
        found = geocode_place(place)
    except ImportError as exc:
        errors.add(field_name, f"geocoder unavailable ({exc}); no coordinates")
        return None, None
    if found is None:
        errors.add(field_name, f"{place!r} not found by the geocoder; kept without coordinates")
        return None, None
    return found


def _build_event(row: _EventRow, claims: tuple[Claim, ...], problems: list[Problem], file_name: str) -> Event:
    errors = _RowErrors(file_name, row.line, problems)
    v = row.values
    lat, lon = _coords(v["place"], errors, "place")
    origin_lat, origin_lon = _coords(v["origin"], errors, "origin") if v["origin"] else (None, None)
    return Event(
        id=v["id"], date_start=row.span.start, date_end=row.span.end, date_precision=row.span.precision,
        actor=v["actor"], target=v["target"], event_type=v["event_type"], place=v["place"],
        geo_precision=v["geo_precision"], origin=v["origin"], fatalities_low=row.low, fatalities_high=row.high,
        summary=v["summary"], lat=lat, lon=lon, origin_lat=origin_lat, origin_lon=origin_lon, claims=claims,
    )


def build_table(events_csv: Path, claims_csv: Path, facts_csv: Path, corpus: Corpus) -> EventTable:
    """Load and check the three CSVs against the corpus (see the module docstring)."""
    problems: list[Problem] = []
    texts = {a.id: a.text for a in corpus.articles}
    published = {a.id: a.published for a in corpus.articles}
    seen: set[str] = set()
    raw_rows = read_rows(events_csv, EVENT_COLUMNS, EVENT_COLUMNS, problems)
    event_rows = [
        checked for line, row in raw_rows if (checked := _check_event_row(line, row, seen, problems, events_csv.name))
    ]
    facts = read_facts(facts_csv, problems)
    event_ids = {r.values["id"] for r in event_rows}
    allowed = {event_id: EVENT_CLAIM_FIELDS for event_id in event_ids} | {f.id: (f.field,) for f in facts}
    skipped = {row["id"] for _, row in raw_rows} - event_ids
    claims = []
    for line, row in read_rows(claims_csv, CLAIM_COLUMNS, CLAIM_COLUMNS, problems):
        if row.get("event_id") in skipped:
            problems.append(Problem(f"{claims_csv.name} line {line}, field event_id",
                                    f"event {row['event_id']!r} was skipped (bad row in {events_csv.name})"))
            continue
        claim = _check_claim_row(line, row, allowed, event_ids, texts, published, problems, claims_csv.name)
        if claim:
            claims.append(claim)
    by_record: dict[str, list[Claim]] = {}
    for claim in claims:
        by_record.setdefault(claim.event_id, []).append(claim)
    event_dates = {r.values["id"]: r.span for r in event_rows}
    events = []
    for row in event_rows:
        own = by_record.get(row.values["id"], [])
        _cross_check(row, own, published, event_dates, problems, events_csv.name)
        events.append(_build_event(row, tuple(own), problems, events_csv.name))
    facts = [f.with_claims(tuple(by_record.get(f.id, []))) for f in facts]
    return EventTable(events=events, claims=claims, problems=problems, facts=facts, published=published)


def load_events(events_csv: Path = EVENTS_CSV, claims_csv: Path = CLAIMS_CSV, facts_csv: Path = FACTS_CSV,
                corpus: Corpus | None = None) -> EventTable:
    """The event table of these CSVs, checked against the corpus (default: the reports in data/).

    Not cached: the dashboard, the exports and the commands share one geo.dataset.Dataset instead."""
    corpus = corpus if corpus is not None else load_corpus()
    return build_table(Path(events_csv), Path(claims_csv), Path(facts_csv), corpus)


def actors(events: list[Event]) -> list[str]:
    """The distinct actors, sorted."""
    return sorted({e.actor for e in events})


def targets(events: list[Event]) -> list[str]:
    """The distinct targets (event rows and target claims), sorted."""
    names = {e.target for e in events if e.target}
    names |= {c.value for e in events for c in e.claims if c.field == "target"}
    return sorted(names)


def disagreements(table: EventTable) -> list[Disagreement]:
    """Every field on which the reports disagree, for events and facts (see geo.events.disagreements)."""
    return find_disagreements(table.events, table.facts, table.published)


GDF_COLUMNS: tuple[str, ...] = (
    "id", "date", "date_end", "date_precision", "actor", "target", "event_type", "place", "geo_precision",
    "origin", "origin_lat", "origin_lon", "fatalities_low", "fatalities_high", "fatalities", "summary", "reports",
)


def to_records(events: list[Event]) -> list[dict[str, Any]]:
    """One flat dict per event (the GeoDataFrame columns, with lat/lon instead of geometry)."""
    return [
        {
            "id": e.id, "date": e.date_start.isoformat(), "date_end": e.date_end.isoformat(),
            "date_precision": e.date_precision, "actor": e.actor, "target": e.target, "event_type": e.event_type,
            "place": e.place, "geo_precision": e.geo_precision, "lat": e.lat, "lon": e.lon, "origin": e.origin,
            "origin_lat": e.origin_lat, "origin_lon": e.origin_lon, "fatalities_low": e.fatalities_low,
            "fatalities_high": e.fatalities_high, "fatalities": e.fatalities_label, "summary": e.summary,
            "reports": ";".join(e.reports),
        }
        for e in events
    ]


def to_geodataframe(events: list[Event]) -> gpd.GeoDataFrame:
    """The events as points in EPSG:4326 (geometry empty where the place did not resolve)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    records = to_records(events)
    frame = pd.DataFrame(records, columns=[*GDF_COLUMNS, "lat", "lon"])
    geometry = [Point(r["lon"], r["lat"]) if r["lat"] is not None else None for r in records]
    frame = frame.drop(columns=["lat", "lon"])
    for name in ("fatalities_low", "fatalities_high"):
        frame[name] = frame[name].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
