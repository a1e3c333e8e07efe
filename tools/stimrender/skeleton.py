"""Bone segments posed by forward kinematics (shared by hands, feet and the whole figure)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import rot_x


@dataclass(frozen=True)
class Build:
    """A body build: ``length`` scales every length, ``girth`` the radii and breadths."""
    name: str
    length: float
    girth: float


@dataclass
class Segment:
    start: np.ndarray
    end: np.ndarray
    frame: np.ndarray      # columns: lateral, along the segment, dorsal (nail side)
    r0: float
    r1: float
    name: str
    seg: int

    @property
    def length(self) -> float:
        return float(np.linalg.norm(self.end - self.start))


def chain(name: str, origin: np.ndarray, frame: np.ndarray, lengths, radii, flexions, tip_trim: float) -> list[Segment]:
    """A digit: each joint flexes about the local x axis, bending the next segment towards -z (the palm
    or sole side). The last segment stops ``tip_trim`` x its end radius short of the tip."""
    segs = []
    pos, f = origin, frame
    last = len(lengths) - 1
    for i, (length, flex) in enumerate(zip(lengths, flexions)):
        f = f @ rot_x(-flex)
        axis_len = length - (radii[i + 1] * tip_trim if i == last else 0.0)
        end = pos + f[:, 1] * axis_len
        segs.append(Segment(pos, end, f, radii[i], radii[i + 1], name, i))
        pos = pos + f[:, 1] * length if i < last else end
    return segs


def segment_sphere_gap(s: Segment, centre: np.ndarray, radius: float) -> float:
    ts = np.linspace(0, 1, 9)
    pts = s.start[None] + (s.end - s.start)[None] * ts[:, None]
    rs = s.r0 + (s.r1 - s.r0) * ts
    return float(np.min(np.linalg.norm(pts - centre, axis=1) - rs - radius))
