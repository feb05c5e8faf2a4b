"""news_analyst reads everything and changes nothing; news_ingest can run the pipeline."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from newswire.analysis.store import refresh_views
from newswire.db import load_sql
from newswire.migrate import apply_migrations

VIEWS = (
    "dprk_articles",
    "dprk_russia_articles",
    "daily_coverage",
    "weekly_coverage",
    "dprk_co_mentions",
    "dprk_speakers",
    "revised_articles",
    "article_revision_changes",
)
QUERIES = sorted(p.stem for p in (Path(__file__).parents[2] / "sql" / "queries").glob("*.sql"))
FORBIDDEN = (
    "INSERT INTO entities (key, name, kind) VALUES ('x', 'x', 'country')",
    "UPDATE articles SET headline = 'x'",
    "DELETE FROM quotes",
    "TRUNCATE article_mentions",
    "CREATE TABLE analyst_scratch (id int)",
    "CREATE TEMP TABLE analyst_temp (id int)",
    "CREATE VIEW analyst_view AS SELECT 1",
    "CREATE SCHEMA analyst_schema",
    "REFRESH MATERIALIZED VIEW daily_coverage",
    "SELECT refresh_analyst_views()",
    "DROP VIEW weekly_coverage",
)


def _as(conn: psycopg.Connection, role: str) -> None:
    conn.execute(f"SET LOCAL ROLE {role}")


@pytest.mark.parametrize("statement", FORBIDDEN)
def test_analyst_cannot_change_anything(db_url: str, statement: str) -> None:
    with psycopg.connect(db_url) as conn:
        _as(conn, "news_analyst")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        conn.rollback()


def test_analyst_reads_every_view_table_query_and_search(db_url: str) -> None:
    refresh_views(db_url)
    with psycopg.connect(db_url) as conn:
        _as(conn, "news_analyst")
        for view in VIEWS:
            conn.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
        for table in ("articles", "article_revisions", "entities", "article_mentions", "quotes"):
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        for name in QUERIES:
            conn.execute(load_sql(f"queries/{name}.sql")).fetchall()
        assert conn.execute("SELECT words_added('a b', 'a c b d')").fetchone() == (["c", "d"],)
        conn.execute("SELECT * FROM search_articles('Pyongyang')").fetchall()


def test_ingest_role_writes_and_refreshes_but_cannot_create(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        _as(conn, "news_ingest")
        conn.execute("INSERT INTO entities (key, name, kind) VALUES ('t', 't', 'region')")
        conn.execute("SELECT refresh_analyst_views()")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE ingest_scratch (id int)")
        conn.rollback()


def test_role_migration_is_idempotent_across_databases(db_url: str) -> None:
    # Roles are server-wide: another database migrating must find them and not fail.
    with psycopg.connect(db_url) as conn:
        count = conn.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('news_ingest', 'news_analyst')"
        ).fetchone()[0]
        can_login = conn.execute(
            "SELECT bool_or(rolcanlogin) FROM pg_roles"
            " WHERE rolname IN ('news_ingest', 'news_analyst')"
        ).fetchone()[0]
    assert count == 2 and can_login is False
    info = psycopg.conninfo.conninfo_to_dict(db_url)
    second = f"{info['dbname']}_second"
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{second}"')
    try:
        report = apply_migrations(psycopg.conninfo.make_conninfo(db_url, dbname=second))
        assert "0007_roles" in report.applied
    finally:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{second}"')
