"""Shared fixtures: a throw-away warehouse database and the local TASS test site.

The warehouse is the embedded Postgres unless NEWS_TEST_DB_URL (or NEWS_DB_URL) names a
server; either way each test session works in a database of its own, dropped at the end,
so parallel sessions and a developer's demo data never meet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from newswire.config import Settings
from newswire.db import as_url, start_embedded
from newswire.migrate import apply_migrations
from psycopg import sql

from devtools.scratch import scratch_database
from devtools.testsite.server import TassTestSite

KEPT_TABLES_PREFIX = ("_yoyo", "yoyo")
# A test asking for any of these needs a PostgreSQL warehouse: it gets the `db` marker.
WAREHOUSE_FIXTURES = frozenset({"warehouse_url", "db_url", "admin_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every warehouse test `db` (so `-m "not db"` runs without Postgres), however
    it reaches the warehouse: directly or through a fixture built on these."""
    for item in items:
        if WAREHOUSE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def _admin_url() -> str:
    explicit = os.environ.get("NEWS_TEST_DB_URL") or os.environ.get("NEWS_DB_URL")
    if explicit:
        return explicit
    return start_embedded(Settings.from_env({}))


@pytest.fixture(scope="session")
def admin_url() -> str:
    """A URL of the test server whose user may create databases (for tests that need
    databases of their own, such as replaying the migrations from empty)."""
    return _admin_url()


@pytest.fixture(scope="session")
def warehouse_url() -> Iterator[str]:
    """A fresh, migrated database for this test session."""
    with scratch_database(_admin_url(), "newswire_test") as conninfo:
        url = as_url(conninfo)
        apply_migrations(url)
        yield url


def truncate_all(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            if not row[0].startswith(KEPT_TABLES_PREFIX)
        ]
        if tables:
            conn.execute(
                sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                    sql.SQL(", ").join(sql.Identifier(t) for t in tables)
                )
            )


@pytest.fixture
def db_url(warehouse_url: str) -> str:
    """The session database, emptied before the test."""
    truncate_all(warehouse_url)
    return warehouse_url


@pytest.fixture
def test_site() -> Iterator[TassTestSite]:
    with TassTestSite() as site:
        yield site


@pytest.fixture
def site_settings(test_site: TassTestSite, tmp_path) -> Settings:
    """Settings pointing at the local test site, with politeness delays removed."""
    return Settings.from_env(
        {
            "TASS_BASE_URL": test_site.base_url,
            "TASS_REQUEST_INTERVAL": "0",
            "TASS_CONCURRENCY": "4",
            "TASS_RETRY_BACKOFF": "0.01",
            "TASS_READ_TIMEOUT": "5",
            "NEWSWIRE_DATA_DIR": str(tmp_path),
        }
    )
