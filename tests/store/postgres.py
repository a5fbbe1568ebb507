"""A throw-away PostgreSQL + PostGIS server for tests and benches: initdb in a temporary folder, started on
a free port on 127.0.0.1, stopped and deleted afterwards. As root the server runs as the `postgres` user
(PostgreSQL refuses to run as root). Binaries: $PG_BIN, else the newest /usr/lib/postgresql/*/bin.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def pg_bin() -> Path | None:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def postgis_installed(bin_dir: Path) -> bool:
    share = subprocess.run([bin_dir / "pg_config", "--sharedir"], capture_output=True, text=True, check=True)
    return (Path(share.stdout.strip()) / "extension" / "postgis.control").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    as_user: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str | Path) -> None:
        result = subprocess.run([*self.as_user, *map(str, args)], capture_output=True, text=True)
        if result.returncode:
            log = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() else ""
            raise PostgresUnavailable(f"{args[0]} failed: {result.stderr.strip()}\n{log[-2000:]}")

    def start(self) -> None:
        data = self.root / "data"
        self._run(self.bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync",
                  "--locale=C")
        self._run(self.bin_dir / "pg_ctl", "-D", data, "-o", self._options, "-l", self.root / "server.log", "-w",
                  "start")

    def halt(self) -> None:
        """Stop the server and keep its data (resume() starts it again on the same port)."""
        self._run(self.bin_dir / "pg_ctl", "-D", self.root / "data", "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        self._run(self.bin_dir / "pg_ctl", "-D", self.root / "data", "-o", self._options, "-l",
                  self.root / "server.log", "-w", "start")

    @property
    def _options(self) -> str:
        return f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off " \
               "-c synchronous_commit=off -c full_page_writes=off"

    def create_database(self, name: str) -> str:
        import sqlalchemy as sa

        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(self.bin_dir / "pg_ctl", "-D", self.root / "data", "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PostgresServer:
    """A started server; PostgresUnavailable if the binaries or PostGIS are missing or it will not start."""
    bin_dir = pg_bin()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise PostgresUnavailable("PostgreSQL binaries not found "
                                  "(apt-get install postgresql-15 postgresql-15-postgis-3)")
    if not postgis_installed(bin_dir):
        raise PostgresUnavailable("PostGIS is not installed (apt-get install postgresql-15-postgis-3)")
    root = Path(tempfile.mkdtemp(prefix="strike-map-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(bin_dir, root, _free_port(), as_user)
    try:
        server.start()
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def start_server_for_tests() -> PostgresServer:
    """start_server(), or the test is skipped where PostgreSQL is not installed and fails in CI (CI=true), so
    PostgreSQL tests cannot silently stop running there."""
    import pytest

    try:
        return start_server()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI, but: {exc}")
        pytest.skip(f"PostgreSQL not available here: {exc}")
