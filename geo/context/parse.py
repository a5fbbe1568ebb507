"""ACLED and UCDP GED CSV rows -> ContextRow values, or a RowProblem that names the line and the field.

A row with a problem is reported and left out; every other row is kept whole: the columns the store has no
place for go to `extra` verbatim, so an export can give them back. Dates are parsed with a cache (an export
repeats few distinct dates), without dateparser: both formats state the year.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import date as Day  # the field named `date` below shadows the type inside the class
from pathlib import Path
from typing import Any, TextIO

from geo.context import precision
from geo.errors import InputError

FORMATS = ("acled", "ucdp")

ACLED_REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude",
                  "geo_precision", "time_precision", "fatalities")
ACLED_USED = (*ACLED_REQUIRED, "sub_event_type", "actor2", "admin1", "admin2", "admin3", "location", "country",
              "source", "notes")
UCDP_REQUIRED = ("id", "type_of_violence", "side_a", "latitude", "longitude", "where_prec", "date_prec",
                 "date_start", "date_end", "best", "low", "high")
UCDP_USED = (*UCDP_REQUIRED, "side_b", "adm_1", "adm_2", "where_coordinates", "country", "source_original",
             "source_office", "source_headline", "source_article", "conflict_name")


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


class RowError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class ContextRow:
    """One source row as the store holds it: an event of the context layer and its one claim."""

    line: int
    key: str
    date: str
    date_end: str
    date_precision: str
    day_first: Day
    day_last: Day
    actor: str
    target: str
    event_type: str
    place: str
    admin1: str
    admin2: str
    lat: float
    lon: float
    geo_precision: str
    fatalities_low: int | None
    fatalities_high: int | None
    fatalities_qualifier: str
    summary: str
    claim_source: str
    claim_quote: str
    extra: dict[str, Any] = field(default_factory=dict)


# --- values ----------------------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})


def _parse_day(text: str) -> date:
    text = text.strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":  # ISO, possibly with a time after it
        return date.fromisoformat(text[:10])
    parts = text.replace(",", " ").split()
    if len(parts) == 3 and parts[1].lower() in _MONTHS:  # ACLED's "16 January 2024"
        return date(int(parts[2]), _MONTHS[parts[1].lower()], int(parts[0]))
    if len(parts) == 3 and parts[0].lower() in _MONTHS:  # "January 16 2024"
        return date(int(parts[2]), _MONTHS[parts[0].lower()], int(parts[1]))
    if "/" in text:  # spreadsheet exports: day/month/year (ACLED's own convention outside the US)
        return datetime.strptime(text, "%d/%m/%Y").date()
    raise ValueError("not a date (expected YYYY-MM-DD or '16 January 2024')")


class DayParser:
    """Dates as written -> date, with a cache: exports repeat the same few thousand dates."""

    def __init__(self) -> None:
        self._cache: dict[str, date] = {}

    def __call__(self, field_name: str, text: str) -> date:
        found = self._cache.get(text)
        if found is not None:
            return found
        try:
            day = _parse_day(text)
        except ValueError as exc:
            raise RowError(field_name, f"{text!r}: {exc}") from None
        self._cache[text] = day
        return day


def _coordinate(row: dict[str, str], name: str, limit: float) -> float:
    text = row[name].strip()
    try:
        value = float(text)
    except ValueError:
        raise RowError(name, f"{text!r} is not a number") from None
    if not -limit <= value <= limit or value != value:
        raise RowError(name, f"{value} is outside -{limit:g}..{limit:g}")
    return value


def _count(row: dict[str, str], name: str, required: bool = True) -> int | None:
    text = row.get(name, "").strip()
    if not text:
        if required:
            raise RowError(name, "empty")
        return None
    try:
        value = int(text)
    except ValueError:
        raise RowError(name, f"{text!r} is not a whole number") from None
    if value < 0:
        raise RowError(name, f"{value} is negative")
    return value


def _code(row: dict[str, str], name: str, codes: dict[str, str]) -> str:
    text = row[name].strip()
    if text not in codes:
        raise RowError(name, f"{text!r} is not a known code ({', '.join(codes)})")
    return codes[text]


def _required_text(row: dict[str, str], name: str) -> str:
    text = row[name].strip()
    if not text:
        raise RowError(name, "empty")
    return text


def span(first: date, last: date) -> tuple[str, str, str]:
    """(date, date_end, date_precision) in the project's vocabulary for the days first..last."""
    if first == last:
        return first.isoformat(), "", "day"
    month_end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if first.day == 1 and last == month_end:
        return first.strftime("%Y-%m"), "", "month"
    return first.isoformat(), last.isoformat(), "day"


def _leftovers(row: dict[str, str], used: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in used and k is not None and v not in ("", None)}


# --- ACLED -----------------------------------------------------------------------------------------------

def _acled_days(row: dict[str, str], day_of: DayParser) -> tuple[date, date]:
    day = day_of("event_date", row["event_date"])
    kind = _code(row, "time_precision", precision.ACLED_TIME)
    if kind == "week":
        half = timedelta(days=precision.ACLED_WEEK_HALF_SPAN)
        return day - half, day + half
    if kind == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


def acled_row(line: int, row: dict[str, str], day_of: DayParser) -> ContextRow:
    first, last = _acled_days(row, day_of)
    when, until, kind = span(first, last)
    fatalities = _count(row, "fatalities")
    return ContextRow(
        line=line, key=f"acled:{_required_text(row, 'event_id_cnty')}", date=when, date_end=until,
        date_precision=kind, day_first=first, day_last=last, actor=_required_text(row, "actor1"),
        target=row.get("actor2", "").strip(), event_type=_required_text(row, "event_type"),
        place=row.get("location", "").strip(), admin1=row.get("admin1", "").strip(),
        admin2=row.get("admin2", "").strip(), lat=_coordinate(row, "latitude", 90),
        lon=_coordinate(row, "longitude", 180), geo_precision=_code(row, "geo_precision", precision.ACLED_GEO),
        fatalities_low=fatalities, fatalities_high=fatalities, fatalities_qualifier="",
        summary=row.get("sub_event_type", "").strip(), claim_source=row.get("source", "").strip(),
        claim_quote=row.get("notes", "").strip(),
        extra={"format": "acled", "geo_precision_code": row["geo_precision"].strip(),
               "time_precision_code": row["time_precision"].strip(), "event_date": row["event_date"].strip(),
               **{k: row[k] for k in ("sub_event_type", "admin3", "country") if row.get(k)},
               **_leftovers(row, ACLED_USED)},
    )


# --- UCDP GED --------------------------------------------------------------------------------------------

def _ucdp_fatalities(row: dict[str, str]) -> tuple[int | None, int | None, str]:
    best, low, high = _count(row, "best"), _count(row, "low"), _count(row, "high")
    assert best is not None and low is not None and high is not None
    if low > high:
        raise RowError("low", f"{low} is above high {high}")
    if not low <= best <= high:
        raise RowError("best", f"{best} is outside low..high ({low}..{high})")
    return low, high, f"best estimate {best}"


def ucdp_row(line: int, row: dict[str, str], day_of: DayParser) -> ContextRow:
    first, last = day_of("date_start", row["date_start"]), day_of("date_end", row["date_end"])
    if last < first:
        raise RowError("date_end", f"{row['date_end']!r} is before date_start {row['date_start']!r}")
    _code(row, "date_prec", precision.UCDP_TIME)
    when, until, kind = span(first, last)
    low, high, qualifier = _ucdp_fatalities(row)
    return ContextRow(
        line=line, key=f"ucdp:{_required_text(row, 'id')}", date=when, date_end=until, date_precision=kind,
        day_first=first, day_last=last, actor=_required_text(row, "side_a"), target=row.get("side_b", "").strip(),
        event_type=_code(row, "type_of_violence", precision.UCDP_VIOLENCE),
        place=row.get("where_coordinates", "").strip(), admin1=row.get("adm_1", "").strip(),
        admin2=row.get("adm_2", "").strip(), lat=_coordinate(row, "latitude", 90),
        lon=_coordinate(row, "longitude", 180), geo_precision=_code(row, "where_prec", precision.UCDP_GEO),
        fatalities_low=low, fatalities_high=high, fatalities_qualifier=qualifier,
        summary=row.get("conflict_name", "").strip(),
        claim_source=(row.get("source_original", "") or row.get("source_office", "")).strip(),
        claim_quote=(row.get("source_headline", "") or row.get("source_article", "")).strip(),
        extra={"format": "ucdp", "where_prec": row["where_prec"].strip(), "date_prec": row["date_prec"].strip(),
               "best": row["best"].strip(),
               **{k: row[k] for k in ("country", "source_office", "source_article") if row.get(k)},
               **_leftovers(row, UCDP_USED)},
    )


# --- files -----------------------------------------------------------------------------------------------

ROW_PARSERS: dict[str, tuple[tuple[str, ...], Callable[[int, dict[str, str], DayParser], ContextRow]]] = {
    "acled": (ACLED_REQUIRED, acled_row),
    "ucdp": (UCDP_REQUIRED, ucdp_row),
}


def _check_header(fmt: str, header: Sequence[str] | None, path: Path) -> None:
    required = ROW_PARSERS[fmt][0]
    missing = [c for c in required if c not in (header or [])]
    if missing:
        raise InputError(f"{path}: not a {fmt.upper()} export: missing column(s) {', '.join(missing)}")


def cells_by_line(path: Path, fmt: str) -> tuple[list[str], Generator[tuple[int, list[str]] | RowProblem]]:
    """The header, then each data row as (its first line in the file, its cells), or a RowProblem for a row
    of the wrong width. Blank lines are skipped and counted, so later lines keep their numbers; a notes cell
    with line breaks does not shift them either (csv's C reader counts the lines it reads)."""
    if fmt not in ROW_PARSERS:
        raise InputError(f"format {fmt!r} not one of {', '.join(FORMATS)}")
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    reader = csv.reader(handle)
    try:
        header = next(reader, [])
    except UnicodeDecodeError:
        handle.close()
        raise InputError(f"{path}: not UTF-8 text") from None
    except csv.Error as exc:
        handle.close()
        raise InputError(f"{path}: line {reader.line_num}: unreadable CSV ({exc})") from None
    try:
        _check_header(fmt, header, path)
    except InputError:
        handle.close()
        raise
    return header, _data_rows(handle, reader, header, path)


def _data_rows(handle: TextIO, reader: Any, header: list[str],
               path: Path) -> Generator[tuple[int, list[str]] | RowProblem]:
    with handle:
        line = reader.line_num
        try:
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not cells:
                    continue
                yield (start, cells) if len(cells) == len(header) else _ragged(start, header, cells)
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
        except csv.Error as exc:
            raise InputError(f"{path}: line {reader.line_num}: unreadable CSV ({exc})") from None


def _ragged(line: int, header: list[str], cells: list[str]) -> RowProblem:
    if len(cells) > len(header):
        return RowProblem(line, "(row)", f"{len(cells) - len(header)} more cell(s) than the header has columns")
    return RowProblem(line, header[len(cells)],
                      f"missing: the row has fewer cells than the header ({len(header) - len(cells)} short)")


def read_rows(path: Path, fmt: str) -> Iterator[ContextRow | RowProblem]:
    """Each data row of the file as a ContextRow, or a RowProblem (line = the file's line number).

    A row at a time; the importer reads files as columns (geo.context.columns), which gives the same."""
    header, rows = cells_by_line(path, fmt)
    parse, day_of = ROW_PARSERS[fmt][1], DayParser()
    for item in rows:
        yield item if isinstance(item, RowProblem) else parse_one(item[0], dict(zip(header, item[1], strict=True)),
                                                                  parse, day_of)


def parse_one(line: int, row: dict[str, str], parse: Callable[[int, dict[str, str], DayParser], ContextRow],
              day_of: DayParser) -> ContextRow | RowProblem:
    try:
        return parse(line, row, day_of)
    except RowError as exc:
        return RowProblem(line, exc.field, str(exc))
