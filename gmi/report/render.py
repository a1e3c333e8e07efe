"""Charts (gmi.report.charts.Chart) as PNG images with matplotlib (Agg: no window, no display needed).

Left is drawn with circles and a solid line, right with squares and a dashed line (colour-blind safe: the
Okabe–Ito blue and orange, and never colour alone). Imported only by the HTML export.
"""

from __future__ import annotations

import io

from gmi.report.charts import Chart

ROLE_COLOURS = {"left": "#0072B2", "right": "#E69F00", "accent": "#0072B2", "good": "#009E73", "warn": "#D55E00",
                "muted": "#555555"}
LINE_STYLES = {"right": "--"}


def chart_png(chart: Chart, width_in: float = 8.0, height_in: float = 3.4, dpi: int = 110) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    ax = fig.add_subplot(1, 1, 1)
    low, high = chart.y_range()
    for band in chart.bands:
        colour = ROLE_COLOURS.get(band.role, "#333333")
        if band.high > band.low:
            ax.axhspan(band.low, min(band.high, high), color=colour, alpha=0.15, label=band.label, lw=0)
        else:
            ax.axhline(band.low, color=colour, lw=1.5, label=band.label)
    bars = [s for s in chart.series if s.style == "bars"]
    xs = sorted({d for s in chart.series for d, _ in s.points})
    gap = min(((b - a).days for a, b in zip(xs, xs[1:])), default=1) or 1
    width = gap * 0.8 / max(1, len(bars))
    for k, s in enumerate(bars):
        import datetime as dt

        offset = (k - (len(bars) - 1) / 2) * width
        pts = [(d + dt.timedelta(days=offset), y) for d, y in s.points if y is not None]
        ax.bar([p[0] for p in pts], [p[1] for p in pts], width=width, color=ROLE_COLOURS.get(s.role), label=s.label)
    for s in chart.series:
        if s.style == "bars":
            continue
        pts = [(d, y) for d, y in s.points if y is not None]
        if not pts:
            continue
        colour = ROLE_COLOURS.get(s.role, "#333333")
        if s.style == "step":
            ax.step([p[0] for p in pts], [p[1] for p in pts], where="post", color=colour, lw=1.8, ls=":", label=s.label)
            continue
        ax.plot([p[0] for p in pts], [p[1] for p in pts], color=colour, lw=1.6, ls=LINE_STYLES.get(s.role, "-"),
                marker=None if s.marker == "none" else s.marker, ms=4 if len(pts) > 60 else 6, label=s.label)
    ax.set_ylim(low, high)
    ax.set_yticks(chart.ticks())
    if chart.percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel(chart.y_label)
    ax.grid(axis="y", color="#dddddd", lw=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=min(4, len(chart.series) + len(chart.bands)),
              frameon=False, fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
