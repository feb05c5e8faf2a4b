"""Synthetic warehouses for the benchmarks: a scratch database, articles built from the
committed fixtures, and the pipeline's own COPY into staged_articles.

Shared by benchmarks/warehouse.py and benchmarks/reanalyse.py, so both measure the same
articles (about 2.5 kB of real TASS wording each, one in twenty Russian) loaded the same way.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from newswire.config import Settings
from newswire.db import load_sql, start_embedded
from newswire.migrate import apply_migrations

from devtools.scratch import scratch_database as empty_database
from devtools.testsite import load_fixture_articles

LOAD_CHUNK = 250_000  # articles per run: a backfill month is of this order
ROW_BATCH = 25_000  # synthetic rows built (untimed) per COPY
START = datetime(2017, 9, 1, tzinfo=UTC)
SPAN_DAYS = 3100
STAGED_COLUMNS = (
    "ingest_run_id, source, external_id, url, section, headline, lead, dateline, published_at,"
    " modified_at, body, language, content_hash, extraction_method, parser_version, fetched_at"
)


def load_average() -> str:
    """The machine's load average, quoted beside every figure (the cores are shared)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def admin_url() -> str:
    return (
        os.environ.get("NEWS_TEST_DB_URL")
        or os.environ.get("NEWS_DB_URL")
        or start_embedded(Settings.from_env({}))
    )


@contextmanager
def scratch_database(admin: str, keep: bool = False) -> Iterator[str]:
    """A migrated database of its own next to `admin`'s; dropped afterwards unless `keep`."""
    with empty_database(admin, "newswire_bench", keep=keep) as url:
        apply_migrations(url)
        yield url


def _has_ru() -> bool:
    try:
        return bool(load_fixture_articles("ru"))
    except (FileNotFoundError, ValueError):
        return False


class Corpus:
    """Paragraph pools from the fixtures, drawn with a fixed seed."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        records = load_fixture_articles("en")
        self.heads = [(r.headline, r.lead) for r in records]
        self.firsts = [r.paragraphs[0] for r in records if r.paragraphs]
        self.rest = [p for r in records for p in r.paragraphs[1:]]
        self.ru = (
            [(r.headline, r.lead, list(r.paragraphs)) for r in load_fixture_articles("ru")]
            if _has_ru()
            else []
        )

    def article(self, i: int) -> tuple[str, str, str, str]:
        """(language, headline, lead, body) of synthetic article i: about 2.5 kB of text."""
        rng = self.rng
        if self.ru and i % 20 == 0:
            headline, lead, paragraphs = rng.choice(self.ru)
            return "ru", headline, lead, "\n\n".join(paragraphs)
        headline, lead = rng.choice(self.heads)
        paragraphs = [rng.choice(self.firsts), *rng.sample(self.rest, rng.randint(4, 9))]
        return "en", headline, lead, "\n\n".join(paragraphs)


def staged_rows(
    corpus: Corpus, run_id: int, first_id: int, n: int, now: datetime
) -> Iterator[tuple[Any, ...]]:
    """n staged_articles rows (STAGED_COLUMNS) with external ids from first_id on."""
    for k in range(n):
        ext = first_id + k
        language, headline, lead, body = corpus.article(ext)
        published = START + timedelta(seconds=int(SPAN_DAYS * 86400 * k / max(n, 1)))
        digest = hashlib.sha256(f"{headline}\x1f{lead}\x1f{body}".encode()).hexdigest()
        yield (
            run_id, "bench", ext, f"https://tass.com/world/{ext}", "world", headline, lead,
            "MOSCOW", published, None, body, language, digest, "synthetic", "1", now,
        )  # fmt: skip


def new_run(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "INSERT INTO ingest_runs (base_url, window_start, window_end) VALUES"
        " ('synthetic', '2017-01-01', '2027-01-01') RETURNING id"
    ).fetchone()
    assert row is not None
    return int(row[0])


def copy_staged(conn: psycopg.Connection, run_id: int, rows: Sequence[tuple[Any, ...]]) -> None:
    """COPY rows built for any run into staged_articles under `run_id`."""
    with (
        conn.cursor() as cur,
        cur.copy(f"COPY staged_articles ({STAGED_COLUMNS}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row((run_id, *row[1:]))


def staged_batches(corpus: Corpus, first_id: int, n: int) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of n synthetic articles in batches of ROW_BATCH (run id 0: set on COPY)."""
    now = datetime.now(UTC)
    for start in range(0, n, ROW_BATCH):
        yield list(staged_rows(corpus, 0, first_id + start, min(ROW_BATCH, n - start), now))


def copy_and_merge(url: str, corpus: Corpus, first_id: int, n: int) -> int:
    """COPY n staged articles and merge them with the pipeline's statement, committed.

    Returns the run id; its staged rows stay for the steps that follow the merge.
    """
    with psycopg.connect(url) as conn:
        run_id = new_run(conn)
        for rows in staged_batches(corpus, first_id, n):
            copy_staged(conn, run_id, rows)
        row = conn.execute(
            load_sql("pipeline/merge_staged_articles.sql"), {"run_id": run_id}
        ).fetchone()
    if row is None or row[0] != n:
        raise RuntimeError(f"merge inserted {row and row[0]} of {n} articles")
    return run_id
