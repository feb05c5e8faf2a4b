"""Markers of the DAG-level tests (registered here so `-m operator` selects the e2e run)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "operator: starts the native Airflow stack and drives it through the REST API and a"
        " headless browser (select with -m operator)",
    )
