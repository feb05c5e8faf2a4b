"""Throw-away databases beside a server's admin database.

Tests, benchmarks and the schema catalogue each need a database of their own that is gone
afterwards, whatever happened inside: created from the admin connection, its sessions
ended and dropped on the way out. One helper, so every caller cleans up the same way.
"""

from __future__ import annotations

import signal
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import psycopg
from psycopg import sql


def with_dbname(url: str, dbname: str) -> str:
    """`url` (a URL or key=value string) naming database `dbname` instead."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


def drop_database(admin_url: str, name: str) -> None:
    """End the database's sessions (a crashed worker may hold one) and drop it."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (name,),
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def _cleanup_on_sigterm() -> Iterator[None]:
    """Make SIGTERM (`kill`, `timeout`) unwind the stack, so the `finally` below drops the
    database; by default Python dies at once and leaves it behind. Only where SIGTERM
    still has its default action and signals can be set (the main thread)."""
    main = threading.current_thread() is threading.main_thread()
    if not main or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def scratch_database(admin_url: str, prefix: str, *, keep: bool = False) -> Iterator[str]:
    """A new empty database named `prefix_<random>` on `admin_url`'s server; yields its
    connection string and drops it afterwards (unless `keep`, which says where it is)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        with _cleanup_on_sigterm():
            yield with_dbname(admin_url, name)
    finally:
        if keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            drop_database(admin_url, name)
