"""Draw a history chart (gmi.report.charts.Chart) in the window with plain pygame: fast, large type.

Layout inside the given rectangle, top to bottom: the plot (y labels left of it, dates under it), then the
legend, wrapped to as many lines as the text size needs. Nothing is drawn outside the rectangle.
"""

from __future__ import annotations

from datetime import date

import pygame

from gmi.report.charts import Chart, Series
from gmi.ui.theme import Colour, Theme
from gmi.ui.widgets import draw_text, wrap


def role_colour(theme: Theme, role: str) -> Colour:
    return {"left": theme.left, "right": theme.right, "accent": theme.accent, "good": theme.good,
            "warn": theme.warn, "muted": theme.muted}.get(role, theme.fg)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def legend_items(chart: Chart) -> list[tuple[str, Series | None, str]]:
    items: list[tuple[str, Series | None, str]] = [(s.label, s, s.role) for s in chart.series]
    items += [(b.label, None, b.role) for b in chart.bands]
    return items


def legend_rows(chart: Chart, font: pygame.font.Font, width: int, swatch: int) -> list[list[tuple[str, Series | None, str]]]:
    """Legend items packed into rows of ``width``; an item too long for a row of its own is wrapped into
    several rows (the swatch on the first), never cut."""
    rows: list[list[tuple[str, Series | None, str]]] = [[]]
    used = 0
    for label, series, role in legend_items(chart):
        w = swatch + 8 + font.size(label)[0] + 24
        if w > width:
            lines = wrap(label, font, width - swatch - 8)
            rows += [[(lines[0], series, role)]] + [[(line, _CONTINUED, role)] for line in lines[1:]]
            rows.append([])
            used = 0
            continue
        if rows[-1] and used + w > width:
            rows.append([])
            used = 0
        rows[-1].append((label, series, role))
        used += w
    return [r for r in rows if r]


_CONTINUED = Series("", "muted", (), style="continued")


def _format_y(chart: Chart, value: float) -> str:
    if chart.percent:
        return f"{value:.0%}"
    return f"{value:g}"


MIN_PLOT_H = 240


def chart_overhead(chart: Chart, theme: Theme, width: int) -> int:
    """Height a chart needs besides its plot: dates under it and the legend (wrapped at this text size)."""
    small = theme.font(20)
    line_h = small.get_linesize()
    rows = legend_rows(chart, small, width, max(18, theme.px(22)))
    return len(rows) * (line_h + 4) + line_h * 2 + 16


def draw_chart(surface: pygame.Surface, rect: pygame.Rect, chart: Chart, theme: Theme) -> pygame.Rect:
    """Draw ``chart`` inside ``rect`` (give it at least MIN_PLOT_H + chart_overhead); returns the plot area."""
    small = theme.font(20)
    line_h = small.get_linesize()
    swatch = max(18, theme.px(22))
    rows = legend_rows(chart, small, rect.width, swatch)
    ticks = chart.ticks()
    y_labels = [_format_y(chart, v) for v in ticks]
    label_w = max(small.size(t)[0] for t in y_labels) + 12
    plot = pygame.Rect(rect.x + label_w, rect.y + line_h // 2, rect.width - label_w - 8,
                       rect.height - chart_overhead(chart, theme, rect.width))
    if plot.height < 40 or plot.width < 80:
        return plot
    pygame.draw.rect(surface, _mix(theme.bg, theme.panel, 0.6), plot)
    low, high = chart.y_range()

    def ypos(v: float) -> int:
        return round(plot.bottom - (v - low) / (high - low) * plot.height)

    xs = sorted({d for s in chart.series for d, _ in s.points})
    first, last = (xs[0], xs[-1]) if xs else (date.today(), date.today())
    span = max(1, (last - first).days)
    bar_series = [s for s in chart.series if s.style == "bars"]
    gap = min(((b - a).days for a, b in zip(xs, xs[1:])), default=1) or 1
    slot = plot.width / (span / gap + 1)            # the width one point (or group of bars) may take
    pad = slot / 2 if bar_series else 10

    def xpos(d: date) -> int:
        return round(plot.x + pad + (d - first).days / span * (plot.width - 2 * pad)) if len(xs) > 1 else plot.centerx

    for band in chart.bands:
        colour = role_colour(theme, band.role)
        top, bottom = ypos(min(high, band.high)), ypos(max(low, band.low))
        if bottom - top >= 2:
            shade = pygame.Surface((plot.width, bottom - top), pygame.SRCALPHA)
            shade.fill((*colour, 60))
            surface.blit(shade, (plot.x, top))
        pygame.draw.line(surface, colour, (plot.x, top), (plot.right, top), 2)
    for v, text in zip(ticks, y_labels):
        y = ypos(v)
        pygame.draw.line(surface, _mix(theme.bg, theme.muted, 0.35), (plot.x, y), (plot.right, y), 1)
        draw_text(surface, text, small, theme.muted, (plot.x - 6, y), "midright")
    bar_w = max(2, int(slot * 0.8 / max(1, len(bar_series))))
    for k, s in enumerate(bar_series):
        colour = role_colour(theme, s.role)
        for d, v in s.points:
            if v is None:
                continue
            x = xpos(d) - (bar_w * len(bar_series)) // 2 + k * bar_w
            top = ypos(min(v, high))
            pygame.draw.rect(surface, colour, (x, top, bar_w, max(1, plot.bottom - top)))
    for s in chart.series:
        if s.style == "bars":
            continue
        colour = role_colour(theme, s.role)
        pts = [(xpos(d), ypos(min(max(v, low), high))) for d, v in s.points if v is not None]
        if s.style == "step":
            stepped = []
            for i, p in enumerate(pts):
                if i:
                    stepped.append((p[0], stepped[-1][1]))
                stepped.append(p)
            if len(stepped) == 1:
                stepped = [(plot.x, stepped[0][1]), (plot.right, stepped[0][1])]
            _dashed(surface, colour, stepped, 3)
            continue
        if len(pts) > 1:
            pygame.draw.lines(surface, colour, False, pts, 3)
        radius = max(3, min(7, int(slot / 3)))
        for p in pts:
            _marker(surface, colour, p, radius, s.marker)
    pygame.draw.rect(surface, theme.muted, plot, 1)
    # dates: first, middle, last
    y = plot.bottom + 4
    if xs:
        marks = [first, last] if len(xs) > 1 else [first]
        if len(xs) > 2:
            marks.insert(1, xs[len(xs) // 2])
        for i, d in enumerate(marks):
            anchor = "topleft" if i == 0 and len(marks) > 1 else "topright" if i == len(marks) - 1 and len(marks) > 1 else "midtop"
            x = plot.x if anchor == "topleft" else plot.right if anchor == "topright" else xpos(d)
            draw_text(surface, d.strftime("%d %b %Y"), small, theme.muted, (x, y), anchor)
    y += line_h + 8
    for row in rows:
        x = rect.x
        for label, series, role in row:
            colour = role_colour(theme, role)
            cy = y + line_h // 2
            if series is _CONTINUED:
                pass
            elif series is None or series.style == "bars":
                pygame.draw.rect(surface, colour, (x, cy - swatch // 3, swatch, 2 * swatch // 3))
            elif series.style == "step":
                _dashed(surface, colour, [(x, cy), (x + swatch, cy)], 3)
            else:
                pygame.draw.line(surface, colour, (x, cy), (x + swatch, cy), 3)
                _marker(surface, colour, (x + swatch // 2, cy), 5, series.marker)
            r = draw_text(surface, label, small, theme.fg, (x + swatch + 8, y))
            x = r.right + 24
        y += line_h + 4
    return plot


def _marker(surface: pygame.Surface, colour: Colour, p: tuple[int, int], r: int, kind: str) -> None:
    if kind == "s":
        pygame.draw.rect(surface, colour, (p[0] - r, p[1] - r, 2 * r, 2 * r))
    elif kind == "^":
        pygame.draw.polygon(surface, colour, [(p[0], p[1] - r - 1), (p[0] - r, p[1] + r), (p[0] + r, p[1] + r)])
    elif kind != "none":
        pygame.draw.circle(surface, colour, p, r)


def _dashed(surface: pygame.Surface, colour: Colour, points: list[tuple[int, int]], width: int, dash: int = 10) -> None:
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        length = max(1, int(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5))
        for s in range(0, length, dash * 2):
            e = min(length, s + dash)
            a = (x1 + (x2 - x1) * s / length, y1 + (y2 - y1) * s / length)
            b = (x1 + (x2 - x1) * e / length, y1 + (y2 - y1) * e / length)
            pygame.draw.line(surface, colour, a, b, width)
