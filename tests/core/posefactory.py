"""Constructed poses for tests: a stick figure standing 2.5 m from a 640x480 camera, facing it.

Points are given in picture pixels; world coordinates follow from them (250 px per metre, origin
between the hips, z = 0) unless a test sets them. The person's left is on the picture's right.
"""

from __future__ import annotations

import math

import numpy as np

from gmi.core.landmarks import PoseFrame
from gmi.core.skeleton import LANDMARK_COUNT, LANDMARK_INDEX

WIDTH, HEIGHT = 640, 480
PX_PER_M = 250.0

STANDING_FRONT: dict[str, tuple[float, float]] = {
    "nose": (320, 90), "left_eye_inner": (325, 82), "left_eye": (330, 82), "left_eye_outer": (335, 82),
    "right_eye_inner": (315, 82), "right_eye": (310, 82), "right_eye_outer": (305, 82),
    "left_ear": (342, 88), "right_ear": (298, 88), "mouth_left": (328, 102), "mouth_right": (312, 102),
    "left_shoulder": (365, 140), "right_shoulder": (275, 140),
    "left_elbow": (368, 210), "right_elbow": (272, 210), "left_wrist": (370, 270), "right_wrist": (270, 270),
    "left_pinky": (372, 285), "right_pinky": (268, 285), "left_index": (370, 288), "right_index": (270, 288),
    "left_thumb": (366, 282), "right_thumb": (274, 282),
    "left_hip": (345, 280), "right_hip": (295, 280), "left_knee": (347, 360), "right_knee": (293, 360),
    "left_ankle": (348, 440), "right_ankle": (292, 440), "left_heel": (346, 448), "right_heel": (294, 448),
    "left_foot_index": (356, 452), "right_foot_index": (284, 452),
}


def make_pose(points: dict[str, tuple[float, float]] | None = None, *, t_s: float = 0.0,
              visibility: float = 0.99, hidden: tuple[str, ...] = (),
              world_z: dict[str, float] | None = None, base: dict[str, tuple[float, float]] = STANDING_FRONT,
              ) -> PoseFrame:
    merged = dict(base)
    merged.update(points or {})
    px = np.array([merged[name] for name in sorted(LANDMARK_INDEX, key=LANDMARK_INDEX.get)], dtype=float)
    image = np.column_stack([px[:, 0] / WIDTH, px[:, 1] / HEIGHT, np.zeros(LANDMARK_COUNT)])
    hips = (px[LANDMARK_INDEX["left_hip"]] + px[LANDMARK_INDEX["right_hip"]]) / 2
    world = np.column_stack([(px - hips) / PX_PER_M, np.zeros(LANDMARK_COUNT)])
    for name, z in (world_z or {}).items():
        world[LANDMARK_INDEX[name], 2] = z
    vis = np.full(LANDMARK_COUNT, visibility)
    for name in hidden:
        vis[LANDMARK_INDEX[name]] = 0.1
    return PoseFrame(t_s, WIDTH, HEIGHT, image, world, vis, np.full(LANDMARK_COUNT, 0.99))


def around(centre: tuple[float, float], length: float, angle_from_down_deg: float,
           towards_x: float = 1.0) -> tuple[float, float]:
    """A point ``length`` px from ``centre``, rotated ``angle`` degrees from straight down towards +x
    (``towards_x`` = -1 rotates towards -x)."""
    a = math.radians(angle_from_down_deg)
    return centre[0] + towards_x * length * math.sin(a), centre[1] + length * math.cos(a)


def arms_abducted(left_deg: float, right_deg: float) -> dict[str, tuple[float, float]]:
    """Both arms raised out to the sides (the left arm towards picture +x)."""
    ls, rs = STANDING_FRONT["left_shoulder"], STANDING_FRONT["right_shoulder"]
    le, re = around(ls, 70, left_deg, 1), around(rs, 70, right_deg, -1)
    return {"left_elbow": le, "right_elbow": re, "left_wrist": around(le, 60, left_deg, 1),
            "right_wrist": around(re, 60, right_deg, -1)}


def side_view(facing_x: float = 1.0) -> dict[str, tuple[float, float]]:
    """Standing side-on, facing picture +x (facing_x=1) or -x: both sides' points nearly overlap
    (combine with side_view_z for the depth of the near and far side)."""
    points = {}
    for name, (x, y) in STANDING_FRONT.items():
        points[name] = (320 + (x - 320) * 0.15, y)
    points["nose"] = (320 + facing_x * 25, 90)
    return points


def side_view_z(near: str = "left") -> dict[str, float]:
    far = "right" if near == "left" else "left"
    return {f"{near}_shoulder": -0.15, f"{far}_shoulder": 0.15, f"{near}_hip": -0.1, f"{far}_hip": 0.1}
