"""Settings, remembered per profile: drill dose and difficulty, how answers are given, how gmi looks.

Every row: Up/Down to reach it, Left/Right (or a click on the row) to change it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import pygame

from gmi.core.laterality import TIME_LIMIT_RANGE_S, TRIALS_RANGE, Mode
from gmi.pose.sources import CAMERA_ENV, camera_spec
from gmi.ui.gui import GuiScene
from gmi.ui.keymap import key_label
from gmi.ui.widgets import draw_paragraph, wrap

TIME_STEPS = (2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60)
ROTATION_SETS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("all eight", ()),
    ("upright only", (0,)),
    ("upright and small turns", (0, 45, 315)),
    ("up to a quarter turn", (0, 45, 90, 270, 315)),
    ("turned a lot", (90, 135, 180, 225, 270)),
)
LEVELS = {1: "plain background", 2: "textured background", 3: "scenes and close-ups"}
METHODS = {"keys": "keys or foot pedal", "mouse": "mouse or touch", "dwell": "dwell (rest the pointer)"}
CAMERA_NUMBERS = 10   # camera 0–9 can be chosen here; a video file with `gmi camera use VIDEO`


def camera_label(preferred: str) -> str:
    """The camera row: the profile's camera, or what $GMI_CAMERA puts in its place."""
    spec = camera_spec(preferred)
    if spec.isdigit():
        words = f"number {spec}" + (" (the first)" if spec == "0" else "")
    else:
        name = Path(spec).name
        words = f"video {name if len(name) <= 24 else name[:23] + '…'}"
    return f"Camera: {words}" + (f" (set by {CAMERA_ENV})" if spec != preferred.strip() else "")


def next_camera(current: str, step: int) -> str:
    """The camera number one step on (a video file steps to camera 0)."""
    if not current.isdigit():
        return "0"
    return str(max(0, min(CAMERA_NUMBERS - 1, int(current) + step)))


def _step(values: list, current, step: int):
    i = values.index(current) if current in values else 0
    return values[max(0, min(len(values) - 1, i + step))]


class SettingsScene(GuiScene):
    capturing: str | None = None

    def rows(self) -> list[tuple[str, Callable[[int], None] | None, Callable[[], None] | None]]:
        """(label, step, act): Left/Right call step(-1/+1); Enter calls act, or step(+1) where there is no act."""
        d, p = self.ctx.drill, self.ctx.prefs
        views = self._views()
        rot_name = next((n for n, r in ROTATION_SETS if r == tuple(d.rotations)), "custom")
        return [
            (f"Mode: {'training (feedback)' if d.mode is Mode.TRAINING else 'test (fixed, no feedback)'}",
             lambda s: self._drill(mode=Mode.TEST if d.mode is Mode.TRAINING else Mode.TRAINING), None),
            (f"Pictures per drill: {d.trials}", lambda s: self._drill(trials=max(TRIALS_RANGE[0], min(TRIALS_RANGE[1], d.trials + 5 * s))), None),
            (f"Time per picture: {d.time_limit_s:g} s", lambda s: self._drill(time_limit_s=float(_step(list(TIME_STEPS), int(d.time_limit_s), s))), None),
            (f"Views: {', '.join(d.views) if d.views else 'all'}", lambda s: self._drill(views=_step(views, tuple(d.views), s)), None),
            (f"Turns: {rot_name}", lambda s: self._drill(rotations=_step([r for _, r in ROTATION_SETS], tuple(d.rotations), s)), None),
            (f"Pictures: level {d.level}, {LEVELS[d.level]}", lambda s: self._drill(level=max(1, min(3, d.level + s))), None),
            (f"Picture source: {'gmi library' if d.source == 'library' else 'my photos'}",
             lambda s: self._drill(source="photos" if d.source == "library" else "library"), None),
            (f"Answer with: {METHODS[p.input_method]}", lambda s: self._pref(input_method=_step(list(METHODS), p.input_method, s)), None),
            (f"Left key: {key_label(p.left_key)} (Enter to change)", None, lambda: self._capture("left_key")),
            (f"Right key: {key_label(p.right_key)} (Enter to change)", None, lambda: self._capture("right_key")),
            (f"Dwell time: {p.dwell_s:.1f} s", lambda s: self._pref(dwell_s=round(max(0.3, min(3.0, p.dwell_s + 0.1 * s)), 1)), None),
            (camera_label(p.camera), lambda s: self._pref(camera=next_camera(p.camera, s)), None),
            (f"Text size: {round(p.text_scale * 100)} %", lambda s: self._pref(text_scale=max(1.0, min(2.0, p.text_scale + 0.25 * s))), None),
            (f"High contrast: {'on' if p.high_contrast else 'off'}", lambda s: self._pref(high_contrast=not p.high_contrast), None),
            (f"Who is practising: {self.ctx.profile.name} (Enter to switch)", None, self._profiles),
            ("Back", None, self.app.pop),
        ]

    def _views(self) -> list[tuple[str, ...]]:
        try:
            from gmi.ui.scenes.drill import load_library

            lib = load_library(replace(self.ctx.drill, source="library"), self.ctx.data_dir, self.ctx.profile.name)
            return [()] + [(v,) for v in lib.views(self.ctx.drill.part)]
        except Exception:  # no library: views cannot be chosen, 'all' stays
            return [()]

    def layout(self) -> None:
        t = self.theme
        w, h = self.app.screen.get_size()
        margin = max(20, w // 30)
        bh = max(t.px(40), 36)
        gap = 6
        top = margin // 2 + t.font(40, True).get_linesize() + 12 + \
            len(wrap(self._hint(), t.font(22), w - 2 * margin)) * t.font(22).get_linesize()
        rows = [(label, act or (lambda f=step: f(1)),
                 (lambda f=step: f(-1)) if step else None, (lambda f=step: f(1)) if step else None)
                for label, step, act in self.rows()]
        self.menu(rows, pygame.Rect(margin, top, min(w - 2 * margin, t.px(900)), h - top - margin), bh, gap)

    def draw_background(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, _ = surface.get_size()
        m = max(20, w // 30)
        y = draw_paragraph(surface, "Settings", t.font(40, True), t.fg, m, m // 2, w - 2 * m)
        draw_paragraph(surface, self._hint(), t.font(22), t.warn if self.capturing else t.muted, m, y, w - 2 * m)

    def _profiles(self) -> None:
        from gmi.ui.scenes.profiles import ProfilesScene

        self.app.push(ProfilesScene())

    def _hint(self) -> str:
        return ("Press the key you want to use now (Esc cancels)." if self.capturing else
                f"For {self.ctx.profile.name}. Up/Down: choose a row. Left/Right or click: change it. "
                "Backspace: back. Saved at once.")

    def _drill(self, **changes) -> None:
        self.ctx.drill = replace(self.ctx.drill, **changes).validate()
        self.ctx.save()
        self.refresh()

    def _pref(self, **changes) -> None:
        for k, v in changes.items():
            setattr(self.ctx.prefs, k, v)
        self.ctx.save()
        self.refresh()

    def _capture(self, which: str) -> None:
        self.capturing = which
        self.refresh()

    def handle_raw(self, event: pygame.event.Event) -> None:
        if self.capturing and event.type == pygame.KEYDOWN:
            which, self.capturing = self.capturing, None
            if event.key != pygame.K_ESCAPE:
                from gmi.core.errors import GmiError
                from gmi.ui.keymap import KeyMap

                name = pygame.key.name(event.key)
                trial = {"left_key": self.ctx.prefs.left_key, "right_key": self.ctx.prefs.right_key, which: name}
                try:
                    KeyMap(trial["left_key"], trial["right_key"])
                except GmiError as exc:
                    self.app.show_problem(exc)
                    return
                self._pref(**{which: name})
            else:
                self.refresh()
            self._swallow_next = True
            return
        super().handle_raw(event)

    def handle(self, intent) -> None:
        if getattr(self, "_swallow_next", False):  # the key just captured is not also a command
            self._swallow_next = False
            return
        if self.capturing:
            return
        super().handle(intent)
