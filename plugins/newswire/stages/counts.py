"""What a stage returns: small, XCom-friendly counts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StageCounts:
    """Small, XCom-friendly result of one stage."""

    run_id: int
    done: int
    failed: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class LoadCounts:
    run_id: int
    inserted: int
    updated: int
    unchanged: int
