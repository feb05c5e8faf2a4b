"""docker-compose.yml, Dockerfile and .env.example as an operator deploys them.

Docker cannot run here, so the compose file is checked as data: the services of Airflow's
official layout, the shared anchor, the executor, the two databases with their own volumes,
health checks, the warehouse connection, the mounts, and every variable documented.
`docker compose config` validates it too where that command exists.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
CHECK_SCRIPT = ROOT / "deploy" / "check-secrets.sh"
AIRFLOW_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_common_anchor_is_shared_by_every_airflow_service(compose: dict) -> None:
    text = COMPOSE.read_text()
    assert re.search(r"^x-airflow-common: &airflow-common$", text, re.MULTILINE)
    common = compose["x-airflow-common"]
    assert common["build"]["dockerfile"] == "Dockerfile"
    for name in AIRFLOW_SERVICES:
        service = compose["services"][name]
        # YAML merged the anchor: the image and the mounts are the common ones.
        assert service["image"] == common["image"], name
        assert service["volumes"] == common["volumes"], name
        assert service["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name


def test_services_and_commands(compose: dict) -> None:
    services = compose["services"]
    assert AIRFLOW_SERVICES | {"redis", "airflow-db", "warehouse-db"} <= set(services)
    assert services["airflow-apiserver"]["command"] == "api-server"
    assert services["airflow-scheduler"]["command"] == "scheduler"
    assert services["airflow-dag-processor"]["command"] == "dag-processor"
    assert services["airflow-triggerer"]["command"] == "triggerer"
    assert services["airflow-worker"]["command"] == "celery worker"
    init = "\n".join(services["airflow-init"]["command"])
    assert "airflow db migrate" in init
    assert "airflow pools set tass_http" in init
    assert "simple_auth_manager_passwords.json" in init
    assert "newswire.cli migrate" in init


def test_every_long_running_service_has_a_health_check(compose: dict) -> None:
    for name, service in compose["services"].items():
        if name in {"airflow-init", "airflow-cli", "secrets-check"}:
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        needs = compose["services"][name]["depends_on"]
        assert needs["airflow-init"]["condition"] == "service_completed_successfully"
        assert needs["redis"]["condition"] == "service_healthy"


def test_celery_broker_and_two_separate_databases(compose: dict) -> None:
    env = compose["x-airflow-common"]["environment"]
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    assert "@airflow-db/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert "@warehouse-db:5432/newswire" in env["AIRFLOW_CONN_NEWS_DB"]
    services = compose["services"]
    metadata_volume = services["airflow-db"]["volumes"][0].split(":")[0]
    warehouse_volume = services["warehouse-db"]["volumes"][0].split(":")[0]
    assert metadata_volume != warehouse_volume
    assert {metadata_volume, warehouse_volume} <= set(compose["volumes"])


def test_project_folders_are_mounted(compose: dict) -> None:
    mounts = dict(v.split(":", 1) for v in compose["x-airflow-common"]["volumes"])
    assert mounts["./dags"] == "/opt/airflow/dags"
    assert mounts["./plugins"] == "/opt/airflow/plugins"
    assert mounts["./sql"] == "/opt/airflow/sql"
    # dags/ too: the triggerer imports the deadline callback (tass_common) by module path.
    pythonpath = compose["x-airflow-common"]["environment"]["PYTHONPATH"].split(":")
    assert pythonpath == ["/opt/airflow/plugins", "/opt/airflow/dags"]


def test_dockerfile_builds_on_airflow_3_3_with_the_lock() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM apache/airflow:3\.3\.\d+$", dockerfile, re.MULTILINE)
    assert "requirements.lock" in dockerfile
    assert re.search(r"^COPY .*plugins /opt/airflow/plugins$", dockerfile, re.MULTILINE)
    pinned = re.search(r"^apache-airflow==(\S+)$", (ROOT / "requirements.lock").read_text(), re.M)
    base = re.search(r"^FROM apache/airflow:(\S+)$", dockerfile, re.MULTILINE)
    assert pinned and base and pinned.group(1) == base.group(1), "image and lock disagree"


def test_env_example_documents_every_variable_compose_reads() -> None:
    used = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", COMPOSE.read_text()))
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", example, re.MULTILINE))
    assert used - documented == set(), "variables used by compose but not in .env.example"
    # Each variable has a comment line right above it (or above its group).
    lines = example.splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^[A-Z_][A-Z0-9_]*=", line):
            block = lines[max(0, index - 4) : index]
            assert any(b.startswith("#") for b in block), f"{line} is not explained"


@pytest.mark.skipif(
    not shutil.which("docker")
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="`docker compose` is not available here",
)
def test_docker_compose_config_validates(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text((ROOT / ".env.example").read_text())
    done = subprocess.run(
        ["docker", "compose", "--env-file", str(env_file), "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


def _example_values() -> dict[str, str]:
    pairs = re.findall(r"^([A-Z_][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE.read_text(), re.MULTILINE)
    return dict(pairs)


def _secret_names() -> set[str]:
    """Every variable of .env.example that is a secret by its name."""
    return {n for n in _example_values() if re.search(r"PASSWORD|SECRET|FERNET", n)}


def _real_secrets() -> dict[str, str]:
    values = {name: secrets.token_urlsafe(24) for name in _secret_names()}
    values["AIRFLOW_FERNET_KEY"] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    return values


def _run_check(values: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs the check as the secrets-check service does: sh, the example file, the env."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **values}
    return subprocess.run(
        ["sh", str(CHECK_SCRIPT), str(ENV_EXAMPLE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_every_service_waits_for_the_secrets_check(compose: dict) -> None:
    services = compose["services"]
    check = services["secrets-check"]
    assert check["entrypoint"][:2] == ["sh", "/opt/newswire/check-secrets.sh"]
    mounts = dict(v.rsplit(":", 1)[0].split(":", 1) for v in check["volumes"])
    assert mounts["./deploy/check-secrets.sh"] == check["entrypoint"][1]
    assert mounts["./.env.example"] == check["entrypoint"][2]
    assert (ROOT / "deploy" / "check-secrets.sh").is_file()
    # The check sees every secret .env.example declares, under the same name.
    assert set(check["environment"]) == _secret_names()
    for name, value in check["environment"].items():
        assert value == f"${{{name}:-}}", name
    for name, service in services.items():
        if name == "secrets-check":
            continue
        needs = service.get("depends_on", {})
        assert needs.get("secrets-check", {}).get("condition") == (
            "service_completed_successfully"
        ), f"{name} starts without the secrets check"


def test_the_check_script_names_every_secret_of_the_example() -> None:
    script = CHECK_SCRIPT.read_text()
    found = re.search(r'^SECRETS="([^"]*)"', script, re.MULTILINE)
    assert found, "the script lists no SECRETS"
    listed = set(found.group(1).split())
    assert listed == _secret_names()
    assert {"AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY"} <= listed


def test_the_check_refuses_the_example_values() -> None:
    done = _run_check(_example_values())
    assert done.returncode == 1, done.stdout + done.stderr
    for name in _secret_names():
        assert name in done.stderr, name
    assert "refusing to start" in done.stderr


def test_the_check_accepts_real_secrets() -> None:
    done = _run_check({**_example_values(), **_real_secrets()})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("name", sorted(_secret_names()))
def test_one_example_value_left_is_enough_to_refuse(name: str) -> None:
    values = {**_example_values(), **_real_secrets(), name: _example_values()[name]}
    done = _run_check(values)
    assert done.returncode == 1
    assert name in done.stderr
    others = _secret_names() - {name}
    assert not any(other in done.stderr for other in others), done.stderr


def test_the_check_refuses_a_missing_secret_and_a_malformed_fernet_key() -> None:
    values = _real_secrets()
    del values["NEWS_DB_PASSWORD"]
    done = _run_check(values)
    assert done.returncode == 1 and "NEWS_DB_PASSWORD is empty" in done.stderr
    done = _run_check({**_real_secrets(), "AIRFLOW_FERNET_KEY": "not-a-fernet-key"})
    assert done.returncode == 1 and "is not a Fernet key" in done.stderr
