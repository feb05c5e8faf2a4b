"""Operator and API input that tries to be SQL, a path or a huge range is rejected."""

from __future__ import annotations

from datetime import date

import pytest
from newswire import queries
from newswire.analysis.report import parse_day
from newswire.models import Window, WindowError

HOSTILE = [
    "2024-12-26'; DROP TABLE articles; --",
    "2024-12-26 OR 1=1",
    "../../etc/passwd",
    "2024-12-26\x00",
    "$(rm -rf /)",
    "9" * 5000,
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_since_or_until_is_a_window_error(value: str) -> None:
    with pytest.raises(WindowError):
        Window.parse(value, None)
    with pytest.raises(WindowError):
        Window.parse("2024-12-26", value or "x")


@pytest.mark.parametrize("value", [v for v in HOSTILE if v])
def test_a_hostile_report_day_is_rejected_or_reduced_to_a_date(value: str) -> None:
    """Only a `date` object ever reaches the report's SQL (as a bound parameter)."""
    try:
        day = parse_day(value, "since")
    except ValueError:
        return
    assert day == date(2024, 12, 26) and value.startswith("2024-12-26")


@pytest.mark.parametrize("name", ["../../etc/passwd", "latest_dprk_headlines; DROP", "/tmp/x"])
def test_a_query_name_cannot_reach_outside_the_catalogue(name: str) -> None:
    with pytest.raises(queries.UnknownQuery):
        queries.query_sql(name)
