"""Camera consent: the camera stays off until the person agrees, once, on a screen that says what happens to
the pictures. The answer is remembered per profile (Settings → Camera use changes it).

Scenes that would open a camera call :func:`with_camera_consent` with what to do next: it is called at once
with the remembered answer, or, the first time, after the consent screen has been answered. "Ask me next
time" (or Esc) means this session goes without the camera and the question comes again next time.
"""

from __future__ import annotations

from typing import Callable

import pygame

from gmi.ui.app import AppContext, Scene
from gmi.ui.gui import GuiScene
from gmi.ui.widgets import draw_blocks

CONSENT_KEY = "camera_consent"        # profile settings: True (allowed), False (declined); absent: ask first
CAMERA_CHOICES = {None: "ask first", True: "allowed", False: "off"}

WHAT_IT_IS_FOR = "With the camera, gmi can count your repetitions and show you a digital mirror."
WHAT_HAPPENS = ("The pictures stay on this computer and are thrown away at once: never saved unless you ask, "
                "never sent anywhere (gmi does not use the internet). Only the numbers are kept.")
WITHOUT_IT = ("Without the camera everything still works: you tap for each repetition, or use a mirror box. "
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
    """What the camera is for and what happens to the pictures, then yes / no / not now. When the words and the
    three answers do not fit one screen (large text, small window), the words come first with Continue."""

    def __init__(self, then: Callable[[bool], None]) -> None:
        self.then = then
        self.explained = False          # two-step mode: the explanation has been read

    def blocks(self) -> list[tuple[str, int, bool, tuple[int, int, int]]]:
        t = self.theme
        return [("Use the camera?", 44, True, t.fg), (WHAT_IT_IS_FOR, 26, False, t.fg), (WHAT_HAPPENS, 26, True, t.fg),
                (WITHOUT_IT, 24, False, t.muted)]

    def layout(self) -> None:
        t = self.theme
        w, h = self.app.screen.get_size()
        m = max(30, w // 16)
        bh = max(t.px(54), 44)
        gap = max(10, bh // 5)
        top = max(16, h // 14)
        answers = [("Yes, use the camera", lambda: self.answer(True, remember=True), None, None),
                   ("No, not the camera", lambda: self.answer(False, remember=True), None, None),
                   ("Ask me next time", lambda: self.answer(False, remember=False), None, None)]
        rows = answers
        words = self.blocks()
        height = len(rows) * (bh + gap) - gap
        room = h - top - height - 2 * gap - m // 2
        smallest = draw_blocks(pygame.Surface((1, 1)), t.scaled(1.0), words, pygame.Rect(0, 0, w - 2 * m, 10**6))
        if smallest > room:                 # not all on one screen: the words first, then the question
            if not self.explained:
                rows = [("Continue", self.read, None, None)]
                height = bh
            else:                           # the question alone above the answers (paged if need be)
                words = [words[0]]
                room = h - top - 2 * gap - m // 2 - t.scaled(1.0).font(44, True).get_linesize()
                height = max(min(height, room), 2 * bh + gap)
        self.words = words
        self.text_area = pygame.Rect(m, top, w - 2 * m, h - height - top - 2 * gap - m // 2)
        self.menu(rows, pygame.Rect(m, h - height - m // 2, min(w - 2 * m, t.px(640)), height), bh, gap)

    def read(self) -> None:
        self.explained = True
        self.focus_index = 0
        self.refresh()

    def draw_background(self, surface: pygame.Surface) -> None:
        draw_blocks(surface, self.theme, self.words, self.text_area, align="left")

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
