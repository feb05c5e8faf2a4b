"""Interactive Airflow children fail fast and stop with the operator's Ctrl-C/SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from newswire.cli.airflow_child import interactive_environment, passwords_in, redact, run_child

# A child that ignores SIGTERM (as `airflow dags test` did), starts a grandchild, records
# both pids and then waits for ever.
STUBBORN = """
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(sys.argv[1] + ".tmp", "w") as out:
    out.write(f"{os.getpid()} {grandchild.pid}")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    time.sleep(1)
"""


def test_interactive_runs_get_no_retries_and_a_short_budget_unless_set() -> None:
    env = interactive_environment({"PATH": "/bin", "TASS_MAX_ATTEMPTS": "3"})
    assert env["NEWSWIRE_TASK_RETRIES"] == "0"
    assert env["TASS_CONNECT_TIMEOUT"] == "5"
    assert env["TASS_MAX_ATTEMPTS"] == "3"  # the operator's own choice wins
    host, _, pid = env["NEWSWIRE_RUN_OWNER"].partition(":")
    assert host and pid == str(os.getpid())


def test_an_ordinary_child_returns_its_exit_status() -> None:
    result = run_child([sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
    assert (result.code, result.stopped_by) == (3, None)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers signal 0; its state in /proc says it is dead
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def _dies(pid: int) -> bool:
    """True once `pid` is dead; a generous bound only guards against a hang."""
    gone = threading.Event()
    for _ in range(200):
        if not _alive(pid):
            return True
        gone.wait(0.05)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc: Linux")
def test_sigterm_stops_a_child_that_ignores_it_and_its_grandchildren(tmp_path: Path) -> None:
    ready = tmp_path / "pids"
    seen = threading.Event()

    def stop_when_ready() -> None:
        while not ready.exists():  # the child writes the file atomically once set up
            if seen.wait(0.05):
                return
        os.kill(os.getpid(), signal.SIGTERM)  # what `kill <make's python>` sends

    stopper = threading.Thread(target=stop_when_ready)
    stopper.start()
    try:
        result = run_child(
            [sys.executable, "-c", STUBBORN, str(ready)], dict(os.environ), grace=0.5
        )
    finally:
        seen.set()
        stopper.join()
    assert result.stopped_by == signal.SIGTERM
    child, grandchild = (int(p) for p in ready.read_text().split())
    assert _dies(child)
    assert _dies(grandchild)  # SIGKILL was sent; its death is delivered asynchronously
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(
        signal.getsignal(signal.SIGTERM)
    )


def test_the_passwords_of_the_warehouse_and_connection_urls_are_found() -> None:
    env = {
        "NEWS_DB_URL": "postgresql://news:p%40ss%21@db:5432/news",
        "AIRFLOW_CONN_NEWS_DB": "postgresql://news:other-one@db/news",
        "AIRFLOW_CONN_JSON": '{"conn_type": "http"}',  # not a URL: ignored
        "AIRFLOW_CONN_NOPASS": "http://hooks.example.org",
        "TASS_BASE_URL": "http://user:not-a-db-secret@site",  # not a credential variable
    }
    assert passwords_in(env) == ["other-one", "p%40ss%21", "p@ss!"]
    assert redact(b"url p@ss! and other-one\n", [b"other-one", b"p@ss!"]) == b"url *** and ***\n"


def test_a_child_printing_the_password_is_shown_redacted(tmp_path: Path) -> None:
    env = {**os.environ, "NEWS_DB_URL": "postgresql://u:Sec%2Fret-77@h/db"}
    out_file = tmp_path / "out.log"
    script = "import sys; print('a Sec/ret-77 b'); print('c Sec%2Fret-77', file=sys.stderr)"
    with out_file.open("w") as out:
        result = run_child([sys.executable, "-c", script], env, stdout=out)
    assert result.code == 0
    assert out_file.read_text().splitlines() == ["a *** b", "c ***"]


# The CLI as far as it matters here: it runs STUBBORN through run_child and waits.
PARENT = """
import os, sys
from newswire.cli.airflow_child import run_child
run_child([sys.executable, "-c", sys.argv[1], sys.argv[2]], dict(os.environ))
"""


def _group_alive(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group `pgid`, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # ended while we looked
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc: Linux")
def test_a_sigkilled_cli_takes_its_airflow_child_and_the_childs_group_with_it(
    tmp_path: Path,
) -> None:
    ready = tmp_path / "pids"
    plugins = Path(__file__).resolve().parents[2] / "plugins"
    env = {**os.environ, "PYTHONPATH": str(plugins)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, STUBBORN, str(ready)], env=env)
    group = None
    try:
        waiting = threading.Event()
        for _ in range(400):  # the child writes the file atomically once set up
            if ready.exists() or parent.poll() is not None:
                break
            waiting.wait(0.05)
        assert ready.exists(), "the child never started"
        child, grandchild = (int(p) for p in ready.read_text().split())
        group = os.getpgid(child)
        assert group != os.getpgid(parent.pid)  # its own session, as before
        assert set(_group_alive(group)) >= {child, grandchild}

        parent.send_signal(signal.SIGKILL)  # nothing in the CLI runs after this
        parent.wait()

        assert _dies(child) and _dies(grandchild)
        for _ in range(200):
            if not _group_alive(group):
                break
            waiting.wait(0.05)
        assert _group_alive(group) == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if group is not None and _group_alive(group):  # a failed test leaves no orphans
            os.killpg(group, signal.SIGKILL)


def test_the_guard_starts_without_the_site_packages_preloading_the_standard_library() -> None:
    """In a fresh install nothing imports `re` or `enum` before the guard does: its own
    folder must not lead sys.path, or `cli/operator.py` shadows the standard `operator`.
    `-S` (no site) reproduces a fresh install's start from a checkout's interpreter."""
    from newswire.cli.airflow_child import guarded

    command = guarded([sys.executable, "-c", "print('child ran')"])
    assert command[0] == sys.executable
    result = subprocess.run(
        [command[0], "-S", *command[1:]], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "child ran\n"
