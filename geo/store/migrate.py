"""Create or migrate the store's schema with the Alembic migrations shipped in geo/store/migrations.

Alembic is configured in code (no alembic.ini): the script folder is this package's, the connection is
the Store's. The same migrations create SQLite and PostgreSQL (+ PostGIS geometry columns) databases.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from geo.store.engine import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(store: Store) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
    return config


def head_revision(store: Store) -> str:
    head = ScriptDirectory.from_config(alembic_config(store)).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


#: key of the PostgreSQL advisory lock that serialises migrations between processes
_MIGRATION_LOCK = 0x5354524B


def upgrade(store: Store, say: Callable[[str], None] = lambda _: None) -> bool:
    """Bring the schema to the newest revision; True if anything was done. Progress goes to say().

    Two processes starting on a fresh store (the dashboard and a command) must not both create it: the
    migration holds the write lock (SQLite) or an advisory lock (PostgreSQL) and looks again under it.
    """
    head = head_revision(store)
    if current_revision(store) == head:
        say(f"schema is at the newest revision ({head})")
        return False
    config = alembic_config(store)
    with store.engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
        if store.is_postgresql:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            say(f"schema is at the newest revision ({head})")
            return False
        say(f"schema {'created' if current is None else 'migrated from ' + current} -> {head} ...")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    say(f"schema at revision {head}")
    return True
