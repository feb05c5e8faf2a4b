"""Every environment variable and every shared name, in one module.

The DAGs, the CLI and the tests read their settings through here, so the three entry
points can never disagree about a default, and no other module touches `os.environ`.
Settings come in parts: `SourceSettings` (how to reach one news site politely),
`WarehouseSettings` (where the data goes) and `RuntimeSettings` (how the scheduler runs
the work). `Settings` is the flat view the stages take: one source plus the warehouse.
A variable must be declared in `VARIABLES` before a reader accepts its name; the README's
configuration table is checked against that list by a test.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

# Shared names: the DAGs, the CLI and the native stack all mean the same objects.
DEFAULT_SOURCE = "tass.com"
DEFAULT_BASE_URL = "https://tass.com"
DEFAULT_RU_BASE_URL = "https://tass.ru"
DEFAULT_USER_AGENT = (
    "newswire/0.1 (research archive of TASS coverage; +https://example.org/newswire-contact)"
)
# The placeholder contact of DEFAULT_USER_AGENT: fine for the test site, refused by the
# real sites' runs (see `SourceSettings.require_contact`).
PLACEHOLDER_CONTACT = "example.org"
INGEST_DAG_ID = "tass_ingest"
REPARSE_DAG_ID = "tass_reparse"
REPORT_DAG_ID = "tass_report"
REANALYSE_DAG_ID = "tass_reanalyse"
# The Airflow connection naming the warehouse, and the one receiving alerts (a webhook).
NEWS_DB_CONN_ID = "news_db"
ALERTS_CONN_ID = "newswire_alerts"
# The Airflow pool bounding how many fetch batches hit the site at once, across all runs.
HTTP_POOL = "tass_http"
# The Airflow asset an ingest updates when it loaded articles; the report DAG listens.
ARTICLES_ASSET = "newswire_articles"


@dataclass(frozen=True)
class EnvVar:
    """One environment variable the project reads: its default as documented, and why."""

    name: str
    default: str
    meaning: str


VARIABLES: tuple[EnvVar, ...] = (
    EnvVar("TASS_BASE_URL", DEFAULT_BASE_URL, "root of the site"),
    EnvVar("TASS_RU_BASE_URL", DEFAULT_RU_BASE_URL, "root of the Russian service"),
    EnvVar("TASS_RU_REQUEST_INTERVAL", "1.5", "tass.ru's interval (else TASS_REQUEST_INTERVAL)"),
    EnvVar("TASS_RU_CONCURRENCY", "2", "tass.ru's concurrency (else TASS_CONCURRENCY)"),
    EnvVar("NEWS_DB_URL", "", "libpq URL of the warehouse; unset: embedded Postgres"),
    EnvVar("TASS_REQUEST_INTERVAL", "1.0", "seconds between request starts to the host"),
    EnvVar("TASS_CONCURRENCY", "2", "simultaneous requests to the host"),
    EnvVar("TASS_USER_AGENT", DEFAULT_USER_AGENT, "who we are and a contact URL"),
    EnvVar("TASS_CONNECT_TIMEOUT", "10", "seconds"),
    EnvVar("TASS_READ_TIMEOUT", "30", "seconds"),
    EnvVar("TASS_MAX_ATTEMPTS", "4", "attempts per request"),
    EnvVar("TASS_RETRY_BACKOFF", "1.0", "base of the exponential backoff, seconds"),
    EnvVar("TASS_SOURCE", DEFAULT_SOURCE, "the source the CLI ingests without --source"),
    EnvVar("NEWSWIRE_DATA_DIR", ".newswire", "the embedded Postgres' data, reports"),
    EnvVar("NEWSWIRE_TASK_RETRIES", "3", "Airflow retries per task"),
    EnvVar("NEWSWIRE_FETCH_BATCH_SIZE", "200", "articles per mapped fetch task"),
    EnvVar("NEWSWIRE_BULK_LOAD_MIN_ARTICLES", "50000", "a load this large defers index upkeep"),
    EnvVar("NEWSWIRE_DEADLINE_HOURS", "5", "hours after queueing a nightly run is late"),
    EnvVar("NEWSWIRE_MAX_CONSECUTIVE_FAILED_RUNS", "3", "failed runs in a row pause the DAG"),
    EnvVar("NEWSWIRE_DQ_MAX_EXTRACTION_FAILURE_RATE", "0.05", "quality gate: quarantined share"),
    EnvVar("NEWSWIRE_DQ_MAX_MISSING_RATE", "0.02", "quality gate: unexplained missing share"),
    EnvVar("NEWSWIRE_DQ_MIN_DISCOVERED", "1", "quality gate: fewest articles a nightly run finds"),
    EnvVar("NEWSWIRE_REPORT_PATH", "", "where tass_report writes the HTML report"),
    EnvVar("NEWSWIRE_STAGE_TIMINGS", "", "file the stage functions append their timings to"),
    EnvVar("NEWSWIRE_RUN_OWNER", "", "host:pid driving an interactive run (set by the CLI)"),
    EnvVar("AIRFLOW_HOME", ".airflow", "Airflow's home; the demo writes its run log there"),
)
KNOWN_VARIABLES = frozenset(v.name for v in VARIABLES)


class ConfigError(ValueError):
    """A setting has a value the pipeline cannot work with."""


def project_root() -> Path:
    """The checkout when the library runs from one, else the working directory.

    Only defaults for local state (`.newswire`, `.airflow`) hang on it; an installed
    library has no checkout, and then the state goes where the command runs.
    """
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "pyproject.toml").is_file() else Path.cwd()


def environment() -> Mapping[str, str]:
    """The process environment: the one read of `os.environ` in the library."""
    return os.environ


def child_environment(**overrides: str) -> dict[str, str]:
    """The environment for a child process (Airflow), with some variables replaced."""
    return {**os.environ, **overrides}


def _raw(env: Mapping[str, str], name: str) -> str | None:
    if name not in KNOWN_VARIABLES:
        raise KeyError(f"{name} is not declared in newswire.config.VARIABLES")
    value = env.get(name)
    return None if value is None or value.strip() == "" else value


def env_str(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    """A text setting; unset or empty → default."""
    raw = _raw(env, name)
    return default if raw is None else raw


def env_float(
    env: Mapping[str, str],
    name: str,
    default: float,
    minimum: float,
    maximum: float | None = None,
) -> float:
    """A number from the environment, checked against its range; unset or empty → default."""
    raw = _raw(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a number") from exc
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={raw!r} must be at most {maximum}")
    return value


def env_int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    """An integer from the environment, at least `minimum`; unset or empty → default."""
    raw = _raw(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not an integer") from exc
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    return value


def normalise_base_url(raw: str, name: str = "TASS_BASE_URL") -> str:
    """scheme://host[:port] of a site root; anything else is a configuration error."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name}={raw!r} must be an http(s) URL such as https://tass.com")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _default_data_dir() -> Path:
    return project_root() / ".newswire"


@dataclass(frozen=True)
class SourceSettings:
    """How to reach one news site politely; a source registry can hold one per site."""

    base_url: str = DEFAULT_BASE_URL
    request_interval: float = 1.0
    concurrency: int = 2
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_attempts: int = 4
    retry_backoff: float = 1.0
    source: str = DEFAULT_SOURCE
    max_response_bytes: int = 5_000_000
    # Root of the Russian service; `for_source("tass.ru")` points a run at it.
    ru_base_url: str = DEFAULT_RU_BASE_URL

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    @property
    def language(self) -> str:
        """The language the source publishes in: tass.ru is Russian, tass.com English."""
        return "ru" if self.source.endswith(".ru") else "en"

    def require_contact(self) -> None:
        """Refuse to ask the real TASS sites with the placeholder contact: their operators
        must be able to reach whoever runs this archive."""
        real = {urlsplit(u).netloc for u in (DEFAULT_BASE_URL, DEFAULT_RU_BASE_URL)}
        host = self.host.removeprefix("www.").split(":")[0]
        if host in real and PLACEHOLDER_CONTACT in self.user_agent:
            raise ConfigError(
                f"refusing to ask {self.host} with the placeholder contact of the default"
                " User-Agent: set TASS_USER_AGENT to name this archive and a contact you"
                ' read, e.g. "newswire/0.1 (research archive; +mailto:you@your.org)"'
            )

    def for_source(self, source: str) -> Self:
        """The same settings aimed at one service: tass.ru at `ru_base_url`, others as set."""
        base_url = self.ru_base_url if source == "tass.ru" else self.base_url
        return replace(self, source=source, base_url=base_url)

    def _aimed(self) -> Self:
        """TASS_SOURCE=tass.ru alone must not send Russian discovery to tass.com."""
        return self.for_source(self.source) if self.source == "tass.ru" else self

    @staticmethod
    def values_from_env(env: Mapping[str, str]) -> dict[str, object]:
        """The fields this part reads from the environment, as keyword arguments."""
        return {
            "base_url": normalise_base_url(env_str(env, "TASS_BASE_URL") or DEFAULT_BASE_URL),
            "request_interval": env_float(env, "TASS_REQUEST_INTERVAL", 1.0, 0.0),
            "concurrency": env_int(env, "TASS_CONCURRENCY", 2, 1),
            "user_agent": env_str(env, "TASS_USER_AGENT") or DEFAULT_USER_AGENT,
            "connect_timeout": env_float(env, "TASS_CONNECT_TIMEOUT", 10.0, 0.1),
            "read_timeout": env_float(env, "TASS_READ_TIMEOUT", 30.0, 0.1),
            "max_attempts": env_int(env, "TASS_MAX_ATTEMPTS", 4, 1),
            "retry_backoff": env_float(env, "TASS_RETRY_BACKOFF", 1.0, 0.0),
            "source": env_str(env, "TASS_SOURCE") or DEFAULT_SOURCE,
            "ru_base_url": normalise_base_url(
                env_str(env, "TASS_RU_BASE_URL") or DEFAULT_RU_BASE_URL, "TASS_RU_BASE_URL"
            ),
        }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SourceSettings:
        """The default source as the environment configures it."""
        values = cls.values_from_env(environment() if env is None else env)
        return cls(**values)._aimed()  # type: ignore[arg-type]


@dataclass(frozen=True)
class WarehouseSettings:
    """Where the data goes: a server named by URL, or the embedded Postgres in data_dir."""

    db_url: str | None = None
    data_dir: Path = field(default_factory=_default_data_dir)

    @staticmethod
    def values_from_env(env: Mapping[str, str]) -> dict[str, object]:
        data_dir = env_str(env, "NEWSWIRE_DATA_DIR")
        return {
            "db_url": env_str(env, "NEWS_DB_URL"),
            "data_dir": Path(data_dir) if data_dir else _default_data_dir(),
        }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WarehouseSettings:
        return cls(**cls.values_from_env(environment() if env is None else env))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Settings(SourceSettings):
    """One source plus the warehouse: everything a run needs to know about the outside."""

    db_url: str | None = None
    data_dir: Path = field(default_factory=_default_data_dir)

    @property
    def warehouse(self) -> WarehouseSettings:
        return WarehouseSettings(db_url=self.db_url, data_dir=self.data_dir)

    def source_part(self) -> SourceSettings:
        """Only the source's fields, e.g. to compare with a registry's entry."""
        names = {f.name for f in fields(SourceSettings)}
        return SourceSettings(**{n: getattr(self, n) for n in names})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = environment() if env is None else env
        values = {**SourceSettings.values_from_env(env), **WarehouseSettings.values_from_env(env)}
        return cls(**values)._aimed()  # type: ignore[arg-type]


@dataclass(frozen=True)
class RuntimeSettings:
    """How the scheduler runs the work: retries, batching, alerts, the quality gate."""

    task_retries: int = 3
    fetch_batch_size: int = 200
    bulk_load_min_articles: int = 50_000
    deadline_hours: float = 5.0
    max_consecutive_failed_runs: int = 3
    max_extraction_failure_rate: float = 0.05
    max_missing_rate: float = 0.02
    min_discovered: int = 1
    report_path: Path | None = None
    airflow_home: Path | None = None
    run_owner: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RuntimeSettings:
        env = environment() if env is None else env
        report_path = env_str(env, "NEWSWIRE_REPORT_PATH")
        airflow_home = env_str(env, "AIRFLOW_HOME")
        return cls(
            task_retries=env_int(env, "NEWSWIRE_TASK_RETRIES", 3, 0),
            fetch_batch_size=env_int(env, "NEWSWIRE_FETCH_BATCH_SIZE", 200, 1),
            bulk_load_min_articles=env_int(env, "NEWSWIRE_BULK_LOAD_MIN_ARTICLES", 50_000, 0),
            deadline_hours=env_float(env, "NEWSWIRE_DEADLINE_HOURS", 5.0, 0.0),
            max_consecutive_failed_runs=env_int(env, "NEWSWIRE_MAX_CONSECUTIVE_FAILED_RUNS", 3, 0),
            max_extraction_failure_rate=env_float(
                env, "NEWSWIRE_DQ_MAX_EXTRACTION_FAILURE_RATE", 0.05, 0.0, 1.0
            ),
            max_missing_rate=env_float(env, "NEWSWIRE_DQ_MAX_MISSING_RATE", 0.02, 0.0, 1.0),
            min_discovered=env_int(env, "NEWSWIRE_DQ_MIN_DISCOVERED", 1, 0),
            report_path=Path(report_path) if report_path else None,
            airflow_home=Path(airflow_home) if airflow_home else None,
            run_owner=env_str(env, "NEWSWIRE_RUN_OWNER"),
        )

    def report_file(self, warehouse: WarehouseSettings) -> Path:
        """NEWSWIRE_REPORT_PATH, or the report beside the warehouse's local state."""
        return self.report_path or warehouse.data_dir / "report" / "coverage.html"

    def airflow_dir(self) -> Path:
        return self.airflow_home or project_root() / ".airflow"
