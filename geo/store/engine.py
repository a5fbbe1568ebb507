"""Where the store is and how to talk to it: the URL, the engine, sessions and write transactions.

STRIKE_MAP_DATABASE_URL (an SQLAlchemy URL) picks the database; without it the store is an SQLite file
var/strike-map.sqlite under the repository (STRIKE_MAP_VAR_DIR moves the folder; git ignores var/).
SQLite runs in WAL mode with foreign keys on; a write takes the lock up front (BEGIN IMMEDIATE), waits
for another writer up to a busy timeout, and is retried with backoff before StoreLocked says so clearly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from geo.errors import DataError
from geo.paths import ROOT

URL_ENV = "STRIKE_MAP_DATABASE_URL"
VAR_ENV = "STRIKE_MAP_VAR_DIR"
SQLITE_FILE = "strike-map.sqlite"
#: seconds a PostgreSQL connect may take before the store counts as unreachable
PG_CONNECT_TIMEOUT_S = 5
#: Run on each new PostgreSQL connection of the store. JIT compilation off: the store's queries are short
#: analytic ones over many rows, where JIT cost more than it saved (bench/scale_pg.py at 1,000,000 context
#: events: 3.5 s of JIT compilation for a 1.9 s distance query). Skipped when the URL carries `options` or
#: PGOPTIONS is set (the site's own settings); a server or pooler that refuses it leaves the default.
PG_SESSION_SQL = "SET jit = off"
T = TypeVar("T")


class StoreError(Exception):
    """The store cannot do what was asked; the message says why in the user's words."""


class StoreUnreachable(StoreError, DataError):
    """The database cannot be reached: the server is down, refuses the connection or the login, or the
    connection was lost. Says which database (password hidden), what failed and what to do."""

    def __init__(self, url: str, reason: str) -> None:
        self.database = describe_url(url)
        self.reason = reason
        self.advice = _advice(url)
        super().__init__(f"cannot reach the store {self.database}: {reason}. {self.advice}")


def _advice(url: str) -> str:
    if make_url(url).get_backend_name() == "sqlite":
        return "Check that the file and its folder exist and are readable and writable, then try again."
    return (f"Start the database server (or correct {URL_ENV}: host, port, user, password), then try again; "
            "nothing is read from this store until it answers.")


def _reason(exc: BaseException, url: str) -> str:
    """The driver's first line, without its "connection failed:" prefix and never with the password."""
    line = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
    line = line.removeprefix("connection failed:").strip()
    password = make_url(url).password
    return line.replace(str(password), "***") if password else line


class StoreLocked(StoreError):
    """Another process held the SQLite write lock through every retry."""


def var_dir() -> Path:
    return Path(os.environ.get(VAR_ENV) or ROOT / "var")


def database_url() -> str:
    """The configured SQLAlchemy URL, or the default SQLite file under var_dir()."""
    return os.environ.get(URL_ENV) or f"sqlite:///{var_dir() / SQLITE_FILE}"


def describe_url(url: str) -> str:
    """The URL with any password hidden (for messages)."""
    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Retry:
    """How a write waits for a locked SQLite database: busy timeout per try, then backoff between tries."""

    busy_timeout_ms: int = 5000
    attempts: int = 5
    first_backoff_s: float = 0.1
    on_retry: Callable[[int, Exception], None] | None = field(default=None, compare=False)


def _is_locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


#: (SQLite message part or PostgreSQL SQLSTATE, what it means to the user, what to do)
_STORAGE_FAILURES = (
    (("readonly database", "read-only transaction", "25006"), "is read-only",
     "make it writable (the file's and its folder's permissions, or the database's read-only setting)"),
    (("database or disk is full", "no space left", "53100", "53000"), "is on a full disk",
     "free some space"),
    (("disk i/o error", "unable to open database file", "58030"), "could not be written (an I/O error)",
     "check the disk and the folder's permissions"),
)


def storage_failure(where: str, exc: DBAPIError) -> StoreError | None:
    """A StoreError in the user's words when a write failed because of the storage (read-only, full
    disk, I/O error), or None for any other failure. The transaction was rolled back, so it says nothing
    already stored was changed."""
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or ""
    text = f"{exc.orig} {sqlstate}".lower()
    for signs, what, todo in _STORAGE_FAILURES:
        if any(sign in text for sign in signs):
            return StoreError(f"the store {where} {what}: nothing was written, and nothing already stored was "
                              f"changed; {todo}, then try again")
    return None


@dataclass
class Store:
    """One database: an engine and the sessions, transactions and retries over it."""

    url: str
    engine: Engine
    retry: Retry

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        database = make_url(self.url).database
        if not (self.is_sqlite and database and database != ":memory:"):
            return None
        return Path(database.removeprefix("file:")) if database.startswith("file:") else Path(database)

    @property
    def where(self) -> str:
        """The store as messages name it: the SQLite file, or the URL without its password."""
        return str(self.sqlite_path) if self.sqlite_path else describe_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (a deferred transaction: it never takes the write lock)."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run work(session) in one transaction: all of it is committed, or none of it.

        On SQLite a writer that finds the database locked is retried with backoff; after the last try
        StoreLocked names the file. A read-only store, a full disk or an I/O error becomes a StoreError that
        says so. Any other error rolls the transaction back and propagates.
        """
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        delay = self.retry.first_backoff_s
        for attempt in range(1, self.retry.attempts + 1):
            try:
                with Session(writer, expire_on_commit=False) as session, session.begin():
                    return work(session)
            except DBAPIError as exc:
                if not (self.is_sqlite and isinstance(exc, OperationalError) and _is_locked(exc)):
                    failure = storage_failure(self.where, exc)
                    if failure is not None:
                        raise failure from exc
                    raise
                if attempt == self.retry.attempts:
                    raise StoreLocked(
                        f"the store {self.sqlite_path} is locked by another process (a long write?); "
                        f"gave up after {attempt} tries with {self.retry.busy_timeout_ms} ms waits; try again"
                    ) from exc
                if self.retry.on_retry:
                    self.retry.on_retry(attempt, exc)
                time.sleep(delay)  # backoff before the next try, not a test wait
                delay *= 2
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_setup(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver's own BEGIN handling is off; we emit ours
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def open_store(url: str | None = None, retry: Retry | None = None) -> Store:
    """A Store for url (default: database_url()); the SQLite file's folder is created if missing."""
    url = url or database_url()
    retry = retry or Retry()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        uri = str(parsed.query.get("uri", "")).lower() == "true"  # file:...?mode=ro&uri=true: not a plain path
        if parsed.database and parsed.database != ":memory:" and not uri:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": retry.busy_timeout_ms / 1000})
        _sqlite_setup(engine, retry.busy_timeout_ms)
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        # a server that drops packets must not hang a page for the system's TCP timeout (minutes)
        timeout = {} if "connect_timeout" in parsed.query else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        engine = create_engine(url, pool_pre_ping=True, connect_args=timeout)
        if "options" not in parsed.query and not os.environ.get("PGOPTIONS"):  # the site's own settings win
            _pg_session_setup(engine)
    else:
        raise StoreError(f"{describe_url(url)}: unsupported database; use sqlite:///FILE or postgresql://...")
    _report_unreachable(engine, url)
    return Store(url=url, engine=engine, retry=retry)


def _pg_session_setup(engine: Engine) -> None:
    """PG_SESSION_SQL on every new connection, as a statement (not a startup `options` parameter, which
    connection poolers such as PgBouncer refuse outright); if it fails, the connection keeps its defaults."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(PG_SESSION_SQL)
            dbapi_connection.commit()
        except Exception:  # a setting refused is not a store failure
            dbapi_connection.rollback()


def _report_unreachable(engine: Engine, url: str) -> None:
    """A failed connect (connection is None) or a lost connection becomes StoreUnreachable, wherever it
    happens (a read, a write, a migration). The pool pings before use, so once the server is back the
    next request connects again by itself."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        if context.is_pre_ping:  # a stale pooled connection: the pool replaces it (and a failed connect lands here)
            return
        if context.connection is None or context.is_disconnect:
            raise StoreUnreachable(url, _reason(context.original_exception, url)) from context.sqlalchemy_exception
