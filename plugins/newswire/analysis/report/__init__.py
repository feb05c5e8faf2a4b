"""The coverage report: one self-contained HTML page with charts for analysts.

Two halves so tests can check what is drawn without reading pixels:

* data: `load_report_data` runs the SQL (sql/report/ for the windowed series, the worked
  queries of sql/queries/ for the rest) and builds typed rows; `weekly_chart` and
  `find_spikes` turn the weekly series into exactly what the charts and the spike
  timeline show.
* rendering: `render_html` draws PNG charts with matplotlib and embeds them as base64,
  so the page can be mailed or archived as a single file.

Weeks are ISO weeks of Moscow days (TASS dates its articles in Moscow time). A week
without a single stored article is a *gap*: nothing was collected, so it is drawn as a
hatched band and its shares are undefined, never a zero and never interpolated. A week
with articles but no DPRK article is a zero.
"""

from datetime import date
from pathlib import Path

from newswire.analysis.report.charts import DrawnChart, draw_weekly_charts
from newswire.analysis.report.data import (
    DETAIL_AFTER,
    DETAIL_WEEKS,
    HEADLINES_PER_SPIKE,
    SPIKE_LOOKBACK,
    SPIKE_MIN_EXCESS,
    SPIKE_MIN_HISTORY,
    SPIKE_RATIO,
    WEEK,
    Headline,
    ReportData,
    Revision,
    SourceRow,
    Speaker,
    Spike,
    Week,
    WeeklyChart,
    find_spikes,
    load_report_data,
    monday,
    parse_day,
    weekly_chart,
)
from newswire.analysis.report.page import render_html

__all__ = [
    "DETAIL_AFTER",
    "DETAIL_WEEKS",
    "HEADLINES_PER_SPIKE",
    "SPIKE_LOOKBACK",
    "SPIKE_MIN_EXCESS",
    "SPIKE_MIN_HISTORY",
    "SPIKE_RATIO",
    "WEEK",
    "DrawnChart",
    "Headline",
    "ReportData",
    "Revision",
    "SourceRow",
    "Speaker",
    "Spike",
    "Week",
    "WeeklyChart",
    "draw_weekly_charts",
    "find_spikes",
    "load_report_data",
    "monday",
    "parse_day",
    "render_html",
    "weekly_chart",
    "write_report",
]


def write_report(
    db_url: str, path: Path, *, since: date | None = None, until: date | None = None
) -> Path:
    """Render the report from the warehouse into ``path`` (parents created)."""
    page = render_html(load_report_data(db_url, since=since, until=until))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)  # readers never see a half-written page
    return path
