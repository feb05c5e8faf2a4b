"""The report's data on a small seeded warehouse, and the page as a browser shows it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from newswire.analysis.report import (
    ReportData,
    draw_weekly_charts,
    load_report_data,
    render_html,
    weekly_chart,
    write_report,
)

from tests.integration.report_seed import FIRST_MONDAY, WEEKS, seed

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture(scope="module")
def seeded(warehouse_url: str) -> tuple[str, list[dict[str, object]]]:
    from tests.conftest import truncate_all

    truncate_all(warehouse_url)
    return warehouse_url, seed(warehouse_url)


@pytest.fixture(scope="module")
def data(seeded: tuple[str, list[dict[str, object]]]) -> ReportData:
    return load_report_data(seeded[0])


def test_default_window_is_the_data_span_in_whole_weeks(data: ReportData) -> None:
    assert data.window == (FIRST_MONDAY, FIRST_MONDAY + timedelta(weeks=8))
    assert [w.start for w in data.weeks] == [FIRST_MONDAY + timedelta(weeks=i) for i in range(8)]


def test_zero_weeks_are_zeros_and_empty_weeks_are_gaps(data: ReportData) -> None:
    chart = weekly_chart(data.weeks)
    expected = [WEEKS.get(i, (0, 0, 0)) for i in range(8)]
    assert chart.dprk == [d if n else None for n, d, _ in expected]
    assert chart.dprk[2] == 0  # articles that week, none about the DPRK: a zero bar
    assert chart.dprk[3] is None and chart.dprk[4] is None
    assert chart.gaps == [(date(2024, 1, 22), date(2024, 2, 5))]
    assert chart.dprk_share_pct[3] is None and chart.dprk_share_pct[2] == 0.0
    assert chart.dprk_share_pct[6] == pytest.approx(80.0)


def test_share_series_is_dprk_russia_over_dprk(data: ReportData) -> None:
    chart = weekly_chart(data.weeks)
    # week 6: 8 DPRK articles, 6 in English naming Russia, plus the Russian one swapped in
    assert chart.russia_share_of_dprk_pct == [
        pytest.approx(100.0),
        0.0,
        None,
        None,
        None,
        0.0,
        pytest.approx(87.5),
        100.0,
    ]


def test_spike_is_found_with_its_top_headlines(
    seeded: tuple[str, list[dict[str, object]]], data: ReportData
) -> None:
    assert [(s.week_start, s.dprk) for s in data.spikes] == [(date(2024, 2, 12), 8)]
    spike = data.spikes[0]
    assert spike.trailing_level == pytest.approx(0.75)
    week_start = date(2024, 2, 12)
    candidates = sorted(
        (
            r
            for r in seeded[1]
            if str(r["headline"]).startswith("North Korea and Russia")
            and week_start <= r["published_at"].date() < week_start + timedelta(days=7)
        ),  # type: ignore[attr-defined]
        key=lambda r: (r["published_at"], r["external_id"]),  # type: ignore[arg-type,return-value]
    )
    assert [(h.headline, h.url) for h in spike.headlines] == [
        (r["headline"], r["url"]) for r in candidates[:3]
    ]


def test_header_window_is_the_window_drawn(data: ReportData) -> None:
    chart = weekly_chart(data.weeks)
    drawn = draw_weekly_charts(chart)
    assert data.window is not None
    assert {d.x_range for d in drawn.values()} == {data.window}
    page = render_html(data)
    last_day = data.window[1] - timedelta(days=1)
    assert f"Window: <strong>{data.window[0]} to {last_day}</strong>" in page
    assert "8 ISO weeks" in page and "2 of them without any stored article" in page


def test_window_from_since_until_snaps_to_whole_weeks(
    seeded: tuple[str, list[dict[str, object]]],
) -> None:
    data = load_report_data(seeded[0], since=date(2024, 1, 10), until=date(2024, 1, 16))
    assert data.window == (date(2024, 1, 8), date(2024, 1, 22))
    assert [w.start for w in data.weeks] == [date(2024, 1, 8), date(2024, 1, 15)]
    assert data.spikes == []
    assert "No week in this window is a spike." in render_html(data)


def test_sources_languages_speakers_revisions(data: ReportData) -> None:
    by_source = {(r.source, r.language): (r.articles, r.dprk, r.dprk_russia) for r in data.sources}
    assert by_source == {("tass.com", "en"): (28, 11, 8), ("tass.ru", "ru"): (1, 1, 1)}
    lavrov = next(s for s in data.speakers if s.name == "Sergey Lavrov")
    assert lavrov.quotes == 8 and lavrov.country == "russia"
    (revision,) = data.revisions
    assert (revision.headline_added, revision.headline_removed) == (["sign"], ["discuss"])
    assert "Lavrov" in revision.body_added and "SEOUL" not in revision.body_added
    page = render_html(data)
    assert "<del>discuss</del>" in page and "<ins>sign</ins>" in page


def test_page_in_headless_chromium(
    seeded: tuple[str, list[dict[str, object]]], tmp_path: Path
) -> None:
    from tests.dags.browser import Browser, chromium_path

    if chromium_path() is None:
        pytest.fail("headless Chromium is needed (Debian: apt-get install -y chromium)")
    page = write_report(seeded[0], tmp_path / "coverage.html")
    with Browser(tmp_path / "profile", width=1280, height=900) as browser:
        browser.goto(page.as_uri())
        browser.wait_for(
            "document.images.length >= 3 && "
            "[...document.images].every(i => i.complete && i.naturalWidth > 0)",
            what="the charts",
        )
        text = browser.text()
        height = browser.evaluate("document.documentElement.scrollHeight")
        shot = browser.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1},
            },
        )
    import base64

    ARTIFACTS.mkdir(exist_ok=True)
    png = ARTIFACTS / "report.png"
    png.write_bytes(base64.b64decode(shot["data"]))
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 20_000
    for heading in (
        "Weekly DPRK coverage",
        "Coverage spikes",
        "Coverage by source and language",
        "Top quoted speakers",
        "Recent revisions",
    ):
        assert heading in text
    assert "week of 2024-02-12" in text and "Sergey Lavrov" in text


def test_every_empty_section_says_so(warehouse_url: str) -> None:
    from tests.conftest import truncate_all

    truncate_all(warehouse_url)
    from newswire.analysis.store import refresh_views

    refresh_views(warehouse_url)
    page = render_html(load_report_data(warehouse_url))
    for text in (
        "The warehouse holds no articles yet",
        "Nobody is quoted in a DPRK article yet.",
        "No entity is named alongside the DPRK yet.",
        "No article has been revised since it was first stored.",
    ):
        assert text in page
    assert "<img" not in page
