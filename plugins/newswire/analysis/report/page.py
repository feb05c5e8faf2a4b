"""The report's HTML page: sections of tables and inline charts, nothing fetched later."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, timedelta

from newswire.analysis.report.charts import _co_mentions_chart, draw_weekly_charts
from newswire.analysis.report.data import (
    DETAIL_AFTER,
    DETAIL_WEEKS,
    SPIKE_LOOKBACK,
    SPIKE_MIN_EXCESS,
    SPIKE_MIN_HISTORY,
    SPIKE_RATIO,
    WEEK,
    ReportData,
    Week,
    weekly_chart,
)


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
    if data.window is None:
        header = "The warehouse holds no articles yet: nothing to chart."
        sections = [
            ("Weekly DPRK coverage", _empty("No articles stored yet.")),
            ("Shares", _empty("No articles stored yet.")),
            ("Coverage spikes", _empty("No articles stored yet.")),
            ("Coverage by source and language", _empty("No articles stored yet.")),
        ]
    else:
        header, sections = _window_sections(data, data.window)
    sections += [
        ("Top quoted speakers in DPRK articles (whole archive)", _speakers(data)),
        ("Entities named most often with the DPRK (last 12 months with data)", _co(data)),
        (
            "Recent revisions, word by word (20 newest, against the version before)",
            _revisions(data),
        ),
    ]
    body = "\n".join(f"<h2>{_esc(title)}</h2>\n{content}" for title, content in sections)
    return _PAGE.format(
        generated=f"{data.generated_at.astimezone(UTC):%Y-%m-%d %H:%M}", header=header, body=body
    )


def _window_sections(
    data: ReportData, window: tuple[date, date]
) -> tuple[str, list[tuple[str, str]]]:
    """The window's header line and its charted sections (weekly, shares, spikes, sources)."""
    totals = (
        sum(w.articles for w in data.weeks),
        sum(w.dprk for w in data.weeks),
        sum(w.dprk_russia for w in data.weeks),
    )
    first, end = window
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
    drawn = draw_weekly_charts(weekly_chart(data.weeks))
    img = {
        k: f'<img alt="{k} chart" src="data:image/png;base64,{v.png_base64}">'
        for k, v in drawn.items()
    }
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
        ("Coverage spikes", _spikes(data)),
        ("Coverage by source and language", _sources(data)),
    ]
    return header, sections


def _spikes(data: ReportData) -> str:
    """The spike rule in words, then each spike week with its top headlines."""
    rule = (
        f"A spike is a week with at least {SPIKE_RATIO:g}× its trailing level of DPRK "
        f"articles and at least {SPIKE_MIN_EXCESS} more; the trailing level is the mean of "
        f"the weeks with data among the {SPIKE_LOOKBACK} weeks before it (at least "
        f"{SPIKE_MIN_HISTORY} needed; gaps are skipped)."
    )
    if not data.spikes:
        return f"<p>{_esc(rule)}</p>" + _empty("No week in this window is a spike.")
    spikes_html = "".join(
        f"<li><strong>week of {s.week_start:%Y-%m-%d}</strong>: {s.dprk} DPRK articles "
        f"(trailing level {s.trailing_level:.1f})<ul>"
        + "".join(
            f"<li>{h.published_at.astimezone(UTC):%Y-%m-%d} {_link(h.url, h.headline)}</li>"
            for h in s.headlines
        )
        + "</ul></li>"
        for s in data.spikes
    )
    return f"<p>{_esc(rule)}</p>" + f"<ul class='spikes'>{spikes_html}</ul>"


def _sources(data: ReportData) -> str:
    if not data.sources:
        return _empty("No article was published in this window.")
    return _table(
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


def _speakers(data: ReportData) -> str:
    if not data.speakers:
        return _empty("Nobody is quoted in a DPRK article yet.")
    return _table(
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


def _co(data: ReportData) -> str:
    if not data.co_mentions:
        return _empty("No entity is named alongside the DPRK yet.")
    return (
        f'<img alt="co_mentions chart" src="data:image/png;base64,'
        f'{_co_mentions_chart(data.co_mentions)}">'
    )


def _revisions(data: ReportData) -> str:
    if not data.revisions:
        return _empty("No article has been revised since it was first stored.")
    return _table(
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


_PAGE = """<!DOCTYPE html>
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
<p>Generated {generated} UTC.</p>
<p class="window">{header}</p>
{body}
</body></html>
"""
