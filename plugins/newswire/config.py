"""Settings read from the environment, shared by the DAGs, the CLI and the tests.

One place decides every default so the three entry points can never disagree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://tass.com"
DEFAULT_RU_BASE_URL = "https://tass.ru"
DEFAULT_USER_AGENT = (
    "newswire/0.1 (research archive of TASS coverage; +https://example.org/newswire-contact)"
)


class ConfigError(ValueError):
    """A setting has a value the pipeline cannot work with."""


def project_root() -> Path:
    """The checkout's root: plugins/newswire/config.py is two levels below it."""
    return Path(__file__).resolve().parents[2]


def env_float(
    env: Mapping[str, str],
    name: str,
    default: float,
    minimum: float,
    maximum: float | None = None,
) -> float:
    """A number from the environment, checked against its range; unset or empty → default."""
    raw = env.get(name)
    if raw is None or raw == "":
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
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not an integer") from exc
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    return value


def normalise_base_url(raw: str, name: str = "TASS_BASE_URL") -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name}={raw!r} must be an http(s) URL such as https://tass.com")
    return f"{parts.scheme}://{parts.netloc.lower()}"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about the outside world."""

    base_url: str = DEFAULT_BASE_URL
    db_url: str | None = None
    request_interval: float = 1.0
    concurrency: int = 2
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_attempts: int = 4
    retry_backoff: float = 1.0
    source: str = "tass.com"
    max_response_bytes: int = 5_000_000
    data_dir: Path = field(default_factory=lambda: project_root() / ".newswire")
    # Root of the Russian service; `for_source("tass.ru")` points a run at it.
    ru_base_url: str = DEFAULT_RU_BASE_URL

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    @property
    def language(self) -> str:
        """The language the source publishes in: tass.ru is Russian, tass.com English."""
        return "ru" if self.source.endswith(".ru") else "en"

    def for_source(self, source: str) -> Settings:
        """The same settings aimed at one service: tass.ru at `ru_base_url`, others as set."""
        base_url = self.ru_base_url if source == "tass.ru" else self.base_url
        return replace(self, source=source, base_url=base_url)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = env.get("NEWSWIRE_DATA_DIR")
        settings = cls(
            base_url=normalise_base_url(env.get("TASS_BASE_URL") or DEFAULT_BASE_URL),
            db_url=env.get("NEWS_DB_URL") or None,
            request_interval=env_float(env, "TASS_REQUEST_INTERVAL", 1.0, 0.0),
            concurrency=env_int(env, "TASS_CONCURRENCY", 2, 1),
            user_agent=env.get("TASS_USER_AGENT") or DEFAULT_USER_AGENT,
            connect_timeout=env_float(env, "TASS_CONNECT_TIMEOUT", 10.0, 0.1),
            read_timeout=env_float(env, "TASS_READ_TIMEOUT", 30.0, 0.1),
            max_attempts=env_int(env, "TASS_MAX_ATTEMPTS", 4, 1),
            retry_backoff=env_float(env, "TASS_RETRY_BACKOFF", 1.0, 0.0),
            source=env.get("TASS_SOURCE") or "tass.com",
            data_dir=Path(data_dir) if data_dir else project_root() / ".newswire",
            ru_base_url=normalise_base_url(
                env.get("TASS_RU_BASE_URL") or DEFAULT_RU_BASE_URL, "TASS_RU_BASE_URL"
            ),
        )
        # TASS_SOURCE=tass.ru alone must not send Russian discovery to tass.com.
        return settings.for_source(settings.source) if settings.source == "tass.ru" else settings
