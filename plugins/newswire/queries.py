"""The worked analyst queries in sql/queries/: list them, run one, export its rows.

Kept out of the command line so the CLI stays a thin layer and the report can run the
same files.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from newswire.db import connect, load_sql, sql_dir

QUERY_DIR = "queries"
_NAME = re.compile(r"^[a-z0-9_]+$")


class UnknownQuery(LookupError):
    """No worked query has this name; carries the names that exist."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(f"no query named {name!r}")
        self.name = name
        self.known = list(known)


@dataclass(frozen=True)
class QueryInfo:
    name: str
    summary: str  # the file's first comment line: the question it answers


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def list_queries() -> list[QueryInfo]:
    """Every query file, by name, with the question its first comment line asks."""
    infos = []
    for path in sorted((sql_dir() / QUERY_DIR).glob("*.sql")):
        summary = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("--"):
                summary = line.lstrip("-").strip()
                break
        infos.append(QueryInfo(path.stem, summary))
    return infos


def query_sql(name: str) -> str:
    """Text of a worked query; UnknownQuery when there is none of that name."""
    known = [q.name for q in list_queries()]
    if not _NAME.match(name) or name not in known:
        raise UnknownQuery(name, known)
    return load_sql(f"{QUERY_DIR}/{name}.sql")


def run_query(db_url: str, name: str, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a worked query (read-only: its transaction is rolled back); times come back in
    UTC whatever the server's time zone, so exports compare across machines."""
    text = query_sql(name)
    with connect(db_url) as conn:
        conn.read_only = True
        conn.execute("SET LOCAL TIME ZONE 'UTC'")
        cur = conn.execute(text, params)
        columns = [c.name for c in cur.description or ()]
        rows = cur.fetchall()
        conn.rollback()
    return QueryResult(columns, rows)


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return value


def write_csv(result: QueryResult, path: Path, *, bom: bool = False) -> Path:
    """UTF-8 CSV with a header row; `bom` prefixes a byte-order mark, which spreadsheet
    programs need to read Cyrillic correctly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(result.columns)
        writer.writerows([_csv_cell(v) for v in row] for row in result.rows)
    return path


def write_parquet(result: QueryResult, path: Path) -> Path:
    """Parquet keeps the column types (times with their zone, numbers, text arrays)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {
        name: pa.array([row[i] for row in result.rows]) for i, name in enumerate(result.columns)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path)
    return path
