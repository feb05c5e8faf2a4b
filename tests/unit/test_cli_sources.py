"""`make ingest SOURCE=…` and `make backfill` reach the right DAG and source."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from newswire import cli
from newswire.cli import ingest as cli_ingest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("source", "dag_id"), [(None, "tass_ingest"), ("tass.ru", "tass_ru_ingest")]
)
def test_airflow_ingest_runs_the_sources_dag(
    monkeypatch: pytest.MonkeyPatch, source: str | None, dag_id: str
) -> None:
    seen: dict[str, object] = {}

    def fake_run(
        since: str, until: str | None, env: dict[str, str], log_path=None, dag_id: str = ""
    ) -> int:
        seen["dag_id"], seen["since"] = dag_id, since
        return 0

    monkeypatch.delenv("TASS_SOURCE", raising=False)
    monkeypatch.setattr(cli_ingest, "resolve_db_url", lambda settings: "postgresql://x/y")
    monkeypatch.setattr(cli_ingest, "run_dag_through_airflow", fake_run)
    monkeypatch.setattr(cli_ingest, "latest_run", lambda db_url, started, dag: None)
    argv = ["airflow-ingest", "--since", "2017-09-12", "--until", "2017-09-13"]
    code = cli.main(argv + (["--source", source] if source else []))
    assert code == 1  # no run recorded by the fake: reported as a failure
    assert seen == {"dag_id": dag_id, "since": "2017-09-12"}


def test_unknown_source_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["ingest", "--since", "2017-09-12", "--source", "ria.ru"]) == 2
    assert "unknown source 'ria.ru'" in capsys.readouterr().err


def test_make_passes_source_and_range_on() -> None:
    def dry(*args: str) -> str:
        return subprocess.run(
            ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout

    ingest = dry("ingest", "SOURCE=tass.ru", "SINCE=2017-09-12", "UNTIL=2017-09-13")
    assert 'airflow-ingest --since "2017-09-12" --until "2017-09-13" --source "tass.ru"' in ingest
    backfill = dry("backfill", "SINCE=2017-01-01", "UNTIL=2017-04-01")
    assert 'cli backfill --since "2017-01-01" --until "2017-04-01"' in backfill
    assert "--source" not in backfill.split("cli backfill", 1)[1].splitlines()[0]
