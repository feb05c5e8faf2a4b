"""A warehouse password never reaches any log of a run through Airflow (`make ingest`).

The run goes through `newswire airflow-ingest` -> `airflow dags test`, with the password in
both NEWS_DB_URL and the `news_db` Airflow connection and every logger at DEBUG. Afterwards
every file the run wrote under AIRFLOW_HOME (task logs, the DAG processor's) and the data
dir, and the CLI's own output, are searched for the password in plain and URL-quoted form.
(Airflow 3.3's in-process supervisor logs each MaskSecret request, value included, at DEBUG;
the CLI filters the child's output, see `airflow_child.passwords_in`.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from newswire.db import as_url

from devtools.testsite.server import TassTestSite
from tests.dags.conftest import airflow_home_env

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")
# Distinctive, with characters a URL must quote, so a leak in either form is caught.
SECRET = "Pw-9xQ!never@logged"

pytestmark = pytest.mark.airflow


def _with_password(db_url: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(db_url)
    return as_url(psycopg.conninfo.make_conninfo(**{**info, "password": SECRET}))


def _forms() -> set[str]:
    return {SECRET, quote(SECRET, safe=""), quote(SECRET)}


def _leaks(root: Path) -> dict[str, list[str]]:
    """Files under `root` holding the secret (the SQLite metadata database excepted)."""
    forms = _forms()
    found: dict[str, list[str]] = {}
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix in {".db", ".db-journal", ".db-wal"}:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        hits = [form for form in forms if form in text]
        if hits:
            found[str(path.relative_to(root))] = hits
    return found


def test_an_airflow_run_writes_the_password_to_no_log(
    db_url: str, test_site: TassTestSite, tmp_path: Path
) -> None:
    home = tmp_path / "airflow_home"
    data_dir = tmp_path / "data"
    url = _with_password(db_url)
    assert SECRET in psycopg.conninfo.conninfo_to_dict(url).get("password", "")
    env = {
        **airflow_home_env(home),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "DEBUG",
        "NEWS_DB_URL": url,  # the server trusts the user; the password is inert
        "AIRFLOW_CONN_NEWS_DB": url,
        "NEWSWIRE_DATA_DIR": str(data_dir),
        "TASS_BASE_URL": test_site.base_url,
        "TASS_REQUEST_INTERVAL": "0",
        "TASS_CONCURRENCY": "4",
    }
    home.mkdir()
    migrated = subprocess.run(
        [str(AIRFLOW), "db", "migrate"], env=env, capture_output=True, text=True, timeout=300
    )
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    done = subprocess.run(
        [sys.executable, "-m", "newswire.cli", "-v", "airflow-ingest", "--via", "dags-test",
         "--since", "2024-12-26", "--until", "2024-12-27"],
        env=env, capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    with psycopg.connect(db_url) as conn:
        (stored,) = conn.execute("SELECT count(*) FROM articles").fetchone() or (0,)
    assert stored == 20, "the run did not load the window, so its logs prove nothing"

    # `dags test` runs the tasks in process: their log lines are in the CLI's output (the
    # load task's among them), which Airflow's DEBUG output would leak the password into.
    assert "[DAG TEST] end task task_id=load" in output, output[-3000:]
    assert "MaskSecret" in output, "no DEBUG output: the test would miss Airflow's leak"
    leaked = [line[:300] for line in output.splitlines() if any(f in line for f in _forms())]
    assert leaked == [], "the CLI output shows the password"
    assert (home / "airflow.cfg").is_file()
    assert _leaks(home) == {}
    if data_dir.exists():
        assert _leaks(data_dir) == {}
