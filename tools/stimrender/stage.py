"""Cameras, lights and framing shared by every body part."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .geometry import normalize
from .render import Camera, Lighting, SurfaceFn
from .sdf import Scene


@dataclass
class Shot:
    """Everything needed to render one upright right-side picture."""
    scene: Scene
    camera: Camera
    lighting: Lighting
    surface: SurfaceFn
    landmarks: dict[str, np.ndarray]          # world positions of named anatomical points
    cell: float = 0.3                          # distance-grid spacing (cm)
    bounds: tuple[np.ndarray, np.ndarray] | None = None   # limit the distance grid to what can be seen
    contacts: list[np.ndarray] = field(default_factory=list)  # floor points where the body rests
    info: dict = field(default_factory=dict)


def view_bounds(cam: Camera, depth: float, margin: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The box around what the camera sees within +-depth of its target (plus a margin for shadows)."""
    dist = float(np.linalg.norm(cam.target - cam.eye))
    corners = []
    for z in (dist - depth, dist + depth):
        for sx in (-1, 1):
            for sy in (-1, 1):
                px = cam.size / 2 + sx * cam.size / 2
                py = cam.size / 2 + sy * cam.size / 2
                corners.append(cam.eye + cam.forward * z + cam.right * (px - cam.cx) / cam.focal * z
                               - cam.upv * (py - cam.cy) / cam.focal * z)
    pts = np.array(corners)
    return pts.min(axis=0) - margin, pts.max(axis=0) + margin


def studio_lighting(cam: Camera, side: int, key: float = 1.0) -> Lighting:
    """Key light high and to one side in front, a cool fill from the other side, a rim light from behind.
    ``side`` (+1 or -1) puts the key on the viewer's left or right: the generator alternates it so that the
    direction of the light never tells left from right."""
    r, u, f = cam.right, cam.upv, cam.forward
    return Lighting(
        key_dir=normalize(-0.7 * side * r + 0.6 * u - 0.45 * f),
        key_color=np.array([1.75, 1.66, 1.52]) * key,
        fill_dir=normalize(0.8 * side * r + 0.05 * u - 0.6 * f),
        fill_color=np.array([0.13, 0.14, 0.17]),
        rim_dir=normalize(0.45 * side * r + 0.55 * u + 0.7 * f),
        rim_color=np.array([0.35, 0.35, 0.40]),
        sky=np.array([0.16, 0.17, 0.19]),
        ground=np.array([0.07, 0.065, 0.06]),
        up=u,
    )


def look_from(target: np.ndarray, direction: np.ndarray, up: np.ndarray, distance: float, fov: float,
              size: int) -> Camera:
    return Camera(target + normalize(direction) * distance, target, up, fov_deg=fov, size=size)


def frame_subject(cam: Camera, spheres: list[tuple[np.ndarray, float]], px_per_unit: float,
                  max_radius: float) -> Camera:
    """Place the camera so the subject has a constant scale (``px_per_unit`` at the target) unless it would
    not fit a circle of ``max_radius`` (fraction of half the image), and centre it in the picture."""
    size = cam.size
    focal = (size / 2) / math.tan(math.radians(cam.fov_deg) / 2)
    dist = focal / px_per_unit
    direction = normalize(cam.eye - cam.target)
    for _ in range(6):
        trial = Camera(cam.target + direction * dist, cam.target, cam.up, cam.fov_deg, size)
        centre, radius = _projected_circle(trial, spheres)
        limit = max_radius * size / 2
        if radius <= limit:
            break
        dist *= radius / limit * 1.02
    centre, radius = _projected_circle(trial, spheres)
    shift = (size / 2 - centre[0], size / 2 - centre[1])
    return Camera(trial.eye, trial.target, cam.up, cam.fov_deg, size, shift)


def _projected_circle(cam: Camera, spheres) -> tuple[np.ndarray, float]:
    pts = cam.project(np.array([c for c, _ in spheres]))
    rad = np.array([r for _, r in spheres]) * cam.focal / np.maximum(pts[:, 2], 1e-3)
    lo = (pts[:, :2] - rad[:, None]).min(axis=0)
    hi = (pts[:, :2] + rad[:, None]).max(axis=0)
    centre = (lo + hi) / 2
    radius = float(np.max(np.linalg.norm(pts[:, :2] - centre, axis=1) + rad))
    return centre, radius
