"""Progress over weeks: one chart per page, drawn with pygame from gmi.report.charts (the report's charts).

Left/Right (keys, pedal) or the Previous/Next buttons (mouse) change the page; Up/Down or the mouse wheel
scroll when the page is taller than the window (large text); Esc or Backspace go home. Example data made by
`gmi demo` is labelled on every page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pygame

from gmi.core.intents import Intent, TimedIntent
from gmi.report.charts import Chart, history_charts
from gmi.report.history import EXAMPLE_LABEL, History, KIND_LABELS, load_history
from gmi.ui.app import Scene
from gmi.ui.chart_view import MIN_PLOT_H, chart_overhead, draw_chart
from gmi.ui.widgets import draw_paragraph, draw_text, fit_font, panel

@dataclass(frozen=True)
class Page:
    title: str
    chart: Chart | None = None
    lines: tuple[str, ...] = ()


def build_pages(history: History) -> list[Page]:
    pages = [Page(c.title, c, (c.caption, *c.notes)) for c in history_charts(history)]
    pages.append(Page("Plan and prescribed practice", None, plan_lines(history)))
    return pages


def plan_lines(h: History) -> tuple[str, ...]:
    lines = []
    if h.plan is not None:
        lines.append(f"Exposure plan: {h.plan.describe()}.")
        if h.plan.items:
            lines.append("Steps, easiest first: " + "; ".join(h.plan.items) + ".")
    else:
        lines.append("No exposure plan is installed. Your physiotherapist can write one (see docs/plans.md).")
    for kind, dose in h.doses.items():
        lines.append(f"{KIND_LABELS.get(kind, kind)}: {dose.describe()}.")
    if h.adherence:
        done = sum(b.done_within for b in h.adherence)
        want = sum(sum(b.prescribed.values()) for b in h.adherence)
        lines.append(f"Sessions done: {done} of {want} prescribed.")
    return tuple(lines)


class HistoryScene(Scene):
    def __init__(self) -> None:
        self.index = 0
        self.scroll = 0
        self.body: pygame.Surface | None = None
        self.buttons: dict[str, pygame.Rect] = {}
        self.load_ms = 0.0
        self.plot: pygame.Rect | None = None       # the current chart's plot area (in the page body)
        self.top = 0                               # where the body starts on screen, below the header

    def on_enter(self) -> None:
        t = time.perf_counter()
        self.history = load_history(self.ctx.db, self.ctx.profile)
        self.pages = build_pages(self.history)
        self.load_ms = (time.perf_counter() - t) * 1000
        self.index = 0
        self.body = None

    def on_resume(self) -> None:
        self.body = None

    def on_resize(self) -> None:
        self.body = None

    # -- input -------------------------------------------------------------------------------------
    def turn(self, step: int) -> None:
        self.index = (self.index + step) % len(self.pages)
        self.scroll = 0
        self.body = None

    def handle(self, intent: TimedIntent) -> None:
        i = intent.intent
        if i is Intent.RIGHT or i in (Intent.CONFIRM, Intent.TAP):
            self.turn(1)
        elif i is Intent.LEFT:
            self.turn(-1)
        elif i is Intent.DOWN:
            self.scroll += self.theme.px(80)
        elif i is Intent.UP:
            self.scroll -= self.theme.px(80)
        elif i in (Intent.BACK, Intent.PAUSE):
            self.app.pop()

    def handle_raw(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * self.theme.px(60)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not getattr(event, "touch", False):
            self._click(event.pos)
        elif event.type == pygame.FINGERDOWN:
            surface = self.app.screen
            self._click((int(event.x * surface.get_width()), int(event.y * surface.get_height())))

    def _click(self, pos: tuple[int, int]) -> None:
        for name, rect in self.buttons.items():
            if rect.collidepoint(pos):
                {"previous": lambda: self.turn(-1), "next": lambda: self.turn(1), "home": self.app.pop}[name]()
                return

    # -- drawing -----------------------------------------------------------------------------------
    def _header(self, surface: pygame.Surface) -> int:
        """The page switcher and the example-data banner; returns the y below them. Kept short so that at
        200 % text the page still has room: titles and text scroll with the page."""
        t = self.theme
        w, _ = surface.get_size()
        margin = max(20, w // 40)
        font = t.font(26, True)
        bh = font.get_linesize() + 16
        prev_label, next_label = "Previous", "Next"
        bw = max(font.size(prev_label)[0], font.size(next_label)[0]) + 32
        y = 10
        self.buttons = {"previous": pygame.Rect(margin, y, bw, bh), "next": pygame.Rect(w - margin - bw, y, bw, bh)}
        for name, label in (("previous", prev_label), ("next", next_label)):
            rect = self.buttons[name]
            pygame.draw.rect(surface, t.panel, rect, border_radius=12)
            pygame.draw.rect(surface, t.accent, rect, width=3, border_radius=12)
            draw_text(surface, label, font, t.fg, rect.center, "center")
        where = f"Page {self.index + 1} of {len(self.pages)}"
        draw_text(surface, where, fit_font(t, where, 26, max(10, w - 2 * margin - 2 * bw - 24)), t.muted,
                  (w // 2, y + bh // 2), "center")
        y += bh + 8
        if self.history.has_example_data:
            note = "Example data: made by gmi demo, not a real patient."
            font = t.font(22, True)
            height = draw_paragraph(pygame.Surface((1, 1)), note, font, t.warn, 0, 0, w - 2 * margin - 24)
            box = pygame.Rect(margin, y, w - 2 * margin, height + 12)
            pygame.draw.rect(surface, t.warn, box, width=3, border_radius=10)
            draw_paragraph(surface, note, font, t.warn, margin + 12, y + 6, w - 2 * margin - 24)
            y = box.bottom + 6
        return y

    def _render_body(self, w: int, view_h: int) -> pygame.Surface:
        t = self.theme
        page = self.pages[self.index]
        self.plot = None
        margin = max(20, w // 40)
        inner = w - 2 * margin
        text_font = t.font(24)
        probe = pygame.Surface((1, 1))
        who = f"Progress of {self.ctx.profile.name}"
        title_h = draw_paragraph(probe, who, t.font(22), t.muted, 0, 0, inner) + \
            draw_paragraph(probe, page.title, t.font(32, True), t.fg, 0, 0, inner) + 8
        text_h = sum(draw_paragraph(probe, line, text_font, t.fg, 0, 0, inner) + 8 for line in page.lines)
        mixed = page.chart is not None and page.chart.example and self.history.real_sessions > 0
        if mixed:
            text_h += draw_paragraph(probe, f"Includes {EXAMPLE_LABEL}.", text_font, t.warn, 0, 0, inner) + 8
        chart_h = 0
        if page.chart is not None:
            chart_h = max(MIN_PLOT_H + chart_overhead(page.chart, t, inner), view_h - title_h - text_h - 44)
        body = pygame.Surface((w, title_h + chart_h + text_h + 40))
        body.fill(t.bg)
        y = draw_paragraph(body, who, t.font(22), t.muted, margin, 4, inner)
        y = draw_paragraph(body, page.title, t.font(32, True), t.fg, margin, y, inner) + 8
        if page.chart is not None:
            if page.chart.empty:
                draw_paragraph(body, "Nothing to show here yet.", t.font(28), t.muted, margin, y, inner)
            else:
                self.plot = draw_chart(body, pygame.Rect(margin, y, inner, chart_h), page.chart, t)
            y += chart_h + 8
        if self.history.empty and page.chart is None:
            y = draw_paragraph(body, "No sessions yet. Your progress appears here after your first sessions. "
                                     "To see what it will look like, run `gmi demo --profile example` and choose the "
                                     "profile 'example'.", t.font(26), t.fg, margin, y, inner) + 12
        if mixed:
            y = draw_paragraph(body, f"Includes {EXAMPLE_LABEL}.", text_font, t.warn, margin, y, inner) + 8
        for k, line in enumerate(page.lines):
            y = draw_paragraph(body, line, text_font, t.fg if k == 0 else t.muted, margin, y, inner) + 8
        return body.subsurface((0, 0, w, min(body.get_height(), y + 16))).copy()

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        surface.fill(t.bg)
        top = self.top = self._header(surface)
        footer_font = t.font(22, True)
        footer_h = footer_font.get_linesize() + 20
        view_h = h - top - footer_h
        if self.body is None or self.body.get_width() != w:
            self.body = self._render_body(w, view_h)
        self.scroll = max(0, min(self.scroll, self.body.get_height() - view_h))
        surface.blit(self.body, (0, top), pygame.Rect(0, self.scroll, w, view_h))
        pygame.draw.rect(surface, t.panel, (0, h - footer_h, w, footer_h))
        more = self.body.get_height() - view_h - self.scroll > 0
        text = "Left/Right: other pages    Backspace: home" + ("    Down arrow: more below" if more else "")
        draw_text(surface, text, fit_font(t, text, 22, w - 40), t.accent, (w // 2, h - footer_h // 2), "center")
