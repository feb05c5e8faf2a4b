"""A run whose terminal process died is closed as `abandoned` by the next run; a stopped
one is failed with the signal's name."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime

from newswire import runs
from newswire.db import connect
from newswire.models import Window

from tests.helpers import query_one

WINDOW = Window(datetime(2024, 12, 26, tzinfo=UTC), datetime(2024, 12, 27, tzinfo=UTC))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_run_abandons_a_run_whose_process_died(db_url: str) -> None:
    host = socket.gethostname()
    dead, alive = f"{host}:{_dead_pid()}", runs.current_owner()
    with connect(db_url) as conn:
        orphan = runs.start_run(conn, WINDOW, "http://x", dag_id="tass_ingest", owner=dead)
        live = runs.start_run(conn, WINDOW, "http://x", dag_id="tass_ingest", owner=alive)
        elsewhere = runs.start_run(conn, WINDOW, "http://x", owner="other-host:1")
        scheduled = runs.start_run(conn, WINDOW, "http://x", dag_id="tass_ingest")
        runs.start_run(conn, WINDOW, "http://x", dag_id="tass_ingest")
    state, message, finished = query_one(
        db_url, "SELECT state, message, finished_at FROM ingest_runs WHERE id = %s", (orphan,)
    )
    assert state == "abandoned" and finished is not None
    assert dead in message and "ended before the run finished" in message
    for kept in (live, elsewhere, scheduled):
        assert query_one(db_url, "SELECT state FROM ingest_runs WHERE id = %s", (kept,)) == (
            "running",
        )


def test_a_stopped_owner_fails_only_its_own_running_runs(db_url: str) -> None:
    with connect(db_url) as conn:
        mine = runs.start_run(conn, WINDOW, "http://x", owner="h:1")
        other = runs.start_run(conn, WINDOW, "http://x", owner="h:2")
        assert runs.fail_owned(conn, "h:1", "stopped by the operator (SIGTERM)") == [mine]
        assert runs.get_summary(conn, mine).message == "stopped by the operator (SIGTERM)"
        assert runs.get_summary(conn, mine).state == "failed"
        assert runs.get_summary(conn, other).state == "running"
