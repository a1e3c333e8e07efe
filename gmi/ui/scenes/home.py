"""The home screen: who is practising, what to do next, and the way into every part of gmi.

Other parts of gmi add their own entries to HOME_ENTRIES (label, scene factory); the laterality drill
entries are built in because they come first in graded motor imagery.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import pygame

from gmi.core.errors import GmiError
from gmi.core.stimuli import PARTS
from gmi.report.laterality import recent_results
from gmi.ui.app import Scene
from gmi.ui.gui import GuiScene
from gmi.ui.programme_panel import draw_programme_panel, programme_status
from gmi.ui.theme import BUTTON_TYPE
from gmi.ui.widgets import draw_paragraph, panel, wrap

# The other parts of gmi, as (label, "module:SceneClass"): imported only when chosen, so start-up stays fast.
HOME_ENTRIES: list[tuple[str, str]] = [
    ("Imagined movements", "gmi.ui.scenes.imagery:ImageryScene"),
    ("Mirror therapy", "gmi.ui.scenes.mirror:MirrorChoiceScene"),
    ("My programme (flare, going back)", "gmi.ui.scenes.programme:ProgrammeScene"),
    ("Graded exposure: today's movement", "gmi.ui.scenes.exposure:ExposureScene"),
    ("My progress over weeks", "gmi.ui.scenes.history:HistoryScene"),
]


def _open_entry(target: str) -> Scene:
    import importlib

    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)()


class HomeScene(GuiScene):
    def available_parts(self) -> list[str]:
        try:
            from gmi.ui.scenes.drill import load_library

            parts = load_library(replace(self.ctx.drill, source="library"), self.ctx.data_dir, self.ctx.profile.name).parts()
        except GmiError as exc:
            self.library_problem = str(exc)
            return []
        self.library_problem = ""
        return parts or []

    def on_enter(self) -> None:
        self.library_problem = ""
        self.parts = self.available_parts()
        super().on_enter()

    def layout(self) -> None:
        t = self.theme
        w, h = self.app.screen.get_size()
        margin = max(24, w // 24)
        col_w = min(w - 2 * margin, max(t.px(420), int(w * 0.46)))
        bh = max(t.px(54), 44)
        gap = max(10, bh // 5)
        top = margin // 2 + self._header_height(w - 2 * margin) + gap
        d = self.ctx.drill
        part = d.part
        rows: list[tuple[str, Callable | None, Callable | None, Callable | None]] = [
            (f"Start: left or right? ({part})", self.start_drill, None, None),
            (f"Body part: {part}  (Left/Right to change)", None, lambda: self.cycle_part(-1), lambda: self.cycle_part(1)),
            ("My last results", self.open_results, None, None),
        ]
        rows += [(label, (lambda t=target: self.app.push(_open_entry(t))), None, None) for label, target in HOME_ENTRIES]
        rows += [("Settings (mode, answers, text, profile)", self.open_settings, None, None),
                 ("Quit", self.app.quit, None, None)]
        self.programme = programme_status(self.ctx)
        # Read once per build (enter, return, resize, change), not in every frame's drawing.
        self.last_drill = recent_results(self.ctx.db, self.ctx.profile.id, last=1, part=self.ctx.drill.part)
        # With the side panel while the rows fit beside it (buttons may shrink to a comfortable 44 px);
        # otherwise (large text, small window) full width, on pages.
        fits = (h - top - margin + gap) // (bh + gap)
        shortest = max(44, t.font(BUTTON_TYPE, True).get_height() + 8)        # the words must still fit
        if len(rows) > fits and (h - top - margin) // len(rows) - gap >= shortest:
            bh, fits = (h - top - margin) // len(rows) - gap, len(rows)
        if len(rows) <= fits and w - col_w - 3 * margin >= t.px(300):
            self.side_panel = pygame.Rect(margin * 2 + col_w, top, w - col_w - margin * 3, h - top - margin)
        else:
            col_w, self.side_panel = w - 2 * margin, None
        self.menu(rows, pygame.Rect(margin, top, col_w, h - top - margin), bh, gap)

    def _greeting(self) -> str:
        return f"Hello, {self.ctx.profile.name}.  Up and Down arrows to choose, Enter to start — or use the mouse."

    def _header_height(self, width: int, t=None) -> int:
        t = t or self._header_theme(width)
        return t.font(52, True).get_linesize() + len(wrap(self._greeting(), t.font(26), width)) * t.font(26).get_linesize()

    def _header_theme(self, width: int):
        """The title and greeting take at most a third of the window: in a small window at large text sizes
        their type steps down (never below 100 %), so that the menu keeps room for its buttons."""
        t = self.theme
        while t.text_scale > 1.0 and self._header_height(width, t) > self.app.screen.get_height() // 3:
            t = t.scaled(t.text_scale - 0.1)
        return t

    def draw_background(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, _ = surface.get_size()
        margin = max(24, w // 24)
        head = self._header_theme(w - 2 * margin)
        y = draw_paragraph(surface, "gmi", head.font(52, True), t.fg, margin, margin // 2, w - 2 * margin)
        draw_paragraph(surface, self._greeting(), head.font(26), t.muted, margin, y, w - 2 * margin)
        if self.side_panel and self.side_panel.width > t.px(260):
            self._draw_side_panel(surface, self.side_panel)

    def _draw_side_panel(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        t = self.theme
        status, message = self.programme
        bottom = draw_programme_panel(surface, rect, t, status, message)
        rect = pygame.Rect(rect.x, bottom + 16, rect.width, rect.bottom - bottom - 16)
        if rect.height < t.font(30, True).get_linesize() * 3:
            return
        panel(surface, rect, t)
        x, y, width = rect.x + 20, rect.y + 16, rect.width - 40
        notices = list(self.ctx.notices)
        if self.library_problem:
            notices.append(self.library_problem)
        for note in notices:
            y = draw_paragraph(surface, note, t.font(22), t.warn, x, y, width) + 8
        part = self.ctx.drill.part
        last = self.last_drill
        y = draw_paragraph(surface, f"Last {part} drill", t.font(30, True), t.fg, x, y, width) + 6
        if not last:
            y = draw_paragraph(surface, "None yet. Graded motor imagery starts here: you see a picture and say "
                                        "whether it shows a left or a right one, quickly and accurately.",
                               t.font(24), t.fg, x, y, width)
            return
        r = last[0]
        for name, cell, colour in (("Left", r.summary.left, t.left), ("Right", r.summary.right, t.right)):
            acc = "—" if cell.accuracy is None else f"{cell.accuracy:.0%}"
            rt = "—" if cell.median_rt_ms is None else f"{cell.median_rt_ms / 1000:.1f} s"
            y = draw_paragraph(surface, f"{name}: {acc} right, typical time {rt}", t.font(26, True), colour, x, y, width)
        y += 6
        for line in r.verdict().lines:
            y = draw_paragraph(surface, line, t.font(22), t.fg, x, y, width) + 4

    # -- actions ---------------------------------------------------------------------------------
    def start_drill(self) -> None:
        from gmi.ui.scenes.drill import DrillScene

        self.app.push(DrillScene())

    def cycle_part(self, step: int) -> None:
        parts = self.parts or list(PARTS)
        current = self.ctx.drill.part
        i = parts.index(current) if current in parts else -step
        self.ctx.drill = replace(self.ctx.drill, part=parts[(i + step) % len(parts)], views=())
        self.ctx.save()
        self.refresh()

    def open_settings(self) -> None:
        from gmi.ui.scenes.settings import SettingsScene

        self.app.push(SettingsScene())

    def open_results(self) -> None:
        from gmi.ui.scenes.results import ResultsScene

        last = recent_results(self.ctx.db, self.ctx.profile.id, last=1)
        if last:
            self.app.push(ResultsScene(last[-1].session_id))

    def back(self) -> None:
        pass  # Esc on the home screen does nothing: quitting is an explicit choice
