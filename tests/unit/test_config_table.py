"""One settings module: the README documents exactly the variables it declares, and no
other module of the library or the DAGs reads the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from newswire.config import (
    KNOWN_VARIABLES,
    VARIABLES,
    ConfigError,
    RuntimeSettings,
    Settings,
    SourceSettings,
    WarehouseSettings,
    env_int,
)
from newswire.sources import get_source

ROOT = Path(__file__).resolve().parents[2]


def _readme_variables() -> set[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_every_declared_variable_is_documented_and_nothing_else() -> None:
    documented = _readme_variables()
    assert sorted(KNOWN_VARIABLES - documented) == [], "declared but not in the README table"
    assert sorted(documented - KNOWN_VARIABLES) == [], "in the README table but not declared"


def _readme_defaults() -> dict[str, str]:
    """Each variable's default as the table prints it: the n-th name of a row's first
    cell goes with the n-th quoted value of its second (`1.5`, `2` for two names)."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    shown: dict[str, str] = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = line.split("|")
            names = re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[1])
            values = re.findall(r"`([^`]+)`", cells[2])
            if len(values) == len(names):
                shown.update(zip(names, values, strict=True))
    return shown


def test_the_table_shows_every_declared_default() -> None:
    shown = _readme_defaults()
    for variable in VARIABLES:
        if not variable.default:
            continue  # unset by default: the table says what happens then, in words
        value = shown.get(variable.name)
        assert value is not None, f"{variable.name}: the table shows no default"
        if "…" in value:  # an abbreviation: the part before it must be right
            assert variable.default.startswith(value.split("…", 1)[0]), variable.name
        else:
            assert value == variable.default, variable.name


def test_the_readers_use_the_declared_defaults() -> None:
    """VARIABLES is what the README shows; the readers must fall back to the same values."""
    source = SourceSettings.from_env({})
    ru = get_source("tass.ru").settings({})
    runtime = RuntimeSettings.from_env({})
    used: dict[str, object] = {
        "TASS_BASE_URL": source.base_url,
        "TASS_RU_BASE_URL": source.ru_base_url,
        "TASS_RU_REQUEST_INTERVAL": ru.request_interval,
        "TASS_RU_CONCURRENCY": ru.concurrency,
        "TASS_REQUEST_INTERVAL": source.request_interval,
        "TASS_CONCURRENCY": source.concurrency,
        "TASS_USER_AGENT": source.user_agent,
        "TASS_CONNECT_TIMEOUT": source.connect_timeout,
        "TASS_READ_TIMEOUT": source.read_timeout,
        "TASS_MAX_ATTEMPTS": source.max_attempts,
        "TASS_RETRY_BACKOFF": source.retry_backoff,
        "TASS_SOURCE": source.source,
        "NEWSWIRE_TASK_RETRIES": runtime.task_retries,
        "NEWSWIRE_FETCH_BATCH_SIZE": runtime.fetch_batch_size,
        "NEWSWIRE_BULK_LOAD_MIN_ARTICLES": runtime.bulk_load_min_articles,
        "NEWSWIRE_DEADLINE_HOURS": runtime.deadline_hours,
        "NEWSWIRE_MAX_CONSECUTIVE_FAILED_RUNS": runtime.max_consecutive_failed_runs,
        "NEWSWIRE_DQ_MAX_EXTRACTION_FAILURE_RATE": runtime.max_extraction_failure_rate,
        "NEWSWIRE_DQ_MAX_MISSING_RATE": runtime.max_missing_rate,
        "NEWSWIRE_DQ_MIN_DISCOVERED": runtime.min_discovered,
    }
    for variable in VARIABLES:
        if variable.name not in used:
            continue  # paths and unset-by-default variables: their tests are elsewhere
        value = used[variable.name]
        if isinstance(value, str):
            assert value == variable.default, variable.name
        else:
            assert float(variable.default) == value, variable.name


def test_declared_defaults_are_unique_names() -> None:
    assert len(VARIABLES) == len(KNOWN_VARIABLES)


def test_a_reader_refuses_an_undeclared_variable() -> None:
    with pytest.raises(KeyError, match="NEWSWIRE_NOT_A_SETTING"):
        env_int({"NEWSWIRE_NOT_A_SETTING": "1"}, "NEWSWIRE_NOT_A_SETTING", 1, 0)


def test_only_the_settings_module_reads_the_environment() -> None:
    offenders = []
    for folder in ("plugins", "dags"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "plugins" / "newswire" / "config.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"os\.environ|getenv\(", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_the_flat_settings_are_the_source_and_warehouse_parts() -> None:
    env = {"TASS_CONCURRENCY": "3", "NEWS_DB_URL": "postgresql:///x", "NEWSWIRE_DATA_DIR": "d"}
    settings = Settings.from_env(env)
    assert settings.source_part() == SourceSettings.from_env(env)
    assert settings.warehouse == WarehouseSettings.from_env(env)
    assert (settings.concurrency, settings.db_url, settings.data_dir) == (
        3,
        "postgresql:///x",
        Path("d"),
    )


def test_runtime_settings_are_read_and_checked() -> None:
    runtime = RuntimeSettings.from_env(
        {
            "NEWSWIRE_TASK_RETRIES": "0",
            "NEWSWIRE_DEADLINE_HOURS": "0.5",
            "NEWSWIRE_REPORT_PATH": "r.html",
        }
    )
    assert (runtime.task_retries, runtime.deadline_hours) == (0, 0.5)
    assert runtime.report_file(WarehouseSettings(data_dir=Path("d"))) == Path("r.html")
    assert RuntimeSettings.from_env({}).report_file(WarehouseSettings(data_dir=Path("d"))) == Path(
        "d/report/coverage.html"
    )
    with pytest.raises(ConfigError, match="NEWSWIRE_TASK_RETRIES='-1'"):
        RuntimeSettings.from_env({"NEWSWIRE_TASK_RETRIES": "-1"})
