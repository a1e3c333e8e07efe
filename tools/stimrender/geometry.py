"""Small vector helpers (float64 for scene set-up; evaluation runs in float32)."""

from __future__ import annotations

import math

import numpy as np


def vec(x: float, y: float, z: float) -> np.ndarray:
    return np.array([x, y, z], dtype=np.float64)


def normalize(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def rot_x(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]], dtype=np.float64)


def rot_y(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=np.float64)


def rot_z(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], dtype=np.float64)


def axis_angle(axis: np.ndarray, deg: float) -> np.ndarray:
    """Right-handed rotation by ``deg`` about ``axis`` (Rodrigues)."""
    a = normalize(np.asarray(axis, dtype=np.float64))
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    x, y, z = a
    return np.array([[c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
                     [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
                     [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)]])


def frame_from(y_axis: np.ndarray, z_hint: np.ndarray) -> np.ndarray:
    """Orthonormal right-handed frame (columns x, y, z) with y along ``y_axis`` and z as close to
    ``z_hint`` as possible."""
    y = normalize(np.asarray(y_axis, dtype=np.float64))
    z = np.asarray(z_hint, dtype=np.float64) - y * float(np.dot(z_hint, y))
    if np.linalg.norm(z) < 1e-9:
        z = np.cross(y, [1.0, 0.0, 0.0]) if abs(y[0]) < 0.9 else np.cross(y, [0.0, 1.0, 0.0])
    z = normalize(z)
    x = np.cross(y, z)
    return np.column_stack([x, y, z])


def smoothstep(e0: float, e1: float, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)
