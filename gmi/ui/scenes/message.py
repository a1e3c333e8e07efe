"""A calm full-screen message (a problem and how to fix it, or a notice) with one way on."""

from __future__ import annotations

import pygame

from gmi.core.intents import Intent, TimedIntent
from gmi.ui.app import Scene
from gmi.ui.widgets import draw_blocks


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
        draw_blocks(surface, t, [(self.title, 44, True, t.fg), (self.text, 26, False, t.fg),
                                 ("Press Enter, or click, to go back.", 26, True, t.accent)],
                    pygame.Rect(m, h // 10, w - 2 * m, h - h // 5), align="left")
