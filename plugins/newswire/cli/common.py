"""What the command groups share: settings lookup, printing rows, the local test site."""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType

from newswire.config import Settings, env_str, environment
from newswire.sources import TASS_COM, Source, get_source


def settings() -> Settings:
    return Settings.from_env()


def source_settings(name: str | None) -> tuple[Source, Settings]:
    """The source (default: TASS_SOURCE, else tass.com) and its settings."""
    source = get_source(name or env_str(environment(), "TASS_SOURCE") or TASS_COM.name)
    return source, source.settings()


# The local TASS test site's package: the one line to change if the site moves.
TESTSITE_PACKAGE = "devtools.testsite"
# Every answer of the test site carries this header, so a command can tell a site it may
# demo against (no real TASS host behind it) from any other root URL.
TESTSITE_HEADER = "X-Newswire-Test-Site"


def testsite_module(name: str | None = None) -> ModuleType:
    """The test site (or one of its modules), imported only when a command needs it."""
    import importlib

    return importlib.import_module(f"{TESTSITE_PACKAGE}.{name}" if name else TESTSITE_PACKAGE)


def cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def print_query(db_url: str, name: str) -> None:
    from newswire.queries import run_query

    result = run_query(db_url, name)
    print(" | ".join(result.columns))
    for row in result.rows:
        print(" | ".join(cell(v) for v in row))
    if not result.rows:
        print("(no rows)")
