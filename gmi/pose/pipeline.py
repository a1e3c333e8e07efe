"""The live pose pipeline: capture → pose → smoothing → angle → repetitions, off the UI thread.

The window polls ``latest()`` at its own 60 fps and gets an immutable snapshot; it never waits for the
camera or the model. A reader thread decodes the next frame while the model works on the current one.
Errors and the end of the stream arrive as flags in the snapshot, never as exceptions in the UI thread.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from gmi.core.errors import GmiError
from gmi.core.movements import Movement
from gmi.core.reps import RepResult
from gmi.core.tracker import MovementTracker, TrackerUpdate
from gmi.pose.deps import require_cv2
from gmi.pose.landmarker import Landmarker
from gmi.pose.overlay import draw_gauge, draw_skeleton
from gmi.pose.sources import Frame, FrameSource


@dataclass(frozen=True)
class PoseSnapshot:
    frame_index: int
    t_s: float
    preview: np.ndarray | None          # RGB, read-only, downscaled, skeleton and gauge drawn if asked,
                                        # mirrored if asked (landmarks_px are never mirrored)
    preview_scale: float                # preview pixels per source pixel
    image_size: tuple[int, int]         # source frame (width, height)
    landmarks_px: np.ndarray | None     # (33, 2) smoothed, in source pixels
    visibility: np.ndarray | None       # (33,)
    measured: tuple[int, ...]           # landmark indices the angle uses
    angle_deg: float | None
    target_deg: float
    target_band: tuple[float, float]    # at or above the target, up to the end of the gauge
    gauge: tuple[float, float]
    rep_count: int
    in_hold: bool
    hold_s: float
    reps: tuple[RepResult, ...]
    guidance: str                       # '' when the view is fine
    ended: bool
    error: str | None
    fps: float                          # frames processed per second, recently
    frames: int


_STOP = object()


class PosePipeline:
    """Runs a MovementTracker on a frame source in a background thread. Use as a context manager or
    call ``start()`` / ``stop()``; the pipeline owns and closes the source and the landmarker."""

    def __init__(self, source: FrameSource, model_path: Path, movement: Movement, side: str | None = None,
                 target_deg: float | None = None, *, preview_width: int = 640, overlay: bool = True,
                 gauge_on_frame: bool = True, mirror_preview: bool = False, prefetch: int = 4) -> None:
        self.source = source
        self.tracker = MovementTracker(movement, side, target_deg)
        self.movement = movement
        self.landmarker = Landmarker(model_path)
        self.overlay = overlay                # skeleton (and gauge) drawn onto the preview
        self.gauge_on_frame = gauge_on_frame  # False when the window draws its own, larger gauge
        self.mirror_preview = mirror_preview  # a live camera is shown as a mirror, as people expect
        width, height = source.size
        self.preview_scale = min(1.0, preview_width / width) if width else 1.0
        self.preview_size = (max(1, round(width * self.preview_scale)), max(1, round(height * self.preview_scale)))
        self._frames: queue.Queue[object] = queue.Queue(maxsize=max(1, prefetch))
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._snapshot = self._empty_snapshot()
        self._times: deque[float] = deque(maxlen=30)  # recent frame times, for the fps shown
        self.exception: BaseException | None = None  # kept for the developers; the UI sees snapshot.error

    def prepare(self) -> "PosePipeline":
        """Load the model now (GmiError if it cannot), so that a later ``start()`` cannot fail."""
        if not self.landmarker.is_open:
            try:
                self.landmarker.open()
            except BaseException:
                self.source.close()
                raise
        return self

    def start(self) -> "PosePipeline":
        """Load the model if not yet done (GmiError if it cannot) and start the threads."""
        self.prepare()
        self._threads = [threading.Thread(target=self._read_frames, name="gmi-frames", daemon=True),
                         threading.Thread(target=self._run, name="gmi-pose", daemon=True)]
        for thread in self._threads:
            thread.start()
        return self

    def latest(self) -> PoseSnapshot:
        return self._snapshot

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout_s)
        if not any(t.is_alive() for t in self._threads):
            self.landmarker.close()
            self.source.close()

    def wait(self, timeout_s: float | None = None) -> PoseSnapshot:
        """Block until the stream ends (for video files, tests and the benchmark)."""
        if len(self._threads) == 2:
            self._threads[1].join(timeout_s)
        return self._snapshot

    def __enter__(self) -> "PosePipeline":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- threads -------------------------------------------------------------------------------------

    def _read_frames(self) -> None:
        """Decode ahead of the model. A live camera keeps only the newest frame (no growing delay);
        a video file keeps every frame (analysis must not skip any)."""
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                item: object = frame if frame is not None else _STOP
                if self.source.live and frame is not None:
                    try:
                        self._frames.get_nowait()  # drop a stale frame the model has not taken yet
                    except queue.Empty:
                        pass
                while not self._stop.is_set():
                    try:
                        self._frames.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if frame is None:
                    return
        except BaseException as exc:  # a reader failure must end the stream, not hang the pipeline
            self.exception = exc
            while True:
                try:
                    self._frames.put_nowait(_STOP)
                    return
                except queue.Full:
                    with contextlib.suppress(queue.Empty):
                        self._frames.get_nowait()

    def _run(self) -> None:
        cv2 = require_cv2()
        error: str | None = None
        try:
            while not self._stop.is_set():
                try:
                    item = self._frames.get(timeout=0.1)
                except queue.Empty:
                    continue
                if item is _STOP:
                    break
                assert isinstance(item, Frame)
                self._process(cv2, item)
        except GmiError as exc:
            error = str(exc)
        except BaseException as exc:
            self.exception = exc
            error = f"The camera analysis stopped unexpectedly ({type(exc).__name__}: {exc})."
        if error is None and self.exception is not None:
            error = f"Reading frames failed ({type(self.exception).__name__}: {self.exception})."
        end = self.source.end
        if error is None and end is not None and end.reason == "lost":
            error = end.message
        self._snapshot = replace(self._snapshot, ended=True, error=error)

    def _process(self, cv2, frame: Frame) -> None:
        rgb = cv2.cvtColor(frame.bgr, cv2.COLOR_BGR2RGB)
        pose = self.landmarker.detect(rgb, frame.t_s)
        update = self.tracker.update(frame.t_s, pose)
        points = update.pose.pixels() if update.pose is not None else None
        visibility = update.pose.visibility if update.pose is not None else None
        measured = self._measured(update)
        preview = rgb
        if self.preview_scale < 1.0:
            preview = cv2.resize(rgb, self.preview_size, interpolation=cv2.INTER_LINEAR)
        if self.overlay and points is not None and visibility is not None:
            draw_skeleton(preview, points * self.preview_scale, visibility, measured)
        if self.mirror_preview:  # after the skeleton (drawn in picture coordinates), before any text
            preview = cv2.flip(preview, 1)
        if self.overlay and self.gauge_on_frame:
            draw_gauge(preview, update.angle_deg, self.tracker.target_deg, self.movement.gauge)
        preview.flags.writeable = False
        if points is not None:
            points.flags.writeable = False
        self._times.append(time.perf_counter())
        detector = self.tracker.detector
        self._snapshot = PoseSnapshot(
            frame_index=frame.index, t_s=frame.t_s, preview=preview, preview_scale=self.preview_scale,
            image_size=self.source.size, landmarks_px=points, visibility=visibility, measured=measured,
            angle_deg=update.angle_deg, target_deg=self.tracker.target_deg,
            target_band=self.movement.target_band(self.tracker.target_deg), gauge=self.movement.gauge,
            rep_count=detector.count, in_hold=detector.in_hold, hold_s=detector.hold_s,
            reps=tuple(detector.results), guidance=update.shown_guidance.message, ended=False, error=None,
            fps=(len(self._times) - 1) / max(1e-6, self._times[-1] - self._times[0]),
            frames=self.tracker.frames)

    def _measured(self, update: TrackerUpdate) -> tuple[int, ...]:
        """The landmarks to highlight: those of the side measured (or asked for), else every candidate."""
        movement = self.movement
        if movement.side_rule != "direction":
            body_side = update.body_side if update.body_side in ("left", "right") else self.tracker.side
            if body_side in ("left", "right"):
                return movement.landmark_indices(body_side)
        if movement.sided_landmarks:
            return tuple(dict.fromkeys(movement.landmark_indices("left") + movement.landmark_indices("right")))
        return movement.landmark_indices("left")

    def _empty_snapshot(self) -> PoseSnapshot:
        target = self.tracker.target_deg
        return PoseSnapshot(frame_index=-1, t_s=0.0, preview=None, preview_scale=self.preview_scale,
                            image_size=self.source.size, landmarks_px=None, visibility=None, measured=(),
                            angle_deg=None, target_deg=target, target_band=self.movement.target_band(target),
                            gauge=self.movement.gauge, rep_count=0, in_hold=False, hold_s=0.0, reps=(),
                            guidance="", ended=False, error=None, fps=0.0, frames=0)
