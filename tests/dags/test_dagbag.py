"""The DAG files as Airflow's DagBag loads them: no import errors and the promised shape."""

from __future__ import annotations

import itertools
import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.airflow


def _load(deadline_hours: str | None):
    from airflow.dag_processing.dagbag import DagBag

    saved = os.environ.pop("NEWSWIRE_DEADLINE_HOURS", None)
    if deadline_hours is not None:
        os.environ["NEWSWIRE_DEADLINE_HOURS"] = deadline_hours
    try:
        return DagBag(dag_folder=str(ROOT / "dags"))
    finally:
        os.environ.pop("NEWSWIRE_DEADLINE_HOURS", None)
        if saved is not None:
            os.environ["NEWSWIRE_DEADLINE_HOURS"] = saved


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory):
    """The DAG as the deployments configure it (a 5-hour deadline)."""
    home = tmp_path_factory.mktemp("airflow_home_dagbag")
    os.environ.setdefault("AIRFLOW_HOME", str(home))
    # Airflow puts the DAG folder on sys.path in its own processes; DAG files import
    # tass_common from beside them.
    if str(ROOT / "dags") not in sys.path:
        sys.path.insert(0, str(ROOT / "dags"))
    return _load("5")


def test_dag_folder_imports_cleanly(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert "tass_ingest" in dagbag.dag_ids


def test_tasks_run_in_pipeline_order(dagbag) -> None:
    dag = dagbag.dags["tass_ingest"]
    order = ["discover", "plan_fetch", "fetch", "parse", "load", "check_quality", "summarise"]
    for upstream, downstream in itertools.pairwise(order):
        assert downstream in {
            t.task_id for t in dag.get_task(upstream).get_flat_relatives(upstream=False)
        }, f"{downstream} does not run after {upstream}"
    assert dag.get_task("summarise").downstream_task_ids == set()


def test_fetch_is_mapped_over_batches_in_the_tass_http_pool(dagbag) -> None:
    dag = dagbag.dags["tass_ingest"]
    fetch = dag.get_task("fetch")
    assert type(fetch).__name__.endswith("MappedOperator")
    assert fetch.pool == "tass_http"
    assert "plan_fetch" in fetch.upstream_task_ids


def test_alerting_is_wired(dagbag) -> None:
    dag = dagbag.dags["tass_ingest"]
    assert dag.max_consecutive_failed_dag_runs == 3
    deadline = dag.deadline[0] if isinstance(dag.deadline, list) else dag.deadline
    assert deadline.interval == timedelta(hours=5)
    assert deadline.callback.path == "tass_common.alert_deadline_missed"
    for task in dag.tasks:
        callbacks = task.on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        assert any(getattr(c, "__name__", "") == "on_task_failure" for c in callbacks), task


def test_deadline_is_on_by_default_and_off_when_zero_or_under_dags_test(
    dagbag, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = _load(None).dags["tass_ingest"]
    deadline = default.deadline[0] if isinstance(default.deadline, list) else default.deadline
    assert deadline.interval == timedelta(hours=5)
    assert not _load("0").dags["tass_ingest"].deadline
    # `airflow dags test` (make demo, make ingest) cannot end a run of a DAG with a deadline
    # in Airflow 3.3.2; the scheduler can (tests/dags/test_operator_e2e.py).
    monkeypatch.setattr(sys, "argv", [str(ROOT / ".venv/bin/airflow"), "dags", "test", "x"])
    assert not _load("5").dags["tass_ingest"].deadline


def test_views_are_refreshed_once_per_ingest_before_the_report(dagbag) -> None:
    ingest, report = dagbag.dags["tass_ingest"], dagbag.dags["tass_report"]
    assert set(report.task_ids) == {"render"}  # no second refresh
    refresh = ingest.get_task("refresh_views")
    assert "load" in refresh.upstream_task_ids
    # the report starts on the asset, which only the refresh emits: it reads current views
    assert [a.name for a in refresh.outlets] == ["newswire_articles"]
    assert not ingest.get_task("load").outlets


def test_every_task_of_every_dag_has_the_failure_callback(dagbag) -> None:
    """A failed report or reparse reaches ingest_runs/the alert webhook like an ingest."""
    import tass_common

    for dag_id, dag in dagbag.dags.items():
        for task in dag.tasks:
            callbacks = task.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            assert tass_common.on_task_failure in callbacks, f"{dag_id}.{task.task_id}"


def test_views_are_refreshed_by_one_ingest_task_and_not_by_the_report(dagbag) -> None:
    for dag_id in ("tass_ingest", "tass_ru_ingest"):
        refreshing = [t.task_id for t in dagbag.dags[dag_id].tasks if "refresh" in t.task_id]
        assert refreshing == ["refresh_views"]
    assert not [t for t in dagbag.dags["tass_report"].tasks if "refresh" in t.task_id]
    report = sorted((ROOT / "plugins/newswire/analysis/report").glob("*.py"))
    assert report, "the report package moved: point this check at it"
    source = "".join(path.read_text() for path in report)
    assert "refresh_views" not in source and "refresh_analyst_views" not in source


def test_a_worker_without_the_connection_or_news_db_url_fails_clearly(tmp_path: Path) -> None:
    import tass_common
    from newswire.config import Settings

    bare = Settings.from_env({"NEWSWIRE_DATA_DIR": str(tmp_path)})
    with pytest.raises(tass_common.WarehouseNotConfigured, match="AIRFLOW_CONN_NEWS_DB"):
        tass_common.fallback_warehouse_url(bare, local=False)
    assert not (tmp_path / "pgdata").exists()  # no embedded Postgres was started
    named = Settings.from_env({"NEWS_DB_URL": "postgresql://u@db.internal:5432/news"})
    url = tass_common.fallback_warehouse_url(named, local=False)
    assert url.startswith("postgresql://u@db.internal")


def test_a_failed_quality_gate_is_final_while_fetch_keeps_its_backoff(dagbag) -> None:
    """Asking the same data again cannot pass the gate; retrying only delays the alert."""
    dag = dagbag.dags["tass_ingest"]
    assert dag.get_task("check_quality").retries == 0
    assert dag.get_task("fetch").retries == int(os.environ.get("NEWSWIRE_TASK_RETRIES") or 3)


def test_the_window_dags_take_an_optional_since_and_until(dagbag) -> None:
    for dag_id in ("tass_ingest", "tass_ru_ingest", "tass_reparse"):
        params = dagbag.dags[dag_id].params
        assert set(params) == {"since", "until"}, dag_id
        assert (params["since"], params["until"]) == (None, None), dag_id
        schema = params.get_param("since").schema
        assert schema["type"] == ["null", "string"], dag_id
