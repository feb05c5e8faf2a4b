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

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newswire.db import connect, load_sql
from newswire.models import WindowError
from newswire.queries import query_sql

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WEEK = timedelta(days=7)

# A spike: a week whose DPRK article count is at least SPIKE_RATIO times its trailing level
# and at least SPIKE_MIN_EXCESS articles above it. The trailing level is the mean count of
# the weeks with data among the SPIKE_LOOKBACK weeks before it; at least SPIKE_MIN_HISTORY
# such weeks are needed to judge (gaps are skipped, not counted as zeros).
SPIKE_LOOKBACK = 8
SPIKE_MIN_HISTORY = 3
SPIKE_RATIO = 2.0
SPIKE_MIN_EXCESS = 3
HEADLINES_PER_SPIKE = 3
# A window longer than DETAIL_AFTER weeks also gets its last DETAIL_WEEKS weeks drawn
# on their own, where single weeks can be read.
DETAIL_AFTER = 52
DETAIL_WEEKS = 26


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_day(text: str | None, name: str) -> date | None:
    """An ISO date from the command line (a datetime's date part is accepted)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise WindowError(f"{name}: {text!r} is not an ISO date (YYYY-MM-DD)") from exc


@dataclass(frozen=True)
class Week:
    """One ISO week of coverage; `articles == 0` means no data (a gap)."""

    start: date
    articles: int
    dprk: int
    dprk_russia: int

    @property
    def has_data(self) -> bool:
        return self.articles > 0


@dataclass(frozen=True)
class WeeklyChart:
    """What the weekly charts draw. None marks a gap: no bar, no point, no line through."""

    x_range: tuple[date, date]  # [first Monday, Monday after the last week)
    week_starts: list[date]
    dprk: list[int | None]
    dprk_russia: list[int | None]
    dprk_share_pct: list[float | None]  # DPRK articles / all articles
    russia_share_of_dprk_pct: list[float | None]  # DPRK–Russia / DPRK articles
    gaps: list[tuple[date, date]]  # runs of weeks without data, [start, end)


@dataclass(frozen=True)
class Headline:
    published_at: datetime
    headline: str
    url: str


@dataclass(frozen=True)
class Spike:
    week_start: date
    dprk: int
    trailing_level: float
    headlines: list[Headline] = field(default_factory=list)


@dataclass(frozen=True)
class SourceRow:
    source: str
    language: str
    articles: int
    dprk: int
    dprk_russia: int


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str | None
    kind: str | None
    country: str | None
    quotes: int
    articles: int


@dataclass(frozen=True)
class Revision:
    seen_at: datetime
    revision: int
    headline_before: str
    headline_after: str
    headline_added: list[str]
    headline_removed: list[str]
    body_added: list[str]
    body_removed: list[str]
    url: str


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, already aggregated."""

    window: tuple[date, date] | None  # whole weeks drawn, [Monday, Monday); None: no data
    weeks: list[Week]  # the weeks of the window, gaps included
    spikes: list[Spike]
    sources: list[SourceRow]
    speakers: list[Speaker]
    co_mentions: list[tuple[str, str, int]]  # entity, kind, DPRK articles naming it
    revisions: list[Revision]
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def weekly_chart(weeks: Sequence[Week]) -> WeeklyChart:
    """The series the weekly charts draw, straight from the weeks: no smoothing."""
    gaps: list[tuple[date, date]] = []
    for w in weeks:
        if w.has_data:
            continue
        if gaps and gaps[-1][1] == w.start:
            gaps[-1] = (gaps[-1][0], w.start + WEEK)
        else:
            gaps.append((w.start, w.start + WEEK))
    x_range = (weeks[0].start, weeks[-1].start + WEEK) if weeks else (date.min, date.min)
    return WeeklyChart(
        x_range=x_range,
        week_starts=[w.start for w in weeks],
        dprk=[w.dprk if w.has_data else None for w in weeks],
        dprk_russia=[w.dprk_russia if w.has_data else None for w in weeks],
        dprk_share_pct=[100 * w.dprk / w.articles if w.has_data else None for w in weeks],
        russia_share_of_dprk_pct=[100 * w.dprk_russia / w.dprk if w.dprk else None for w in weeks],
        gaps=gaps,
    )


def find_spikes(weeks: Sequence[Week], first: date | None = None) -> list[tuple[Week, float]]:
    """Weeks (from `first` on) well above their trailing level; see SPIKE_* for the rule.

    `weeks` may start before `first` so the first weeks of a window have a history.
    """
    spikes = []
    for i, week in enumerate(weeks):
        if not week.has_data or (first is not None and week.start < first):
            continue
        history = [w.dprk for w in weeks[max(0, i - SPIKE_LOOKBACK) : i] if w.has_data]
        if len(history) < SPIKE_MIN_HISTORY:
            continue
        level = sum(history) / len(history)
        if week.dprk >= SPIKE_RATIO * level and week.dprk - level >= SPIKE_MIN_EXCESS:
            spikes.append((week, level))
    return spikes


def _rows(conn: Any, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    return list(conn.execute(sql, params).fetchall())


def load_report_data(
    db_url: str, *, since: date | None = None, until: date | None = None
) -> ReportData:
    """Read the warehouse for the window [since, until) of Moscow days, widened to whole
    ISO weeks; by default the span of the stored articles."""
    with connect(db_url) as conn:
        conn.read_only = True
        first_day, last_day = _rows(conn, load_sql("report/span.sql"))[0]
        start = since or first_day
        end = until or (last_day + timedelta(days=1) if last_day else None)
        window: tuple[date, date] | None = None
        weeks: list[Week] = []
        spikes: list[Spike] = []
        sources: list[SourceRow] = []
        if start is not None and end is not None:
            if end <= start:
                raise WindowError(f"the report's until ({end}) must come after since ({start})")
            window = (monday(start), monday(end - timedelta(days=1)) + WEEK)
            history = window[0] - SPIKE_LOOKBACK * WEEK
            series = [
                Week(*row)
                for row in _rows(
                    conn,
                    load_sql("report/weekly_series.sql"),
                    {"first_week": history, "last_week": window[1] - WEEK},
                )
            ]
            weeks = [w for w in series if w.start >= window[0]]
            found = find_spikes(series, window[0])
            headlines: dict[date, list[Headline]] = {}
            if found:
                for week_start, *h in _rows(
                    conn,
                    load_sql("report/week_headlines.sql"),
                    {"weeks": [w.start for w, _ in found], "per_week": HEADLINES_PER_SPIKE},
                ):
                    headlines.setdefault(week_start, []).append(Headline(*h))
            spikes = [Spike(w.start, w.dprk, lvl, headlines.get(w.start, [])) for w, lvl in found]
            sources = [
                SourceRow(*row)
                for row in _rows(
                    conn,
                    load_sql("report/coverage_by_source.sql"),
                    {"since": window[0], "until": window[1]},
                )
            ]
        speakers = [
            Speaker(name, role, kind, country, quotes, articles)
            for name, role, kind, country, quotes, articles, _last in _rows(
                conn, query_sql("top_dprk_speakers")
            )
        ]
        co_mentions = [
            (name, kind, n) for name, kind, n in _rows(conn, query_sql("top_co_mentioned_entities"))
        ]
        revisions = [
            Revision(r[0], r[1], r[2], r[3], r[4], r[5], r[8], r[9], r[10])
            for r in _rows(conn, query_sql("revision_word_changes"))
        ]
    return ReportData(window, weeks, spikes, sources, speakers, co_mentions, revisions)


# ---------------------------------------------------------------------------- rendering


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _shade_gaps(ax: Axes, chart: WeeklyChart) -> None:
    for i, (start, end) in enumerate(chart.gaps):
        ax.axvspan(
            _x(start),
            _x(end),
            facecolor="#eeeeee",
            edgecolor="#bbbbbb",
            hatch="///",
            linewidth=0,
            label="no data" if i == 0 else None,
        )


@dataclass(frozen=True)
class DrawnChart:
    png_base64: str
    x_range: tuple[date, date]  # the x axis as drawn


_EPOCH = date(1970, 1, 1)  # matplotlib's default date epoch: x is days since it


def _x(day: date) -> float:
    return float((day - _EPOCH).days)


def _axis_dates(ax: Axes) -> tuple[date, date]:
    low, high = ax.get_xlim()
    return _EPOCH + timedelta(days=low), _EPOCH + timedelta(days=high)


def draw_weekly_charts(chart: WeeklyChart) -> dict[str, DrawnChart]:
    """Bars of DPRK articles per week and the two share series, on the same x axis."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    drawn: dict[str, DrawnChart] = {}
    nan = float("nan")
    x = [_x(d) for d in chart.week_starts]

    fig, ax = plt.subplots(figsize=(10, 3.4))
    _shade_gaps(ax, chart)
    dprk = [v if v is not None else 0 for v in chart.dprk]
    both = [v if v is not None else 0 for v in chart.dprk_russia]
    ax.bar(x, dprk, width=6, align="edge", color="#d6604d", label="DPRK articles")
    ax.bar(x, both, width=6, align="edge", color="#2166ac", label="… also naming Russia")
    ax.set_xlim(_x(chart.x_range[0]), _x(chart.x_range[1]))
    ax.xaxis_date()
    ax.set_ylabel("articles per week")
    ax.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    drawn["weekly"] = DrawnChart(_png(fig), _axis_dates(ax))
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(10, 3.4))
    _shade_gaps(ax, chart)
    for values, label, color in (
        (chart.dprk_share_pct, "DPRK share of all articles", "#4d4d4d"),
        (chart.russia_share_of_dprk_pct, "DPRK–Russia share of DPRK articles", "#2166ac"),
    ):
        # NaN breaks the line: a week without a value is never bridged
        ax.plot(
            x,
            [v if v is not None else nan for v in values],
            marker="o",
            markersize=2.5,
            linewidth=1,
            color=color,
            label=label,
        )
    ax.set_xlim(_x(chart.x_range[0]), _x(chart.x_range[1]))
    ax.xaxis_date()
    ax.set_ylim(0, 100)
    ax.set_ylabel("% per week")
    ax.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    drawn["share"] = DrawnChart(_png(fig), _axis_dates(ax))
    plt.close(fig)
    return drawn


def _co_mentions_chart(rows: Sequence[tuple[str, str, int]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 0.35 * max(len(rows), 3) + 1))
    ax.barh([r[0] for r in reversed(rows)], [r[2] for r in reversed(rows)], color="#5e3c99")
    ax.set_xlabel("DPRK articles naming it")
    png = _png(fig)
    plt.close(fig)
    return png


def _esc(value: object) -> str:
    return html.escape(str(value))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Cells are HTML already (escape before passing)."""
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _empty(text: str) -> str:
    return f'<p class="empty">{_esc(text)}</p>'


_TRIM = ".,;:!?\"'«»“”„()[]{}…—–-/"


def _marked(text: str, changed: Sequence[str], tag: str) -> str:
    """`text` with the words in `changed` wrapped in <ins>/<del>.

    Mirrors words_added() in SQL: of a word's occurrences, the last ones are the changed.
    """
    pieces = text.split()
    words = [p.strip(_TRIM) for p in pieces]
    total = Counter(w for w in words if w)
    kept = {w: total[w] - n for w, n in Counter(changed).items()}
    seen: Counter[str] = Counter()
    out = []
    for piece, word in zip(pieces, words, strict=True):
        seen[word] += 1
        if word and seen[word] > kept.get(word, total[word]):
            out.append(f"<{tag}>{_esc(piece)}</{tag}>")
        else:
            out.append(_esc(piece))
    return " ".join(out)


def _words(words: Sequence[str], tag: str, limit: int = 40) -> str:
    if not words:
        return "—"
    shown = f"<{tag}>{_esc(' '.join(words[:limit]))}</{tag}>"
    return shown + (f" … (+{len(words) - limit} words)" if len(words) > limit else "")


def _link(url: str, text: str) -> str:
    return f'<a href="{_esc(url)}">{_esc(text)}</a>'


def _detail_section(weeks: Sequence[Week]) -> list[tuple[str, str]]:
    """The last weeks of a long window on their own chart (its title names its weeks)."""
    if len(weeks) <= DETAIL_AFTER:
        return []
    tail = weeks[-DETAIL_WEEKS:]
    title = (
        f"The last {DETAIL_WEEKS} weeks in detail: {tail[0].start:%Y-%m-%d} to "
        f"{tail[-1].start + WEEK - timedelta(days=1):%Y-%m-%d}"
    )
    if not any(w.has_data for w in tail):
        return [(title, _empty("No article was published in these weeks."))]
    png = draw_weekly_charts(weekly_chart(tail))["weekly"].png_base64
    return [(title, f'<img alt="detail chart" src="data:image/png;base64,{png}">')]


def render_html(data: ReportData) -> str:
    """The page as a string: charts inline, nothing fetched when it is opened."""
    chart = weekly_chart(data.weeks)
    totals = (
        sum(w.articles for w in data.weeks),
        sum(w.dprk for w in data.weeks),
        sum(w.dprk_russia for w in data.weeks),
    )
    if data.window is None:
        header = "The warehouse holds no articles yet: nothing to chart."
        sections = [
            ("Weekly DPRK coverage", _empty("No articles stored yet.")),
            ("Shares", _empty("No articles stored yet.")),
            ("Coverage spikes", _empty("No articles stored yet.")),
            ("Coverage by source and language", _empty("No articles stored yet.")),
        ]
    else:
        first, end = data.window
        last = end - timedelta(days=1)
        gap_weeks = sum(1 for w in data.weeks if not w.has_data)
        share = f"{100 * totals[1] / totals[0]:.1f}%" if totals[0] else "n/a"
        rshare = f"{100 * totals[2] / totals[1]:.1f}%" if totals[1] else "n/a"
        header = (
            f"Window: <strong>{first:%Y-%m-%d} to {last:%Y-%m-%d}</strong> (Moscow days, "
            f"{len(data.weeks)} ISO weeks, Monday to Sunday; {gap_weeks} of them without any "
            f"stored article, drawn as hatched gaps). {totals[0]} articles, {totals[1]} about "
            f"the DPRK ({share}), {totals[2]} of those also about Russia ({rshare})."
        )
        drawn = draw_weekly_charts(chart)
        img = {
            k: f'<img alt="{k} chart" src="data:image/png;base64,{v.png_base64}">'
            for k, v in drawn.items()
        }
        spikes_html = (
            "".join(
                f"<li><strong>week of {s.week_start:%Y-%m-%d}</strong>: {s.dprk} DPRK articles "
                f"(trailing level {s.trailing_level:.1f})<ul>"
                + "".join(
                    f"<li>{h.published_at.astimezone(UTC):%Y-%m-%d} {_link(h.url, h.headline)}</li>"
                    for h in s.headlines
                )
                + "</ul></li>"
                for s in data.spikes
            )
            if data.spikes
            else ""
        )
        rule = (
            f"A spike is a week with at least {SPIKE_RATIO:g}× its trailing level of DPRK "
            f"articles and at least {SPIKE_MIN_EXCESS} more; the trailing level is the mean of "
            f"the weeks with data among the {SPIKE_LOOKBACK} weeks before it (at least "
            f"{SPIKE_MIN_HISTORY} needed; gaps are skipped)."
        )
        sections = [
            (
                "Weekly DPRK coverage",
                img["weekly"]
                if any(w.has_data for w in data.weeks)
                else _empty("No article was published in this window."),
            ),
            *_detail_section(data.weeks),
            (
                "Shares",
                (img["share"] if totals[0] else _empty("No article in this window: no share."))
                + "<p>Grey: DPRK articles as a share of all articles. Blue: the share of DPRK "
                "articles that also name Russia. A week without data, or without DPRK "
                "articles for the blue line, has no point.</p>",
            ),
            (
                "Coverage spikes",
                f"<p>{_esc(rule)}</p>"
                + (
                    f"<ul class='spikes'>{spikes_html}</ul>"
                    if data.spikes
                    else _empty("No week in this window is a spike.")
                ),
            ),
            (
                "Coverage by source and language",
                _table(
                    ["Source", "Language", "Articles", "DPRK", "DPRK and Russia", "DPRK share"],
                    [
                        [
                            _esc(r.source),
                            _esc(r.language),
                            str(r.articles),
                            str(r.dprk),
                            str(r.dprk_russia),
                            f"{100 * r.dprk / r.articles:.1f}%",
                        ]
                        for r in data.sources
                    ],
                )
                if data.sources
                else _empty("No article was published in this window."),
            ),
        ]
    speakers = (
        _table(
            ["Speaker", "Role", "Kind", "Country", "Quotes", "Articles"],
            [
                [
                    _esc(s.name),
                    _esc(s.role or "—"),
                    _esc(s.kind or "unresolved"),
                    _esc(s.country or "—"),
                    str(s.quotes),
                    str(s.articles),
                ]
                for s in data.speakers
            ],
        )
        if data.speakers
        else _empty("Nobody is quoted in a DPRK article yet.")
    )
    co = (
        f'<img alt="co_mentions chart" src="data:image/png;base64,'
        f'{_co_mentions_chart(data.co_mentions)}">'
        if data.co_mentions
        else _empty("No entity is named alongside the DPRK yet.")
    )
    revisions = (
        _table(
            ["Seen (UTC)", "Headline before → after", "Body: words added", "Body: words removed"],
            [
                [
                    f"{r.seen_at.astimezone(UTC):%Y-%m-%d %H:%M}<br>revision {r.revision}",
                    f"{_marked(r.headline_before, r.headline_removed, 'del')}<br>→ "
                    f'<a href="{_esc(r.url)}">{_marked(r.headline_after, r.headline_added, "ins")}'
                    "</a>",
                    _words(r.body_added, "ins"),
                    _words(r.body_removed, "del"),
                ]
                for r in data.revisions
            ],
        )
        if data.revisions
        else _empty("No article has been revised since it was first stored.")
    )
    sections += [
        ("Top quoted speakers in DPRK articles (whole archive)", speakers),
        ("Entities named most often with the DPRK (last 12 months with data)", co),
        ("Recent revisions, word by word (20 newest, against the version before)", revisions),
    ]
    body = "\n".join(f"<h2>{_esc(title)}</h2>\n{content}" for title, content in sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>TASS coverage of the DPRK and Russia</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 72em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
img {{ max-width: 100%; }}
ins {{ background: #d9f2d9; text-decoration: none; }}
del {{ background: #f8d7d7; }}
.empty {{ color: #666; font-style: italic; }}
</style></head><body>
<h1>TASS coverage of the DPRK and Russia</h1>
<p>Generated {data.generated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.</p>
<p class="window">{header}</p>
{body}
</body></html>
"""


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
