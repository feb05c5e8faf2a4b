"""Where the warehouse is and how to reach it: NEWS_DB_URL, or the embedded Postgres.

Driver details stay here so the stages only ever ask for a connection.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import psycopg

from newswire.config import Settings, project_root

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "newswire"


class DatabaseUnavailable(RuntimeError):
    """The warehouse cannot be reached; the message says which one and why."""


def embedded_data_dir(settings: Settings) -> Path:
    return settings.data_dir / "pgdata"


def start_embedded(settings: Settings) -> str:
    """Start (or reuse) the embedded Postgres and return a URL of its warehouse database."""
    pgdata = embedded_data_dir(settings)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
        import pgserver  # imported late: only the embedded path needs it

        try:
            server = pgserver.get_server(pgdata, cleanup_mode=None)
        except Exception as exc:  # pgserver raises bare exceptions with initdb/pg_ctl output
            raise DatabaseUnavailable(
                f"could not start the embedded Postgres in {pgdata}: {exc}"
            ) from exc
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DATABASE,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DATABASE}"')
    return server.get_uri(EMBEDDED_DATABASE)


def stop_embedded(settings: Settings) -> bool:
    """Stop the embedded server if it runs; returns whether there was one to stop."""
    pgdata = embedded_data_dir(settings)
    if not (pgdata / "postmaster.pid").exists():
        return False
    import pgserver

    pg_ctl = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    owner = pgdata.owner()
    command = [str(pg_ctl), "-D", str(pgdata), "-m", "fast", "-w", "stop"]
    if owner != _current_user() and shutil.which("su"):
        # As root, pgserver runs postgres as its own user; pg_ctl must run as that user.
        command = ["su", owner, "-s", "/bin/sh", "-c", " ".join(command)]
    subprocess.run(command, check=True, capture_output=True)
    return True


def _current_user() -> str:
    import getpass

    return getpass.getuser()


@cache
def _resolved_url(db_url: str | None, data_dir: Path) -> str:
    if db_url:
        return db_url
    return start_embedded(Settings(data_dir=data_dir))


def resolve_db_url(settings: Settings) -> str:
    """NEWS_DB_URL when set, otherwise the embedded warehouse (started on demand)."""
    return _resolved_url(settings.db_url, settings.data_dir)


def as_url(conninfo: str) -> str:
    """Any libpq connection string (URL or key=value) as a postgresql:// URL."""
    from urllib.parse import quote, urlencode

    info = psycopg.conninfo.conninfo_to_dict(conninfo)
    user = quote(str(info.pop("user", "")), safe="")
    password = info.pop("password", None)
    credentials = f"{user}:{quote(str(password), safe='')}@" if password else f"{user}@"
    host = str(info.pop("host", ""))
    query: dict[str, str] = {}
    if host.startswith("/"):  # a socket directory cannot sit in the authority part
        query["host"] = host
        host = ""
    port = info.pop("port", None)
    netloc = f"{credentials}{host}{f':{port}' if port and host else ''}"
    if port and not host:
        query["port"] = str(port)
    dbname = quote(str(info.pop("dbname", "")), safe="")
    query.update({k: str(v) for k, v in info.items()})
    suffix = f"?{urlencode(query)}" if query else ""
    return f"postgresql://{netloc}/{dbname}{suffix}"


def url_without_password(url: str) -> str:
    """The full connection URL (socket directory, options) minus any password, safe to
    print or log: libpq then takes the password from PGPASSWORD or ~/.pgpass, or asks."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    info.pop("password", None)
    return as_url(psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items()}))


def describe_url(url: str) -> str:
    """The URL without its password, for logs."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    host = info.get("host") or "localhost"
    user, port, dbname = info.get("user", ""), info.get("port", 5432), info.get("dbname", "")
    return f"postgresql://{user}@{host}:{port}/{dbname}"


@contextmanager
def connect(url: str, *, autocommit: bool = False) -> Iterator[psycopg.Connection]:
    try:
        conn = psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(
            f"cannot connect to the warehouse {describe_url(url)}: {exc}".strip()
        ) from exc
    with conn:
        yield conn


def sql_dir() -> Path:
    return project_root() / "sql"


@cache
def load_sql(relative_path: str) -> str:
    """Text of a SQL file under sql/ (queries stay in files, not in Python strings)."""
    path = sql_dir() / relative_path
    if not path.is_file():
        raise FileNotFoundError(f"SQL file {relative_path} not found under {sql_dir()}")
    return path.read_text(encoding="utf-8")
