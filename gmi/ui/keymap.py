"""The one place where raw pygame events become intents. Scenes never see key codes.

Every answer can be given without the painful hand: two keys of the user's choice (a USB foot pedal sends
keys), a mouse click or touch on large on-screen targets, or dwell (hover a target for a set time).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pygame

from gmi.core.errors import GmiError
from gmi.core.intents import InputMethod, Intent, TimedIntent

FIXED_KEYS: dict[int, Intent] = {
    pygame.K_ESCAPE: Intent.PAUSE,
    pygame.K_RETURN: Intent.CONFIRM,
    pygame.K_KP_ENTER: Intent.CONFIRM,
    pygame.K_UP: Intent.UP,
    pygame.K_DOWN: Intent.DOWN,
    pygame.K_TAB: Intent.DOWN,
    pygame.K_SPACE: Intent.TAP,
    pygame.K_BACKSPACE: Intent.BACK,
    pygame.K_F11: Intent.FULLSCREEN,
}
DEFAULT_LEFT_KEY, DEFAULT_RIGHT_KEY = "left", "right"
# Keys that work the menus and pauses: never answer keys.
MENU_KEYS = frozenset({pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_BACKSPACE, pygame.K_UP,
                       pygame.K_DOWN, pygame.K_TAB, pygame.K_SPACE, pygame.K_F11})


def key_code(name: str) -> int:
    try:
        with warnings.catch_warnings():   # works before pygame.init(); pygame warns all the same
            warnings.simplefilter("ignore")
            return pygame.key.key_code(name)
    except (ValueError, pygame.error):
        raise GmiError("E-KEY", f"{name!r} is not a key name gmi knows.",
                       fix="use names such as left, right, a, l, z, m, page up, page down, f1 (or press the key "
                           "in Settings → Answer keys).") from None


def key_label(name: str) -> str:
    """How a key is named on screen: 'left' → 'left arrow'; other names as pygame spells them."""
    return {"left": "left arrow", "right": "right arrow", "up": "up arrow", "down": "down arrow"}.get(name, name)


@dataclass
class KeyMap:
    left_key: str = DEFAULT_LEFT_KEY
    right_key: str = DEFAULT_RIGHT_KEY
    _answer_keys: dict[int, Intent] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        left, right = key_code(self.left_key), key_code(self.right_key)
        if left == right:
            raise GmiError("E-KEY-SAME", "The left and right answer keys must be different.",
                           fix="choose two different keys.")
        for chosen in (left, right):
            if chosen in MENU_KEYS:
                raise GmiError("E-KEY-RESERVED", f"{key_label(pygame.key.name(chosen))} cannot be an answer key: "
                               "gmi uses it to pause, confirm, go back, move in menus or switch full screen.",
                               fix="choose other keys, e.g. the left and right arrows, z and m, or a foot pedal.")
        self._answer_keys = {left: Intent.LEFT, right: Intent.RIGHT}

    def translate(self, event: pygame.event.Event, t_ns: int,
                  targets: dict[Intent, pygame.Rect] | None = None) -> TimedIntent | None:
        """Map one raw event to an intent (or None). ``targets`` are on-screen answer areas for pointer input."""
        if event.type == pygame.QUIT:
            return TimedIntent(t_ns, Intent.QUIT)
        if event.type == pygame.KEYDOWN:
            intent = self._answer_keys.get(event.key) or FIXED_KEYS.get(event.key)
            if intent is None and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
                intent = Intent.LEFT if event.key == pygame.K_LEFT else Intent.RIGHT  # menus: arrows always move
            return TimedIntent(t_ns, intent, InputMethod.KEYS) if intent else None
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and targets:
            if getattr(event, "touch", False):
                return None  # SDL also sends FINGERDOWN for touches; count each touch once
            for intent, rect in targets.items():
                if rect.collidepoint(event.pos):
                    return TimedIntent(t_ns, intent, InputMethod.MOUSE)
        if event.type == pygame.FINGERDOWN and targets:
            surface = pygame.display.get_surface()
            if surface is not None:
                pos = (event.x * surface.get_width(), event.y * surface.get_height())
                for intent, rect in targets.items():
                    if rect.collidepoint(pos):
                        return TimedIntent(t_ns, intent, InputMethod.TOUCH)
        return None


class DwellTracker:
    """Answers by hovering: the pointer resting on a target for ``dwell_s``. The answer is stamped at the
    moment the pointer entered the target (the decision), not when the dwell completed."""

    def __init__(self, dwell_s: float) -> None:
        self.dwell_ns = int(dwell_s * 1e9)
        self.inside: Intent | None = None
        self.entered_ns = 0
        self.blocked: Intent | None = None

    def reset(self, pos: tuple[int, int] | None = None, targets: dict[Intent, pygame.Rect] | None = None) -> None:
        """Start afresh (a new picture). A target the pointer rests on now (``pos``) counts only once the
        pointer has left it: resting there since the last answer is not a new answer."""
        self.inside = None
        self.blocked = _target_at(pos, targets) if pos is not None and targets else None

    def update(self, pos: tuple[int, int], targets: dict[Intent, pygame.Rect], now_ns: int) -> TimedIntent | None:
        hit = _target_at(pos, targets)
        if self.blocked is not None:
            if hit == self.blocked:
                return None
            self.blocked = None
        if hit != self.inside:
            self.inside, self.entered_ns = hit, now_ns
            return None
        if hit is not None and now_ns - self.entered_ns >= self.dwell_ns:
            self.inside = None
            return TimedIntent(self.entered_ns, hit, InputMethod.DWELL)
        return None

    def progress(self, now_ns: int) -> tuple[Intent | None, float]:
        if self.inside is None:
            return None, 0.0
        return self.inside, min(1.0, (now_ns - self.entered_ns) / self.dwell_ns)


def _target_at(pos: tuple[int, int], targets: dict[Intent, pygame.Rect]) -> Intent | None:
    return next((i for i, r in targets.items() if r.collidepoint(pos)), None)
