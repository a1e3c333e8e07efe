"""Body landmarks as gmi sees them: the 33 BlazePose points of one person in one video frame.

Pure data (numpy only) so that smoothing, angles, repetition counting and guidance can be tested on
recorded sequences without a camera or mediapipe. ``left``/``right`` always mean the person's own sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEEN_VISIBILITY = 0.5  # mediapipe's own default threshold for drawing a landmark
FRAME_MARGIN = 0.01    # a point this close to the picture's edge is treated as outside it


@dataclass(frozen=True, eq=False)
class PoseFrame:
    """One person's landmarks in one frame.

    ``image``: (33, 3) normalised x, y in 0..1 of the frame (may fall outside when a body part leaves the
    picture) and mediapipe's relative depth z. ``world``: (33, 3) metres, origin between the hips, axes
    aligned with the camera (x right, y down, z away from the camera). NaN marks a missing value.
    """

    t_s: float
    width: int
    height: int
    image: np.ndarray
    world: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray

    def pixels(self) -> np.ndarray:
        """(33, 2) image coordinates in pixels: angles in the image plane must use these (not 0..1
        units, which stretch x and y differently on a 4:3 or 16:9 frame)."""
        return self.image[:, :2] * np.array([self.width, self.height], dtype=float)

    def with_coordinates(self, image: np.ndarray, world: np.ndarray) -> "PoseFrame":
        return PoseFrame(self.t_s, self.width, self.height, image, world, self.visibility, self.presence)

    def inside(self, index: int) -> bool:
        x, y = self.image[index, 0], self.image[index, 1]
        return bool(FRAME_MARGIN <= x <= 1 - FRAME_MARGIN and FRAME_MARGIN <= y <= 1 - FRAME_MARGIN)

    def seen(self, index: int) -> bool:
        """Visible enough to measure and inside the picture."""
        return bool(self.visibility[index] >= SEEN_VISIBILITY and self.inside(index)
                    and np.isfinite(self.image[index, :2]).all())


def pose_from_array(t_s: float, width: int, height: int, values: np.ndarray) -> PoseFrame:
    """Build a frame from one (33, 8) row: image x, y, z, world x, y, z, visibility, presence."""
    values = np.asarray(values, dtype=float)
    return PoseFrame(t_s, width, height, values[:, 0:3].copy(), values[:, 3:6].copy(),
                     values[:, 6].copy(), values[:, 7].copy())


def pose_to_array(pose: PoseFrame) -> np.ndarray:
    """The inverse of :func:`pose_from_array` (used to store recorded sequences)."""
    return np.column_stack([pose.image, pose.world, pose.visibility, pose.presence])
