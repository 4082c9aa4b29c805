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

# a palette that reads on light and dark backgrounds (the image has its own white card)
LINESTYLES = ("-", "--", ":")
COLOURS = ("#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04")


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


def chart_png(chart: Chart) -> bytes | None:
    """The chart as PNG bytes (same data, same bytes), or None without matplotlib."""
    if not available() or not chart.series or not chart.categories:
        return None
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    # the legend sits below the plot: many series (a metric for each of thirty businesses)
    # get more columns and a taller figure, so it fits without covering the plot
    count = len(chart.series)
    columns = 2 if count <= 6 else 3 if count <= 15 else 4
    legend_rows = -(-count // columns)
    fig = Figure(figsize=(5.6, 3.4 + 0.15 * max(legend_rows - 3, 0)), dpi=120, facecolor="white")
    ax = fig.add_subplot()
    positions = range(len(chart.categories))
    width = 0.8 / max(len(chart.series), 1)
    groups: dict[str, int] = {}
    seen_in_group: dict[str, int] = {}
    for n, series in enumerate(chart.series):
        values = [float(v) if v is not None else float("nan") for v in series.values]
        group = series.group or series.name
        colour = COLOURS[groups.setdefault(group, len(groups)) % len(COLOURS)]
        rank = seen_in_group[group] = seen_in_group.get(group, -1) + 1
        if chart.kind == "bar":
            offsets = [p - 0.4 + width * (n + 0.5) for p in positions]
            ax.bar(offsets, values, width=width, label=series.name, color=colour, alpha=1.0 - 0.3 * rank)
        else:
            ax.plot(list(positions), values, marker="o", markersize=3, label=series.name, color=colour,
                    linestyle=LINESTYLES[rank % len(LINESTYLES)])
    ax.set_xticks(list(positions), [c.split(" ")[0][:3] for c in chart.categories], fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    if chart.unit and len(chart.unit) == 3:
        ax.yaxis.set_major_formatter(lambda v, _: f"{v / 1000:,.0f}k" if abs(v) >= 1000 else f"{v:,.0f}")
        ax.set_ylabel(chart.unit, fontsize=8)
    ax.axhline(0, color="#9ca3af", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7 if count <= 15 else 6, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12),
              ncol=columns)
    with warnings.catch_warnings():  # (a legend too long to fit leaves the layout as it is: no console noise)
        warnings.simplefilter("ignore", UserWarning)
        fig.tight_layout()
    buffer = io.BytesIO()
    # no metadata: the same chart gives the same bytes, so reruns stay identical
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
