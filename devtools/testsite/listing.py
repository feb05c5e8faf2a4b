"""The test site's `POST /userApi/categoryNewsList`: tass.com's section listing API.

It answers like the real one as public collectors describe it: the section's items
newest first, at most `limit`, none newer than `timestamp` (UNIX seconds; absent → the
newest), none of `excludeNewsIds`, and `lastTime` = the date of the last item, which the
client sends back as the next `timestamp`. An empty list ends the walk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from newswire.sources import TASS_COM_SECTION_IDS

from devtools.testsite.pages import ArticleRecord

LISTING_PATH = "/userApi/categoryNewsList"
MAX_LIMIT = 50
SECTION_BY_ID: Mapping[int, str] = {number: slug for slug, number in TASS_COM_SECTION_IDS.items()}


class BadListingRequest(ValueError):
    """The request body is not what the page's JavaScript sends."""


def read_request(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body or b"{}")
    except ValueError as exc:
        raise BadListingRequest(f"body is not JSON: {exc}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("sectionId"), int):
        raise BadListingRequest("sectionId (an integer) is required")
    return payload


def answer(records: Iterable[ArticleRecord], payload: Mapping[str, Any]) -> bytes:
    """The JSON answer for one request over the site's current articles."""
    section = SECTION_BY_ID.get(int(payload["sectionId"]))
    limit = max(1, min(int(payload.get("limit") or 20), MAX_LIMIT))
    before = payload.get("timestamp")
    exclude = {int(x) for x in payload.get("excludeNewsIds") or ()}
    chosen = []
    for record in sorted(records, key=lambda r: (r.published, r.external_id), reverse=True):
        stamp = int(record.published.timestamp())
        if record.section != section or record.external_id in exclude:
            continue
        if before is not None and stamp > int(before):
            continue
        chosen.append(record)
        if len(chosen) == limit:
            break
    items = [
        {
            "id": r.external_id,
            "title": r.headline,
            "lead": r.lead,
            "link": r.path,
            "date": int(r.published.timestamp()),
        }
        for r in chosen
    ]
    last_time = items[-1]["date"] if items else None
    return json.dumps({"newsList": items, "lastTime": last_time}).encode()
