"""Bulk inserts for the importer, below the ORM: one executemany (SQLite) or one COPY (PostgreSQL) per chunk.

SQLAlchemy's per-row parameter processing cost more than the database's own work at 100,000 rows, so the
rows are given as columns (a list per column, or one value for every row), converted a column at a time
into what the driver takes (on SQLite the same text SQLAlchemy stores: ISO dates, 'YYYY-MM-DD HH:MM:SS.ffffff'
times, JSON text) and sent through the session's connection, inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from itertools import islice, repeat
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table, TypeDecorator
from sqlalchemy.orm import Session

#: a column's values: one per row, or a single value (str, number, date, None) shared by every row
Column = Sequence[Any] | str | int | float | date | datetime | None


def _sqlite_value(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, DateTime):  # UTC without a zone, as models.UTCDateTime stores it through the ORM
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(kind, Date):
        return value.isoformat()
    if isinstance(kind, Boolean):
        return int(value)
    return value


def _driver_value(kind: Any, value: Any, sqlite: bool) -> Any:
    if isinstance(kind, JSON) and value is not None and not isinstance(value, str):
        value = json.dumps(value)  # JSON columns take JSON text as it is
    return _sqlite_value(kind, value) if sqlite else value


def _converted(table: Table, name: str, values: Column, sqlite: bool) -> Sequence[Any] | Iterator[Any]:
    kind = table.c[name].type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if values is None or isinstance(values, str | int | float | date | datetime):
        return repeat(_driver_value(kind, values, sqlite))
    needs = isinstance(kind, JSON) or (sqlite and isinstance(kind, DateTime | Date | Boolean))
    if not needs:
        return values
    if isinstance(kind, Date):
        cache: dict[Any, Any] = {}  # few distinct days
        return [cache[v] if v in cache else cache.setdefault(v, _driver_value(kind, v, sqlite)) for v in values]
    return [_driver_value(kind, v, sqlite) for v in values]


def insert_columns(session: Session, table: Table, columns: Mapping[str, Column], rows: int,
                   chunk: int = 20_000, progress: Any = None) -> None:
    """Insert `rows` rows, given column by column, into table in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    names = list(columns)
    sqlite = connection.dialect.name != "postgresql"
    short = [n for n in names if isinstance(columns[n], Sequence) and not isinstance(columns[n], str)
             and len(columns[n]) != rows]  # type: ignore[arg-type]
    if short:
        raise ValueError(f"{table.name}: column(s) {', '.join(short)} do not have {rows} values")
    # the constant columns repeat without end; islice below takes exactly `rows`
    values = zip(*(_converted(table, n, columns[n], sqlite) for n in names), strict=False)
    column_list = ", ".join(quote(n) for n in names)
    done = 0
    if not sqlite:
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({column_list}) FROM STDIN") as copy:
            for row in islice(values, rows):
                copy.write_row(row)
                done += 1
                if progress is not None and done % chunk == 0:
                    progress(done)
        return
    marks = ", ".join("?" for _ in names)
    statement = f"INSERT INTO {quote(table.name)} ({column_list}) VALUES ({marks})"  # noqa: S608
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    while done < rows:
        batch = list(islice(values, min(chunk, rows - done)))
        cursor.executemany(statement, batch)
        done += len(batch)
        if progress is not None:
            progress(done)
