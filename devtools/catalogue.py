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
from collections.abc import Sequence
from pathlib import Path

import psycopg

from devtools.scratch import scratch_database

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


def run_files(url: str, files: Sequence[Path]) -> None:
    """Run each SQL file in its own transaction, in order (as the migrations run)."""
    for path in files:
        with psycopg.connect(url) as conn:
            conn.execute(path.read_text("utf-8").encode())


def replay(admin_url: str, files: Sequence[Path]) -> tuple[Catalogue, int]:
    """The catalogue of a new database after `files`, and the server's major version."""
    with scratch_database(admin_url, "newswire_catalogue") as url:
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
