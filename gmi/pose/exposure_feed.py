"""The pose pipeline as an exposure session sees it: a ``gmi.core.exposure.PoseFeed``.

The session asks ``latest()`` once per window frame and gets the newest preview (skeleton drawn, mirrored
for a live camera), the angle, guidance, and the repetitions finished since it last asked — each exactly
once, and only those made while it was watching. ``lost`` turns True when the camera stops (or a recording ends); the session then carries on by
tapping and nothing measured is lost.

The camera is the one the scene passes (the profile's camera setting, or ``$GMI_CAMERA``, which
overrides it: see gmi.pose.sources.camera_spec).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from gmi.core.exposure import PoseFeed, PoseSnapshot, RepResult

if TYPE_CHECKING:
    from gmi.core.plans import Item, Level
    from gmi.pose.pipeline import PosePipeline

class ExposurePoseFeed:
    """Counts only what happens while the session is watching: the frames start flowing at the first
    ``latest()`` (the questions before the movement are answered with the camera open but idle), and
    repetitions finished during a gap in polling (a pause screen) are not handed out afterwards."""

    STALE_S = 1.0  # the window polls at its frame rate; a longer silence means nobody was watching

    def __init__(self, pipeline: "PosePipeline", clock: Callable[[], float] = time.monotonic) -> None:
        self.pipeline = pipeline
        self.clock = clock
        self._handed_out = 0   # repetitions already given to the session (or skipped)
        self._last_poll: float | None = None

    def latest(self) -> PoseSnapshot | None:
        now = self.clock()
        if self._last_poll is None:
            self.pipeline.start()  # the model is loaded already: this only starts the threads
        watching = self._last_poll is not None and now - self._last_poll <= self.STALE_S
        self._last_poll = now
        snap = self.pipeline.latest()
        new = snap.reps[self._handed_out:] if watching else ()
        self._handed_out = len(snap.reps)
        return PoseSnapshot(
            angle_deg=snap.angle_deg,
            reps=tuple(RepResult(peak_deg=r.peak_deg, target_reached=r.target_reached, hold_s=r.hold_s,
                                 duration_s=r.duration_s) for r in new),
            guidance=snap.guidance or None, frame=snap.preview, lost=snap.ended,
            hold_s=snap.hold_s if snap.in_hold else None)

    def close(self) -> None:
        self.pipeline.stop()


def open_pose_feed(item: "Item", level: "Level", data_dir: Path, source: str | None = None,
                   pose_model: str | None = None) -> ExposurePoseFeed:
    """Start the camera pipeline for a plan item at a level; GmiError (no camera, mediapipe missing, no
    model, a target this movement cannot be scored on) if it cannot, so the session runs by tapping."""
    from gmi.core.errors import GmiError
    from gmi.core.movements import get_movement, resolve_side, resolve_target
    from gmi.pose.deps import require_mediapipe
    from gmi.pose.model import resolve_model
    from gmi.pose.pipeline import PosePipeline
    from gmi.pose.sources import camera_spec, open_source

    if item.movement is None:
        raise GmiError("E-NOT-MEASURED", f"{item.name!r} is an activity, not a measured movement.")
    movement = get_movement(item.movement, field="movement")
    side = resolve_side(movement, item.side)
    target = resolve_target(movement, level.target_deg, field="target_deg")
    require_mediapipe(load=False)  # the model check next is instant; loading mediapipe waits for the camera
    model = resolve_model(data_dir, pose_model)
    frames = open_source(source or camera_spec(), realtime=True)
    pipeline = PosePipeline(frames, model, movement, side, target, gauge_on_frame=False,
                            mirror_preview=frames.live)
    return ExposurePoseFeed(pipeline.prepare())


def camera_feed_factory(data_dir: Path, source: str | None = None,
                        pose_model: str | None = None) -> Callable[["Item", "Level"], PoseFeed]:
    """What ``gmi.ui.scenes.exposure.POSE_FEED_FACTORY`` expects, bound to a data directory."""
    return lambda item, level: open_pose_feed(item, level, data_dir, source, pose_model)
