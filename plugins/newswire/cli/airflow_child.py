"""`airflow dags test` as a child process an operator can stop, failing fast.

An operator at a terminal wants the first error within a minute, not the scheduled DAG's
retries with backoff; and Ctrl-C or SIGTERM must end the whole Airflow child (which runs
in its own session, so the terminal's signal reaches only us) instead of orphaning it.
A SIGKILL we cannot handle: the child runs under `child_guard.py`, which kills the
child's process group when we die.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO
from urllib.parse import unquote, urlsplit

from newswire.runs import current_owner

# Interactive runs: no task retries, two attempts per request, a short connect budget.
# A variable the operator set explicitly wins.
INTERACTIVE_DEFAULTS: dict[str, str] = {
    "NEWSWIRE_TASK_RETRIES": "0",
    "TASS_MAX_ATTEMPTS": "2",
    "TASS_CONNECT_TIMEOUT": "5",
    "TASS_READ_TIMEOUT": "20",
}
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
REDACTED = "***"
# Variables whose value is a URL that may carry a password: the warehouse, and every
# Airflow connection given in the environment (AIRFLOW_CONN_<ID>).
_URL_VARIABLES = ("NEWS_DB_URL",)
_CONN_PREFIX = "AIRFLOW_CONN_"
# Run by path (not `-m`): it must start fast and needs nothing of the package. Isolated
# (-I): a script's own folder would otherwise lead sys.path, and this folder's
# `operator.py` would shadow the standard library's `operator` (a fresh install broke so).
GUARD = Path(__file__).with_name("child_guard.py")


def guarded(command: Sequence[str]) -> list[str]:
    """`command` under the guard that kills its process group when this process dies."""
    return [sys.executable, "-I", str(GUARD), str(os.getpid()), "--", *command]


def passwords_in(env: Mapping[str, str]) -> list[str]:
    """Every password the child's environment carries in a URL, as written and unquoted,
    longest first (so a password containing another is replaced whole)."""
    found: set[str] = set()
    for name, value in env.items():
        if name not in _URL_VARIABLES and not name.startswith(_CONN_PREFIX):
            continue
        try:
            password = urlsplit(value.strip()).password
        except ValueError:  # not a URL (e.g. a JSON connection): nothing to find
            continue
        if password:
            found.update({password, unquote(password)})
    return sorted(found, key=lambda s: (-len(s), s))


def redact(line: bytes, secrets: Sequence[bytes]) -> bytes:
    """`line` with every secret replaced; Airflow's DEBUG output prints some in clear."""
    for secret in secrets:
        line = line.replace(secret, REDACTED.encode())
    return line


def _copy_redacted(source: IO[bytes], target: IO[str], secrets: Sequence[str]) -> None:
    """Copy the child's output line by line to `target`, secrets replaced."""
    encoded = [s.encode() for s in secrets]
    for line in iter(source.readline, b""):
        target.write(redact(line, encoded).decode(errors="replace"))
        target.flush()


def interactive_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The child's environment for a run someone waits for: fail fast, name the owner."""
    out = dict(env)
    for name, value in INTERACTIVE_DEFAULTS.items():
        if not out.get(name, "").strip():
            out[name] = value
    out["NEWSWIRE_RUN_OWNER"] = current_owner()  # see runs.abandon_dead
    return out


@dataclass(frozen=True)
class ChildResult:
    """The child's exit status, and the signal that made us stop it (None: it ended)."""

    code: int
    stopped_by: int | None = None


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signum)


def run_child(
    command: Sequence[str],
    env: Mapping[str, str],
    stdout: IO[str] | None = None,
    grace: float = 10.0,
) -> ChildResult:
    """Run `command`; on SIGINT/SIGTERM stop its process group (SIGTERM, then SIGKILL
    after `grace` seconds) and report which signal stopped it. If this process is killed
    outright, the guard the command runs under kills the group (see `child_guard.py`).

    The child's output goes to `stdout` (default: ours) through a filter that replaces
    every password its environment carries (see `passwords_in`), so no log shows one.
    """
    proc = subprocess.Popen(
        guarded(command),
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert proc.stdout is not None
    copier = threading.Thread(
        target=_copy_redacted,
        args=(proc.stdout, stdout if stdout is not None else sys.stdout, passwords_in(env)),
        daemon=True,
    )
    copier.start()
    received: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        _signal_group(proc, signal.SIGTERM)

    main = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, on_signal) for s in STOP_SIGNALS} if main else {}
    try:
        return _wait(proc, received, grace)
    finally:
        copier.join(timeout=grace)  # the group is dead: the pipe ends
        proc.stdout.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _wait(proc: subprocess.Popen[bytes], received: list[int], grace: float) -> ChildResult:
    stop_at: float | None = None
    while True:
        try:
            code = proc.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            if received and stop_at is None:
                stop_at = time.monotonic() + grace
            if stop_at is not None and time.monotonic() >= stop_at:
                _signal_group(proc, signal.SIGKILL)  # it ignored SIGTERM
                stop_at = float("inf")
            continue
        _signal_group(proc, signal.SIGKILL)  # grandchildren left behind by the child
        return ChildResult(code, received[0] if received else None)
