"""What each history chart shows, as plain data: series of points, reference bands and lines, captions.

The history screen draws these with pygame (gmi/ui/chart_view.py) and the HTML report with matplotlib
(gmi/report/render.py), so the window and the report always show the same numbers. Colours are named by
role (left, right, accent, good, warn, muted) and each renderer maps them to its palette; left and right are
also told apart by marker shape and line style, not by colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from gmi.report.history import EXAMPLE_LABEL, KIND_LABELS, History, LateralitySeries, PainPoint, PeakPoint

Point = tuple[date, "float | None"]


@dataclass(frozen=True)
class Series:
    label: str
    role: str                          # left | right | accent | good | warn | muted
    points: tuple[Point, ...]
    style: str = "line"                # line | bars | step (a target that changes)
    marker: str = "o"                  # o | s | ^ | none


@dataclass(frozen=True)
class Band:
    """A horizontal range (the norm), drawn behind the data."""

    label: str
    low: float
    high: float
    role: str = "good"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    y_label: str
    series: tuple[Series, ...]
    bands: tuple[Band, ...] = ()
    y_min: float | None = 0.0
    y_max: float | None = None
    caption: str = ""
    example: bool = False              # built (partly) from `gmi demo` example data
    percent: bool = False              # y values are fractions shown as %
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not any(y is not None for s in self.series for _, y in s.points)

    def values(self, label: str) -> list[float | None]:
        """The y values of one series (tests and captions)."""
        return [y for s in self.series if s.label == label for _, y in s.points]

    def y_range(self) -> tuple[float, float]:
        """The y axis: the fixed limits where the chart has them, else rounded out to a whole tick."""
        ys = [y for s in self.series for _, y in s.points if y is not None]
        ys += [v for b in self.bands for v in (b.low, b.high)]
        low = self.y_min if self.y_min is not None else (min(ys) if ys else 0.0)
        high = self.y_max if self.y_max is not None else (max(ys) if ys else 1.0)
        if high <= low:
            high = low + 1.0
        if self.y_max is None:
            step = tick_step(high - low)
            high = low + step * math.ceil((high - low) * 1.04 / step)
        return low, high

    def ticks(self) -> list[float]:
        low, high = self.y_range()
        step = tick_step(high - low)
        return [low + i * step for i in range(int(round((high - low) / step)) + 1)]


def tick_step(span: float, most: int = 6) -> float:
    """A round tick spacing (1, 2, 2.5 or 5 times a power of ten) giving at most ``most`` intervals."""
    base = 10 ** math.floor(math.log10(span / most)) if span > 0 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if span / (base * factor) <= most:
            return base * factor
    return base * 10


def _bucket_word(days: int) -> str:
    return {1: "day", 7: "week"}.get(days, f"{days} days")


def laterality_accuracy_chart(s: LateralitySeries) -> Chart:
    points = {side: tuple((b.start, b.side(side).accuracy) for b in s.buckets) for side in ("left", "right")}
    bands = (Band(f"aim {s.norm.accuracy_min:.0%} or more: {s.norm.source}", s.norm.accuracy_min, 1.0),) if s.norm else ()
    last = s.buckets[-1]
    caption = (f"Right answers per {_bucket_word(s.bucket_days)}, {s.part}: latest left "
               f"{_pct(last.left.accuracy)}, right {_pct(last.right.accuracy)}.")
    return Chart(f"laterality-accuracy-{s.part}", f"Left/right pictures ({s.part}): how often right",
                 "right answers", (Series("left", "left", points["left"], marker="o"),
                                   Series("right", "right", points["right"], marker="s")),
                 bands, 0.0, 1.0, caption, any(b.simulated for b in s.buckets), percent=True,
                 notes=_method_note(s))


def laterality_rt_chart(s: LateralitySeries) -> Chart:
    points = {side: tuple((b.start, None if b.side(side).median_rt_ms is None else b.side(side).median_rt_ms / 1000)
                          for b in s.buckets) for side in ("left", "right")}
    bands: tuple[Band, ...] = ()
    if s.norm:
        sd = s.norm.rt_sd_s if s.norm.rt_sd_s is not None else s.norm.rt_upper_s - s.norm.rt_mean_s
        bands = (Band(f"usual {s.norm.rt_mean_s:g} ± {sd:g} s: {s.norm.source}", max(0.0, s.norm.rt_mean_s - sd),
                      s.norm.rt_mean_s + sd),)
    last = s.buckets[-1]
    gap = None
    if last.left.median_rt_ms is not None and last.right.median_rt_ms is not None:
        gap = (last.left.median_rt_ms - last.right.median_rt_ms) / 1000
    caption = (f"Typical (median) time of right answers per {_bucket_word(s.bucket_days)}, {s.part}: latest left "
               f"{_secs(last.left.median_rt_ms)}, right {_secs(last.right.median_rt_ms)}"
               + (f", difference {abs(gap):.2f} s." if gap is not None else "."))
    return Chart(f"laterality-rt-{s.part}", f"Left/right pictures ({s.part}): how fast", "seconds",
                 (Series("left", "left", points["left"], marker="o"), Series("right", "right", points["right"], marker="s")),
                 bands, 0.0, None, caption, any(b.simulated for b in s.buckets), notes=_method_note(s))


def _method_note(s: LateralitySeries) -> tuple[str, ...]:
    note = f"Answers given with: {s.input_method}."
    if s.left_out:
        note += f" {s.left_out} session{'s' * (s.left_out != 1)} with another input method not shown (compare within one method)."
    return (note,)


def guided_minutes_chart(h: History) -> Chart:
    im = tuple((b.start, b.imagery_min_per_day) for b in h.guided)
    mi = tuple((b.start, b.mirror_min_per_day) for b in h.guided)
    series = [Series("imagined movements", "accent", im, style="bars"), Series("mirror therapy", "good", mi, style="bars")]
    notes = []
    for kind, label, role in (("imagery", "prescribed imagery", "accent"), ("mirror", "prescribed mirror", "good")):
        dose = h.doses.get(kind)
        if dose is not None and dose.minutes_per_day is not None and h.guided:
            series.append(Series(f"{label}: {dose.minutes_per_day:g} min a day", role,
                                 tuple((b.start, dose.minutes_per_day) for b in h.guided), style="step", marker="none"))
            notes.append(f"{label.capitalize()}: {dose.describe()}.")
    total = sum((b.imagery_min_per_day + b.mirror_min_per_day) * b.days for b in h.guided)
    return Chart("guided-minutes", "Imagined movements and mirror therapy: minutes a day", "minutes a day",
                 tuple(series), (), 0.0, None,
                 f"Minutes a day, averaged per {_bucket_word(h.guided_bucket_days)}; {total:.0f} minutes in all.",
                 any(b.simulated for b in h.guided), notes=tuple(notes))


def peak_chart(movement: str, points: Sequence[PeakPoint]) -> Chart:
    peaks = tuple((p.start, p.peak_deg) for p in points)
    targets = tuple((p.start, p.target_deg) for p in points)
    last = points[-1]
    caption = (f"Highest angle reached per session, {movement.replace('_', ' ')}: latest {last.peak_deg:.0f}°"
               + (f" against a target of {last.target_deg:.0f}°." if last.target_deg is not None else "."))
    return Chart(f"peak-{movement}", f"Movement: {movement.replace('_', ' ')}", "degrees",
                 (Series("peak angle", "accent", peaks, marker="o"),
                  Series("target", "good", targets, style="step", marker="none")),
                 (), 0.0, None, caption, any(p.simulated for p in points),
                 notes=("Angles from the camera are estimates: about ±7° (clinical reference, pose accuracy).",))


def pain_chart(points: Sequence[PainPoint]) -> Chart:
    expected = tuple((p.start, p.expected) for p in points)
    experienced = tuple((p.start, p.experienced) for p in points)
    less = sum(1 for p in points if p.experienced < p.expected)
    caption = (f"Pain expected before each exposure session and pain felt while doing it (0–10): less than "
               f"expected in {less} of {len(points)}.")
    return Chart("pain", "Expected and experienced pain", "pain (0–10)",
                 (Series("expected", "warn", expected, marker="^"), Series("experienced", "accent", experienced, marker="o")),
                 (), 0.0, 10.0, caption, any(p.simulated for p in points),
                 notes=("A difference of about 2 points is clinically important (Farrar et al. 2001).",))


def adherence_chart(h: History) -> Chart:
    done = tuple((b.start, b.fraction) for b in h.adherence)
    total_done = sum(b.done_within for b in h.adherence)
    total_want = sum(sum(b.prescribed.values()) for b in h.adherence)
    share = f"{total_done / total_want:.0%}" if total_want else "—"
    return Chart("adherence", "Sessions done against prescribed", "of prescribed",
                 (Series("done", "accent", done, style="bars"),), (Band("all prescribed sessions", 1.0, 1.0),),
                 0.0, 1.0, f"Completed sessions per week against the prescription (extra sessions of one kind do not make up for "
                 f"another): {total_done} of {total_want} ({share}).",
                 h.has_example_data, percent=True,
                 notes=tuple(f"{KIND_LABELS.get(k, k)}: {d.describe()}." for k, d in h.doses.items()))


def history_charts(h: History) -> list[Chart]:
    charts: list[Chart] = []
    for s in h.laterality:
        charts += [laterality_accuracy_chart(s), laterality_rt_chart(s)]
    if h.guided:
        charts.append(guided_minutes_chart(h))
    for movement, points in h.peaks.items():
        charts.append(peak_chart(movement, points))
    if h.pain:
        charts.append(pain_chart(h.pain))
    if h.adherence:
        charts.append(adherence_chart(h))
    return charts


def example_note(chart: Chart) -> str:
    return f"Includes {EXAMPLE_LABEL}." if chart.example else ""


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _secs(ms: float | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.2f} s"
