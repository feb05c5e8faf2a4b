"""tass_reanalyse run by Airflow itself: mapped shares of batches restore what the load
stored, and the job is closed."""

from __future__ import annotations

import json
import subprocess

import psycopg
import pytest
from newswire import pipeline
from newswire.config import Settings
from newswire.models import Window

from tests.dags.conftest import AIRFLOW
from tests.integration.test_reanalyse_batches import _spoil, _stored

pytestmark = pytest.mark.airflow
DAY = Window.parse("2024-12-26", "2024-12-27")


def test_mapped_reanalyse_restores_the_analysis(
    airflow_env: dict[str, str],
    db_url: str,
    site_settings: Settings,
) -> None:
    pipeline.ingest_window(db_url, site_settings, DAY)
    expected = _stored(db_url)
    _spoil(db_url)
    assert _stored(db_url) != expected

    done = subprocess.run(
        [
            str(AIRFLOW),
            "dags",
            "test",
            "tass_reanalyse",
            "--conf",
            json.dumps({"batch_size": 2, "parts": 3, "restart": True, "all": True}),
        ],
        env={**airflow_env, "NEWS_DB_URL": db_url},
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert _stored(db_url) == expected
    with psycopg.connect(db_url) as conn:
        finished, batches = conn.execute(
            "SELECT j.finished_at IS NOT NULL, count(b.*) FROM reanalyse_jobs j"
            " JOIN reanalyse_batches b ON b.job_id = j.id GROUP BY j.id ORDER BY j.id DESC"
        ).fetchone()
    assert finished and batches > 3
