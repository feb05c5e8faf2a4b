"""The coverage report renders a self-contained page from fixture data."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime, timedelta

from newswire.analysis.report import ReportData, render_html


def _fixture() -> ReportData:
    days = [date(2024, 6, 1) + timedelta(days=i) for i in range(30)]
    daily = [(d, 300, 10 + i % 5, 4 + i % 3) for i, d in enumerate(days)]
    weekly = [(days[i], 2100, 80, 30) for i in range(0, 28, 7)]
    return ReportData(
        daily=daily,
        weekly=weekly,
        co_mentions=[("Russia", 120), ("United States", 40), ("South Korea", 35)],
        speakers=[("Sergey Lavrov", 12, 9), ("Ambassador <Kim>", 3, 1)],
        revisions=[
            (datetime(2024, 6, 20, 9, 30, tzinfo=UTC), "Old headline", "New & better", "u1")
        ],
        generated_at=datetime(2024, 7, 1, tzinfo=UTC),
    )


def test_page_is_self_contained_with_png_charts() -> None:
    page = render_html(_fixture())
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 4
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert "http://" not in page and "https://" not in page


def test_page_shows_the_figures_escaped() -> None:
    page = render_html(_fixture())
    assert "8400 articles, 320 about the DPRK" in page and "(3.8%)" in page
    assert "Sergey Lavrov" in page and "Ambassador &lt;Kim&gt;" in page
    assert "New &amp; better" in page and "2024-06-20 09:30" in page


def test_empty_warehouse_still_renders() -> None:
    page = render_html(ReportData([], [], [], [], []))
    assert "0 articles" in page and "n/a" in page
