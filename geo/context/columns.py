"""An ACLED or UCDP GED export read as columns: the importer's fast path, with the same result row for row.

A regular file (every row as wide as the header, no blank line) is read by pyarrow's CSV reader, every
column as text; each row's first line is counted from the line breaks inside the cells before it. Any
other file is tokenised by the csv module's C reader, which gives each row's line and lets a row of the
wrong width be reported instead of aborting the file. The cells are then checked and converted a column
at a time with pandas, and dates once per distinct value. A row that fails any of these quick checks goes
through the row-at-a-time parser (geo.context.parse), which either keeps it or names the line and field:
so every message is the one that parser gives, and the quick checks may be stricter than it, never looser.

What comes back is one DataFrame with a column per event and claim field (ROW_COLUMNS), `extra` already
as JSON text, in file order; the importer sends it to the database without making an object per row.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from geo.context import precision
from geo.context.parse import (
    ACLED_USED,
    ROW_PARSERS,
    UCDP_USED,
    ContextRow,
    DayParser,
    RowError,
    RowProblem,
    cells_by_line,
    parse_one,
    span,
)

#: the columns of the frame read_columns gives (ContextRow's fields; extra as JSON text)
ROW_COLUMNS: tuple[str, ...] = tuple(ContextRow.__dataclass_fields__)
#: progress(done, total) while reading: rows tokenised so far (total unknown: 0)
ReadProgress = Callable[[int, int], None]
PROGRESS_EVERY = 10_000
_WHOLE = r"[0-9]{1,15}"  # a count the row parser takes as it is (no sign, no '_', fits int64)


def read_columns(path: Path, fmt: str,
                 progress: ReadProgress = lambda _done, _total: None) -> tuple[pd.DataFrame, list[RowProblem]]:
    """The file's rows that parse (ROW_COLUMNS, file order) and the problems of the others, by line."""
    regular = _arrow_cells(path, fmt)
    if regular is not None:
        header, cells, line_numbers = regular
        problems: list[RowProblem] = []
        progress(len(line_numbers), 0)
    else:
        header, rows, lines, problems = _tokens(path, fmt, progress)
        cells, line_numbers = _cells(header, rows), np.asarray(lines, dtype=np.int64)
    quick = _ACLED if fmt == "acled" else _UCDP
    frame, slow = quick(cells, line_numbers, DayParser())
    slow_rows = [[str(cells[name].iat[i]) for name in header] for i in slow]
    fallback, more = _row_at_a_time(fmt, header, slow_rows, [int(line_numbers[i]) for i in slow])
    problems.extend(more)
    if not fallback.empty:
        frame = pd.concat([frame, fallback], ignore_index=True).sort_values("line", kind="stable",
                                                                           ignore_index=True)
    problems.sort(key=lambda p: p.line)
    return frame, problems


# --- tokens ----------------------------------------------------------------------------------------------

_LINE_BREAK = r"\r\n|\r|\n"  # what ends a line for csv on a file opened with newline="" (universal newlines)


def _arrow_cells(path: Path, fmt: str) -> tuple[list[str], dict[str, pd.Series], np.ndarray] | None:
    """A regular file's cells read by pyarrow's CSV reader (every column as text), with each row's first line.

    None if the file is not regular: a row of the wrong width, a blank line (or a row of only empty cells,
    which pyarrow does not tell apart), a repeated column name or bytes that are not UTF-8. Those files are
    read by the csv module instead, which says where each row is. A row's line is counted from the line
    breaks inside the cells before it (a notes cell may hold some).
    """
    header, rows = cells_by_line(path, fmt)
    rows.close()  # closes the file; pyarrow reads it again from the start
    if len(set(header)) != len(header) or not header:
        return None
    irregular: list[object] = []

    def note(row: object) -> str:
        irregular.append(row)
        return "skip"

    try:
        table = pa_csv.read_csv(
            path, read_options=pa_csv.ReadOptions(encoding="utf8"),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False,
                                              invalid_row_handler=note),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    names = [name.removeprefix("\ufeff") for name in table.column_names]
    if irregular or names != header:
        return None
    breaks = np.zeros(table.num_rows, dtype=np.int64)
    width = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        breaks += pc.count_substring_regex(column, _LINE_BREAK).to_numpy(zero_copy_only=False)
        width += pc.binary_length(column).to_numpy(zero_copy_only=False)
    if (width == 0).any():  # a blank line (pyarrow keeps it as a row of empty cells; csv skips it)
        return None
    header_lines = 1 + sum(len(re.findall(_LINE_BREAK, name)) for name in header)
    lines = header_lines + 1 + np.arange(table.num_rows, dtype=np.int64) + np.cumsum(breaks) - breaks
    cells = {name: pd.Series(column.to_pandas(), dtype="str") for name, column in zip(header, table.columns,
                                                                                      strict=True)}
    return header, cells, lines


def _tokens(path: Path, fmt: str, progress: ReadProgress) -> tuple[list[str], list[list[str]], list[int],
                                                                      list[RowProblem]]:
    header, items = cells_by_line(path, fmt)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[RowProblem] = []
    for item in items:
        if isinstance(item, RowProblem):
            problems.append(item)
            continue
        lines.append(item[0])
        rows.append(item[1])
        if len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows), 0)
    return header, rows, lines, problems


def _cells(header: list[str], rows: list[list[str]]) -> dict[str, pd.Series]:
    """Column name -> its cells (the last of repeated names wins, as in csv.DictReader)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    return {name: pd.Series(values, dtype="str") for name, values in zip(header, columns, strict=True)}


# --- quick checks, a column at a time --------------------------------------------------------------------

class _Columns:
    """The cells of one file with the helpers both formats use; `ok` is the rows that passed so far."""

    def __init__(self, cells: dict[str, pd.Series], lines: np.ndarray):
        self.cells, self.lines = cells, lines
        self.n = len(lines)
        self.ok = np.ones(self.n, dtype=bool)

    def raw(self, name: str) -> pd.Series:
        found = self.cells.get(name)
        return found if found is not None else pd.Series([""] * self.n, dtype="str")

    def text(self, name: str) -> pd.Series:
        return self.raw(name).str.strip()

    def required(self, name: str) -> pd.Series:
        values = self.text(name)
        self.ok &= (values != "").to_numpy()
        return values

    def code(self, name: str, codes: dict[str, str]) -> pd.Series:
        values = self.text(name).map(codes)
        self.ok &= values.notna().to_numpy()
        return values

    def coordinate(self, name: str, limit: float) -> np.ndarray:
        values = pd.to_numeric(self.text(name), errors="coerce").to_numpy(dtype=np.float64)
        self.ok &= (values >= -limit) & (values <= limit)  # NaN fails both
        return values

    def count(self, name: str) -> np.ndarray:
        values = self.text(name)
        whole = values.str.fullmatch(_WHOLE).to_numpy(dtype=bool, na_value=False)
        self.ok &= whole
        return np.where(whole, pd.to_numeric(values.where(whole, "0")).to_numpy(dtype=np.int64), 0)

    def per_distinct(self, keys: pd.Series, work: Callable[[Any], Any]) -> pd.Series:
        """work() once per distinct key (dates repeat); None where it raised RowError (the row goes slow)."""
        def safe(key: Any) -> Any:
            try:
                return work(key)
            except RowError:
                return None
        found = {key: safe(key) for key in keys.unique()}
        values = keys.map(found)
        self.ok &= values.notna().to_numpy()
        return values

    def frame(self, values: dict[str, Any]) -> tuple[pd.DataFrame, list[int]]:
        """The rows that passed (ROW_COLUMNS) and the positions of the others."""
        keep = self.ok
        frame = pd.DataFrame({name: _select(values[name], keep, self.n) for name in ROW_COLUMNS})
        return frame, np.flatnonzero(~keep).tolist()


def _select(value: Any, keep: np.ndarray, n: int) -> Any:
    if isinstance(value, pd.Series):
        return value[keep].reset_index(drop=True)
    if isinstance(value, np.ndarray):
        return value[keep]
    return [value] * int(keep.sum())  # a constant


def _json_text(values: pd.Series) -> pd.Series:
    return values.map({v: json.dumps(v) for v in values.unique()}).astype("str")


def _extra(cols: _Columns, fixed: Sequence[tuple[str, pd.Series]], optional: Sequence[str],
           used: Sequence[str]) -> pd.Series:
    """events.extra as JSON text, key for key what the row parser's dict gives json.dumps."""
    out = pd.Series(["{"] * cols.n, dtype="str")
    for i, (key, values) in enumerate(fixed):
        out = out + (", " if i else "") + json.dumps(key) + ": " + _json_text(values)
    leftovers = [name for name in cols.cells if name not in used]
    for key in [*(k for k in optional if k in cols.cells), *leftovers]:
        raw = cols.raw(key)
        part = ", " + json.dumps(key) + ": " + _json_text(raw)
        out = out + part.where(raw != "", "")
    return out + "}"


def _days_span(first: date, last: date) -> tuple[date, date, str, str, str]:
    return (first, last, *span(first, last))


def _acled_when(day_of: DayParser) -> Callable[[tuple[str, str]], tuple[date, date, str, str, str]]:
    def when(key: tuple[str, str]) -> tuple[date, date, str, str, str]:
        text, kind = key
        day = day_of("event_date", text)
        if kind == "week":
            half = timedelta(days=precision.ACLED_WEEK_HALF_SPAN)
            return _days_span(day - half, day + half)
        if kind == "month":
            return _days_span(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))
        return _days_span(day, day)
    return when


def _pairs(first: pd.Series, second: pd.Series) -> pd.Series:
    return pd.Series(list(zip(first.tolist(), second.tolist(), strict=True)), dtype=object)


def _unpack(values: pd.Series, names: Sequence[str]) -> dict[str, pd.Series]:
    filled = values.where(values.notna(), None)
    width = len(names)
    columns = list(zip(*(v if v is not None else (None,) * width for v in filled.tolist()), strict=True)) \
        if len(filled) else [() for _ in names]
    return {name: pd.Series(column, dtype=object) for name, column in zip(names, columns, strict=True)}


def _acled_quick(cells: dict[str, pd.Series], lines: np.ndarray,
                 day_of: DayParser) -> tuple[pd.DataFrame, list[int]]:
    c = _Columns(cells, lines)
    kind = c.code("time_precision", precision.ACLED_TIME)
    when = _unpack(c.per_distinct(_pairs(c.raw("event_date"), kind.fillna("")), _acled_when(day_of)),
                   ("day_first", "day_last", "date", "date_end", "date_precision"))
    fatalities = c.count("fatalities")
    values: dict[str, Any] = {
        "line": lines, "key": "acled:" + c.required("event_id_cnty"), **when,
        "actor": c.required("actor1"), "target": c.text("actor2"), "event_type": c.required("event_type"),
        "place": c.text("location"), "admin1": c.text("admin1"), "admin2": c.text("admin2"),
        "lat": c.coordinate("latitude", 90), "lon": c.coordinate("longitude", 180),
        "geo_precision": c.code("geo_precision", precision.ACLED_GEO),
        "fatalities_low": fatalities, "fatalities_high": fatalities, "fatalities_qualifier": "",
        "summary": c.text("sub_event_type"), "claim_source": c.text("source"), "claim_quote": c.text("notes"),
    }
    values["extra"] = _extra(c, (("format", pd.Series(["acled"] * c.n, dtype="str")),
                                 ("geo_precision_code", c.text("geo_precision")),
                                 ("time_precision_code", c.text("time_precision")),
                                 ("event_date", c.text("event_date"))),
                             ("sub_event_type", "admin3", "country"), ACLED_USED)
    return c.frame(values)


def _ucdp_when(day_of: DayParser) -> Callable[[tuple[str, str]], tuple[date, date, str, str, str]]:
    def when(key: tuple[str, str]) -> tuple[date, date, str, str, str]:
        first, last = day_of("date_start", key[0]), day_of("date_end", key[1])
        if last < first:
            raise RowError("date_end", "before date_start")
        return _days_span(first, last)
    return when


def _first_given(c: _Columns, first: str, second: str) -> pd.Series:
    primary = c.raw(first)
    return primary.where(primary != "", c.raw(second)).str.strip()


def _ucdp_quick(cells: dict[str, pd.Series], lines: np.ndarray,
                day_of: DayParser) -> tuple[pd.DataFrame, list[int]]:
    c = _Columns(cells, lines)
    when = _unpack(c.per_distinct(_pairs(c.raw("date_start"), c.raw("date_end")), _ucdp_when(day_of)),
                   ("day_first", "day_last", "date", "date_end", "date_precision"))
    c.code("date_prec", precision.UCDP_TIME)
    best, low, high = c.count("best"), c.count("low"), c.count("high")
    c.ok &= (low <= best) & (best <= high)
    values: dict[str, Any] = {
        "line": lines, "key": "ucdp:" + c.required("id"), **when,
        "actor": c.required("side_a"), "target": c.text("side_b"),
        "event_type": c.code("type_of_violence", precision.UCDP_VIOLENCE),
        "place": c.text("where_coordinates"), "admin1": c.text("adm_1"), "admin2": c.text("adm_2"),
        "lat": c.coordinate("latitude", 90), "lon": c.coordinate("longitude", 180),
        "geo_precision": c.code("where_prec", precision.UCDP_GEO),
        "fatalities_low": low, "fatalities_high": high,
        "fatalities_qualifier": "best estimate " + pd.Series(best.astype(str), dtype="str"),
        "summary": c.text("conflict_name"), "claim_source": _first_given(c, "source_original", "source_office"),
        "claim_quote": _first_given(c, "source_headline", "source_article"),
    }
    values["extra"] = _extra(c, (("format", pd.Series(["ucdp"] * c.n, dtype="str")),
                                 ("where_prec", c.text("where_prec")), ("date_prec", c.text("date_prec")),
                                 ("best", c.text("best"))),
                             ("country", "source_office", "source_article"), UCDP_USED)
    return c.frame(values)


_ACLED = _acled_quick
_UCDP = _ucdp_quick


# --- the rest, a row at a time ---------------------------------------------------------------------------

def _row_at_a_time(fmt: str, header: list[str], rows: list[list[str]],
                   lines: list[int]) -> tuple[pd.DataFrame, list[RowProblem]]:
    parse = ROW_PARSERS[fmt][1]
    day_of = DayParser()
    kept: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for line, row in zip(lines, rows, strict=True):
        found = parse_one(line, dict(zip(header, row, strict=True)), parse, day_of)
        if isinstance(found, RowProblem):
            problems.append(found)
        else:
            record = asdict(found)
            record["extra"] = json.dumps(found.extra)
            kept.append(record)
    return pd.DataFrame.from_records(kept, columns=list(ROW_COLUMNS)), problems
