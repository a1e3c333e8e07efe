"""Results of one laterality drill, in plain words and large type, with the norm and a small trend.

Drawn as one tall page; when it is taller than the window (large text), Up/Down scroll and a hint says so.
"""

from __future__ import annotations

import pygame

from gmi.core.intents import Intent, TimedIntent
from gmi.core.laterality import Cell, Mode
from gmi.core.norms import norm_for
from gmi.report.laterality import SessionResult, recent_results, session_result
from gmi.ui.app import Scene
from gmi.ui.widgets import answer_target, draw_paragraph, draw_text, fit_font, panel

ROTATION_NAMES = {0: "upright", 45: "45° clockwise", 90: "90° clockwise", 135: "135° clockwise",
                  180: "upside down", 225: "135° anticlockwise", 270: "90° anticlockwise", 315: "45° anticlockwise"}


def _secs(ms: float | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.1f} s"


def _pct(c: Cell) -> str:
    return "—" if c.accuracy is None else f"{c.accuracy:.0%}"


class ResultsScene(Scene):
    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        self.scroll = 0
        self.page: pygame.Surface | None = None

    def on_enter(self) -> None:
        self.result: SessionResult = session_result(self.ctx.db, self.session_id)
        # Compare like with like (clinical.md): same mode and same way of answering.
        same = [r for r in recent_results(self.ctx.db, self.ctx.profile.id, last=40, part=self.result.part)
                if r.settings.mode is self.result.settings.mode and r.input_method == self.result.input_method]
        self.history = same[-10:]
        self.page = None

    def on_resize(self) -> None:
        self.page = None

    def handle(self, intent: TimedIntent) -> None:
        i = intent.intent
        step = self.theme.px(80)
        if i is Intent.DOWN:
            self.scroll += step
        elif i is Intent.UP:
            self.scroll -= step
        elif i in (Intent.CONFIRM, Intent.TAP):
            from gmi.ui.scenes.drill import DrillScene

            self.app.replace(DrillScene(self.result.settings))
        elif i in (Intent.BACK, Intent.PAUSE):
            self.app.pop()

    def handle_raw(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * self.theme.px(60)

    def _footer(self) -> tuple[pygame.Rect, dict[Intent, pygame.Rect]]:
        """The footer and its buttons: practise again, home, and up/down while the page scrolls."""
        t = self.theme
        w, h = self.app.screen.get_size()
        bh = max(t.px(44), 40)
        footer = pygame.Rect(0, h - bh - 20, w, bh + 20)
        labels = [(Intent.CONFIRM, "Practise again"), (Intent.BACK, "Home"), (Intent.UP, "Up"), (Intent.DOWN, "Down")]
        gap = 12
        bw = (w - gap * (len(labels) + 1)) // len(labels)
        return footer, {i: pygame.Rect(gap + k * (bw + gap), footer.y + 10, bw, bh) for k, (i, _) in enumerate(labels)}

    def pointer_targets(self) -> dict[Intent, pygame.Rect]:
        return self._footer()[1]

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        if self.page is None or self.page.get_width() != w:
            self.page = self._render_page(w)
        footer, buttons = self._footer()
        view_h = footer.y
        self.scroll = max(0, min(self.scroll, self.page.get_height() - view_h))
        surface.fill(t.bg)
        surface.blit(self.page, (0, 0), pygame.Rect(0, self.scroll, w, view_h))
        pygame.draw.rect(surface, t.panel, footer)
        more_below = self.page.get_height() - view_h - self.scroll > 0
        names = {Intent.CONFIRM: "Practise again (Enter)", Intent.BACK: "Home (Backspace)",
                 Intent.UP: "Up" if self.scroll > 0 else "", Intent.DOWN: "More below" if more_below else ""}
        for intent, rect in buttons.items():
            if names[intent]:
                answer_target(surface, rect, names[intent], t.accent if intent is Intent.CONFIRM else t.muted, t,
                              highlight=intent is Intent.CONFIRM, size=24)

    # -- the page ----------------------------------------------------------------------------------
    def _render_page(self, w: int) -> pygame.Surface:
        page = pygame.Surface((w, 4000))
        t = self.theme
        page.fill(t.bg)
        r = self.result
        s = r.summary
        margin = max(24, w // 30)
        inner = w - 2 * margin
        mode = "training" if r.settings.mode is Mode.TRAINING else "test"
        y = draw_paragraph(page, f"{r.part.capitalize()}: your results", t.font(44, True), t.fg, margin, 24, inner)
        y = draw_paragraph(page, f"{len(r.results)} pictures, {mode} mode, {r.started_at[:10]}"
                                 + ("" if r.status == "completed" else " (stopped early)"),
                           t.font(24), t.muted, margin, y, inner)
        y += 16
        # Two side cards. They sit side by side while wide enough, else one above the other.
        two_cols = inner >= t.px(760)
        card_w = (inner - 24) // 2 if two_cols else inner
        y_cards = y
        for k, (name, cell, colour) in enumerate((("Left", s.left, t.left), ("Right", s.right, t.right))):
            x = margin + (card_w + 24) * k if two_cols else margin
            top = y_cards if two_cols else y
            lines = [(f"{name}", t.font(34, True)),
                     (f"{cell.correct} of {cell.n} right ({_pct(cell)})", t.font(30, True)),
                     (f"typical time {_secs(cell.median_rt_ms)}", t.font(28)),
                     (f"missed {cell.misses}", t.font(24))]
            height = sum(f.get_linesize() for _, f in lines) + 32
            rect = pygame.Rect(x, top, card_w, height)
            panel(page, rect, t, colour)
            yy = top + 16
            for text, font in lines:
                yy = draw_paragraph(page, text, font, colour if font is lines[0][1] else t.fg, x + 20, yy, card_w - 40)
            y = rect.bottom + 16
        y += 8
        for line in r.verdict().lines:
            y = draw_paragraph(page, line, t.font(28), t.fg, margin, y, inner) + 6
        norm = norm_for(r.part)
        if norm:
            y = draw_paragraph(page, f"Norm for {r.part}: {norm.describe()}.", t.font(22), t.muted, margin, y + 6, inner)
            for study in norm.studies:
                y = draw_paragraph(page, f"{study.text} — {study.source}", t.font(22), t.muted, margin, y, inner)
        y += 20
        y = self._rotation_chart(page, margin, y, inner) + 20
        y = self._directions(page, margin, y, inner) + 20
        y = self._trend(page, margin, y, inner) + 30
        return page.subsurface((0, 0, w, min(y, page.get_height()))).copy()

    def _rotation_chart(self, page: pygame.Surface, x: int, y: int, width: int) -> int:
        t = self.theme
        y = draw_paragraph(page, "Time by how the picture was turned", t.font(30, True), t.fg, x, y, width) + 8
        rows = self.result.summary.by_rotation
        if not rows:
            return y
        slowest = max((c.median_rt_ms or 0) for c in rows.values()) or 1.0
        label_font, value_font = t.font(22), t.font(22, True)
        label_w = min(width // 2, max(label_font.size(ROTATION_NAMES.get(k, f"{k}°"))[0] for k in rows) + 16)
        bar_h = max(value_font.get_linesize(), t.px(26))
        for rot, cell in rows.items():
            draw_text(page, ROTATION_NAMES.get(rot, f"{rot}°"), label_font, t.fg, (x, y + 2))
            bar_w = int((width - label_w - t.px(200)) * (cell.median_rt_ms or 0) / slowest)
            pygame.draw.rect(page, t.accent, (x + label_w, y + 3, max(2, bar_w), bar_h - 6), border_radius=4)
            draw_text(page, f"{_secs(cell.median_rt_ms)}  ·  {_pct(cell)}", value_font, t.fg,
                      (x + label_w + bar_w + 10, y + 2))
            y += bar_h + 4
        return y

    def _directions(self, page: pygame.Surface, x: int, y: int, width: int) -> int:
        t = self.theme
        d = self.result.summary.by_direction
        parts = []
        if "medial" in d:
            parts.append(f"turned towards the body (medial): {_secs(d['medial'].median_rt_ms)}, {_pct(d['medial'])}")
        if "lateral" in d:
            parts.append(f"turned away from the body (lateral): {_secs(d['lateral'].median_rt_ms)}, {_pct(d['lateral'])}")
        if not parts:
            return y
        y = draw_paragraph(page, "Towards or away from the body", t.font(30, True), t.fg, x, y, width) + 4
        for p in parts:
            y = draw_paragraph(page, p.capitalize(), t.font(24), t.fg, x, y, width)
        return y

    def _trend(self, page: pygame.Surface, x: int, y: int, width: int) -> int:
        t = self.theme
        hist = self.history
        r = self.result
        y = draw_paragraph(page, "Your last sessions", t.font(30, True), t.fg, x, y, width) + 8
        if len(hist) < 2:
            return draw_paragraph(page, "After a few more sessions you will see your progress here.",
                                  t.font(24), t.muted, x, y, width)
        label_font = t.font(18)
        axis_w = label_font.size("100%")[0] + 12
        chart = pygame.Rect(x, y, min(width, t.px(700)), t.px(170))
        panel(page, chart, t)
        plot = pygame.Rect(chart.x + axis_w + 10, chart.y + 14, chart.width - axis_w - 30, chart.height - 28)
        low = 0.5   # accuracy below 50 % is guessing: the chart spends its height on 50–100 %

        def ypos(acc: float) -> int:
            return int(plot.bottom - plot.height * (max(low, acc) - low) / (1 - low))

        for level in (0.5, 0.75, 1.0):
            draw_text(page, f"{level:.0%}", label_font, t.muted, (plot.x - 8, ypos(level)), "midright")
        norm = norm_for(r.part)
        if norm:
            ny = ypos(norm.accuracy_min)
            pygame.draw.line(page, t.good, (plot.x, ny), (plot.right, ny), 2)
            draw_text(page, f"aim {norm.accuracy_min:.0%}", label_font, t.good, (plot.right, ny + 3), "topright")
        step = plot.width / max(1, len(hist) - 1)
        for side, colour in (("left", t.left), ("right", t.right)):
            pts = [(int(plot.x + i * step), ypos(getattr(h.summary, side).accuracy or 0)) for i, h in enumerate(hist)]
            pygame.draw.lines(page, colour, False, pts, 4)
            for p in pts:
                pygame.draw.circle(page, colour, p, 6)
        y = chart.bottom + 6
        method = r.input_method or "keys"
        return draw_paragraph(page, f"Accuracy per session: blue left, orange right. Only {r.settings.mode.value} "
                                    f"sessions answered with {method} are compared.", t.font(20), t.muted, x, y, width)
