"""A warehouse schema as plain data, so two databases can be compared in a test.

`catalogue(url)` reads the PostgreSQL catalogue of the public schema (tables, columns
with types, defaults and nullability, constraints, indexes, views and materialised views
with their definitions, functions, triggers, types, extensions, comments, grants and the
warehouse roles) into `{section: {object: definition}}`. The name of the user that ran
the migrations is written `<owner>` in ACLs, so dumps made by different users compare.

`replay(admin_url, files)` runs SQL files in order on a new, empty database; with
`scratch_database` it lets a test build a schema from any list of files.
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

QUERIES = Path(__file__).with_name("catalogue.sql")
Catalogue = dict[str, dict[str, str]]


def _sections() -> dict[str, str]:
    """The named queries of catalogue.sql."""
    parts = re.split(r"^-- name: (\w+)\s*$", QUERIES.read_text("utf-8"), flags=re.MULTILINE)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def catalogue(url: str) -> Catalogue:
    """Every object of the public schema with its definition, section by section."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_user").fetchone()
        assert row is not None
        owner = re.compile(rf"(^|[{{,/\s]){re.escape(str(row[0]))}(?=[=/,}}])")
        dump: Catalogue = {}
        for section, query in _sections().items():
            found: dict[str, str] = {}
            for name, definition in conn.execute(query):
                found[str(name)] = owner.sub(r"\1<owner>", str(definition or ""))
            dump[section] = dict(sorted(found.items()))
    return dump


def server_major(url: str) -> int:
    """The server's major version: definitions are deparsed text, which it may change."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def _with_dbname(url: str, dbname: str) -> str:
    info: dict[str, Any] = dict(psycopg.conninfo.conninfo_to_dict(url))
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new empty database on the server of `admin_url`, dropped afterwards."""
    name = f"newswire_catalogue_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_dbname(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def run_files(url: str, files: Sequence[Path]) -> None:
    """Run each SQL file in its own transaction, in order (as the migrations run)."""
    for path in files:
        with psycopg.connect(url) as conn:
            conn.execute(path.read_text("utf-8").encode())


def replay(admin_url: str, files: Sequence[Path]) -> tuple[Catalogue, int]:
    """The catalogue of a new database after `files`, and the server's major version."""
    with scratch_database(admin_url) as url:
        run_files(url, files)
        return catalogue(url), server_major(url)


def main(argv: Sequence[str]) -> int:
    """`python -m devtools.catalogue URL`: print a database's catalogue as JSON."""
    if len(argv) != 1:
        print("usage: python -m devtools.catalogue POSTGRES_URL", file=sys.stderr)
        return 2
    print(json.dumps(catalogue(argv[0]), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
