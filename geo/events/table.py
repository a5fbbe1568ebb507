"""The curated event table: data/events.csv (one row per event) and data/claims.csv (who says what).

Every number, date and name in events.csv must follow from the claims, and every claim quotes its report
verbatim; load_events() checks both and reports each bad row as "events.csv line N, field F: message",
keeping every good row. Rules that tie an event to its claims (all in code, none per report):
- date: the day or month that the most reports' date phrases resolve to (geo.events.dates, against each
  report's publication date); ties go to the finer precision, then the earlier date. An event no report
  dates lies after the events a report says it followed (claims with field "after", value = that event's
  id) and by the earliest of: the events a report says it preceded ("before"), and the first report's
  publication - a dateline's day; an inferred publication day is no evidence of the day, so then the end of
  that month. The result is that day if the bounds meet, else a range (date .. date_end); with no "after"
  claim, the publication month of its earliest report, at month precision.
  An ongoing event no report dates is "ongoing as of" the latest publication
  of the reports that say it is under way (date = date_end = that day, ongoing = yes).
- fatalities_low/high (and injuries_low/high): inclusive bounds every claim fits in (geo.events.model.Figure):
  the lowest lower bound; high empty when any claim is open-ended ("over 90", "at least 9", "the dead
  included ..."), so "over N" never becomes a ceiling. Both empty when no claim gives a number.
- ongoing: "yes" exactly when a report says the event is still under way (an "ongoing" claim).
Coordinates come from the offline geocoder (geo.places.geocoder.OfflineGeocoder); a place it cannot resolve is
reported and the event kept without coordinates. Events placed only to a province, country, region or sea
get their marker at a neutral spot inside that area (geo.events.precision), and the arrow of a
cross-border strike starts at the edge of the actor's territory, not at its label point. An event no
report places has an empty place and no coordinates (it is in the table and timeline, not on the map).
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
    CASUALTY_GROUPS,
    CLAIM_COLUMNS,
    DATE_PRECISIONS,
    EVENT_CLAIM_FIELDS,
    EVENT_COLUMNS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    REQUIRED_EVENT_COLUMNS,
    Claim,
    Event,
    Figure,
)
from geo.events.precision import AREA_PRECISIONS, neutral_point, place_area, split_compass, territory_edge
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
    #: reports whose publication date is a dateline (not inferred): it can pin an event's day
    datelined: frozenset[str] = frozenset()

    def by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}


# --- geocoding ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _geocoder() -> Any:
    from geo.places.geocoder import OfflineGeocoder  # imported late: it loads the gazetteer

    return OfflineGeocoder()


@lru_cache(maxsize=512)
def geocode_place(place: str) -> tuple[float, float] | None:
    """(lat, lon) of a place name from the offline geocoder, or None if it does not resolve
    (remembered on disk: a cold start need not load the gazetteer for names it resolved before).

    "northern Iraq" resolves as Iraq when the whole phrase is no place name (its area is the northern
    half: geo.events.precision)."""
    from geo.places.results import remembered

    return remembered("geocode", place, lambda: _geocode(place))


def _geocode(place: str) -> tuple[float, float] | None:
    location = _geocoder().geocode(place)
    if location is None:
        direction, rest = split_compass(place)
        location = _geocoder().geocode(rest) if direction else None
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
    fatalities: Figure
    injuries: Figure
    ongoing: bool


def _figure(row: dict[str, str], name: str, errors: _RowErrors) -> Figure:
    """<name>_low/<name>_high as a Figure: both empty = unknown; high empty = no ceiling."""
    low = _optional_int(row.get(f"{name}_low", ""), f"{name}_low", errors)
    high = _optional_int(row.get(f"{name}_high", ""), f"{name}_high", errors)
    if low is None and high is not None and not row.get(f"{name}_low", ""):
        errors.add(f"{name}_low", f"empty but {name}_high is {high}; a ceiling needs a floor (0 if none is given)")
    if low is not None and high is not None and low > high:
        errors.add(f"{name}_low", f"{low} is above {name}_high {high}")
    return Figure(low, high)


def _date_span(row: dict[str, str], errors: _RowErrors) -> ResolvedDate | None:
    """date (+ date_end) as a span whose precision must be the row's date_precision."""
    try:
        span = parse_iso_date(row["date"])
    except ValueError as exc:
        errors.add("date", f"{row['date']!r}: {exc}")
        return None
    end_text = row.get("date_end", "")
    if end_text and end_text != row["date"]:
        try:
            end = parse_iso_date(end_text)
        except ValueError as exc:
            errors.add("date_end", f"{end_text!r}: {exc}")
            return None
        if span.precision != "day" or end.precision != "day":
            errors.add("date_end", "a range needs two days (YYYY-MM-DD)")
            return None
        if end.start < span.start:
            errors.add("date_end", f"{end_text!r} is before date {row['date']!r}")
            return None
        span = ResolvedDate(f"{row['date']}..{end_text}", span.start, end.start, "range")
    precision = row["date_precision"]
    if precision not in DATE_PRECISIONS:
        errors.add("date_precision", f"{precision!r} not one of {list(DATE_PRECISIONS)}")
    elif span.precision != precision:
        errors.add("date_precision", f"{precision!r} but date {row['date']!r}"
                   f"{' to ' + end_text if end_text else ''} is a {span.precision}")
    return span


def _check_event_row(line: int, row: dict[str, str], seen: set[str], problems: list[Problem],
                     file_name: str) -> _EventRow | None:
    errors = _RowErrors(file_name, line, problems)
    for name in ("id", "date", "date_precision", "actor", "event_type"):
        if not row.get(name):
            errors.add(name, "empty")
    if bool(row["place"]) != bool(row["geo_precision"]):
        errors.add("geo_precision" if row["place"] else "place", "give place and geo_precision together")
    if row["id"] and row["id"] in seen:
        errors.add("id", f"duplicate id {row['id']!r}; first row kept")
    span = _date_span(row, errors) if row["date"] and row["date_precision"] else None
    if row["event_type"] and row["event_type"] not in EVENT_TYPES:
        errors.add("event_type", f"{row['event_type']!r} not one of {list(EVENT_TYPES)}")
    if row["geo_precision"] and row["geo_precision"] not in GEO_PRECISIONS:
        errors.add("geo_precision", f"{row['geo_precision']!r} not one of {list(GEO_PRECISIONS)}")
    if row.get("ongoing", "") not in ("", "yes"):
        errors.add("ongoing", f"{row['ongoing']!r}: use 'yes' or leave empty")
    fatalities = _figure(row, "fatalities", errors)
    injuries = _figure(row, "injuries", errors)
    if errors.count or span is None:
        return None
    seen.add(row["id"])
    return _EventRow(line, row, span, fatalities, injuries, row.get("ongoing") == "yes")


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
    if claim.field in ("after", "before") and (claim.value not in event_ids or claim.value == claim.event_id):
        errors.add("value", f"{claim.field!r} needs the id of another event, not {claim.value!r}")
    if claim.field == "casualties" and claim.value not in CASUALTY_GROUPS:
        errors.add("value", f"{claim.value!r} not one of {list(CASUALTY_GROUPS)}")
    if claim.field == "ongoing" and claim.value != "yes":
        errors.add("value", f"an 'ongoing' claim has the value 'yes', not {claim.value!r}")
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
    if claim.field in ("fatalities", "injuries", "border_length_km"):
        parsed: Quantity | None = parse_length_km(claim.quote) if claim.field == "border_length_km" \
            else parse_count(claim.quote)
        if parsed is None:
            return f"the quote gives no {'length' if claim.field == 'border_length_km' else 'count'}"
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
                 event_dates: dict[str, ResolvedDate] | None = None,
                 datelined: frozenset[str] | None = None) -> ResolvedDate | None:
    """The date the claims give an event (module docstring); None if no claim has a report with a date.

    event_dates (event id -> its date) resolves "after" claims; without it they are ignored.
    datelined: the reports whose publication day is a dateline (None: every report's is).
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
    if any(c.field == "ongoing" for c in claims):
        saying = sorted(d for c in claims if c.field == "ongoing" and (d := published.get(c.report_id)))
        if saying:
            return ResolvedDate("(ongoing as of the latest report)", saying[-1], saying[-1], "day")
    first = min(((d, c.report_id) for c in claims if (d := published.get(c.report_id))), default=None)
    if first is None:
        return None
    return _ordered_date(claims, first, event_dates or {}, datelined)


def _ordered_date(claims: list[Claim] | tuple[Claim, ...], first: tuple[date, str],
                  event_dates: dict[str, ResolvedDate], datelined: frozenset[str] | None) -> ResolvedDate:
    """An undated event's span from the events a report says it followed ("after") or preceded ("before")
    and the first report on it (module docstring)."""
    upper = first[0]  # the event happened by the time the first report on it was published
    if datelined is not None and first[1] not in datelined:
        upper = month_span(upper.year, upper.month)[1]  # an inferred publication day pins no day
    before = [event_dates[c.value].end for c in claims if c.field == "before" and c.value in event_dates]
    upper = min([upper, *before])
    after = [event_dates[c.value].start for c in claims if c.field == "after" and c.value in event_dates]
    lower = max(after) if after else None
    if lower and lower <= upper and (lower.year, lower.month) == (upper.year, upper.month):
        if lower == upper:
            return ResolvedDate("(after an event, by the day it was reported)", upper, upper, "day")
        return ResolvedDate("(after an event, before a report or a later event)", lower, upper, "range")
    start, end = month_span(first[0].year, first[0].month)
    return ResolvedDate("(undated: publication month)", start, end, "month")


def _bounds_text(figure: Figure) -> str:
    if figure.low is None:
        return "none"
    return f"{figure.low}–{'open' if figure.high is None else figure.high}"


def _cross_check(row: _EventRow, claims: list[Claim], published: dict[str, date | None],
                 event_dates: dict[str, ResolvedDate], datelined: frozenset[str], problems: list[Problem],
                 file_name: str) -> None:
    errors = _RowErrors(file_name, row.line, problems)
    if not claims:
        errors.add("id", "no claim in claims.csv supports this event")
        return
    expected = derived_date(claims, published, event_dates, datelined)
    if expected and (expected.iso, expected.end) != (row.values["date"], row.span.end):
        said = row.values["date"] + (f" to {row.span.end.isoformat()}" if row.span.precision == "range" else "")
        wants = expected.iso + (f" to {expected.end.isoformat()}" if expected.precision == "range" else "")
        errors.add("date", f"{said!r} but the claims resolve to {wants!r}")
    for name, figure in (("fatalities", row.fatalities), ("injuries", row.injuries)):
        claimed = Figure.combined([q for c in claims if c.field == name and (q := parse_quantity(c.value))])
        if (figure.low, figure.high) != (claimed.low, claimed.high):
            errors.add(f"{name}_low", f"{_bounds_text(figure)} but the {name} claims give {_bounds_text(claimed)}")
    said_ongoing = any(c.field == "ongoing" for c in claims)
    if row.ongoing != said_ongoing:
        errors.add("ongoing", "'yes' but no claim says it is under way" if row.ongoing
                   else "empty but a claim says it is under way")


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


def _marker_spot(place: str, precision: str, errors: _RowErrors) -> tuple[float | None, float | None]:
    """Where the marker goes: the geocoded point, or a neutral spot inside an area-precision event's area."""
    if not place:
        return None, None
    lat, lon = _coords(place, errors, "place")
    if precision in AREA_PRECISIONS:
        area = place_area(place, precision, (lat, lon) if lat is not None and lon is not None else None)
        if area is not None and not area.is_empty:
            return neutral_point(area)
    return lat, lon


def _origin_spot(origin: str, target: tuple[float | None, float | None],
                 errors: _RowErrors) -> tuple[float | None, float | None]:
    """Where a strike's arrow starts: the edge of the actor's territory nearest the target (no report
    gives a launch site); the geocoded point when the origin is no country or province we hold."""
    if not origin:
        return None, None
    if target[0] is not None and target[1] is not None:
        edge = territory_edge(origin, (target[0], target[1]))
        if edge is not None:
            return edge
    return _coords(origin, errors, "origin")


def placed_coordinates(place: str, precision: str, origin: str = "") -> tuple[float | None, ...]:
    """(lat, lon, origin_lat, origin_lon) as the loader places an event: the marker at a neutral spot inside
    an area-precision event's area, the arrow's start at the edge of the origin's territory (for the store
    and any other producer of events, so they draw what the CSV loader draws)."""
    errors = _RowErrors("", 0, [])
    lat, lon = _marker_spot(place, precision, errors)
    return (lat, lon, *_origin_spot(origin, (lat, lon), errors))


def uncertainty_wkt(place: str, precision: str, lat: float | None, lon: float | None) -> str:
    """The event's uncertainty area as WKT (geo.events.precision), "" when exact or unplaced."""
    area = place_area(place, precision, (lat, lon) if lat is not None and lon is not None else None) \
        if place else None
    return "" if area is None or area.is_empty else area.wkt


def _build_event(row: _EventRow, claims: tuple[Claim, ...], problems: list[Problem], file_name: str) -> Event:
    errors = _RowErrors(file_name, row.line, problems)
    v = row.values
    lat, lon = _marker_spot(v["place"], v["geo_precision"], errors)
    origin_lat, origin_lon = _origin_spot(v["origin"], (lat, lon), errors)
    return Event(
        id=v["id"], date_start=row.span.start, date_end=row.span.end, date_precision=row.span.precision,
        actor=v["actor"], target=v["target"], event_type=v["event_type"], place=v["place"],
        geo_precision=v["geo_precision"], origin=v["origin"], fatalities_low=row.fatalities.low,
        fatalities_high=row.fatalities.high, summary=v["summary"], lat=lat, lon=lon, origin_lat=origin_lat,
        origin_lon=origin_lon, claims=claims, ongoing=row.ongoing, injuries_low=row.injuries.low,
        injuries_high=row.injuries.high,
    )


def build_table(events_csv: Path, claims_csv: Path, facts_csv: Path, corpus: Corpus) -> EventTable:
    """Load and check the three CSVs against the corpus (see the module docstring)."""
    problems: list[Problem] = []
    texts = {a.id: a.text for a in corpus.articles}
    published = {a.id: a.published for a in corpus.articles}
    datelined = frozenset(a.id for a in corpus.articles if a.date_method == "dateline")
    seen: set[str] = set()
    raw_rows = read_rows(events_csv, EVENT_COLUMNS, REQUIRED_EVENT_COLUMNS, problems)
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
    for event_row in event_rows:
        own = by_record.get(event_row.values["id"], [])
        _cross_check(event_row, own, published, event_dates, datelined, problems, events_csv.name)
        events.append(_build_event(event_row, tuple(own), problems, events_csv.name))
    facts = [f.with_claims(tuple(by_record.get(f.id, []))) for f in facts]
    return EventTable(events=events, claims=claims, problems=problems, facts=facts, published=published,
                      datelined=datelined)


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
    "ongoing", "when", "injuries_low", "injuries_high", "injuries", "casualties",
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
            "reports": ";".join(e.reports), "ongoing": "yes" if e.ongoing else "", "when": e.when,
            "injuries_low": e.injuries_low, "injuries_high": e.injuries_high, "injuries": e.injuries_label,
            "casualties": e.casualties_label,
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
    for name in ("fatalities_low", "fatalities_high", "injuries_low", "injuries_high"):
        frame[name] = frame[name].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
