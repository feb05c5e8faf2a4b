"""The report's chart data and page from hand-made weeks: gaps, zeros, spikes, diffs."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime, timedelta

from newswire.analysis.report import (
    Headline,
    ReportData,
    Revision,
    Speaker,
    Spike,
    Week,
    find_spikes,
    monday,
    render_html,
    weekly_chart,
)

START = date(2024, 6, 3)  # a Monday


def _weeks(counts: list[tuple[int, int, int]]) -> list[Week]:
    return [Week(START + timedelta(weeks=i), *c) for i, c in enumerate(counts)]


def test_gaps_are_none_and_merged_zeros_stay_zero() -> None:
    chart = weekly_chart(_weeks([(10, 2, 1), (0, 0, 0), (0, 0, 0), (5, 0, 0), (0, 0, 0)]))
    assert chart.dprk == [2, None, None, 0, None]
    assert chart.dprk_share_pct == [20.0, None, None, 0.0, None]
    assert chart.russia_share_of_dprk_pct == [50.0, None, None, None, None]
    assert chart.gaps == [
        (START + timedelta(weeks=1), START + timedelta(weeks=3)),
        (START + timedelta(weeks=4), START + timedelta(weeks=5)),
    ]
    assert chart.x_range == (START, START + timedelta(weeks=5))


def test_spike_rule_needs_history_and_skips_gaps() -> None:
    weeks = _weeks([(9, 1, 0), (9, 2, 0), (0, 0, 0), (9, 1, 0), (9, 6, 0), (9, 4, 0)])
    spikes = find_spikes(weeks)
    # week 4: trailing level (1 + 2 + 1) / 3 = 1.33, 6 >= 2.67 and 6 - 1.33 >= 3
    # week 5: level (1 + 2 + 1 + 6) / 4 = 2.5, 4 < 5: not a spike
    assert [(w.start, round(level, 2)) for w, level in spikes] == [
        (START + timedelta(weeks=4), 1.33)
    ]
    assert find_spikes(weeks[:3] + weeks[4:5]) == []  # only two weeks of history
    assert find_spikes(weeks, first=START + timedelta(weeks=5)) == []


def test_small_absolute_rises_are_not_spikes() -> None:
    assert find_spikes(_weeks([(9, 0, 0), (9, 1, 0), (9, 0, 0), (9, 2, 0)])) == []


def test_monday() -> None:
    assert monday(date(2024, 6, 9)) == START and monday(START) == START


def _data() -> ReportData:
    weeks = _weeks([(10, 2, 1), (0, 0, 0), (12, 9, 3)])
    return ReportData(
        window=(START, START + timedelta(weeks=3)),
        weeks=weeks,
        spikes=[
            Spike(
                weeks[2].start,
                9,
                2.0,
                [Headline(datetime(2024, 6, 17, tzinfo=UTC), "Kim <meets> Putin", "https://t/1")],
            )
        ],
        sources=[],
        speakers=[Speaker("Ambassador <Kim>", None, None, None, 3, 1)],
        co_mentions=[("Russia", "country", 12)],
        revisions=[
            Revision(
                datetime(2024, 6, 20, 9, 30, tzinfo=UTC),
                2,
                "Kim to visit Moscow, Kim says",
                "Kim to visit Vladivostok, Kim says",
                ["Vladivostok"],
                ["Moscow"],
                [],
                ["talks"],
                "https://t/2",
            )
        ],
        generated_at=datetime(2024, 7, 1, tzinfo=UTC),
    )


def test_page_is_self_contained_with_png_charts() -> None:
    page = render_html(_data())
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 3  # weekly bars, shares, co-mentions
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert not re.search(r'src="https?:', page) and "<script" not in page and "<link" not in page


def test_page_shows_the_window_figures_links_and_diff_escaped() -> None:
    page = render_html(_data())
    assert "Window: <strong>2024-06-03 to 2024-06-23</strong>" in page
    assert "22 articles, 11 about the DPRK (50.0%), 4 of those also about Russia" in page
    assert '<a href="https://t/1">Kim &lt;meets&gt; Putin</a>' in page
    assert "Ambassador &lt;Kim&gt;" in page
    assert "visit <del>Moscow,</del> Kim" in page and "<ins>Vladivostok,</ins>" in page
    assert "No article was published in this window." in page  # sources section is empty


def test_empty_warehouse_says_so_everywhere() -> None:
    page = render_html(ReportData(None, [], [], [], [], [], []))
    assert "holds no articles yet" in page and "<img" not in page
    assert page.count('class="empty"') == 7


def test_a_long_window_gets_its_last_weeks_in_detail() -> None:
    counts = [(0, 0, 0)] * 60 + [(10, 3, 1)] * 10
    weeks = _weeks(counts)
    data = ReportData((START, START + timedelta(weeks=70)), weeks, [], [], [], [], [])
    page = render_html(data)
    first = START + timedelta(weeks=44)
    assert f"The last 26 weeks in detail: {first} to {first + timedelta(days=181)}" in page
    assert len(re.findall(r"<img ", page)) == 3  # weekly, detail, shares
    short = ReportData((START, START + timedelta(weeks=3)), weeks[:3], [], [], [], [], [])
    assert "in detail" not in render_html(short)
