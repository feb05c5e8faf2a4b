"""The run-article states of the Python code are exactly those the database accepts."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest
from newswire.states import PENDING_FETCH, RunArticleStatus

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def _constraint_values(db_url: str) -> set[str]:
    with psycopg.connect(db_url) as conn:
        (definition,) = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'run_articles'::regclass AND conname = 'run_articles_status_check'"
        ).fetchone()
    return set(re.findall(r"'([a-z_]+)'::text", definition))


def test_the_enum_matches_the_check_constraint(db_url: str, request: pytest.FixtureRequest) -> None:
    assert {str(s) for s in RunArticleStatus} == _constraint_values(db_url)
    assert request.node.get_closest_marker("db"), "conftest marks warehouse tests db"


def test_every_state_a_stage_sql_file_names_is_a_member() -> None:
    """Literals left in sql/pipeline and sql/quality must still be valid states."""
    members = {str(s) for s in RunArticleStatus}
    for path in [*SQL_DIR.glob("pipeline/*.sql"), *SQL_DIR.glob("quality/*.sql")]:
        text = path.read_text()
        for clause in re.findall(r"status\s*(?:=|<>|IN)\s*\(?([^)\n]*)", text):
            for literal in re.findall(r"'([a-z_]+)'", clause):
                assert literal in members, f"{path.name}: unknown state {literal!r}"


def test_pending_is_never_asked_or_refused() -> None:
    assert set(PENDING_FETCH) == {RunArticleStatus.DISCOVERED, RunArticleStatus.FETCH_FAILED}
