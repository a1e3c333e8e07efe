"""What the user means, independent of how they said it (key, pedal, mouse, dwell, touch).

Scenes receive intents, never raw key codes; one key map (gmi/ui/keymap.py) makes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Intent(Enum):
    LEFT = "left"          # laterality answer, or move left in a menu
    RIGHT = "right"
    UP = "up"
    DOWN = "down"
    CONFIRM = "confirm"    # Enter / click on the focused control
    BACK = "back"          # leave a screen without doing anything
    PAUSE = "pause"        # Esc: any timed screen stops at once
    TAP = "tap"            # one repetition done (space, pedal, click) in camera-free exposure
    QUIT = "quit"          # window closed
    FULLSCREEN = "fullscreen"   # F11: full screen and back (handled by the app, on every screen)


class InputMethod(Enum):
    """How answers were given; recorded with every session because it changes reaction times."""

    KEYS = "keys"
    MOUSE = "mouse"
    TOUCH = "touch"
    DWELL = "dwell"


@dataclass(frozen=True)
class TimedIntent:
    """An intent stamped with ``time.perf_counter_ns()`` when it was taken off the event queue."""

    t_ns: int
    intent: Intent
    method: InputMethod = InputMethod.KEYS
