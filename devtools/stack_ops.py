"""What `make airflow-up` checks and sets beside starting the components.

Kept apart from stack.py (the process handling): the `.env` file, the refusal to expose
the default admin password, where the workers find the warehouse, and unpausing the
newswire DAGs only when the operator agreed to the run that unpausing starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import httpx

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_ADMIN_PASSWORD = "admin"


class ExposureError(RuntimeError):
    """The stack would listen beyond this machine with a password everyone knows."""


def read_dotenv(path: Path) -> dict[str, str]:
    """`KEY=value` lines of a .env file (comments, blanks and `export ` prefixes allowed;
    one level of matching quotes removed). Missing file: nothing."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip().removeprefix("export ").strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def with_dotenv(env: Mapping[str, str], path: Path) -> dict[str, str]:
    """The environment with the .env file's values underneath: a variable already set
    (exported, or given to make as `make airflow-up TASS_BASE_URL=…`) wins; an empty
    value in .env means "the default" and is left out."""
    merged = {key: value for key, value in read_dotenv(path).items() if value != ""}
    merged.update(env)
    return merged


def check_exposure(api_host: str, admin_password: str) -> None:
    """Refuse a non-loopback API with the default admin password."""
    if api_host not in LOOPBACK_HOSTS and admin_password == DEFAULT_ADMIN_PASSWORD:
        raise ExposureError(
            f"refusing to listen on {api_host} with the default admin password: set"
            " AIRFLOW_ADMIN_PASSWORD (in .env) or keep AIRFLOW_API_HOST on 127.0.0.1"
        )


def warehouse_env(env: Mapping[str, str], resolve: Callable[[], str]) -> dict[str, str]:
    """NEWS_DB_URL for the workers when neither it nor the `news_db` connection is set:
    this checkout's embedded Postgres, started here (workers never start one)."""
    if env.get("AIRFLOW_CONN_NEWS_DB") or env.get("NEWS_DB_URL"):
        return {}
    return {"NEWS_DB_URL": resolve()}


def unpause_choice(env: Mapping[str, str], ask: Callable[[str], str] | None) -> bool:
    """UNPAUSE=yes/no decides; unset, ask when a terminal is there, else stay paused."""
    explicit = (env.get("UNPAUSE") or "").strip().lower()
    if explicit:
        return explicit in ("1", "yes", "y", "true")
    if ask is None:
        return False
    answer = ask(
        "Unpause the newswire DAGs? Airflow then starts each one's run for the last nightly"
        " window at once, and every night after. [y/N] "
    )
    return answer.strip().lower() in ("y", "yes")


def unpause(client: httpx.Client, base_url: str, token: str, dag_ids: Iterable[str]) -> list[str]:
    """PATCH each DAG to unpaused through the REST API; the ids it unpaused."""
    done = []
    for dag_id in dag_ids:
        response = client.patch(
            f"{base_url}/api/v2/dags/{dag_id}",
            headers={"Authorization": f"Bearer {token}"},
            json={"is_paused": False},
        )
        response.raise_for_status()
        done.append(dag_id)
    return done


def wait_for_dags(
    client: httpx.Client,
    base_url: str,
    token: str,
    dag_ids: Iterable[str],
    attempts: int = 60,
    pause: Callable[[float], None] | None = None,
) -> None:
    """Until the dag-processor has parsed every DAG (its REST resource answers 200)."""
    import time

    wait = pause or time.sleep
    headers = {"Authorization": f"Bearer {token}"}
    missing = list(dag_ids)
    for _ in range(attempts):
        missing = [
            d
            for d in missing
            if client.get(f"{base_url}/api/v2/dags/{d}", headers=headers).status_code != 200
        ]
        if not missing:
            return
        wait(1.0)
    raise RuntimeError(f"the DAGs {missing} were not parsed in time (see dag-processor.log)")


def sign_in(client: httpx.Client, base_url: str, user: str, password: str) -> str:
    """A bearer token for the stack's admin user."""
    response = client.post(f"{base_url}/auth/token", json={"username": user, "password": password})
    response.raise_for_status()
    return str(response.json()["access_token"])
