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
