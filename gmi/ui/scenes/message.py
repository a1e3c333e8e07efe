"""A calm full-screen message (a problem and how to fix it, or a notice) with one way on."""

from __future__ import annotations

import pygame

from gmi.core.intents import Intent, TimedIntent
from gmi.ui.app import Scene
from gmi.ui.widgets import draw_paragraph


class MessageScene(Scene):
    def __init__(self, title: str, text: str) -> None:
        self.title, self.text = title, text

    def handle(self, intent: TimedIntent) -> None:
        if intent.intent in (Intent.CONFIRM, Intent.TAP, Intent.BACK, Intent.PAUSE):
            self.app.pop()

    def handle_raw(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.bg)
        w, h = surface.get_size()
        m = max(30, w // 16)
        y = draw_paragraph(surface, self.title, t.font(44, True), t.fg, m, h // 8, w - 2 * m)
        y = draw_paragraph(surface, self.text, t.font(26), t.fg, m, y + 20, w - 2 * m)
        draw_paragraph(surface, "Press Enter, or click, to go back.", t.font(26, True), t.accent, m, y + 30, w - 2 * m)
