"""The window, the scene stack and the main loop (Tuxemon-style state stack).

A scene gets intents (from the one key map), may look at pointer events for its own on-screen targets,
updates, and draws. The drill scene takes over the loop during a response window (see scenes/drill.py).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pygame

from gmi.core.errors import GmiError
from gmi.core.intents import InputMethod, Intent, TimedIntent
from gmi.core.laterality import DrillSettings
from gmi.store.db import Database, Profile
from gmi.ui.keymap import DEFAULT_LEFT_KEY, DEFAULT_RIGHT_KEY, KeyMap
from gmi.ui.theme import Theme, reset_fonts, theme_for

WINDOW_SIZE = (1280, 800)
MIN_SIZE = (800, 600)
FPS = 60


@dataclass
class Prefs:
    """Per-profile preferences for how gmi looks and how answers are given."""

    text_scale: float = 1.0            # 1.0–2.0
    high_contrast: bool = False
    input_method: str = InputMethod.KEYS.value   # keys | mouse | dwell (touch is detected automatically)
    left_key: str = DEFAULT_LEFT_KEY
    right_key: str = DEFAULT_RIGHT_KEY
    dwell_s: float = 1.0
    sound: bool = True
    camera: str = "0"                  # a camera number or a video file; $GMI_CAMERA overrides it

    @classmethod
    def from_dict(cls, d: Any) -> "Prefs":
        """Saved preferences. A value that cannot be used falls back to its default and the others are kept:
        an unknown key name must not also undo a large text size. The two answer keys go together."""
        p = cls()
        if not isinstance(d, dict):
            return p
        groups = [(name,) for name in p.__dataclass_fields__ if name not in ("left_key", "right_key")]
        for names in groups + [("left_key", "right_key")]:
            given = {k: d[k] for k in names if k in d}
            if given:
                try:
                    p = replace(p, **given)._usable()
                except (TypeError, ValueError, GmiError):
                    pass
        return p

    def _usable(self) -> "Prefs":
        """These preferences with numbers clamped to their ranges; an error if one cannot be used."""
        p = replace(self, text_scale=min(2.0, max(1.0, float(self.text_scale))),
                    dwell_s=min(3.0, max(0.3, float(self.dwell_s))), camera=str(self.camera).strip() or "0")
        if p.input_method not in ("keys", "mouse", "dwell"):
            raise ValueError(f"unknown input method {p.input_method!r}")
        KeyMap(p.left_key, p.right_key)
        return p


@dataclass
class AppContext:
    """What every scene may use: the database, the profile and its settings, the look, the key map."""

    db: Database
    profile: Profile
    data_dir: Path
    prefs: Prefs = field(default_factory=Prefs)
    drill: DrillSettings = field(default_factory=DrillSettings)
    notices: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, db: Database, profile_name: str, data_dir: Path) -> "AppContext":
        profile = db.profile(profile_name)
        prefs = Prefs.from_dict(profile.settings.get("prefs", {}))
        drill = DrillSettings.from_dict(profile.settings.get("drill", {}))
        return cls(db, profile, data_dir, prefs, drill, list(db.notices))

    @property
    def theme(self) -> Theme:
        return theme_for(self.prefs.high_contrast, self.prefs.text_scale)

    @property
    def keymap(self) -> KeyMap:
        return _keymap(self.prefs.left_key, self.prefs.right_key)  # asked for every frame: built once per key pair

    def remember(self, key: str, value: Any) -> None:
        """Keep one more per-profile setting (e.g. camera consent) beside prefs and drill, saved at once."""
        self.profile = Profile(self.profile.id, self.profile.name, self.profile.created_at,
                               {**self.profile.settings, key: value})
        self.db.save_profile_settings(self.profile.id, self.profile.settings)

    def save(self) -> None:
        """Settings are remembered per profile, saved as soon as they change."""
        settings = dict(self.profile.settings)
        settings["prefs"] = self.prefs.__dict__.copy()
        settings["drill"] = self.drill.to_dict()
        self.db.save_profile_settings(self.profile.id, settings)
        self.profile = Profile(self.profile.id, self.profile.name, self.profile.created_at, settings)


@lru_cache(maxsize=8)
def _keymap(left_key: str, right_key: str) -> KeyMap:
    return KeyMap(left_key, right_key)


class Scene:
    """Base scene. Subclasses override what they need."""

    app: "App"

    def on_enter(self) -> None: ...
    def on_resume(self) -> None: ...
    def on_resize(self) -> None: ...
    def on_exit(self) -> None: ...
    def handle(self, intent: TimedIntent) -> None: ...
    def handle_raw(self, event: pygame.event.Event) -> None: ...
    def update(self, dt_s: float) -> None: ...
    def draw(self, surface: pygame.Surface) -> None: ...

    def pointer_targets(self) -> dict[Intent, pygame.Rect]:
        return {}

    @property
    def ctx(self) -> AppContext:
        return self.app.ctx

    @property
    def theme(self) -> Theme:
        return self.app.ctx.theme


class App:
    def __init__(self, screen: pygame.Surface, ctx: AppContext) -> None:
        self.screen = screen
        self.ctx = ctx
        self.scenes: list[Scene] = []
        self.clock = pygame.time.Clock()
        self.running = True
        self.frames = 0
        self.windowed_size = WINDOW_SIZE if screen.get_flags() & pygame.FULLSCREEN else screen.get_size()

    # -- stack -----------------------------------------------------------------------------------
    def push(self, scene: Scene) -> None:
        scene.app = self
        self.scenes.append(scene)
        try:
            scene.on_enter()
        except GmiError as exc:
            self.scenes.remove(scene)
            self.show_problem(exc)

    def show_problem(self, exc: GmiError) -> None:
        """A problem the user can fix, on a calm screen with the fix; never a traceback."""
        from gmi.ui.scenes.message import MessageScene

        self.push(MessageScene("Something needs fixing", str(exc)))

    def pop(self) -> None:
        if self.scenes:
            self.scenes.pop().on_exit()
            return_free_memory()
        if self.scenes:
            self.scenes[-1].on_resume()
        else:
            self.running = False

    def replace(self, scene: Scene) -> None:
        if self.scenes:
            self.scenes.pop().on_exit()
            return_free_memory()
        self.push(scene)

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def quit(self) -> None:
        while self.scenes:
            self.scenes.pop().on_exit()
        self.running = False

    # -- loop ------------------------------------------------------------------------------------
    def step(self, dt_s: float | None = None) -> None:
        """One frame: events → intents → update → draw → flip."""
        if dt_s is None:
            dt_s = self.clock.tick(FPS) / 1000.0
        scene = self.top
        if scene is None:
            self.running = False
            return
        keymap = self.ctx.keymap
        for event in pygame.event.get():
            t_ns = time.perf_counter_ns()
            if event.type == pygame.VIDEORESIZE:
                self._resize(event.w, event.h)
                continue
            scene = self.top
            if scene is None:
                break
            try:
                scene.handle_raw(event)
                if self.top is not scene:
                    continue
                intent = keymap.translate(event, t_ns, scene.pointer_targets())
                if intent is not None:
                    if intent.intent is Intent.QUIT:
                        self.quit()
                        return
                    if intent.intent is Intent.FULLSCREEN:
                        self.toggle_fullscreen()
                        continue
                    scene.handle(intent)
            except GmiError as exc:
                self._leave_with_problem(scene, exc)
                return
        scene = self.top
        if scene is None:
            self.running = False
            return
        try:
            scene.update(dt_s)
        except GmiError as exc:
            self._leave_with_problem(scene, exc)
            return
        if self.top is scene and self.running:
            scene.draw(self.screen)
            pygame.display.flip()
            self.frames += 1

    def _leave_with_problem(self, scene: Scene, exc: GmiError) -> None:
        """A scene met a problem the user can fix while working: leave it and show the fix."""
        if self.top is scene:
            self.pop()
        self.show_problem(exc)

    def run(self) -> int:
        while self.running and self.scenes:
            self.step()
        return 0

    def _resize(self, w: int, h: int) -> None:
        w, h = max(MIN_SIZE[0], w), max(MIN_SIZE[1], h)
        if pygame.display.get_surface() is not None and (w, h) != self.screen.get_size():
            self.screen = pygame.display.set_mode((w, h), pygame.RESIZABLE)
        for scene in self.scenes:
            scene.on_resize()

    def toggle_fullscreen(self) -> None:
        """F11 on any screen: full screen, and back to the window's last size. (Like a resize, without asking
        for vsync again: pygame-ce 2.5 crashes when set_mode requests vsync a second time.)"""
        if pygame.display.get_surface() is None:
            return
        if self.screen.get_flags() & pygame.FULLSCREEN:
            self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        else:
            self.windowed_size = self.screen.get_size()
            self.screen = pygame.display.set_mode((0, 0), pygame.RESIZABLE | pygame.FULLSCREEN)
        for scene in self.scenes:
            scene.on_resize()


_LIBC: Any = None


def return_free_memory() -> None:
    """Give memory freed by a finished scene back to the system. Pictures and camera frames are large buffers
    that glibc otherwise keeps in its heap: without this a day of drills grew gmi by about 0.6 MB a drill
    (benchmarks/soak.py: 30 MB over 5000 trials; with it, under 1 MB)."""
    global _LIBC
    if _LIBC is None:
        try:
            import ctypes

            _LIBC = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):   # not glibc (macOS, Windows, musl): nothing to give back this way
            _LIBC = False
    if _LIBC:
        _LIBC(0)


def open_window(fullscreen: bool = False, size: tuple[int, int] = WINDOW_SIZE) -> pygame.Surface:
    pygame.display.init()
    pygame.font.init()
    reset_fonts()
    pygame.display.set_caption("gmi — graded motor imagery")
    flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
    try:
        with warnings.catch_warnings():   # "no fast renderer": vsync unavailable; recorded with each session
            warnings.simplefilter("ignore")
            return pygame.display.set_mode((0, 0) if fullscreen else size, flags, vsync=1)
    except pygame.error:  # vsync refused by this driver: carry on without (recorded with each session)
        return pygame.display.set_mode((0, 0) if fullscreen else size, flags)


def run_app(args: argparse.Namespace) -> int:
    from gmi.ui.launch import run_scene
    from gmi.ui.scenes.home import HomeScene

    return run_scene(args, lambda ctx: HomeScene(), first_frame_only=bool(os.environ.get("GMI_BENCH_FIRST_FRAME")))
