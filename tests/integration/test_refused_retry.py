"""Retrying (or clearing) a fetch batch asks again for the pages it was refused, so once
the block is lifted every article of the window is stored."""

from __future__ import annotations

import contextlib

import pytest
from newswire import pipeline
from newswire.config import Settings
from newswire.models import Window
from newswire.stages import batches
from newswire.stages.fetch import FetchBlocked

from devtools.testsite.server import TassTestSite
from tests.helpers import run_statuses, stored_ids

WINDOW = Window.parse("2024-12-26", "2024-12-27")  # 20 fixture articles


@pytest.mark.parametrize("refusal", ["403", "challenge_403", "challenge_200"])
def test_a_retried_batch_fetches_what_it_was_refused(
    db_url: str, site_settings: Settings, test_site: TassTestSite, refusal: str
) -> None:
    run_id = pipeline.begin(db_url, site_settings, WINDOW)
    pipeline.discover_stage(db_url, site_settings, run_id)
    with_ids = set(run_statuses(db_url, run_id))
    assert len(with_ids) == 20
    count = 2
    test_site.faults.add(refusal)
    for index in range(count):  # the first tries: refused (the first raises, the next
        # stops at the recorded block)
        with contextlib.suppress(batches.FetchBatchFailed, FetchBlocked):
            batches.fetch_batch(db_url, site_settings, run_id, index, count)
    assert not set(run_statuses(db_url, run_id).values()) & {"fetched", "loaded"}
    test_site.faults.clear()  # the block is lifted
    for index in range(count):  # what a retry or a cleared task runs
        batches.fetch_batch(db_url, site_settings, run_id, index, count, first_try=False)
    pipeline.parse_stage(db_url, run_id)
    pipeline.load_stage(db_url, run_id)
    assert with_ids <= stored_ids(db_url)
    assert set(run_statuses(db_url, run_id).values()) == {"loaded"}
