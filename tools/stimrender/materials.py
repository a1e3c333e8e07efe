"""Colours and surface detail shared by the body-part models: skin tones, nails, creases, cloth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import smoothstep
from .noise import fbm3
from .sdf import F32


def srgb_to_linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


@dataclass(frozen=True)
class SkinTone:
    name: str
    skin: tuple[int, int, int]     # back of hand, arm, face (sRGB)
    palm: tuple[int, int, int]     # palms and soles: lighter and pinker, most of all on dark skin
    crease: float                  # how strongly creases darken
    nail: tuple[int, int, int]


SKIN_TONES: dict[str, SkinTone] = {
    "light": SkinTone("light", (228, 180, 152), (232, 176, 156), 0.30, (232, 186, 180)),
    "medium": SkinTone("medium", (186, 136, 108), (212, 160, 136), 0.30, (220, 176, 162)),
    "brown": SkinTone("brown", (132, 90, 68), (198, 146, 122), 0.28, (206, 160, 144)),
    "dark": SkinTone("dark", (90, 60, 44), (186, 134, 110), 0.26, (196, 148, 128)),
}


def skin_base(tone: SkinTone, palmar: np.ndarray, p: np.ndarray, seed: int = 0) -> np.ndarray:
    """Albedo (3, M): skin mixed towards the palm colour where ``palmar`` (0..1) is high, with a faint
    mottling so the surface does not look like plastic."""
    skin = srgb_to_linear(tone.skin).astype(F32)[:, None]
    palm = srgb_to_linear(tone.palm).astype(F32)[:, None]
    base = skin * (1 - palmar) + palm * palmar
    blotch = fbm3(p[0] * F32(0.7), p[1] * F32(0.7), p[2] * F32(0.7), 3, seed) - F32(0.5)
    fine = fbm3(p[0] * F32(7.0), p[1] * F32(7.0), p[2] * F32(7.0), 2, seed + 5) - F32(0.5)
    redness = np.array([1.0, 0.93, 0.93], dtype=F32)[:, None]
    tint = 1 + (redness - 1) * np.clip(blotch * 1.6 + 0.3, 0, 1)
    return base * tint * (1 + F32(0.10) * blotch + F32(0.07) * fine)


def line_darkening(distance: np.ndarray, width: float) -> np.ndarray:
    """A crease seen at this resolution: a thin dark core with a softer shoulder."""
    d = distance / F32(width)
    return np.exp(-d * d) * F32(0.75) + np.exp(-d * d * F32(0.12)) * F32(0.25)


def polyline_distance(x: np.ndarray, y: np.ndarray, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance from points to a polyline (K, 2) and the curve parameter (0..1) of the closest point."""
    a = pts[:-1].astype(F32)
    b = pts[1:].astype(F32)
    ab = b - a
    l2 = np.maximum(np.sum(ab * ab, axis=1), 1e-9)
    px = x[:, None] - a[None, :, 0]
    py = y[:, None] - a[None, :, 1]
    t = np.clip((px * ab[None, :, 0] + py * ab[None, :, 1]) / l2[None], 0, 1)
    dx = px - t * ab[None, :, 0]
    dy = py - t * ab[None, :, 1]
    dist = np.sqrt(dx * dx + dy * dy)
    k = np.argmin(dist, axis=1)
    rows = np.arange(x.size)
    return dist[rows, k], (k + t[rows, k]) / F32(len(a))


def bezier(p0, p1, p2, n: int = 24) -> np.ndarray:
    t = np.linspace(0, 1, n)[:, None]
    p0, p1, p2 = (np.asarray(v, dtype=np.float64) for v in (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t * t * p2


def nail_coords(p: np.ndarray, length: float, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Nail plate coordinates on a distal segment (local y from the last joint to the tip centre, z dorsal):
    u across (-1..1), v along (0 at the cuticle, 1 at the free edge)."""
    y0 = 0.30 * (length + radius)
    y1 = length + 0.95 * radius
    u = p[0] / F32(0.72 * radius)
    v = (p[1] - F32(y0)) / F32(y1 - y0)
    return u, v


def nail_mask(p: np.ndarray, length: float, radius: float, soft: float = 0.06) -> np.ndarray:
    u, v = nail_coords(p, length, radius)
    dorsal = smoothstep(0.05 * radius, 0.35 * radius, p[2])
    inside_u = smoothstep(1.0, 1.0 - soft * 2, np.abs(u))
    cuticle = smoothstep(-soft, soft, v - F32(0.22) * u * u)
    return (inside_u * cuticle * dorsal * (v < 1.15)).astype(F32)


def nail_displacement(length: float, radius: float):
    def displace(p: np.ndarray) -> np.ndarray:
        m = nail_mask(p, length, radius, soft=0.12)
        return F32(0.035) * m
    return displace


def nail_albedo(tone: SkinTone, base: np.ndarray, p: np.ndarray, length: float, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Nail colour (pink plate, pale lunula, white free edge) blended over ``base``; returns (albedo, mask)."""
    m = nail_mask(p, length, radius)
    u, v = nail_coords(p, length, radius)
    plate = srgb_to_linear(tone.nail).astype(F32)[:, None] * np.ones_like(base)
    lunula = smoothstep(0.16, 0.06, v - F32(0.22) * u * u)[None]
    plate = plate * (1 - 0.3 * lunula) + F32(0.75) * lunula * F32(0.3)
    free_edge = smoothstep(length + 0.74 * radius, length + 0.84 * radius, p[1])[None]
    white = np.array([0.80, 0.76, 0.70], dtype=F32)[:, None]
    plate = plate * (1 - 0.7 * free_edge) + white * 0.7 * free_edge
    rim = smoothstep(0.0, 0.08, v - F32(0.22) * u * u) * smoothstep(0.25, 0.06, v - F32(0.22) * u * u)
    plate = plate * (1 - F32(0.25) * rim[None])
    out = base * (1 - m[None]) + plate * m[None]
    return out, m
