"""Reading the project's CSV files: one reader, so every table reports bad rows the same way.

Each row comes with the line it starts on, so a problem can name file, line and field.
"""

from __future__ import annotations

import csv
from pathlib import Path

from geo.errors import Problem


def read_rows(path: Path, columns: tuple[str, ...], required: tuple[str, ...],
              problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each CSV row; a missing file or missing columns is one problem."""
    if not path.exists():
        problems.append(Problem(path.name, "file not found"))
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            problems.append(Problem(f"{path.name} line 1", f"missing columns {missing}; expected {list(columns)}"))
            return []
        rows = []
        for row in reader:
            if None in row:
                problems.append(Problem(f"{path.name} line {reader.line_num}",
                                        f"{len(header) + len(row[None])} fields, expected {len(header)}; row skipped"))
                continue
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
        return rows
