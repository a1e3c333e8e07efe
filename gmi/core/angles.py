"""Joint angles from landmarks, for each movement of the library (definitions in movements.toml).

Picture-plane angles use pixel coordinates (0..1 units would stretch x and y differently); world angles
use mediapipe's metric 3D estimate. A landmark that is not seen (low visibility or outside the picture)
makes the angle unknown rather than a guess: a wrong angle would count a repetition that did not happen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmi.core.landmarks import PoseFrame
from gmi.core.movements import Movement

_UP = np.array([0.0, -1.0])  # picture y grows downwards


@dataclass(frozen=True)
class AngleReading:
    angle_deg: float | None
    body_side: str | None         # the side measured (left/right), or the direction moved for direction rules
    missing: tuple[int, ...] = ()  # landmark indices that were needed but not seen


def angle_between(u: np.ndarray, v: np.ndarray) -> float:
    """Unsigned angle between two vectors in degrees (0..180); NaN when either has no length."""
    nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    if nu == 0.0 or nv == 0.0:
        return math.nan
    cos = float(np.dot(u, v)) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def signed_angle_2d(u: np.ndarray, v: np.ndarray) -> float:
    """Angle from u to v in degrees, -180..180, positive turning from +x towards +y."""
    cross = u[0] * v[1] - u[1] * v[0]
    return math.degrees(math.atan2(cross, float(np.dot(u, v))))


def _segment_angle(p: list[np.ndarray], facing: list[np.ndarray]) -> float:
    vertex, reference, moving = p
    trunk, limb = reference - vertex, moving - vertex
    angle = angle_between(trunk, limb)
    if facing and angle < 90.0:
        forward = facing[0] - facing[1]
        # The part of `forward` perpendicular to the trunk: which side of the trunk line is "in front".
        ahead = forward - trunk * (np.dot(forward, trunk) / max(float(np.dot(trunk, trunk)), 1e-12))
        if np.dot(limb, ahead) < 0:
            angle = -angle
    return angle


def _trunk_lean_forward(p: list[np.ndarray], facing: list[np.ndarray]) -> float:
    hip, shoulder = p
    trunk = shoulder - hip
    angle = angle_between(trunk, _UP)
    forward_x = facing[0][0] - facing[1][0]
    return -angle if trunk[0] * forward_x < 0 else angle


def _trunk_lean_sideways(p: list[np.ndarray], _facing: list[np.ndarray]) -> float:
    left_hip, right_hip, left_shoulder, right_shoulder = p
    trunk = (left_shoulder + right_shoulder) / 2 - (left_hip + right_hip) / 2
    angle = angle_between(trunk, _UP)
    return angle if np.dot(trunk, left_hip - right_hip) >= 0 else -angle


def _ears_against_shoulders(p: list[np.ndarray], _facing: list[np.ndarray]) -> float:
    left_ear, right_ear, left_shoulder, right_shoulder = p
    return signed_angle_2d(left_shoulder - right_shoulder, left_ear - right_ear)


_MEASURES = {
    "segment_angle": _segment_angle,
    "joint_flexion": lambda p, f: 180.0 - angle_between(p[0] - p[1], p[2] - p[1]),
    "joint_angle": lambda p, f: angle_between(p[0] - p[1], p[2] - p[1]),
    "trunk_lean_forward": _trunk_lean_forward,
    "trunk_lean_sideways": _trunk_lean_sideways,
    "head_tilt": _ears_against_shoulders,                                  # picture x, y
    "head_turn": lambda p, f: _ears_against_shoulders([q[[0, 2]] for q in p], []),  # world seen from above: x, z
}


def raw_angle(movement: Movement, pose: PoseFrame, body_side: str = "left") -> AngleReading:
    """The movement's angle for one body side (ignored when the landmarks are not sided)."""
    indices = movement.landmark_indices(body_side)
    hideable = movement.occludable_indices
    missing = tuple(i for i in indices if not (pose.inside(i) if i in hideable else pose.seen(i)))
    side = body_side if movement.sided_landmarks else None
    if missing:
        return AngleReading(None, side, missing)
    coords = pose.pixels() if movement.coordinates == "image" else pose.world
    points = [coords[i] for i in indices]
    n = len(movement.landmarks)
    angle = _MEASURES[movement.measure](points[:n], points[n:])
    return AngleReading(None if math.isnan(angle) else angle, side)


def measure_angle(movement: Movement, side: str, pose: PoseFrame | None) -> AngleReading:
    """The angle a repetition is scored on, with the movement's side rule applied (see movements.toml)."""
    if pose is None:
        return AngleReading(None, None)
    if movement.side_rule == "direction":
        reading = raw_angle(movement, pose)
        if reading.angle_deg is None:
            return reading
        signed = reading.angle_deg
        if side == "both":
            return AngleReading(abs(signed), "left" if signed >= 0 else "right")
        return AngleReading(signed if side == "left" else -signed, side)
    if side in ("left", "right"):
        return raw_angle(movement, pose, side)
    left, right = raw_angle(movement, pose, "left"), raw_angle(movement, pose, "right")
    if movement.side_rule == "limb":  # both limbs together: the lower one decides
        if left.angle_deg is None or right.angle_deg is None:
            return AngleReading(None, "both", left.missing + right.missing)
        return AngleReading(min(left.angle_deg, right.angle_deg), "both")
    # facing rule, either side: the side turned towards the camera is the one seen better
    return left if facing_side(movement, pose) == "left" else right


def _side_visibility(movement: Movement, pose: PoseFrame, body_side: str) -> float:
    return float(np.mean(pose.visibility[list(movement.landmark_indices(body_side))]))


def facing_side(movement: Movement, pose: PoseFrame) -> str:
    """For a side view: which of the person's sides the camera sees better."""
    return "left" if _side_visibility(movement, pose, "left") >= _side_visibility(movement, pose, "right") else "right"
