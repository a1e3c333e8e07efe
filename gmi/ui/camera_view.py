"""The camera panel, for the camera check and for exposure sessions: the live picture with the skeleton, a
large angle gauge with the target band, figures (repetitions, hold, ...) and plain guidance.

It draws a :class:`CameraReading` and never waits for the camera: the pipeline runs in its own thread,
this only blits its newest picture. The camera check reads the pose pipeline's snapshot
(``CameraReading.of_pose`` and :func:`pose_figures`); an exposure session builds the reading from its own
pose feed and shows the session's counts as the figures. The skeleton is drawn onto the picture by the
pipeline; the gauge and all text are drawn here, in the theme's type, so they follow the user's text size
and high-contrast setting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import pygame

from gmi.pose.overlay import gauge_angle
from gmi.pose.pipeline import PoseSnapshot
from gmi.ui.theme import Theme
from gmi.ui.widgets import draw_paragraph, draw_text, fit_font, panel, wrap


class PoseFeed(Protocol):
    def latest(self) -> PoseSnapshot: ...


@dataclass(frozen=True)
class CameraReading:
    """What the view shows of the camera right now."""

    preview: Any                         # RGB numpy (h, w, 3) uint8, skeleton drawn, or None before the first
    angle_deg: float | None
    target_deg: float
    target_band: tuple[float, float]     # the green part of the dial
    gauge: tuple[float, float]           # the dial's ends
    guidance: str = ""                   # '' when the view is fine
    ended: bool = False
    error: str | None = None

    @classmethod
    def of_pose(cls, snap: PoseSnapshot) -> "CameraReading":
        return cls(preview=snap.preview, angle_deg=snap.angle_deg, target_deg=snap.target_deg,
                   target_band=snap.target_band, gauge=snap.gauge, guidance=snap.guidance, ended=snap.ended,
                   error=snap.error)


@dataclass(frozen=True)
class Figure:
    """One figure beside the dial: a small label, a large value, and an optional note under it."""

    label: str
    value: str
    colour: tuple[int, int, int]
    note: str = ""


def pose_figures(snap: PoseSnapshot, theme: Theme) -> list[Figure]:
    """The pose engine's own count, hold and last repetition (the camera check)."""
    figures = [Figure("Repetitions", str(snap.rep_count), theme.fg)]
    if snap.in_hold:
        figures.append(Figure("Holding", f"{snap.hold_s:.1f} s", theme.good))
    elif snap.reps:
        last = snap.reps[-1]
        figures.append(Figure("Last repetition", f"{last.peak_deg:.0f}°, held {last.hold_s:.1f} s", theme.fg,
                              "target reached" if last.target_reached else "below target"))
    return figures


class CameraView:
    """Draw once per window frame: ``draw(surface, rect, theme)`` from the pose feed given, or
    ``draw_reading(surface, rect, theme, reading, figures)`` with a reading and figures of your own."""

    def __init__(self, feed: PoseFeed | None = None, title: str = "") -> None:
        self.feed = feed
        self.title = title
        self._preview: Any = None                  # the array the cached picture was made from
        self._picture: pygame.Surface | None = None
        self._scaled: pygame.Surface | None = None

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, theme: Theme) -> PoseSnapshot:
        assert self.feed is not None, "CameraView.draw needs a feed; use draw_reading otherwise"
        snapshot = self.feed.latest()
        self.draw_reading(surface, rect, theme, CameraReading.of_pose(snapshot), pose_figures(snapshot, theme))
        return snapshot

    def draw_reading(self, surface: pygame.Surface, rect: pygame.Rect, theme: Theme, reading: CameraReading,
                     figures: list[Figure]) -> None:
        side_w = max(theme.px(250), rect.width * 32 // 100)
        gap = theme.px(16)
        video = pygame.Rect(rect.x, rect.y, rect.width - side_w - gap, rect.height)
        side = pygame.Rect(video.right + gap, rect.y, side_w, rect.height)
        self._draw_picture(surface, video, theme, reading)
        self._draw_side(surface, side, theme, reading, figures)

    # --- the picture -----------------------------------------------------------------------------

    def _draw_picture(self, surface: pygame.Surface, area: pygame.Rect, theme: Theme, snap: CameraReading) -> None:
        pygame.draw.rect(surface, (0, 0, 0), area, border_radius=14)
        picture = self._fit(snap, area)
        if picture is not None:
            surface.blit(picture, picture.get_rect(center=area.center))
        font = theme.font(30, True)
        if snap.error:
            self._banner(surface, area, theme, f"{snap.error} Everything measured so far is kept.", theme.warn)
        elif snap.ended:
            self._banner(surface, area, theme, "The video has ended.", theme.muted)
        elif picture is None:
            draw_text(surface, "Starting the camera…", font, theme.fg, area.center, "center")
        elif snap.guidance:
            self._banner(surface, area, theme, snap.guidance, theme.warn)

    def _fit(self, snap: CameraReading, area: pygame.Rect) -> pygame.Surface | None:
        if snap.preview is None:
            return None
        if snap.preview is not self._preview or self._picture is None:   # each new frame is a new array
            height, width = snap.preview.shape[:2]
            self._picture = pygame.image.frombuffer(snap.preview.tobytes(), (width, height), "RGB")
            self._preview = snap.preview
            self._scaled = None
        assert self._picture is not None
        width, height = self._picture.get_size()
        scale = min(area.width / width, area.height / height)
        size = (max(1, int(width * scale)), max(1, int(height * scale)))
        if self._scaled is None or self._scaled.get_size() != size:
            self._scaled = pygame.transform.smoothscale(self._picture, size)
        return self._scaled

    def _banner(self, surface: pygame.Surface, area: pygame.Rect, theme: Theme, text: str, colour) -> None:
        font = theme.font(30, True)
        pad = theme.px(14)
        lines = wrap(text, font, area.width - 4 * pad)
        height = len(lines) * font.get_linesize() + 2 * pad
        box = pygame.Rect(area.x + pad, area.bottom - height - pad, area.width - 2 * pad, height)
        shade = pygame.Surface(box.size, pygame.SRCALPHA)
        shade.fill((*theme.bg, 225))
        surface.blit(shade, box)
        pygame.draw.rect(surface, colour, box, width=3, border_radius=12)
        draw_paragraph(surface, text, font, theme.fg, box.x + pad, box.y + pad, box.width - 2 * pad, align="center")

    # --- the side panel ----------------------------------------------------------------------------

    def _draw_side(self, surface: pygame.Surface, area: pygame.Rect, theme: Theme, snap: CameraReading,
                   shown: list[Figure]) -> None:
        """Gauge, angle and the figures, in the user's type size. When the panel is short (large text, small
        window) the gauge shrinks first, then the title and notes give way; figures stay."""
        panel(surface, area, theme)
        pad = theme.px(18)
        inner = area.inflate(-2 * pad, -2 * pad)
        label_font = theme.font(22)
        figures = [(f.label, f.value, f.colour, f.note) for f in shown]
        value_font = fit_font(theme, max((f[1] for f in figures), key=len), 48, inner.width)
        line, value_line, gap = label_font.get_linesize(), value_font.get_linesize(), theme.px(10)
        title_font = theme.font(26, True)
        title_h = len(wrap(self.title, title_font, inner.width)) * title_font.get_linesize() + gap if self.title else 0
        notes_h = sum(line for f in figures if f[3])
        figures_h = sum(line + value_line + gap for _ in figures)
        min_radius = theme.px(36)

        def gauge_room(title: int, notes: int) -> float:
            return inner.height - title - notes - figures_h - line - gap  # line: the "target" under the gauge

        show_title, show_notes = True, True
        if gauge_room(title_h, notes_h) < min_radius * 1.3:
            show_title = False
        if gauge_room(0, notes_h) < min_radius * 1.3:
            show_notes = False
        y = inner.y
        if show_title and self.title:
            y = draw_paragraph(surface, self.title, title_font, theme.fg, inner.x, y, inner.width) + gap
        room = gauge_room(title_h if show_title else 0, notes_h if show_notes else 0)
        radius = int(min(inner.width * 0.42, room / 1.3))
        angle = "—" if snap.angle_deg is None else f"{snap.angle_deg:.0f}°"
        if radius < min_radius:
            self._draw_compact(surface, theme, inner, snap, angle, figures)
            return
        centre = (inner.centerx, y + int(radius * 1.1))
        self._draw_gauge(surface, theme, centre, radius, snap)
        font = fit_font(theme, angle, 60, int(radius * 1.4))
        draw_text(surface, angle, font, theme.fg, (centre[0], centre[1] - theme.px(4)), "midbottom")
        y = centre[1] + max(theme.px(6), radius // 5)
        y = draw_text(surface, f"target {snap.target_deg:.0f}°", label_font, theme.muted, (inner.centerx, y), "midtop").bottom
        y += gap
        for label, value, colour, note in figures:
            draw_text(surface, label, label_font, theme.muted, (inner.x, y))
            y = draw_text(surface, value, value_font, colour, (inner.x, y + line)).bottom
            if note and show_notes:
                y = draw_text(surface, note, label_font, theme.muted, (inner.x, y)).bottom
            y += gap

    def _draw_compact(self, surface: pygame.Surface, theme: Theme, inner: pygame.Rect, snap: CameraReading,
                      angle: str, figures: list) -> None:
        """No room for the dial (very large text, small window): the angle on one line, then the figures,
        wrapped rather than shrunk to one line each, all as large as fits."""
        head = f"{angle}  (target {snap.target_deg:.0f}°)"
        texts = [(f"{label}: {value}", colour) for label, value, colour, _note in figures]
        size = 48
        while True:
            head_font, font = fit_font(theme, head, size, inner.width), theme.font(size, True)
            rows = [(line, colour) for text, colour in texts for line in wrap(text, font, inner.width)]
            gap = font.get_linesize() // 4
            if head_font.get_linesize() + gap + len(rows) * font.get_linesize() <= inner.height or size <= 12:
                break
            size -= 2
        y = draw_text(surface, head, head_font, theme.fg, (inner.x, inner.y)).bottom + gap
        for line, colour in rows:
            y = draw_text(surface, line, font, colour, (inner.x, y)).bottom

    def _draw_gauge(self, surface: pygame.Surface, theme: Theme, centre: tuple[int, int], radius: int,
                    snap: CameraReading) -> None:
        thick = max(8, radius // 6)
        low, high = snap.gauge
        _ring(surface, theme.muted if theme.name == "high-contrast" else _dim(theme.muted), centre, radius, thick,
              gauge_angle(low, snap.gauge), gauge_angle(high, snap.gauge))
        _ring(surface, theme.good, centre, radius, thick, gauge_angle(snap.target_band[0], snap.gauge),
              gauge_angle(snap.target_band[1], snap.gauge))
        small = theme.font(18)
        for value, anchor in ((low, "topleft"), (high, "topright")):
            x = centre[0] - radius if anchor == "topleft" else centre[0] + radius
            draw_text(surface, f"{value:.0f}°", small, theme.muted, (x, centre[1] + 4), anchor)
        if snap.angle_deg is None:
            return
        a = math.radians(gauge_angle(snap.angle_deg, snap.gauge))
        tip = (centre[0] + (radius + thick // 2) * math.cos(a), centre[1] + (radius + thick // 2) * math.sin(a))
        base = (centre[0] + (radius - thick * 2) * math.cos(a), centre[1] + (radius - thick * 2) * math.sin(a))
        colour = theme.good if snap.angle_deg >= snap.target_deg else theme.accent
        pygame.draw.line(surface, colour, base, tip, max(4, thick // 2))


def _ring(surface: pygame.Surface, colour, centre: tuple[int, int], radius: int, thick: int,
          start_deg: float, end_deg: float) -> None:
    """A thick arc as a filled polygon (pygame's own thick arcs leave gaps)."""
    if end_deg <= start_deg:
        return
    steps = max(2, int((end_deg - start_deg) / 3))
    outer, inner = radius + thick / 2, radius - thick / 2
    angles = [math.radians(start_deg + (end_deg - start_deg) * i / steps) for i in range(steps + 1)]
    points = [(centre[0] + outer * math.cos(a), centre[1] + outer * math.sin(a)) for a in angles]
    points += [(centre[0] + inner * math.cos(a), centre[1] + inner * math.sin(a)) for a in reversed(angles)]
    pygame.draw.polygon(surface, colour, points)


def _dim(colour) -> tuple[int, int, int]:
    return tuple(int(c * 0.45) for c in colour)  # type: ignore[return-value]
