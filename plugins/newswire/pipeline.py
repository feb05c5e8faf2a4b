"""The stages of an ingestion run, under their historical names.

The code lives in `newswire.stages` (one module per stage); this module keeps the old
import path working for the DAGs, the CLI, the tests and the benchmarks.
"""

from __future__ import annotations

from newswire.analysis.store import refresh_views
from newswire.stages.counts import LoadCounts, StageCounts
from newswire.stages.discover import discover_stage
from newswire.stages.fetch import FetchBlocked, fetch_stage
from newswire.stages.load import load_stage
from newswire.stages.parse import parse_stage
from newswire.stages.run import (
    begin,
    fail,
    finish,
    ingest_window,
    reparse,
    utc_now,
)

__all__ = [
    "FetchBlocked",
    "LoadCounts",
    "StageCounts",
    "begin",
    "discover_stage",
    "fail",
    "fetch_stage",
    "finish",
    "ingest_window",
    "load_stage",
    "parse_stage",
    "refresh_views",
    "reparse",
    "utc_now",
]
