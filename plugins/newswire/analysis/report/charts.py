"""The report's charts: matplotlib PNGs, base64 for embedding in the page."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from newswire.analysis.report.data import WeeklyChart


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
