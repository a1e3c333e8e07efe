"""The timing check behind `gmi selftest`: first the app's own frame loop (every frame stamped as it is
shown), then the drill's real answer loop (DrillScene.wait_for_answer) waiting with nothing pressed.
Esc stops it at once."""

from __future__ import annotations

import time

import pygame

from gmi.core.intents import Intent, TimedIntent
from gmi.core.laterality import OutcomeKind
from gmi.ui.app import Scene
from gmi.ui.keymap import DwellTracker
from gmi.ui.scenes.drill import DrillScene
from gmi.ui.widgets import answer_target, draw_blocks


class SelftestScene(Scene):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.phase = "frames"               # frames | input | done | stopped
        self.frame_stamps_ns: list[int] = []
        self.poll_gaps_us: list[float] = []
        self.started_ns = 0

    def on_enter(self) -> None:
        self.started_ns = time.perf_counter_ns()

    def handle(self, intent: TimedIntent) -> None:
        if intent.intent in (Intent.PAUSE, Intent.BACK):
            self.phase = "stopped"
            self.app.quit()

    def update(self, dt_s: float) -> None:
        now = time.perf_counter_ns()
        if self.phase == "frames":
            self.frame_stamps_ns.append(now)          # once per frame: the loop draws and flips after this
            if now - self.started_ns >= self.seconds * 1e9 and len(self.frame_stamps_ns) > 2:
                self.phase = "input"
        elif self.phase == "input":
            self._measure_polling()

    def _measure_polling(self) -> None:
        """The drill's own answer loop, waiting for ``seconds`` with a picture 'shown'; a key pressed by
        chance just starts the next wait."""
        drill = DrillScene()
        drill.app = self.app
        drill.state.phase = "stimulus"
        drill.dwell = DwellTracker(self.ctx.prefs.dwell_s)
        drill.timing.gaps_us = self.poll_gaps_us
        end = time.perf_counter_ns() + int(self.seconds * 1e9)
        while (now := time.perf_counter_ns()) < end:
            outcome = drill.wait_for_answer(now, end)
            if outcome.kind in (OutcomeKind.PAUSE, OutcomeKind.QUIT):
                self.phase = "stopped"
                self.app.quit()
                return
        self.phase = "done"
        self.app.quit()

    def frame_intervals_ms(self) -> list[float]:
        stamps = self.frame_stamps_ns
        return [(b - a) / 1e6 for a, b in zip(stamps[1:], stamps[2:])]   # the first frame is the window opening

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.bg)
        w, h = surface.get_size()
        step = ("1 of 2: the screen" if self.phase == "frames" else "2 of 2: the keys")
        draw_blocks(surface, t, [
            ("Checking this computer's timing", 44, True, t.fg),
            (f"Step {step} (about {self.seconds:g} s). Please do not touch anything; the result appears in the "
             "terminal.", 28, False, t.fg),
        ], pygame.Rect(60, h // 8, w - 120, self._stop_rect().top - 48 - h // 8), align="left")
        bar = pygame.Rect(60, self._stop_rect().top - 24 - max(12, t.px(14)), w - 120, max(12, t.px(14)))
        elapsed = (time.perf_counter_ns() - self.started_ns) / 1e9
        share = min(1.0, elapsed / (2 * self.seconds))
        pygame.draw.rect(surface, t.panel, bar, border_radius=7)
        pygame.draw.rect(surface, t.accent, (bar.x, bar.y, max(8, int(bar.width * share)), bar.height), border_radius=7)
        if t.panel == t.bg:
            pygame.draw.rect(surface, t.muted, bar, width=1, border_radius=7)
        answer_target(surface, self._stop_rect(), "Stop (Esc)", t.muted, t)

    def _stop_rect(self) -> pygame.Rect:
        w, h = self.app.screen.get_size()
        font = self.theme.font(28, True)
        rect = pygame.Rect(0, 0, min(w - 120, font.size("Stop (Esc)")[0] + 60), font.get_linesize() + 24)
        rect.midbottom = (w // 2, h - max(16, h // 16))
        return rect

    def pointer_targets(self) -> dict[Intent, pygame.Rect]:
        return {Intent.BACK: self._stop_rect()}       # the mouse can stop it too
