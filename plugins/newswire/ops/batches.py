"""Fetch batching moved to `newswire.stages.batches`; this keeps the old import path."""

from newswire.stages.batches import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_MAP_LENGTH,
    BatchPlan,
    FetchBatchFailed,
    batch_members,
    batch_size_from_env,
    fetch_batch,
    pending_ids,
    plan_batches,
    plan_fetch,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_MAP_LENGTH",
    "BatchPlan",
    "FetchBatchFailed",
    "batch_members",
    "batch_size_from_env",
    "fetch_batch",
    "pending_ids",
    "plan_batches",
    "plan_fetch",
]
