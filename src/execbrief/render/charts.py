"""Charts as PNG images, drawn without a display (matplotlib's Agg backend).

matplotlib is an optional extra (``pip install execbrief[charts]``): without it, charts
are left out of the HTML and their figures still appear as a table.
"""

from __future__ import annotations

import io
import warnings
from functools import cache

from ..model import Chart

__all__ = ["available", "chart_png", "alt_text"]

# at most four series a chart (the writer splits larger ones), in colours that read on a
# light and on a dark mail background alike: the image is transparent, its text mid-grey
COLOURS = ("#3b82f6", "#f97316", "#22c55e", "#a855f7")
INK = "#7b8794"
# 1092 x 676 px, shown 544 px wide (sharp on 2x screens); a small figure in inches keeps its
# text readable when a phone shows it 340 px wide
WIDTH_IN, HEIGHT_IN, DPI = 4.2, 2.6, 260
FONT = 9


@cache
def available() -> bool:
    """Whether matplotlib is installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def alt_text(chart: Chart) -> str:
    """A description of the chart for readers who do not see the image."""
    series = ", ".join(s.name for s in chart.series)
    span = f"{chart.categories[0]} to {chart.categories[-1]}" if chart.categories else ""
    return f"{chart.kind.capitalize()} chart: {chart.title}, {span}. Series: {series}. Figures in the plain-text version."


def _formatter(unit: str | None):
    """matplotlib's own tick formatter for the unit: ``$2,500``, ``67%`` or ``1,250``."""
    from matplotlib.ticker import PercentFormatter, StrMethodFormatter

    from ..formatting import SYMBOLS

    if unit == "%":
        return PercentFormatter(xmax=100, decimals=0)
    if unit and len(unit) == 3 and unit.isupper():
        symbol = SYMBOLS.get(unit, unit + " ")
        return StrMethodFormatter(symbol.replace("{", "{{").replace("}", "}}") + "{x:,.0f}")
    return StrMethodFormatter("{x:,.0f}")


def chart_png(chart: Chart) -> bytes | None:
    """The chart as PNG bytes (same data, same bytes), or None without matplotlib."""
    if not available() or not chart.series or not chart.categories:
        return None
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    fig.patch.set_alpha(0.0)
    ax = fig.add_subplot()
    ax.set_facecolor("none")
    positions = list(range(len(chart.categories)))
    count = len(chart.series)
    width = 0.8 / max(count, 1)
    for n, series in enumerate(chart.series):
        values = [float(v) if v is not None else float("nan") for v in series.values]
        colour = COLOURS[n % len(COLOURS)]
        if chart.kind == "bar":
            offsets = [p - 0.4 + width * (n + 0.5) for p in positions]
            ax.bar(offsets, values, width=width, label=series.name, color=colour)
        else:
            ax.plot(positions, values, marker="o", markersize=3.5, linewidth=2, label=series.name, color=colour)
    ax.set_xticks(positions, [c.split(" ")[0][:3] for c in chart.categories])
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(_formatter(chart.unit))
    ax.tick_params(colors=INK, labelsize=FONT, length=0)
    ax.grid(axis="y", color=INK, alpha=0.25, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.axhline(0, color=INK, linewidth=0.8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(INK)
    legend = ax.legend(fontsize=FONT, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0),
                       ncol=min(count, 2 if sum(len(s.name) for s in chart.series) > 30 else 4),
                       handlelength=1.2, borderaxespad=0.2)
    for text in legend.get_texts():
        text.set_color(INK)
    with warnings.catch_warnings():  # (a legend too long to fit leaves the layout as it is: no console noise)
        warnings.simplefilter("ignore", UserWarning)
        fig.tight_layout()
    buffer = io.BytesIO()
    # transparent, so it sits on the light or the dark card; no metadata: the same chart
    # gives the same bytes, so reruns stay identical
    fig.savefig(buffer, format="png", transparent=True, metadata={"Software": None})
    return buffer.getvalue()
