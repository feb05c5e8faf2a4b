"""What `newswire demo` needs from Airflow wherever it runs: a checkout or an install.

`make demo` exports AIRFLOW_HOME, the DAGs folder and the metadata database before it
calls the CLI. An installed `newswire demo` (the `airflow` and `embedded` extras) has no
Makefile: it gets the same defaults here, with the DAGs this distribution ships (devtools/
dags links to the top-level dags/, so a wheel carries copies), and the metadata database
is created on first use. Variables already set always win.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def dags_folder() -> Path:
    """The DAG files: devtools/dags (the checkout's dags/ through a link, or the wheel's copy)."""
    folder = PACKAGE / "dags"
    if not (folder / "tass_ingest.py").is_file():
        raise FileNotFoundError(f"no DAG files in {folder}: is the distribution complete?")
    return folder


def airflow_environment(env: Mapping[str, str], airflow_home: Path) -> dict[str, str]:
    """`env` plus the Airflow settings the demo relies on, where `env` lacks them."""
    home = Path(env.get("AIRFLOW_HOME") or airflow_home)
    defaults = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder()),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
    }
    return {**defaults, **{k: v for k, v in env.items() if v != ""}}


def ensure_metadata_db(env: Mapping[str, str], airflow: Path) -> None:
    """Run `airflow db migrate` once when the demo's SQLite metadata database is missing.

    A database elsewhere (a URL the caller set) is the caller's to prepare.
    """
    conn = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    if not conn.startswith("sqlite:///") or Path(conn.removeprefix("sqlite:///")).exists():
        return
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    log = home / "db-migrate.log"
    print(f"creating Airflow's metadata database (log: {log}) ...")
    with log.open("w") as out:
        subprocess.run(
            [str(airflow), "db", "migrate"],
            env=dict(env), stdout=out, stderr=subprocess.STDOUT, check=True,
        )
