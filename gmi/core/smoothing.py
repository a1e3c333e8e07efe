"""Landmark smoothing: the One Euro filter (Casiez, Roussel & Vogel, CHI 2012), one per coordinate.

mediapipe's Tasks PoseLandmarker does no temporal smoothing, and raw landmarks jitter by a few pixels:
enough to flicker an angle gauge and to cross a threshold twice. The One Euro filter is a low-pass filter
whose cutoff rises with speed: strong smoothing while the body is still (no jitter), little lag while it
moves fast (peaks are not shaved off).

Missing values (NaN, or a frame with no pose) leave that coordinate's state untouched and come out as
NaN; after a gap longer than ``reset_after_s`` the coordinate starts afresh instead of sliding across.

BlazePose sometimes swaps the person's left and right for a few frames during fast movement (measured on
the Sports2D clip: 3 frames while both arms came down). Smoothing across a swap would drag both arms
towards the middle, so a frame that matches the previous one far better with sides exchanged is
exchanged back first. Only short runs are undone: if the model keeps the new labels, it is believed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmi.core.landmarks import PoseFrame
from gmi.core.skeleton import MIRRORED


@dataclass(frozen=True)
class OneEuroSettings:
    min_cutoff_hz: float = 1.0   # cutoff at rest: lower = smoother when still
    beta: float = 30.0           # how fast the cutoff rises with speed (per unit/s): higher = less lag
    d_cutoff_hz: float = 1.0     # cutoff for the speed estimate itself
    reset_after_s: float = 0.5   # a coordinate missing longer than this starts afresh
    max_swap_s: float = 0.5      # undo a left/right swap lasting up to this long; longer ones are kept


def _alpha(dt: np.ndarray, cutoff_hz: np.ndarray | float) -> np.ndarray:
    tau = 1.0 / (2.0 * math.pi * np.asarray(cutoff_hz))
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """One Euro filter over an array of any fixed shape, each element filtered independently."""

    def __init__(self, settings: OneEuroSettings = OneEuroSettings()) -> None:
        self.settings = settings
        self._value: np.ndarray | None = None  # filtered value
        self._speed: np.ndarray | None = None  # filtered derivative
        self._last_t: np.ndarray | None = None  # time of each element's last valid sample (NaN: none yet)

    def reset(self) -> None:
        self._value = self._speed = self._last_t = None

    def __call__(self, t_s: float, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self._value is None or self._value.shape != x.shape:
            self._value = np.full(x.shape, np.nan)
            self._speed = np.zeros(x.shape)
            self._last_t = np.full(x.shape, np.nan)
        assert self._speed is not None and self._last_t is not None
        s = self.settings
        valid = np.isfinite(x)
        dt = t_s - self._last_t
        fresh = valid & ~(dt <= s.reset_after_s)         # no state yet, or the gap was too long
        step = valid & ~fresh & (dt > 0)                 # dt <= 0 (repeated time stamp): keep the state
        if fresh.any():
            self._value[fresh] = x[fresh]
            self._speed[fresh] = 0.0
            self._last_t[fresh] = t_s
        if step.any():
            dt_s = dt[step]
            speed = (x[step] - self._value[step]) / dt_s
            speed_hat = self._speed[step] + _alpha(dt_s, s.d_cutoff_hz) * (speed - self._speed[step])
            cutoff = s.min_cutoff_hz + s.beta * np.abs(speed_hat)
            self._value[step] += _alpha(dt_s, cutoff) * (x[step] - self._value[step])
            self._speed[step] = speed_hat
            self._last_t[step] = t_s
        return np.where(valid, self._value, np.nan)


class LandmarkSmoother:
    """Smooths a stream of PoseFrames: picture coordinates and world coordinates, each One Euro filtered.

    Picture coordinates are smoothed in 0..1 units and world coordinates in metres: both are about one
    unit for a whole body, so one set of settings suits both. Visibility passes through unfiltered (it
    gates measurement and must react at once).
    """

    SWAP_RATIO = 0.5  # exchanged sides must fit the previous frame at least twice as well

    def __init__(self, settings: OneEuroSettings = OneEuroSettings()) -> None:
        self.settings = settings
        self._image = OneEuroFilter(settings)
        self._world = OneEuroFilter(settings)
        self._previous: PoseFrame | None = None
        self._swapped_since: float | None = None
        self.swaps_undone = 0

    def reset(self) -> None:
        self._image.reset()
        self._world.reset()
        self._previous = self._swapped_since = None

    def __call__(self, pose: PoseFrame | None) -> PoseFrame | None:
        """The smoothed frame, or None when there is no pose (the filters keep their state)."""
        if pose is None:
            return None
        pose = self._undo_swap(pose)
        smoothed = pose.with_coordinates(self._image(pose.t_s, pose.image), self._world(pose.t_s, pose.world))
        self._previous = smoothed
        return smoothed

    def _undo_swap(self, pose: PoseFrame) -> PoseFrame:
        previous = self._previous
        if previous is None or pose.t_s - previous.t_s > self.settings.reset_after_s:
            self._swapped_since = None
            return pose
        mirrored = list(MIRRORED)
        same = np.nansum(np.abs(pose.image[:, :2] - previous.image[:, :2]))
        exchanged = np.nansum(np.abs(pose.image[mirrored, :2] - previous.image[:, :2]))
        if exchanged < self.SWAP_RATIO * same:
            if self._swapped_since is None:
                self._swapped_since = pose.t_s
            if pose.t_s - self._swapped_since <= self.settings.max_swap_s:
                self.swaps_undone += 1
                return PoseFrame(pose.t_s, pose.width, pose.height, pose.image[mirrored], pose.world[mirrored],
                                 pose.visibility[mirrored], pose.presence[mirrored])
            self.reset()  # the model has kept the new sides: believe it and start the filters afresh
            return pose
        self._swapped_since = None
        return pose
