"""The movement library: real movements gmi can measure through a camera or log by hand.

Names are stable identifiers used in plan files. Each movement states the camera view it needs.
(The full definitions — landmarks, angle definition, repetition thresholds — are filled in with the pose
engine; plan validation only needs the names and views.)
"""

from __future__ import annotations

MOVEMENT_VIEWS: dict[str, str] = {
    "shoulder_flexion": "side",
    "shoulder_abduction": "front",
    "elbow_flexion": "side",
    "bilateral_arm_raise": "front",
    "trunk_forward_bend": "side",
    "trunk_side_bend": "front",
    "squat": "side",
    "sit_to_stand": "side",
    "neck_rotation": "front",
    "neck_side_bend": "front",
}
MOVEMENT_NAMES: tuple[str, ...] = tuple(MOVEMENT_VIEWS)
