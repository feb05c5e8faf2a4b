"""Data-quality checks run after each load: a run that stored bad or too little data fails.

Each check is a plain function of a connection and an ingest run id returning a
`CheckResult`; `run_checks` runs them all and `enforce` raises `DataQualityError` whose
message names every failed check, so the Airflow task log and `ingest_runs.message` say
exactly which rule broke and by how much. When an earlier task had already failed the run,
its error stays first in `ingest_runs.message` (see `runs.fail_run`) and the checks follow;
the checks do not repeat it. Thresholds come from the environment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import psycopg

from newswire.config import RuntimeSettings
from newswire.db import connect, load_sql, one_row
from newswire.timing import stage_timer

log = logging.getLogger(__name__)

DEFAULT_MAX_EXTRACTION_FAILURE_RATE = 0.05
DEFAULT_MAX_MISSING_RATE = 0.02
DEFAULT_MIN_DISCOVERED = 1
# What a check says instead of repeating the error that already failed the run.
EARLIER_ERROR = "the run's first error, at the start of its message"
# Airflow names a run the scheduler started `scheduled__<logical date>`.
SCHEDULED_RUN_PREFIX = "scheduled__"


class DataQualityError(RuntimeError):
    """One or more checks failed; the message names each of them."""

    def __init__(self, failed: list[CheckResult]) -> None:
        self.failed = failed
        names = ", ".join(r.name for r in failed)
        details = "; ".join(f"{r.name}: {r.detail}" for r in failed)
        super().__init__(f"failed data-quality checks: {names} ({details})")


@dataclass(frozen=True)
class QualityThresholds:
    """Limits an operator tunes per deployment (rates are fractions, 0.05 = 5 %)."""

    max_extraction_failure_rate: float = DEFAULT_MAX_EXTRACTION_FAILURE_RATE
    max_missing_rate: float = DEFAULT_MAX_MISSING_RATE
    min_discovered: int = DEFAULT_MIN_DISCOVERED

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> QualityThresholds:
        runtime = RuntimeSettings.from_env(env)
        return cls(
            max_extraction_failure_rate=runtime.max_extraction_failure_rate,
            max_missing_rate=runtime.max_missing_rate,
            min_discovered=runtime.min_discovered,
        )


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str

    def __str__(self) -> str:
        return f"{'ok  ' if self.passed else 'FAIL'} {self.name}: {self.detail}"


@dataclass(frozen=True)
class RunOutcome:
    """Where the run's discovered articles ended up (see sql/quality/run_outcome.sql)."""

    discovered: int
    stored: int
    gone: int
    quarantined: int
    fetch_failed: int
    unfinished: int
    skipped: int = 0
    never_requested: int = 0

    @property
    def missing(self) -> int:
        """Discovered articles neither stored nor explained (gone, not an article, or
        deliberately skipped). A page we could not fetch counts as missing: it is data
        lost to this run, however well its quarantine row explains why."""
        return self.discovered - self.stored - self.gone - self.quarantined - self.skipped


def run_outcome(conn: psycopg.Connection, run_id: int) -> RunOutcome:
    row = conn.execute(load_sql("quality/run_outcome.sql"), {"run_id": run_id}).fetchone()
    assert row is not None
    return RunOutcome(*row)


def fetch_error_summary(conn: psycopg.Connection, run_id: int) -> str:
    """The commonest fetch errors of the run, e.g. `HTTP 403 (12)`; empty when none."""
    rows = conn.execute(load_sql("quality/fetch_errors.sql"), {"run_id": run_id}).fetchall()
    return ", ".join(f"{error} ({count})" for error, count in rows)


def check_fetch_complete(
    conn: psycopg.Connection, run_id: int, thresholds: QualityThresholds
) -> CheckResult:
    """The fetch stage ran to its end: not blocked, and every discovered article asked for.

    Parse and load run even when a fetch batch failed, so that pages fetched before a
    block still become articles; this check is what keeps such a run from ending green.
    """
    row = conn.execute(
        "SELECT blocked_reason, fetch_started_at IS NOT NULL, state, message"
        " FROM ingest_runs WHERE id = %s",
        (run_id,),
    ).fetchone()
    if row is None:
        raise LookupError(f"ingest run {run_id} does not exist")
    blocked_reason, fetch_started, state, message = row
    already_failed = state == "failed" and bool(message)
    if blocked_reason:
        head = blocked_reason.split(" What to do: ", 1)[0]
        if already_failed and head in message:  # the run's first error already says it
            return CheckResult("fetch_complete", False, f"blocked ({EARLIER_ERROR})")
        return CheckResult("fetch_complete", False, blocked_reason)
    if not fetch_started:
        earlier = f" ({EARLIER_ERROR})" if already_failed else ""
        return CheckResult(
            "fetch_complete", False, f"the fetch stage never ran for this run{earlier}"
        )
    outcome = run_outcome(conn, run_id)
    if outcome.never_requested:
        return CheckResult(
            "fetch_complete",
            False,
            f"{outcome.never_requested} of {outcome.discovered} discovered articles were never"
            " requested: a fetch batch stopped or never ran (see the failed fetch task's log)",
        )
    return CheckResult("fetch_complete", True, "every discovered article was requested")


def check_discovered_minimum(
    conn: psycopg.Connection, run_id: int, thresholds: QualityThresholds
) -> CheckResult:
    """A scheduled (nightly) run finds at least `min_discovered` articles.

    A wire publishes every day, so an empty night means discovery broke (a feed moved, a
    sitemap was renamed) rather than that nothing happened. Runs an operator started for
    a chosen window are not judged: an empty old window can be true.
    """
    row = conn.execute(
        "SELECT coalesce(dag_run_id, ''), discovered_count"
        " FROM ingest_runs, LATERAL (SELECT count(*) AS discovered_count FROM run_articles"
        " WHERE ingest_run_id = %s) d WHERE id = %s",
        (run_id, run_id),
    ).fetchone()
    if row is None:
        raise LookupError(f"ingest run {run_id} does not exist")
    dag_run_id, discovered = str(row[0]), int(row[1])
    if not dag_run_id.startswith(SCHEDULED_RUN_PREFIX) or thresholds.min_discovered == 0:
        return CheckResult("discovered_minimum", True, f"discovered {discovered} (not judged)")
    if discovered < thresholds.min_discovered:
        return CheckResult(
            "discovered_minimum",
            False,
            f"the scheduled window discovered {discovered} articles, fewer than the"
            f" {thresholds.min_discovered} expected (NEWSWIRE_DQ_MIN_DISCOVERED): discovery"
            " may be broken (feeds, sitemaps, robots.txt)",
        )
    return CheckResult("discovered_minimum", True, f"discovered {discovered}")


def check_complete_articles(
    conn: psycopg.Connection, run_id: int, thresholds: QualityThresholds
) -> CheckResult:
    """No article of the window (or stored by the run) without headline, body or time."""
    count, sample = one_row(conn, load_sql("quality/incomplete_articles.sql"), {"run_id": run_id})
    if count:
        ids = ", ".join(str(i) for i in sample)
        return CheckResult(
            "complete_articles",
            False,
            f"{count} article(s) lack a headline, body or publication time (ids {ids})",
        )
    return CheckResult("complete_articles", True, "every article has headline, body and time")


def check_stored_vs_discovered(
    conn: psycopg.Connection, run_id: int, thresholds: QualityThresholds
) -> CheckResult:
    """Stored articles account for the discovered ones, up to a configured share."""
    outcome = run_outcome(conn, run_id)
    counts = (
        f"discovered {outcome.discovered}, stored {outcome.stored}, gone {outcome.gone},"
        f" quarantined {outcome.quarantined}, skipped {outcome.skipped},"
        f" fetch failed {outcome.fetch_failed}, unfinished {outcome.unfinished}"
    )
    if outcome.discovered == 0:
        return CheckResult("stored_vs_discovered", True, "nothing discovered in the window")
    rate = outcome.missing / outcome.discovered
    if rate > thresholds.max_missing_rate:
        cause = fetch_error_summary(conn, run_id)
        because = f"; fetch errors: {cause}" if cause else ""
        return CheckResult(
            "stored_vs_discovered",
            False,
            f"{outcome.missing} of {outcome.discovered} discovered articles ({rate:.1%}) were"
            f" not stored, above the {thresholds.max_missing_rate:.1%} allowed ({counts})"
            f"{because}",
        )
    return CheckResult("stored_vs_discovered", True, counts)


def check_extraction_failure_rate(
    conn: psycopg.Connection, run_id: int, thresholds: QualityThresholds
) -> CheckResult:
    """The share of fetched pages that could not be extracted stays under the threshold."""
    outcome = run_outcome(conn, run_id)
    attempted = outcome.stored + outcome.quarantined
    if attempted == 0:
        return CheckResult("extraction_failure_rate", True, "no page was extracted")
    rate = outcome.quarantined / attempted
    detail = (
        f"{outcome.quarantined} of {attempted} fetched pages ({rate:.1%}) not extracted,"
        f" threshold {thresholds.max_extraction_failure_rate:.1%}"
    )
    return CheckResult(
        "extraction_failure_rate", rate <= thresholds.max_extraction_failure_rate, detail
    )


CHECKS: tuple[Callable[[psycopg.Connection, int, QualityThresholds], CheckResult], ...] = (
    check_fetch_complete,
    check_discovered_minimum,
    check_complete_articles,
    check_stored_vs_discovered,
    check_extraction_failure_rate,
)


def run_checks(
    conn: psycopg.Connection, run_id: int, thresholds: QualityThresholds | None = None
) -> list[CheckResult]:
    thresholds = thresholds or QualityThresholds.from_env()
    return [check(conn, run_id, thresholds) for check in CHECKS]


def enforce(results: list[CheckResult]) -> None:
    """Raise `DataQualityError` naming every failed check; silent when all passed."""
    failed = [r for r in results if not r.passed]
    if failed:
        raise DataQualityError(failed)


@stage_timer("check_quality")
def check_run(db_url: str, run_id: int) -> list[CheckResult]:
    """Run every check, log each result, then fail naming the broken ones (the DAG's gate)."""
    with connect(db_url) as conn:
        results = run_checks(conn, run_id)
    for result in results:
        log.info("%s", result)
    enforce(results)
    return results
