"""Bulk inserts for the importer, below the ORM: one executemany (SQLite) or one COPY (PostgreSQL) per chunk.

SQLAlchemy's per-row parameter processing cost more than the database's own work at 100,000 rows, so the
values are converted here, column by column, into what the driver takes (on SQLite the same text
SQLAlchemy stores: ISO dates, 'YYYY-MM-DD HH:MM:SS.ffffff' times, JSON text) and sent through the session's
connection, inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table
from sqlalchemy.orm import Session

Convert = Callable[[Any], Any]


@lru_cache(maxsize=64)
def _sqlite_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _converters(table: Table, names: list[str], sqlite: bool) -> list[tuple[int, Convert]]:
    """(position, conversion) for the columns whose Python values the driver does not take as they are."""
    found: list[tuple[int, Convert]] = []
    for i, name in enumerate(names):
        kind = table.c[name].type
        if isinstance(kind, JSON):
            found.append((i, _json))
        elif sqlite and isinstance(kind, DateTime):
            found.append((i, lambda v: None if v is None else _sqlite_time(v)))
        elif sqlite and isinstance(kind, Date):
            found.append((i, _sqlite_day))
        elif sqlite and isinstance(kind, Boolean):
            found.append((i, _bool))
    return found


def _tuples(rows: Sequence[Mapping[str, Any]], names: list[str],
            converters: list[tuple[int, Convert]]) -> list[list[Any]]:
    get = itemgetter(*names)
    out = []
    for row in rows:
        values = list(get(row))
        for i, convert in converters:
            values[i] = convert(values[i])
        out.append(values)
    return out


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) into table in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    names = list(rows[0])
    columns = ", ".join(quote(n) for n in names)
    sqlite = connection.dialect.name != "postgresql"
    values = _tuples(rows, names, _converters(table, names, sqlite))
    if not sqlite:
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in names)
    connection.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})",  # noqa: S608
                               [tuple(v) for v in values])
