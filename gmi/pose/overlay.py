"""Skeleton and angle gauge drawn onto a video frame (numpy + opencv), for the preview and the benchmark.

Colours are given as RGB because the preview handed to the window is RGB. Drawing happens on the
downscaled preview, in place, so it costs a fraction of a millisecond.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from gmi.core.landmarks import SEEN_VISIBILITY
from gmi.core.skeleton import SKELETON_EDGES
from gmi.pose.deps import require_cv2

BONE = (235, 235, 235)
JOINT = (255, 255, 255)
MEASURED = (255, 196, 0)     # the landmarks the angle is measured on
TRACK = (90, 90, 90)
BAND = (40, 200, 90)         # target band
NEEDLE_BELOW = (255, 196, 0)
NEEDLE_AT = (40, 220, 90)
TEXT = (255, 255, 255)


def draw_skeleton(image: np.ndarray, points: np.ndarray, visibility: np.ndarray,
                  measured: Sequence[int] = ()) -> None:
    """Bones between seen landmarks; the measured joints larger and coloured."""
    cv2 = require_cv2()
    height = image.shape[0]
    thick = max(2, height // 160)
    seen = visibility >= SEEN_VISIBILITY
    pts = np.round(np.nan_to_num(points, nan=-1e4)).astype(np.int32)
    for a, b in SKELETON_EDGES:
        if seen[a] and seen[b]:
            cv2.line(image, (int(pts[a, 0]), int(pts[a, 1])), (int(pts[b, 0]), int(pts[b, 1])), BONE, thick, cv2.LINE_AA)
    for a, b in SKELETON_EDGES:
        for i in (a, b):
            if seen[i]:
                cv2.circle(image, (int(pts[i, 0]), int(pts[i, 1])), thick + 1, JOINT, -1, cv2.LINE_AA)
    for i in measured:
        if seen[i]:
            cv2.circle(image, (int(pts[i, 0]), int(pts[i, 1])), thick * 3, MEASURED, -1, cv2.LINE_AA)


def gauge_angle(value: float, gauge: tuple[float, float]) -> float:
    """Where ``value`` sits on the half-circle dial, in opencv's degrees (180 = left end, 360 = right)."""
    low, high = gauge
    share = min(1.0, max(0.0, (value - low) / (high - low)))
    return 180.0 + 180.0 * share


def draw_gauge(image: np.ndarray, angle_deg: float | None, target_deg: float, gauge: tuple[float, float],
               centre: tuple[int, int] | None = None, radius: int | None = None) -> None:
    """A half-circle dial: grey track, green band from the target upwards, needle at the angle."""
    cv2 = require_cv2()
    height, width = image.shape[:2]
    radius = radius or max(20, height // 7)
    centre = centre or (width - radius - radius // 3, height - radius // 3 - 2)
    thick = max(4, radius // 5)
    cv2.ellipse(image, centre, (radius, radius), 0, 180, 360, TRACK, thick, cv2.LINE_AA)
    cv2.ellipse(image, centre, (radius, radius), 0, gauge_angle(target_deg, gauge), 360, BAND, thick, cv2.LINE_AA)
    if angle_deg is None or not math.isfinite(angle_deg):
        label = "--"
    else:
        a = math.radians(gauge_angle(angle_deg, gauge))
        tip = (int(centre[0] + radius * math.cos(a)), int(centre[1] + radius * math.sin(a)))
        colour = NEEDLE_AT if angle_deg >= target_deg else NEEDLE_BELOW
        cv2.line(image, centre, tip, colour, max(2, thick // 2), cv2.LINE_AA)
        label = f"{angle_deg:.0f}"
    scale = radius / 45.0
    (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    cv2.putText(image, label, (centre[0] - tw // 2, centre[1] - radius // 3), cv2.FONT_HERSHEY_SIMPLEX,
                scale, TEXT, max(1, int(2 * scale)), cv2.LINE_AA)
