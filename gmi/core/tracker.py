"""One tracker per exercise: landmarks in, repetitions out.

Smoothing → view check (guidance) → angle → repetition and hold detection, frame by frame. The live
camera pipeline and `gmi analyze` both run this, so a recorded video is scored exactly as a live session.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gmi.core.angles import measure_angle
from gmi.core.guidance import Guidance, GuidanceSettler, assess_view
from gmi.core.landmarks import PoseFrame
from gmi.core.movements import Movement, resolve_side, resolve_target
from gmi.core.reps import RepDetector, RepResult
from gmi.core.smoothing import LandmarkSmoother, OneEuroSettings


@dataclass(frozen=True)
class TrackerUpdate:
    t_s: float
    pose: PoseFrame | None        # smoothed landmarks
    angle_deg: float | None       # None when the view does not allow measuring
    body_side: str | None
    guidance: Guidance            # this frame's assessment
    shown_guidance: Guidance      # steadied for display
    rep: RepResult | None         # the repetition that finished on this frame


class MovementTracker:
    def __init__(self, movement: Movement, side: str | None = None, target_deg: float | None = None,
                 smoothing: OneEuroSettings = OneEuroSettings()) -> None:
        self.movement = movement
        self.side = resolve_side(movement, side)
        self.target_deg = resolve_target(movement, target_deg)
        self.smoother = LandmarkSmoother(smoothing)
        self.detector = RepDetector(movement.reps, self.target_deg)
        self.settler = GuidanceSettler()
        self.frames = 0
        self.frames_with_pose = 0
        self.frames_measured = 0
        self.guidance_counts: Counter[str] = Counter()  # message -> frames it applied (unmeasured frames)

    @property
    def results(self) -> list[RepResult]:
        return self.detector.results

    def update(self, t_s: float, pose: PoseFrame | None) -> TrackerUpdate:
        self.frames += 1
        smoothed = self.smoother(pose)
        guidance = assess_view(self.movement, self.side, smoothed)
        angle = body_side = None
        if smoothed is not None:
            self.frames_with_pose += 1
        if guidance.ok:
            reading = measure_angle(self.movement, self.side, smoothed)
            angle, body_side = reading.angle_deg, reading.body_side
        if angle is None:
            self.guidance_counts[guidance.message or "the angle could not be measured"] += 1
        else:
            self.frames_measured += 1
        rep = self.detector.update(t_s, angle, body_side)
        return TrackerUpdate(t_s, smoothed, angle, body_side, guidance, self.settler.update(t_s, guidance), rep)
