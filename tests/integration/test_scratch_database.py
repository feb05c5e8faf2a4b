"""A throw-away database is dropped even when its process is stopped with SIGTERM.

Benchmarks run for minutes and are stopped with `kill` or `timeout`; before, Python died
at once on SIGTERM and left a database of the size of the benchmark behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys, time
from devtools.scratch import scratch_database
with scratch_database(sys.argv[1], "newswire_sigterm") as url:
    print(url, flush=True)
    time.sleep(120)
"""


def _exists(admin_url: str, conninfo: str) -> bool:
    name = psycopg.conninfo.conninfo_to_dict(conninfo)["dbname"]
    with psycopg.connect(admin_url) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            is not None
        )


def test_sigterm_drops_the_scratch_database(admin_url: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, admin_url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'plugins'}"},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    conninfo = child.stdout.readline().strip()
    assert conninfo, "the child printed no database"
    assert _exists(admin_url, conninfo)
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=60) == 128 + signal.SIGTERM
    assert not _exists(admin_url, conninfo)
