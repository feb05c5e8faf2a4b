"""Apply the numbered SQL files in sql/migrations/ in order, once each.

yoyo-migrations records what ran (its own tables), takes a lock so two tasks cannot
migrate at once, and runs each file in a transaction; rerunning is a no-op.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from yoyo import get_backend, read_migrations

from newswire.db import as_url, sql_dir
from newswire.timing import stage_timer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MigrationReport:
    applied: list[str]
    already_applied: int


def _yoyo_url(db_url: str) -> str:
    return "postgresql+psycopg://" + as_url(db_url).split("://", 1)[1]


@stage_timer("migrate")
def apply_migrations(db_url: str) -> MigrationReport:
    migrations = read_migrations(str(sql_dir() / "migrations"))
    backend = get_backend(_yoyo_url(db_url))
    try:
        with backend.lock():
            pending = backend.to_apply(migrations)
            ids = [m.id for m in pending]
            if ids:
                log.info("applying migrations: %s", ", ".join(ids))
                backend.apply_migrations(pending)
            else:
                log.info("schema up to date (%d migrations)", len(migrations))
    finally:
        backend.connection.close()
    return MigrationReport(applied=ids, already_applied=len(migrations) - len(ids))
