"""A password in NEWS_DB_URL never reaches a run's output, however verbose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
from newswire.db import as_url

from devtools.testsite.server import TassTestSite

ROOT = Path(__file__).resolve().parents[2]
SECRET = "pw-Zq81-never-printed"


def test_a_verbose_run_and_its_summary_never_print_the_password(
    db_url: str, test_site: TassTestSite, tmp_path: Path
) -> None:
    info = psycopg.conninfo.conninfo_to_dict(db_url)
    with_password = as_url(psycopg.conninfo.make_conninfo(**{**info, "password": SECRET}))
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT / "plugins"),
        "NEWS_DB_URL": with_password,  # the server trusts the user; the password is inert
        "TASS_BASE_URL": test_site.base_url,
        "TASS_REQUEST_INTERVAL": "0",
        "NEWSWIRE_DATA_DIR": str(tmp_path),
    }
    outputs = []
    for argv in (
        ["-v", "ingest", "--since", "2024-12-26", "--until", "2024-12-27"],
        ["-v", "summary"],
        ["-v", "db", "url"],
        ["-v", "ingest", "--since", "not-a-date"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "newswire.cli", *argv],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
        )
        outputs.append(done.stdout + done.stderr)
    assert "ingest run" in outputs[0] and "success" in outputs[0], outputs[0][-2000:]
    assert info.get("user", "") in outputs[2]
    for output in outputs:
        assert SECRET not in output
