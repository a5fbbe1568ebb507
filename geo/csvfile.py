"""Reading the project's CSV files: one reader, so every table reports bad rows the same way.

Each row comes with the line it starts on, so a problem can name file, line and field. Nothing is
lost without a word:
- a UTF-8 byte-order mark (Excel's "CSV UTF-8") is not part of the first column name;
- a column the table does not know is reported (and ignored), a missing required one stops the file;
- a row with too few or too many fields is reported by line and skipped;
- an unclosed quote is reported at the line where it opens, and the lines after it are read again
  (the csv module would otherwise merge them into one field and lose them);
- a field over the csv module's size limit or a NUL byte is a problem on that line, not a crash.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

from geo.errors import Problem

Row = tuple[int, dict[str, str]]


def read_rows(path: Path, columns: tuple[str, ...], required: tuple[str, ...],
              problems: list[Problem]) -> list[Row]:
    """(line number, row) for each good CSV row; every known column is in the row ("" if absent).

    A missing or undecodable file, or missing required columns, is one problem and no rows."""
    lines = _lines(path, problems)
    if lines is None:
        return []
    records = _records(lines, path.name, problems)
    first = next(records, None)
    if first is None:
        problems.append(Problem(f"{path.name} line 1", f"no header; expected {list(columns)}"))
        return []
    header = [name.strip() for name in first[1]]
    if not _header_ok(header, columns, required, path.name, problems):
        return []
    rows = []
    for line, record in records:
        if not record:
            continue  # a blank line
        if len(record) != len(header):
            problems.append(Problem(f"{path.name} line {line}", f"{len(record)} fields, expected {len(header)} "
                                    f"({', '.join(header)}); row skipped"))
            continue
        values = dict(zip(header, record, strict=True))
        rows.append((line, {name: values.get(name, "").strip() for name in columns}))
    return rows


def _lines(path: Path, problems: list[Problem]) -> list[str] | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path.name, "file not found"))
        return None
    except OSError as exc:
        problems.append(Problem(path.name, f"unreadable ({exc.strerror or exc})"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(f"{path.name} line {line}", f"not UTF-8 ({exc.reason} at byte {exc.start}); "
                                "save it as CSV UTF-8; file not read"))
        return None
    # Lines as the csv module counts them: only \n, \r\n and \r end a line (str.splitlines would also
    # split at \x1e, \x85, \u2028 ... inside a field and cut the row there).
    return io.StringIO(text, newline="").readlines()


def _header_ok(header: list[str], columns: tuple[str, ...], required: tuple[str, ...], name: str,
               problems: list[Problem]) -> bool:
    where = f"{name} line 1"
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(Problem(where, f"missing columns {missing}; expected {list(columns)}"))
        return False
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled:
        problems.append(Problem(where, f"column(s) {doubled} appear more than once; file not read"))
        return False
    unknown = [c for c in header if c not in columns]
    if unknown:
        problems.append(Problem(where, f"unknown column(s) {unknown} ignored; expected {list(columns)}"))
    return True


def _records(lines: list[str], name: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each record. A record the csv module rejects, or one that spans lines
    and has a field count unlike the header's (an unclosed quote), is reported and the lines after
    its first line are read again."""
    start = 0
    expected: int | None = None
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None), strict=True)
        first = start
        try:
            for record in reader:
                end = start + reader.line_num
                if expected is not None and end - first > 1 and len(record) != expected:
                    raise csv.Error("unclosed quote")
                expected = len(record) if expected is None else expected
                yield first + 1, record
                first = end
            return
        except csv.Error as exc:
            runs_on = start + reader.line_num - first > 1 or "end of data" in str(exc) or "unclosed" in str(exc)
            message = ("unclosed quote: the quoted field opened here runs on into the next lines; row skipped, "
                       "the lines after it read again") if runs_on else f"not valid CSV ({exc}); row skipped"
            problems.append(Problem(f"{name} line {first + 1}", message))
            start = first + 1
