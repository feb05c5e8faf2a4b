"""Partition a run's fetch work into batches for Airflow's dynamic task mapping.

One mapped task per batch, never per URL: the batch count grows with the work but is
capped by `max_map_length`, so a 50,000-article backfill gets bigger batches rather than
more tasks than Airflow allows. Membership is `external_id % count == index`, which is
stable while other batches change the statuses of their articles, so a retried batch
fetches exactly its own leftovers.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import psycopg

from newswire.config import ConfigError, Settings, env_int, environment
from newswire.states import RunArticleStatus
from newswire.timing import stage_timer

if TYPE_CHECKING:
    from newswire.stages.counts import StageCounts

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200
# Airflow's own default of [core] max_map_length.
DEFAULT_MAX_MAP_LENGTH = 1024


@dataclass(frozen=True)
class BatchPlan:
    """How many batches a run's pending articles are split into, and why."""

    pending: int
    batch_count: int
    batch_size: int

    def batches(self) -> list[dict[str, int]]:
        """XCom-sized descriptions of the batches, one per mapped task."""
        return [{"index": i, "count": self.batch_count} for i in range(self.batch_count)]


def plan_batches(
    pending: int,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_map_length: int = DEFAULT_MAX_MAP_LENGTH,
) -> BatchPlan:
    """At least one batch (an empty run still maps one task that finds nothing to do)."""
    if batch_size < 1:
        raise ConfigError(f"fetch batch size must be at least 1, got {batch_size}")
    if max_map_length < 1:
        raise ConfigError(f"max_map_length must be at least 1, got {max_map_length}")
    count = min(max(1, math.ceil(pending / batch_size)), max_map_length)
    return BatchPlan(pending=pending, batch_count=count, batch_size=math.ceil(pending / count))


def batch_size_from_env(env: Mapping[str, str] | None = None) -> int:
    """NEWSWIRE_FETCH_BATCH_SIZE, checked by the shared reader (at least 1)."""
    env = environment() if env is None else env
    return env_int(env, "NEWSWIRE_FETCH_BATCH_SIZE", DEFAULT_BATCH_SIZE, 1)


def batch_members(ids: Iterable[int], index: int, count: int) -> list[int]:
    """The ids belonging to batch `index` of `count`."""
    if not 0 <= index < count:
        raise ValueError(f"batch index {index} outside 0..{count - 1}")
    return [i for i in ids if i % count == index]


def pending_ids(conn: psycopg.Connection, run_id: int) -> list[int]:
    """External ids of the run still waiting for a request (states.PENDING_FETCH)."""
    from newswire.stages.fetch import pending_articles

    return [ref.external_id for ref in pending_articles(conn, run_id)]


class FetchBatchFailed(RuntimeError):
    """Every fetch of a batch failed: most likely the site is refusing us."""


@stage_timer("plan_fetch")
def plan_fetch(db_url: str, run_id: int, *, max_map_length: int) -> BatchPlan:
    """How the run's pending articles split into mapped fetch batches."""
    from newswire.db import connect

    with connect(db_url) as conn:
        pending = len(pending_ids(conn, run_id))
    plan = plan_batches(pending, batch_size=batch_size_from_env(), max_map_length=max_map_length)
    log.info(
        "run %d: %d articles to fetch in %d batch(es) of up to %d",
        run_id,
        plan.pending,
        plan.batch_count,
        plan.batch_size,
    )
    return plan


@stage_timer("fetch")
def fetch_batch(
    db_url: str,
    settings: Settings,
    run_id: int,
    index: int,
    count: int,
    *,
    first_try: bool = True,
) -> StageCounts:
    """Fetch batch `index` of `count`; raise with the commonest errors when nothing came back.

    A first try stops at once when another batch of the run already found the host
    blocking us; a retry (or a cleared task) is a deliberate new attempt that probes the
    site again. A batch whose every fetch failed records that as the run's block too, so
    the batches still to come do not ask the same refusing host again.
    """
    from newswire import quality, runs
    from newswire.db import connect, one_row
    from newswire.stages.fetch import fetch_stage

    with connect(db_url) as conn:
        ids = batch_members(pending_ids(conn, run_id), index, count)
    counts = fetch_stage(db_url, settings, run_id, only_ids=ids, honour_earlier_block=first_try)
    if counts.failed and not counts.done and not counts.skipped:
        with connect(db_url) as conn:
            cause = quality.fetch_error_summary(conn, run_id)
            message = (
                f"batch {index + 1} of {count}: all {counts.failed} article"
                f" fetches failed ({cause or 'no response'}); is TASS blocking us?"
            )
            (refused,) = one_row(
                conn,
                "SELECT count(*) FROM run_articles WHERE ingest_run_id = %s"
                " AND external_id = ANY(%s) AND status = %s",
                (run_id, ids, RunArticleStatus.FETCH_FAILED),
            )
            if refused == counts.failed:  # not when some were merely gone (404/410)
                runs.record_block(conn, run_id, message)
        raise FetchBatchFailed(message)
    return counts
