"""Repetition and hold detection over a timed angle stream, with hysteresis.

A repetition is an excursion of the angle away from rest and back (thresholds per movement in
movements.toml): it starts when the angle rises above ``start_deg``, ends when it falls back below
``return_deg``, and counts only if its peak passed ``count_deg`` (or got halfway to a lower target) and
it lasted ``min_duration_s``. The gap between start and return is the hysteresis: jitter around one threshold cannot start and end a
repetition. The detector starts out waiting for rest, so a stream that begins mid-movement does not
count half a repetition. Missing angles (no pose, a hidden landmark) are bridged for up to
``max_gap_s``; a longer loss abandons the repetition in progress rather than inventing its end.

A hold is time spent at or above the target: it begins when the angle reaches the target and lasts
while the angle stays within ``hold_hysteresis_deg`` below it, measured between the first and last
samples inside (so it never over-states what was seen).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum

from gmi.core.movements import RepThresholds


@dataclass(frozen=True)
class RepResult:
    """One finished repetition: what the exposure session records and the report shows."""

    index: int              # 1, 2, ... within the stream
    peak_deg: float
    target_deg: float
    target_reached: bool
    hold_s: float           # longest hold at or above the target
    duration_s: float       # from leaving rest to returning
    t_start_s: float
    t_peak_s: float
    t_end_s: float
    side: str | None = None  # for 'either way' movements: the direction of this repetition

    def as_dict(self) -> dict[str, object]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


class RepPhase(Enum):
    WAITING = "waiting"  # not yet seen at rest (start of stream, after a long loss)
    REST = "rest"
    ACTIVE = "active"


class RepDetector:
    """Feed ``update(t_s, angle_deg)`` once per frame (angle None when unknown)."""

    def __init__(self, thresholds: RepThresholds, target_deg: float) -> None:
        self.thresholds = thresholds
        self.target_deg = float(target_deg)
        # An early, small target (graded exposure starts small) must still count: then a repetition needs
        # only to get halfway from leaving rest to the target.
        self.count_deg = min(thresholds.count_deg, (thresholds.start_deg + self.target_deg) / 2)
        self.results: list[RepResult] = []
        self.phase = RepPhase.WAITING
        self.ignored = 0     # excursions too small or too short to count
        self.abandoned = 0   # repetitions lost because the pose was lost too long
        self._last_valid_t: float | None = None
        self._start_t = self._peak_t = 0.0
        self._peak = float("-inf")
        self._peak_side: str | None = None
        self._hold_start: float | None = None
        self._hold_last = 0.0
        self._best_hold = 0.0

    @property
    def count(self) -> int:
        return len(self.results)

    @property
    def in_hold(self) -> bool:
        return self._hold_start is not None

    @property
    def hold_s(self) -> float:
        """The hold in progress (0 when not holding)."""
        return self._hold_last - self._hold_start if self._hold_start is not None else 0.0

    @property
    def peak_deg(self) -> float | None:
        """The peak of the repetition in progress, if one is."""
        return self._peak if self.phase is RepPhase.ACTIVE else None

    def update(self, t_s: float, angle_deg: float | None, side: str | None = None) -> RepResult | None:
        """Advance to time ``t_s``; returns the repetition that just finished, if one did."""
        th = self.thresholds
        if (self.phase is RepPhase.ACTIVE and self._last_valid_t is not None
                and t_s - self._last_valid_t > th.max_gap_s):
            self.abandoned += 1
            self._reset_repetition(RepPhase.WAITING)
        if angle_deg is None:
            return None
        self._last_valid_t = t_s
        if self.phase is RepPhase.WAITING:
            if angle_deg < th.start_deg:
                self.phase = RepPhase.REST
            return None
        if self.phase is RepPhase.REST:
            if angle_deg > th.start_deg:
                self.phase = RepPhase.ACTIVE
                self._start_t = t_s
                self._track(t_s, angle_deg, side)
            return None
        if angle_deg < th.return_deg:
            return self._finish_repetition(t_s)
        self._track(t_s, angle_deg, side)
        return None

    def finish(self) -> float | None:
        """End of stream: the peak of a repetition still in progress (it is not counted), or None."""
        peak = self.peak_deg
        if self.phase is RepPhase.ACTIVE:
            self._reset_repetition(RepPhase.WAITING)
        return peak

    def _track(self, t_s: float, angle: float, side: str | None) -> None:
        if angle > self._peak:
            self._peak, self._peak_t, self._peak_side = angle, t_s, side
        if angle >= self.target_deg and self._hold_start is None:
            self._hold_start = self._hold_last = t_s
        elif self._hold_start is not None:
            if angle >= self.target_deg - self.thresholds.hold_hysteresis_deg:
                self._hold_last = t_s
            else:
                self._close_hold()

    def _close_hold(self) -> None:
        self._best_hold = max(self._best_hold, self.hold_s)
        self._hold_start = None

    def _finish_repetition(self, t_s: float) -> RepResult | None:
        self._close_hold()
        th = self.thresholds
        duration = t_s - self._start_t
        result = None
        if self._peak >= self.count_deg and duration >= th.min_duration_s:
            result = RepResult(index=self.count + 1, peak_deg=self._peak, target_deg=self.target_deg,
                               target_reached=self._peak >= self.target_deg, hold_s=self._best_hold,
                               duration_s=duration, t_start_s=self._start_t, t_peak_s=self._peak_t,
                               t_end_s=t_s, side=self._peak_side)
            self.results.append(result)
        else:
            self.ignored += 1
        self._reset_repetition(RepPhase.REST)
        return result

    def _reset_repetition(self, phase: RepPhase) -> None:
        self.phase = phase
        self._peak = float("-inf")
        self._peak_side = None
        self._hold_start = None
        self._best_hold = 0.0
