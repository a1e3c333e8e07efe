"""From linear radiance to an 8-bit picture: tone mapping, a soft cast shadow, and the background."""

from __future__ import annotations

import numpy as np

from .render import RenderResult


def tonemap(x: np.ndarray) -> np.ndarray:
    """ACES-like filmic curve (Narkowicz fit): soft highlights, gentle contrast, result in 0..1 linear."""
    x = np.maximum(x, 0) * 0.8
    return np.clip((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0, 1)


def linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * np.power(c, 1 / 2.4) - 0.055)


def srgb_to_linear_img(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def box_blur(img: np.ndarray, radius: int, passes: int = 3) -> np.ndarray:
    """Separable box blur repeated (close to a Gaussian), edge-clamped; works on (H, W) or (H, W, C)."""
    out = img.astype(np.float64)
    for _ in range(passes):
        for axis in (0, 1):
            pad = [(0, 0)] * out.ndim
            pad[axis] = (radius + 1, radius)
            c = np.cumsum(np.pad(out, pad, mode="edge"), axis=axis)
            hi = np.take(c, np.arange(2 * radius + 1, c.shape[axis]), axis=axis)
            lo = np.take(c, np.arange(0, c.shape[axis] - 2 * radius - 1), axis=axis)
            out = (hi - lo) / (2 * radius + 1)
    return out


def cast_shadow(alpha: np.ndarray, offset: tuple[int, int], blur: int, strength: float) -> np.ndarray:
    """A soft shadow of the subject on the backdrop (1 = unshadowed)."""
    dy, dx = offset
    shifted = np.roll(np.roll(alpha, dy, axis=0), dx, axis=1)
    if dy > 0:
        shifted[:dy] = 0
    elif dy < 0:
        shifted[dy:] = 0
    if dx > 0:
        shifted[:, :dx] = 0
    elif dx < 0:
        shifted[:, dx:] = 0
    return 1 - strength * box_blur(shifted, blur)


def compose(result: RenderResult, background_srgb: np.ndarray, shadow: np.ndarray | None = None,
            exposure: float = 1.0) -> np.ndarray:
    """uint8 (H, W, 3): the tone-mapped subject over a background given in sRGB 0..1."""
    a = result.alpha[..., None]
    colour = np.where(a > 0, result.color / np.maximum(a, 1e-6), 0)
    subject = tonemap(colour * exposure)
    bg = srgb_to_linear_img(background_srgb)
    if shadow is not None:
        bg = bg * shadow[..., None]
    out = subject * a + bg * (1 - a)
    return np.round(linear_to_srgb(out) * 255).astype(np.uint8)


def contact_shadow(cam, points, size: int, radius_cm: float = 11.0, strength: float = 0.35) -> np.ndarray:
    """Soft dark patches on the floor under the points where a figure rests (1 = no shadow)."""
    shade = np.ones((size, size))
    if not points:
        return shade
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64)
    for p in points:
        px, py, depth = cam.project(np.asarray(p)[None])[0]
        rx = radius_cm * cam.focal / depth
        ry = rx * max(0.25, abs(float(cam.forward[1])) + 0.15)
        d2 = ((xs - px) / rx) ** 2 + ((ys - py) / ry) ** 2
        shade *= 1 - strength * np.exp(-d2 * 2.2)
    return shade
