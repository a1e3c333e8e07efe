"""Imagined movements (GMI stage 2): a large posture picture, the instruction, step n of m, time left.

Before starting, the patient chooses how: watch only, imagine with eyes open, or with eyes closed guided by
sound. Esc pauses at any moment. After the sequence: vividness (1–5) and pain (0–10).
"""

from __future__ import annotations

import time
from typing import Callable

import pygame

from gmi.core.errors import GmiError
from gmi.core.imagery import MODE_LABELS, MODES, Sequence, StepShown, find_image, format_duration, imagery_phases, \
    shipped_sequence
from gmi.core.intents import Intent
from gmi.core.programme import STAGE_LABELS
from gmi.core.protocol import ProtocolRunner
from gmi.store.imagery import GuidedSessionLog
from gmi.ui.programme_panel import active_programme, affected_side, programme_settings, programme_status, \
    remember_programme_settings
from gmi.ui.scenes.guided import PAIN, VIVIDNESS, GuidedSessionScene, RatingSpec, load_library_or_none
from gmi.ui.sound import Guide
from gmi.ui.widgets import draw_paragraph, draw_text, fit_font

PHASE_TITLES = {"look": "Look", "watch": "Just watch", "imagine": "Imagine", "rest": "Rest"}


def require_open(ctx, stage: str, part: str) -> None:
    """With the order enforced, a stage opens only when the one before it has held its criteria."""
    status, _ = programme_status(ctx, part=part)
    if stage not in status.open_stages:
        raise GmiError("E-STAGE-LOCKED", f"{STAGE_LABELS[stage]} opens after {STAGE_LABELS[status.stage].lower()} "
                       "has gone well for long enough.",
                       fix="keep practising the current stage; the home screen shows how close you are. Your "
                           "physiotherapist can change the stage (gmi programme --override).")


class ImageryScene(GuidedSessionScene):
    kind = "imagery"

    def __init__(self, sequence: Sequence | None = None, *, mode: str | None = None, check_stage: bool = True,
                 clock: Callable[[], float] = time.monotonic, guide: Guide | None = None) -> None:
        super().__init__(clock=clock, guide=guide)
        self._sequence_in = sequence
        self._mode_in = mode
        self.check_stage = check_stage

    def on_enter(self) -> None:
        programme, part, _ = active_programme(self.ctx)
        self.sequence = self._sequence_in or shipped_sequence(part)
        if self.check_stage:
            require_open(self.ctx, "imagery", self.sequence.part)
        self.affected = affected_side(self.ctx, programme)
        remembered = programme_settings(self.ctx).get("imagery_mode")
        self.mode = self._mode_in or (remembered if remembered in MODES else None) or self.sequence.steps[0].mode \
            or "eyes_open"
        self.library, self.library_problem = load_library_or_none()
        super().on_enter()

    # -- the session -------------------------------------------------------------------------------
    def build_runner(self) -> ProtocolRunner:
        return ProtocolRunner(imagery_phases(self.sequence, self.mode, self.affected), self.clock)

    def start_log(self) -> GuidedSessionLog:
        return GuidedSessionLog.start(self.ctx.db, self.ctx.profile.id, "imagery", self.sequence, mode=self.mode,
                                      affected_side=self.affected,
                                      extra={"sound": self.guide.describe(), "steps": len(self.sequence.steps)})

    def rating_specs(self) -> list[RatingSpec]:
        return [VIVIDNESS, PAIN] if self.mode != "watch" else [PAIN]

    def handle_intro(self, intent: Intent) -> None:
        if intent in (Intent.LEFT, Intent.RIGHT):
            step = -1 if intent is Intent.LEFT else 1
            self.mode = MODES[(MODES.index(self.mode) + step) % len(MODES)]
            remember_programme_settings(self.ctx, imagery_mode=self.mode)
        else:
            super().handle_intro(intent)

    def handle_running(self, intent: Intent) -> None:
        if intent is Intent.CONFIRM and self.runner is not None:
            self.dispatch(self.runner.skip())     # ready before the timer: go on

    # -- drawing -----------------------------------------------------------------------------------
    def draw_intro(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        m = max(40, w // 16)
        y = draw_paragraph(surface, "Imagined movements", t.font(48, True), t.fg, m, h // 12, w - 2 * m)
        y = draw_paragraph(surface, f"{self.sequence.name} · {len(self.sequence.steps)} steps · about "
                                    f"{format_duration(self.sequence.duration_s(self.mode))}",
                           t.font(26), t.muted, m, y, w - 2 * m) + 14
        y = draw_paragraph(surface, self.sequence.description, t.font(28), t.fg, m, y, w - 2 * m) + 18
        row = pygame.Rect(m, y, w - 2 * m, t.font(30, True).get_linesize() + 24)
        self.arrow_chooser(surface, row, MODE_LABELS[self.mode])
        y = row.bottom + 14
        how = {"watch": "Look calmly at each picture. Nothing to imagine: watching is enough.",
               "eyes_open": "Imagine your own body moving into the position shown, slowly, then back. Keep your "
                            "eyes on the picture.",
               "eyes_closed": "Look at the picture, then close your eyes and imagine the movement. A tone and a "
                              "voice tell you when to open your eyes."}[self.mode]
        y = draw_paragraph(surface, how, t.font(26), t.fg, m, y, w - 2 * m) + 8
        notes = [self.guide.describe() if self.mode == "eyes_closed" else ""]
        if self.affected in ("left", "right"):
            other = "right" if self.affected == "left" else "left"
            notes.append(f"You start with your {other} side; your {self.affected} side comes later.")
        if self.library_problem:
            notes.append("Pictures are not available, so each position is described in words.")
        notes.append("If imagining movements stirs up distressing memories, stop and tell your physiotherapist.")
        y = draw_paragraph(surface, "\n".join(n for n in notes if n), t.font(22), t.muted, m, y, w - 2 * m)
        self.start_and_back(surface, h - 30, y)

    def draw_phase(self, surface: pygame.Surface, st) -> None:
        t, phase = self.theme, st.phase
        shown: StepShown = phase.payload  # type: ignore[assignment]
        w, h = surface.get_size()
        m = max(24, w // 40)
        head = t.font(22)
        draw_text(surface, f"Step {shown.index + 1} of {len(self.sequence.steps)}", head, t.muted, (m, m // 2))
        pause = pygame.Rect(0, 0, t.px(170), head.get_linesize() + 14)
        pause.topright = (w - m, m // 2 - 6)
        self.button(surface, pause, "Pause (Esc)", Intent.PAUSE)
        footer = self.draw_footer(surface, "Enter: next when ready")
        left = st.phase_left_s
        if phase.kind == "imagine" and shown.mode == "eyes_closed":
            self._draw_eyes_closed(surface, phase.text, left)
            return
        top = pause.bottom + 12
        side = self.picture_side(w, top, footer, 0.5)
        box = pygame.Rect(m, top, side, side)
        stim = find_image(self.library, shown.image) if self.library else None
        self.draw_picture_box(surface, box, str(self.library.path_of(stim)) if stim else None,
                              shown.step.phrase().capitalize())
        x, width = box.right + m, w - box.right - 2 * m
        title = PHASE_TITLES[phase.kind]
        y = draw_paragraph(surface, title, fit_font(t, title, 56, width), t.accent if phase.kind != "rest" else t.muted,
                           x, top, width)
        if phase.repetitions > 1:
            y = draw_paragraph(surface, f"Round {phase.repetition + 1} of {phase.repetitions}", t.font(24), t.muted,
                               x, y, width)
        self.draw_instruction(surface, phase.text, x, y + 16, width, footer, box.bottom)

    def _draw_eyes_closed(self, surface: pygame.Surface, text: str, left_s: float) -> None:
        t = self.theme
        w, h = surface.get_size()
        m = max(60, w // 10)
        y = draw_paragraph(surface, "Eyes closed", t.font(56, True), t.muted, m, h // 4, w - 2 * m, "center")
        y = draw_paragraph(surface, text.removeprefix("Eyes closed. "), t.font(30), t.muted, m, y + 20, w - 2 * m,
                           "center")
        draw_paragraph(surface, f"Open your eyes at the tone · {int(left_s + 0.999)} s", t.font(26), t.muted,
                       m, y + 30, w - 2 * m, "center")
