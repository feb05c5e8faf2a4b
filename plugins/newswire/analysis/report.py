"""The coverage report: one self-contained HTML page with charts for analysts.

Reads the analyst views (refresh them first), draws PNG charts with matplotlib and embeds
them as base64 so the page can be mailed or archived as a single file.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from newswire.db import connect, load_sql


@dataclass
class ReportData:
    """Everything the page shows, already aggregated."""

    daily: list[tuple[date, int, int, int]]  # day, articles, dprk, dprk_russia
    weekly: list[tuple[date, int, int, int]]  # week start, articles, dprk, dprk_russia
    co_mentions: list[tuple[str, int]]  # entity name, DPRK articles naming it
    speakers: list[tuple[str, int, int]]  # speaker, quotes, articles
    revisions: list[tuple[datetime, str, str, str]]  # revised at, old headline, new, url
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def load_report_data(db_url: str, *, days: int = 90, weeks: int = 52, top: int = 15) -> ReportData:
    params = {"days": days, "weeks": weeks, "top": top}
    with connect(db_url) as conn:
        daily, weekly, co, speakers, revisions = (
            conn.execute(load_sql(f"report/{name}.sql"), params).fetchall()
            for name in ("daily", "weekly", "co_mentions", "speakers", "revisions")
        )
    return ReportData(daily, weekly, co, speakers, revisions)


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _charts(data: ReportData) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    charts: dict[str, str] = {}
    for name, rows, title in (
        ("daily", data.daily, "DPRK articles per day (Moscow time)"),
        ("weekly", data.weekly, "DPRK articles per week"),
    ):
        fig, ax = plt.subplots(figsize=(9, 3.2))
        x = [r[0] for r in rows]
        ax.plot(x, [r[2] for r in rows], label="DPRK", color="#b2182b")
        ax.plot(x, [r[3] for r in rows], label="DPRK and Russia", color="#2166ac")
        ax.set_title(title)
        ax.legend(loc="upper left")
        fig.autofmt_xdate()
        charts[name] = _png(fig)
        plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = [r[0] for r in data.weekly]
    ax.plot(x, [100 * r[2] / r[1] if r[1] else 0 for r in data.weekly], color="#4d4d4d")
    ax.set_title("DPRK share of all articles, % per week")
    fig.autofmt_xdate()
    charts["share"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 0.35 * max(len(data.co_mentions), 3) + 1))
    names = [r[0] for r in reversed(data.co_mentions)]
    ax.barh(names, [r[1] for r in reversed(data.co_mentions)], color="#5e3c99")
    ax.set_title("Entities named most often in DPRK articles")
    charts["co_mentions"] = _png(fig)
    plt.close(fig)
    return charts


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(data: ReportData) -> str:
    """The page as a string: charts inline, nothing fetched when it is opened."""
    charts = _charts(data)
    totals = (
        sum(r[1] for r in data.weekly),
        sum(r[2] for r in data.weekly),
        sum(r[3] for r in data.weekly),
    )
    share = f"{100 * totals[1] / totals[0]:.1f}%" if totals[0] else "n/a"
    img = {k: f'<img alt="{k} chart" src="data:image/png;base64,{v}">' for k, v in charts.items()}
    speakers = _table(["Speaker", "Quotes", "Articles"], [list(r) for r in data.speakers])
    revisions = _table(
        ["Revised (UTC)", "First headline", "Current headline", "URL"],
        [
            [r[0].astimezone(UTC).strftime("%Y-%m-%d %H:%M"), r[1], r[2], r[3]]
            for r in data.revisions
        ],
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>TASS coverage of the DPRK and Russia</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 70em; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
td, th {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}
img {{ max-width: 100%; }}
</style></head><body>
<h1>TASS coverage of the DPRK and Russia</h1>
<p>Generated {data.generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.
Over the last {len(data.weekly)} weeks: {totals[0]} articles, {totals[1]} about the DPRK
({share}), {totals[2]} of them also about Russia.</p>
<h2>Daily</h2>{img["daily"]}
<h2>Weekly</h2>{img["weekly"]}
<h2>DPRK share of all coverage</h2>{img["share"]}
<h2>Top co-mentioned entities</h2>{img["co_mentions"]}
<h2>Top quoted speakers in DPRK articles</h2>{speakers}
<h2>Recently revised articles</h2>{revisions}
</body></html>
"""


def write_report(db_url: str, path: Path) -> Path:
    """Render the report from the warehouse into ``path`` (parents created)."""
    page = render_html(load_report_data(db_url))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)  # readers never see a half-written page
    return path
