"""`make airflow-up`'s checks: .env, exposure, the workers' warehouse, unpausing."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from devtools import stack, stack_ops


def test_dotenv_sits_under_the_environment_and_make_arguments(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nTASS_BASE_URL=http://127.0.0.1:8089\nexport NEWS_DB_URL='postgresql://a@b/c'\n"
        "TASS_USER_AGENT=\nnot a line\n"
    )
    merged = stack_ops.with_dotenv({"TASS_BASE_URL": "http://127.0.0.1:9000"}, dotenv)
    assert merged["TASS_BASE_URL"] == "http://127.0.0.1:9000"  # make airflow-up TASS_BASE_URL=
    assert merged["NEWS_DB_URL"] == "postgresql://a@b/c"
    assert "TASS_USER_AGENT" not in merged  # empty: the default applies
    assert stack_ops.with_dotenv({"X": "1"}, tmp_path / "missing") == {"X": "1"}


def test_stack_config_passes_dotenv_values_to_the_components(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TASS_BASE_URL", raising=False)
    env = stack_ops.with_dotenv({"AIRFLOW_HOME": str(tmp_path)}, _dotenv(tmp_path))
    config = stack.StackConfig.from_env(env)
    assert config.extra_env["TASS_BASE_URL"] == "http://127.0.0.1:8089"
    config.state_dir.mkdir()
    variables = stack.airflow_env(config, "LocalExecutor", "postgresql+psycopg2://x@y/z")
    assert variables["TASS_BASE_URL"] == "http://127.0.0.1:8089"


def _dotenv(tmp_path: Path) -> Path:
    path = tmp_path / ".env"
    path.write_text("TASS_BASE_URL=http://127.0.0.1:8089\n")
    return path


def test_the_default_password_never_listens_beyond_loopback(tmp_path: Path) -> None:
    stack_ops.check_exposure("127.0.0.1", "admin")
    stack_ops.check_exposure("0.0.0.0", "a-long-own-secret")
    with pytest.raises(stack_ops.ExposureError, match="AIRFLOW_ADMIN_PASSWORD"):
        stack_ops.check_exposure("0.0.0.0", "admin")
    config = stack.StackConfig(airflow_home=tmp_path, api_host="0.0.0.0")
    with pytest.raises(stack.StackError, match="default admin password"):
        stack.up(config)  # refused before anything starts
    assert not (tmp_path / "stack").exists()


def test_workers_get_this_checkouts_warehouse_unless_one_is_named() -> None:
    calls: list[int] = []

    def resolve() -> str:
        calls.append(1)
        return "postgresql://postgres@127.0.0.1:5500/postgres"

    assert stack_ops.warehouse_env({"NEWS_DB_URL": "postgresql://a@b/c"}, resolve) == {}
    assert stack_ops.warehouse_env({"AIRFLOW_CONN_NEWS_DB": "postgresql://a@b/c"}, resolve) == {}
    assert calls == []
    assert stack_ops.warehouse_env({}, resolve) == {"NEWS_DB_URL": resolve()}


def test_unpausing_is_asked_or_explicit() -> None:
    asked: list[str] = []

    def say(answer: str):
        def ask(question: str) -> str:
            asked.append(question)
            return answer

        return ask

    assert stack_ops.unpause_choice({"UNPAUSE": "yes"}, None)
    assert not stack_ops.unpause_choice({"UNPAUSE": "no"}, say("y"))
    assert not stack_ops.unpause_choice({}, None)  # no terminal: stays paused
    assert stack_ops.unpause_choice({}, say("y"))
    assert not stack_ops.unpause_choice({}, say(""))
    assert "last nightly window" in asked[0]


def test_unpause_waits_for_parsing_then_patches_each_dag() -> None:
    seen: list[tuple[str, str, object]] = []
    parsed = {"tass_ingest": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen.append((request.method, request.url.path, body))
        assert request.headers["Authorization"] == "Bearer t"
        if request.method == "GET":
            parsed["tass_ingest"] += 1
            return httpx.Response(200 if parsed["tass_ingest"] > 1 else 404, json={})
        return httpx.Response(200, json={"is_paused": False})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    stack_ops.wait_for_dags(client, "http://api", "t", ["tass_ingest"], pause=lambda s: None)
    assert stack_ops.unpause(client, "http://api", "t", ["tass_ingest"]) == ["tass_ingest"]
    assert seen[-1] == ("PATCH", "/api/v2/dags/tass_ingest", {"is_paused": False})
    assert [m for m, _, _ in seen] == ["GET", "GET", "PATCH"]


def test_the_stack_records_the_site_each_source_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newswire demo` reads them to decide whether the stack may run the demo."""
    monkeypatch.delenv("TASS_BASE_URL", raising=False)
    monkeypatch.delenv("TASS_RU_BASE_URL", raising=False)
    config = stack.StackConfig.from_env({"AIRFLOW_HOME": str(tmp_path)})
    assert stack.site_urls(config) == {"tass.com": "https://tass.com", "tass.ru": "https://tass.ru"}
    config.extra_env.update(TASS_BASE_URL="http://127.0.0.1:8089")
    assert stack.site_urls(config)["tass.com"] == "http://127.0.0.1:8089"

    old = tmp_path / "state.json"  # written before the sites were recorded
    old.write_text(json.dumps({"base_url": "http://a", "executor": "LocalExecutor",
                               "executor_reason": "r", "metadata_db": "m", "pids": {},
                               "logs": {}}))  # fmt: skip
    assert stack.StackState.load(old).sites == {}  # type: ignore[union-attr]


def test_a_test_site_stack_does_not_judge_the_empty_nights() -> None:
    assert stack.testsite_quality_env({}, {}) == {"NEWSWIRE_DQ_MIN_DISCOVERED": "0"}
    assert stack.testsite_quality_env({"NEWSWIRE_DQ_MIN_DISCOVERED": "5"}, {}) == {}
    assert stack.testsite_quality_env({}, {"NEWSWIRE_DQ_MIN_DISCOVERED": "1"}) == {}  # .env
