"""Camera check: the live pose view for one movement, to find where to stand before an exposure session.

Shows the placement advice, the picture with the skeleton, the angle gauge, repetitions and guidance.
Esc (or Back) leaves; the pose pipeline is stopped and its threads joined on the way out.
"""

from __future__ import annotations

import pygame

from gmi.core.intents import Intent, TimedIntent
from gmi.core.movements import Movement
from gmi.pose.pipeline import PosePipeline
from gmi.ui.app import Scene
from gmi.ui.camera_view import CameraView
from gmi.ui.widgets import draw_paragraph, draw_text


class CameraCheckScene(Scene):
    def __init__(self, pipeline: PosePipeline, movement: Movement, side: str) -> None:
        self.pipeline = pipeline
        self.movement = movement
        self.title = f"Camera check: {movement.title.lower()}, {movement.side_label(side)}"
        self.view = CameraView(pipeline)

    def on_enter(self) -> None:
        self.pipeline.start()  # a GmiError here becomes a calm message screen (App.push)

    def on_exit(self) -> None:
        self.pipeline.stop()

    def handle(self, intent: TimedIntent) -> None:
        if intent.intent in (Intent.BACK, Intent.PAUSE, Intent.CONFIRM):
            self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.bg)
        w, h = surface.get_size()
        m = max(20, w // 40)
        y = draw_paragraph(surface, self.title, t.font(32, True), t.fg, m, m, w - 2 * m)
        y = draw_paragraph(surface, self.movement.placement, t.font(22), t.muted, m, y + 4, w - 2 * m)
        footer = t.font(22)
        bottom = h - m - footer.get_linesize()
        self.view.draw(surface, pygame.Rect(m, y + 12, w - 2 * m, bottom - y - 24), t)
        draw_text(surface, "Esc or Enter: back", footer, t.accent, (m, bottom))
