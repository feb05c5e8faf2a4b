"""The report's data half: typed rows from the warehouse, the weekly series, the spikes.

Kept apart from the drawing so tests check what is shown without reading pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from newswire.db import connect, load_sql
from newswire.models import WindowError
from newswire.queries import query_sql

if TYPE_CHECKING:
    pass

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
