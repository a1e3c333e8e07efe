"""One job to finished pixels and file bytes."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

import numpy as np

from .backgrounds import background
from .catalog import Job, make_shot
from .compose import cast_shadow, compose, contact_shadow
from .render import render

IMAGE_EXT = "webp"
WEBP_QUALITY = 92


@dataclass
class Picture:
    job: Job
    pixels: np.ndarray        # (H, W, 3) uint8, the upright right-side picture
    seconds: float
    landmarks: dict[str, np.ndarray]   # camera coordinates (x right, y up, z towards the viewer)
    landmarks_px: dict[str, np.ndarray]  # pixel x, pixel y (down), depth


def render_job(job: Job, size: int = 512) -> Picture:
    start = time.perf_counter()
    shot = make_shot(job, size)
    result = render(shot.scene, shot.camera, shot.lighting, shot.surface, shot.cell, shot.bounds)
    bg = background(job.background, size, job.seed, job.background_flip)
    # the backdrop shadow falls away from the key light
    offset = (int(size * 0.028), int(size * 0.022 * job.light_side))
    shadow = cast_shadow(result.alpha, offset, max(2, size // 60), 0.22 if job.level == 1 else 0.16)
    if shot.contacts:
        shadow = shadow * contact_shadow(shot.camera, shot.contacts, size)
    pixels = compose(result, bg, shadow)
    names = list(shot.landmarks)
    pts = np.array([shot.landmarks[n] for n in names])
    cam_pts = shot.camera.to_camera(pts)
    px = shot.camera.project(pts)
    return Picture(job, pixels, time.perf_counter() - start, dict(zip(names, cam_pts)), dict(zip(names, px)))


def encode(pixels: np.ndarray) -> bytes:
    """Lossy WebP: small, loads in pygame-ce, and the same pixels always give the same bytes."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="WEBP", quality=WEBP_QUALITY, method=6)
    return buf.getvalue()
