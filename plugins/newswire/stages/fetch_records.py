"""What the fetch stage writes for each answer, and what it tells the operator when the
site blocks us: run_articles statuses, archived responses, quarantine rows, messages."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from newswire import quarantine
from newswire.archive import PreparedResponse, store_prepared
from newswire.breaker import CircuitBreaker, block_kind
from newswire.config import Settings
from newswire.db import load_sql
from newswire.models import ArticleRef, FetchedPage
from newswire.states import RunArticleStatus

S = RunArticleStatus
GONE_STATUS = frozenset({404, 410})


class FetchBlocked(RuntimeError):
    """The site kept refusing us and the circuit breaker stopped the fetch stage.

    The message is written for the operator: what happened, how many, what to do.
    """


def fetch_outcome(page: FetchedPage) -> tuple[RunArticleStatus, str | None]:
    """The run_articles status and error a response leads to.

    A challenge page answered with 200 is a refusal, not a page: it stays pending
    (`fetch_failed`), so a retried or cleared batch asks for it again.
    """
    if page.status == 200 and block_kind(page) is None:
        return S.FETCHED, None
    if page.status == 304:
        return S.NOT_MODIFIED, None
    if page.status in GONE_STATUS:
        return S.GONE, f"HTTP {page.status}"
    if 300 <= page.status < 400:
        return S.SKIPPED, page.error or f"HTTP {page.status} redirect not followed"
    return S.FETCH_FAILED, None  # the error comes with the quarantine reason


def record_fetches(
    conn: psycopg.Connection, run_id: int, batch: Sequence[tuple[ArticleRef, PreparedResponse]]
) -> list[RunArticleStatus]:
    """Archive a batch of responses and move its articles on, in a few round trips.

    A bad answer never touches `articles`: it is archived, and quarantined with its reason.
    """
    answered = [item for _, item in batch if item.page.status]
    raw_ids = iter(store_prepared(conn, answered))
    statuses: list[RunArticleStatus] = []
    rows: list[tuple[int, str, int | None, str | None, int]] = []
    for ref, item in batch:
        page = item.page
        raw_id = next(raw_ids) if page.status else None
        status, error = fetch_outcome(page)
        if status is S.NOT_MODIFIED:
            quarantine.clear(conn, ref.source, ref.external_id)
        elif status is S.FETCH_FAILED:
            reason, error = quarantine.fetch_failure(page)
            quarantine.put(
                conn,
                source=ref.source,
                external_id=ref.external_id,
                url=ref.url,
                reason=reason.value,
                detail=error,
                raw_response_id=raw_id,
                seen_at=page.fetched_at,
            )
        statuses.append(status)
        rows.append((ref.external_id, str(status), raw_id, error, page.attempts))
    sources = {ref.source for ref, _ in batch}
    for source in sources:  # one statement per source (there is one in practice)
        mine = [row for (ref, _), row in zip(batch, rows, strict=True) if ref.source == source]
        ids, states, raw, errors, attempts = (list(column) for column in zip(*mine, strict=True))
        conn.execute(
            load_sql("pipeline/record_fetches.sql"),
            {
                "run_id": run_id,
                "source": source,
                "external_ids": ids,
                "statuses": states,
                "raw_ids": raw,
                "errors": errors,
                "attempts": attempts,
            },
        )
    return statuses


def block_reason(settings: Settings, breaker: CircuitBreaker) -> str:
    """What the run records and the quality gate repeats when the host blocks us."""
    return (
        f"{settings.host} kept refusing article requests ({breaker.describe()}), so the "
        "circuit breaker stopped fetching for this run. "
        "What to do: look at the refused responses (raw_responses, or `newswire quarantine`); "
        "wait before trying again and check TASS_USER_AGENT, TASS_REQUEST_INTERVAL and "
        "TASS_CONCURRENCY; then re-run the failed fetch task (or the same window): it "
        "requests only the articles still missing, and parse and load take in everything "
        "fetched. `newswire reparse` turns archived pages into articles without the network."
    )


def breaker_message(settings: Settings, breaker: CircuitBreaker, fetched: int, left: int) -> str:
    counts = (
        f"{fetched} article pages fetched before the stop are kept in the raw archive; "
        f"{left} articles were not requested."
    )
    if breaker.tripped_by is not None:
        return (
            f"Fetching stopped: another fetch batch of this run found {settings.host} "
            f"blocking us. {counts} The block: {breaker.tripped_by}"
        )
    head, what_to_do = block_reason(settings, breaker).split(" What to do: ", 1)
    return f"{head} {counts} What to do: {what_to_do}"
