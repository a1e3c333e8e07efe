"""mediapipe's Tasks PoseLandmarker in VIDEO mode, as a context manager that always closes it.

VIDEO mode tracks the person from frame to frame (the detector runs only when tracking is lost), which
is both faster and steadier than detecting afresh in every frame. A landmarker that is not closed makes
mediapipe print an error at interpreter exit, hence the context manager.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gmi.core.errors import GmiError
from gmi.core.landmarks import PoseFrame
from gmi.core.skeleton import LANDMARK_COUNT
from gmi.pose.deps import require_mediapipe
from gmi.pose.model import INVALID_FIX, check_pose_model


class Landmarker:
    def __init__(self, model_path: Path, *, min_detection_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5) -> None:
        self.model_path = Path(model_path)
        self.min_detection_confidence = min_detection_confidence
        self.min_tracking_confidence = min_tracking_confidence
        self._task = None
        self._mp = None
        self._last_ms = -1

    def open(self) -> "Landmarker":
        mp = require_mediapipe()
        from mediapipe.tasks.python import BaseOptions, vision

        check_pose_model(self.model_path)
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model_path)),
            running_mode=vision.RunningMode.VIDEO, num_poses=1,
            min_pose_detection_confidence=self.min_detection_confidence,
            min_tracking_confidence=self.min_tracking_confidence)
        try:
            self._task = vision.PoseLandmarker.create_from_options(options)
        except Exception as exc:  # mediapipe reports a bad model as RuntimeError, ValueError or even OSError
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[-1].strip("'\" ")
            raise GmiError("E-MODEL-INVALID", f"mediapipe could not load {self.model_path} as a pose model: {detail}",
                           fix=INVALID_FIX) from None
        self._mp = mp
        return self

    @property
    def is_open(self) -> bool:
        return self._task is not None

    def close(self) -> None:
        if self._task is not None:
            self._task.close()
            self._task = None

    def __enter__(self) -> "Landmarker":
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def detect(self, rgb: np.ndarray, t_s: float) -> PoseFrame | None:
        """Landmarks of the person in an RGB frame taken at ``t_s`` seconds, or None if nobody is found."""
        if self._task is None or self._mp is None:
            raise RuntimeError("Landmarker.detect() called outside `with Landmarker(...)`")
        t_ms = max(int(round(t_s * 1000)), self._last_ms + 1)  # VIDEO mode needs rising time stamps
        self._last_ms = t_ms
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        result = self._task.detect_for_video(image, t_ms)
        if not result.pose_landmarks:
            return None
        return pose_frame_from_result(result, t_s, rgb.shape[1], rgb.shape[0])


def pose_frame_from_result(result, t_s: float, width: int, height: int) -> PoseFrame:
    """Convert mediapipe's landmark objects (first pose) to gmi's arrays."""
    image_marks, world_marks = result.pose_landmarks[0], result.pose_world_landmarks[0]
    image = np.array([(m.x, m.y, m.z) for m in image_marks], dtype=float)
    world = np.array([(m.x, m.y, m.z) for m in world_marks], dtype=float)
    visibility = np.array([m.visibility if m.visibility is not None else 0.0 for m in image_marks], dtype=float)
    presence = np.array([m.presence if m.presence is not None else 0.0 for m in image_marks], dtype=float)
    if image.shape != (LANDMARK_COUNT, 3):
        raise GmiError("E-MODEL-INVALID", f"The pose model returned {len(image)} landmarks, not {LANDMARK_COUNT}.",
                       fix="use a BlazePose pose_landmarker model (33 landmarks)")
    return PoseFrame(t_s, width, height, image, world, visibility, presence)
