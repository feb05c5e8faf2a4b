"""Bookkeeping of ingestion runs in `ingest_runs`: start, counts, finish, failure."""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row, dict_row

from newswire.db import load_sql
from newswire.models import Window

# Joins the errors of a run that failed more than once, the first error first.
THEN = " | then "


@dataclass(frozen=True)
class RunSummary:
    """What an operator and `make demo` print at the end of a run."""

    run_id: int
    state: str
    window_start: datetime
    window_end: datetime
    discovered: int
    fetched: int
    parsed: int
    inserted: int
    updated: int
    unchanged: int
    failed: int
    message: str | None
    retried: int = 0
    not_modified: int = 0
    skipped: int = 0
    quarantined: int = 0

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["window_start"] = self.window_start.isoformat()
        data["window_end"] = self.window_end.isoformat()
        return data

    def __str__(self) -> str:
        lines = [
            f"ingest run {self.run_id}: {self.state}",
            f"  window      {self.window_start.isoformat()} .. {self.window_end.isoformat()}",
            f"  discovered  {self.discovered}",
            f"  fetched     {self.fetched}",
            f"  parsed      {self.parsed}",
            f"  inserted    {self.inserted}",
            f"  updated     {self.updated}",
            f"  unchanged   {self.unchanged}",
            f"  failed      {self.failed}",
            f"  retried     {self.retried}",
            f"  not_modified {self.not_modified}",
            f"  skipped     {self.skipped}",
            f"  quarantined {self.quarantined}",
        ]
        if self.message:
            lines.append(f"  message     {self.message}")
        return "\n".join(lines)


def start_run(
    conn: psycopg.Connection,
    window: Window,
    base_url: str,
    *,
    dag_id: str | None = None,
    dag_run_id: str | None = None,
    source: str | None = None,
    owner: str | None = None,
) -> int:
    """A new run row; an Airflow retry of the same DAG run reuses its row.

    First closes as `abandoned` the runs whose owner process on this host has died."""
    abandon_dead(conn)
    if dag_run_id:
        row = conn.execute(
            "SELECT id FROM ingest_runs WHERE dag_id = %s AND dag_run_id = %s "
            "ORDER BY id DESC LIMIT 1",
            (dag_id, dag_run_id),
        ).fetchone()
        if row:
            params = {"window_start": window.start, "window_end": window.end, "run_id": row[0]}
            conn.execute(load_sql("pipeline/run_restart.sql"), params)
            return int(row[0])
    row = conn.execute(
        "INSERT INTO ingest_runs"
        " (dag_id, dag_run_id, base_url, window_start, window_end, source, owner)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (dag_id, dag_run_id, base_url, window.start, window.end, source, owner),
    ).fetchone()
    assert row is not None
    return int(row[0])


def run_window(conn: psycopg.Connection, run_id: int) -> Window:
    row = conn.execute(
        "SELECT window_start, window_end FROM ingest_runs WHERE id = %s", (run_id,)
    ).fetchone()
    if row is None:
        raise LookupError(f"ingest run {run_id} does not exist")
    return Window(row[0], row[1])


def add_load_counts(
    conn: psycopg.Connection, run_id: int, inserted: int, updated: int, unchanged: int
) -> None:
    conn.execute(
        "UPDATE ingest_runs SET inserted = inserted + %s, updated = updated + %s,"
        " unchanged = unchanged + %s WHERE id = %s",
        (inserted, updated, unchanged, run_id),
    )


def finish_run(
    conn: psycopg.Connection, run_id: int, *, state: str = "success", message: str | None = None
) -> RunSummary:
    with conn.cursor(row_factory=dict_row) as cur:
        counts = cur.execute(load_sql("pipeline/run_counts.sql"), {"run_id": run_id}).fetchone()
    if counts is None:
        raise LookupError(f"ingest run {run_id} does not exist")
    params = {**counts, "state": state, "message": message, "run_id": run_id}
    conn.execute(load_sql("pipeline/run_finish.sql"), params)
    return get_summary(conn, run_id)


def fail_run(conn: psycopg.Connection, run_id: int, message: str) -> RunSummary:
    """Close the run as failed. A run already failed keeps its first error first and gets
    the new one after it ("… | then …"): the quality gate that fails after a failed fetch
    must not push the cause out of sight."""
    row = conn.execute(
        "SELECT message FROM ingest_runs WHERE id = %s AND state = 'failed'", (run_id,)
    ).fetchone()
    earlier = row[0] if row else None
    if earlier and message not in earlier.split(THEN):
        message = f"{earlier}{THEN}{message}"
    elif earlier:
        message = earlier
    return finish_run(conn, run_id, state="failed", message=message)


def current_owner() -> str:
    """`host:pid` of this process: the owner an interactive run records."""
    return f"{socket.gethostname()}:{os.getpid()}"


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists here (signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        return True
    return True


def abandon_dead(conn: psycopg.Connection, host: str | None = None) -> list[int]:
    """Close as `abandoned` every `running` run whose owner process on this host is gone.

    Only this host's processes can be checked; a run owned elsewhere waits for its host.
    """
    host = host or socket.gethostname()
    rows = conn.execute(load_sql("pipeline/run_owned_running.sql"), {"host": host}).fetchall()
    closed = []
    for run_id, owner in rows:
        _, _, pid = str(owner).partition(":")
        if pid.isdigit() and not process_alive(int(pid)):
            message = f"abandoned: its process {owner} ended before the run finished"
            params = {"run_id": run_id, "message": message}
            conn.execute(load_sql("pipeline/run_abandon.sql"), params)
            closed.append(int(run_id))
    return closed


def fail_owned(conn: psycopg.Connection, owner: str, message: str) -> list[int]:
    """Fail the runs still `running` that `owner` drives (it was stopped); their ids."""
    rows = conn.execute(
        "SELECT id FROM ingest_runs WHERE state = 'running' AND owner = %s ORDER BY id",
        (owner,),
    ).fetchall()
    for (run_id,) in rows:
        fail_run(conn, run_id, message)
    return [int(run_id) for (run_id,) in rows]


def get_summary(conn: psycopg.Connection, run_id: int) -> RunSummary:
    with conn.cursor(row_factory=class_row(RunSummary)) as cur:
        summary = cur.execute(load_sql("pipeline/run_summary.sql"), {"run_id": run_id}).fetchone()
    if summary is None:
        raise LookupError(f"ingest run {run_id} does not exist")
    return summary


def find_run(conn: psycopg.Connection, dag_id: str, dag_run_id: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM ingest_runs WHERE dag_id = %s AND dag_run_id = %s ORDER BY id DESC LIMIT 1",
        (dag_id, dag_run_id),
    ).fetchone()
    return int(row[0]) if row else None


def mark_fetch_started(conn: psycopg.Connection, run_id: int) -> None:
    """Note that the fetch stage ran, so the quality gate can tell "nothing to fetch"
    from "an earlier task failed and fetching never happened"."""
    conn.execute(
        "UPDATE ingest_runs SET fetch_started_at = COALESCE(fetch_started_at, now()) WHERE id = %s",
        (run_id,),
    )


def record_block(conn: psycopg.Connection, run_id: int, reason: str) -> None:
    """Record that the host is blocking this run; the first reason recorded is kept, so
    the operator reads the batch that found the block, not the ones it stopped."""
    conn.execute(
        "UPDATE ingest_runs SET blocked_at = COALESCE(blocked_at, now()),"
        " blocked_reason = COALESCE(blocked_reason, %s) WHERE id = %s",
        (reason, run_id),
    )


def block_since(conn: psycopg.Connection, run_id: int, since: datetime | None) -> str | None:
    """The run's recorded block if it was recorded at or after `since` (None: any)."""
    row = conn.execute(
        "SELECT blocked_reason FROM ingest_runs WHERE id = %s AND blocked_at IS NOT NULL"
        " AND (%s::timestamptz IS NULL OR blocked_at >= %s::timestamptz)",
        (run_id, since, since),
    ).fetchone()
    return row[0] if row else None


def clear_block_before(conn: psycopg.Connection, run_id: int, before: datetime) -> bool:
    """Forget a block recorded before `before`: a later attempt got through unrefused.

    A block recorded after it (by a batch running at the same time) stays."""
    cleared = conn.execute(
        "UPDATE ingest_runs SET blocked_at = NULL, blocked_reason = NULL"
        " WHERE id = %s AND blocked_at < %s",
        (run_id, before),
    )
    return cleared.rowcount > 0
