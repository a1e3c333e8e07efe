"""The digital mirror: one side of a frame reflected onto the other across a vertical line.

Pure numpy, so it is tested on synthetic arrays and used unchanged by the snapshot command and the
live mirror scene. ``FrameMirror.view`` first flips a camera picture like a looking-glass. The line lies *between* two pixel columns: with the line at column boundary ``L`` and
the left part kept, output column ``L + k`` shows input column ``L - 1 - k``. When the line is off-centre
the reflected side can be wider than the kept side; the columns no kept pixel reaches are filled with a
flat colour (black by default) rather than smeared, so the user sees at once that the line or their
position should move.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Keep = Literal["left", "right"]
KEEP_SIDES: tuple[str, ...] = ("left", "right")
LINE_MIN, LINE_MAX = 0.05, 0.95  # fraction of the width a user may choose; nearer the edge mirrors almost nothing
WITHOUT_CAMERA = "a mirror box needs no camera: gmi mirror --box, or Mirror therapy → With a mirror box"


def line_column(width: int, line: float) -> int:
    """The column boundary for a line given as a fraction of the width, clamped so that at least one
    column stays on each side (a line at the very edge would mirror nothing)."""
    if width < 2:
        raise ValueError(f"a frame needs at least 2 columns to be mirrored (found {width})")
    return int(min(max(round(line * width), 1), width - 1))


def source_columns(width: int, boundary: int, keep: Keep) -> tuple[np.ndarray, np.ndarray]:
    """For each output column, the input column it shows, and a mask of columns nothing reaches."""
    if keep not in KEEP_SIDES:
        raise ValueError(f"keep must be 'left' or 'right' (found {keep!r})")
    x = np.arange(width)
    reflected = 2 * boundary - 1 - x
    if keep == "left":
        src = np.where(x < boundary, x, reflected)
    else:
        src = np.where(x >= boundary, x, reflected)
    unreachable = (src < 0) | (src >= width)
    return np.clip(src, 0, width - 1), unreachable


def mirror_frame(frame: np.ndarray, keep: Keep, line: float = 0.5, fill: int = 0) -> np.ndarray:
    """A new frame (H×W or H×W×C) whose ``keep`` side is the input and whose other side is its reflection."""
    if frame.ndim not in (2, 3):
        raise ValueError(f"a frame must be H×W or H×W×C (found shape {frame.shape})")
    return FrameMirror(keep, line, fill).apply(frame)


@dataclass
class FrameMirror:
    """Mirrors a stream of same-sized frames; the column map is computed once per width and line."""

    keep: Keep
    line: float = 0.5
    fill: int = 0
    _cache: dict[tuple[int, int, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    def boundary(self, width: int) -> int:
        return line_column(width, self.line)

    def apply(self, frame: np.ndarray) -> np.ndarray:
        width = frame.shape[1]
        boundary = self.boundary(width)
        key = (width, boundary, self.keep)
        if key not in self._cache:
            self._cache = {key: source_columns(width, boundary, self.keep)}  # one size at a time
        src, unreachable = self._cache[key]
        out = frame[:, src]
        if unreachable.any():
            out[:, unreachable] = self.fill
        return out

    def view(self, camera_frame: np.ndarray) -> np.ndarray:
        """What the patient sees: the camera picture flipped left-right like a looking-glass (their left hand
        on the left), then mirrored across the line. The live mirror and `gmi mirror --snapshot` both use it."""
        return self.apply(camera_frame[:, ::-1])

    def move_line(self, delta: float) -> None:
        """Nudge the line (a fraction of the width), staying inside the range a user may choose."""
        self.line = min(max(self.line + delta, LINE_MIN), LINE_MAX)

    def swap_side(self) -> None:
        self.keep = "right" if self.keep == "left" else "left"
