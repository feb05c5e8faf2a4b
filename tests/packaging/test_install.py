"""The library installs alone: a wheel in a fresh virtualenv outside the checkout gives
`newswire --help`, its SQL files and no Airflow; with the `airflow` extra, Airflow too;
with the `airflow`, `embedded` and `report` extras, `newswire demo` runs to the end there
(the test site and the DAGs come from the installed devtools package).

Slow (a wheel build and two virtualenvs), so marked `install`. Packages come from the
local package cache (`uv --offline`), as `make install` left it; nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.scratch import scratch_database

ROOT = Path(__file__).resolve().parents[2]
UV = Path(sys.executable).with_name("uv")

pytestmark = [
    pytest.mark.install,
    pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make install`"),
]

PROBE = """
import importlib.util, newswire
from newswire.db import load_sql, sql_dir
from yoyo import read_migrations
assert "CREATE TABLE" in load_sql("migrations/0001_core.sql")
assert len(read_migrations(str(sql_dir() / "migrations"))) >= 10
print(sql_dir(), importlib.util.find_spec("airflow") is not None)
"""


def _run(
    *command: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 600
) -> str:
    if env is None:
        # `make test` exports PYTHONPATH=plugins: the install must not see the checkout.
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


# Local state and build leftovers: setuptools reuses build/ and would ship stale files.
NOT_SOURCE = (
    *(".git", ".venv", ".newswire", ".airflow", "build", "*.egg-info", "__pycache__"),
    *(".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis", "artifacts"),
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a clean copy of the checkout's files (links kept as links)."""
    source = tmp_path_factory.mktemp("source") / "newswire"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    out = tmp_path_factory.mktemp("wheel")
    _run(UV, "build", "--offline", "--wheel", "-q", "-o", out, source, cwd=out)
    (built,) = out.glob("newswire-*.whl")
    return built


def _install(where: Path, requirement: str, *constraints: Path) -> Path:
    venv.create(where, with_pip=False)
    python = where / "bin" / "python"
    pinned = [arg for lock in constraints for arg in ("-c", str(lock))]
    _run(UV, "pip", "install", "--offline", "-q", "--python", python, *pinned, requirement,
         cwd=where)
    return where / "bin"


def test_the_library_installs_without_airflow(wheel: Path, tmp_path: Path) -> None:
    bin_dir = _install(tmp_path / "venv", str(wheel))
    assert "usage: newswire" in _run(bin_dir / "newswire", "--help", cwd=tmp_path)
    location, has_airflow = _run(bin_dir / "python", "-c", PROBE, cwd=tmp_path).split()
    assert has_airflow == "False"
    assert location.startswith(str(tmp_path)), "SQL must come from the install"
    assert not location.startswith(str(ROOT))


def test_the_airflow_extra_brings_airflow(wheel: Path, tmp_path: Path) -> None:
    bin_dir = _install(tmp_path / "venv", f"newswire[airflow] @ {wheel.as_uri()}")
    assert "usage: newswire" in _run(bin_dir / "newswire", "--help", cwd=tmp_path)
    _, has_airflow = _run(bin_dir / "python", "-c", PROBE, cwd=tmp_path).split()
    assert has_airflow == "True"
    assert "3.3.2" in _run(
        bin_dir / "python", "-c", "import airflow; print(airflow.__version__)", cwd=tmp_path
    )


@pytest.fixture
def demo_warehouse() -> Iterator[str | None]:
    """A scratch database on the test server when one is named (NEWS_TEST_DB_URL), else
    None: the installed demo then starts its own embedded Postgres, as a user's would."""
    admin = os.environ.get("NEWS_TEST_DB_URL")
    if not admin:
        yield None
        return
    with scratch_database(admin, "newswire_demo") as url:
        yield url


def test_the_installed_demo_runs_the_dag_to_the_end(
    wheel: Path, tmp_path: Path, demo_warehouse: str | None
) -> None:
    """No Makefile, no checkout: the CLI finds the shipped DAGs, makes Airflow's database,
    starts the installed test site and lands every article of it."""
    bin_dir = _install(
        tmp_path / "venv",
        f"newswire[airflow,embedded,report] @ {wheel.as_uri()}",
        ROOT / "requirements.lock",
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": os.defpath, "HOME": str(work), "LANG": "C.UTF-8"}
    if demo_warehouse is not None:
        env["NEWS_DB_URL"] = demo_warehouse
    out = _run(bin_dir / "newswire", "demo", cwd=work, env=env, timeout=900)
    assert "demo finished" in out
    summary = dict(
        line.split(None, 1) for line in out.splitlines() if line.startswith("  ") and line.split()
        and len(line.split()) == 2
    )
    assert int(summary["inserted"]) > 100 and summary["failed"] == "0"
    assert (work / ".airflow" / "airflow.db").exists(), "Airflow's home defaults to the cwd"
    assert str(ROOT) not in (work / ".airflow" / "demo-run.log").read_text(errors="replace")
    if demo_warehouse is None:
        _run(bin_dir / "newswire", "db", "stop", cwd=work, env=env)
