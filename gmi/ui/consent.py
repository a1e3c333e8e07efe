"""Camera consent: the camera stays off until the person agrees, once, on a screen that says what happens to
the pictures. The answer is remembered per profile (Settings → Camera use changes it).

Scenes that would open a camera call :func:`with_camera_consent` with what to do next: it is called at once
with the remembered answer, or, the first time, after the consent screen has been answered. "Not now" (or Esc)
means this session goes without the camera and the question comes again next time.
"""

from __future__ import annotations

from typing import Callable

import pygame

from gmi.ui.app import AppContext, Scene
from gmi.ui.gui import GuiScene
from gmi.ui.widgets import draw_blocks

CONSENT_KEY = "camera_consent"        # profile settings: True (allowed), False (declined); absent: ask first
CAMERA_CHOICES = {None: "ask first", True: "allowed", False: "off"}

WHAT_IT_IS_FOR = ("gmi can use this computer's camera to count your repetitions and measure how far you move "
                  "(graded exposure), and to show a digital mirror (mirror therapy).")
WHAT_HAPPENS = ("The pictures are looked at on this computer while you practise, then thrown away. gmi never "
                "saves camera pictures or video unless you ask it to, and never sends anything anywhere: it does "
                "not use the internet at all. Only the numbers are kept (repetitions, angles, times).")
WITHOUT_IT = ("Without the camera everything still works: you tap once per repetition, or use a mirror box. "
              "You can change your answer at any time in Settings.")


def camera_consent(ctx: AppContext) -> bool | None:
    value = ctx.profile.settings.get(CONSENT_KEY)
    return value if isinstance(value, bool) else None


def remember_camera_consent(ctx: AppContext, allowed: bool | None) -> None:
    ctx.remember(CONSENT_KEY, allowed)


def next_camera_choice(current: bool | None) -> bool | None:
    """Settings cycles ask first → allowed → off → ask first."""
    return {None: True, True: False, False: None}[current]


def with_camera_consent(scene: Scene, use_camera: Callable[[bool], None]) -> None:
    """``use_camera(allowed)`` now with the profile's answer, or after the consent screen if never asked."""
    answer = camera_consent(scene.ctx)
    if answer is None:
        scene.app.push(CameraConsentScene(use_camera))
    else:
        use_camera(answer)


class CameraConsentScene(GuiScene):
    def __init__(self, then: Callable[[bool], None]) -> None:
        self.then = then

    def layout(self) -> None:
        t = self.theme
        w, h = self.app.screen.get_size()
        m = max(30, w // 16)
        bh = max(t.px(54), 44)
        gap = max(10, bh // 5)
        rows = [("Yes, use the camera", lambda: self.answer(True, remember=True), None, None),
                ("No, not the camera", lambda: self.answer(False, remember=True), None, None),
                ("Not now (ask me next time)", lambda: self.answer(False, remember=False), None, None)]
        height = min(len(rows) * (bh + gap) - gap, h // 2)
        self.text_area = pygame.Rect(m, max(16, h // 14), w - 2 * m, h - height - max(16, h // 14) - 2 * gap - m // 2)
        self.menu(rows, pygame.Rect(m, h - height - m // 2, min(w - 2 * m, t.px(640)), height), bh, gap)

    def draw_background(self, surface: pygame.Surface) -> None:
        t = self.theme
        draw_blocks(surface, t, [("Use the camera?", 44, True, t.fg), (WHAT_IT_IS_FOR, 26, False, t.fg),
                                 (WHAT_HAPPENS, 26, True, t.fg), (WITHOUT_IT, 24, False, t.muted)],
                    self.text_area, align="left")

    def back(self) -> None:
        self.answer(False, remember=False)

    def answer(self, allowed: bool, *, remember: bool) -> None:
        if remember:
            remember_camera_consent(self.ctx, allowed)
        self.app.pop()
        self.then(allowed)


class CameraGateScene(Scene):
    """Stands in for a camera scene until the person has answered: ``make_scene()`` (which opens the camera)
    is called only after a yes; a no or "not now" says the camera stays off."""

    def __init__(self, make_scene: Callable[[], Scene]) -> None:
        self.make_scene = make_scene

    def on_enter(self) -> None:
        with_camera_consent(self, self._decided)

    def _decided(self, allowed: bool) -> None:
        from gmi.core.errors import GmiError
        from gmi.ui.scenes.message import MessageScene

        if not allowed:
            self.app.replace(MessageScene("The camera stays off", WITHOUT_IT))
            return
        try:
            scene = self.make_scene()
        except GmiError as exc:     # no camera, busy: said calmly, with the fix
            self.app.replace(MessageScene("Something needs fixing", str(exc)))
            return
        self.app.replace(scene)
