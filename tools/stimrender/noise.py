"""Deterministic lattice value noise (integer hashing, no global random state)."""

from __future__ import annotations

import numpy as np


def _hash(ix: np.ndarray, iy: np.ndarray, iz: np.ndarray, seed: int) -> np.ndarray:
    h = (ix.astype(np.uint32) * np.uint32(0x8DA6B343) ^ iy.astype(np.uint32) * np.uint32(0xD8163841)
         ^ iz.astype(np.uint32) * np.uint32(0xCB1AB31F) ^ np.uint32(seed * 0x9E3779B1 & 0xFFFFFFFF))
    h ^= h >> np.uint32(15)
    h *= np.uint32(0x2C1B3C6D)
    h ^= h >> np.uint32(12)
    h *= np.uint32(0x297A2D39)
    h ^= h >> np.uint32(15)
    return (h >> np.uint32(8)).astype(np.float32) * np.float32(1.0 / (1 << 24))


def value3(x: np.ndarray, y: np.ndarray, z: np.ndarray, seed: int = 0) -> np.ndarray:
    """Smooth value noise in [0, 1] at float points."""
    fx, fy, fz = np.floor(x), np.floor(y), np.floor(z)
    ix, iy, iz = fx.astype(np.int64), fy.astype(np.int64), fz.astype(np.int64)
    tx, ty, tz = x - fx, y - fy, z - fz
    tx, ty, tz = (t * t * (3 - 2 * t) for t in (tx, ty, tz))
    out = 0
    for dz in (0, 1):
        wz = tz if dz else 1 - tz
        for dy in (0, 1):
            wy = ty if dy else 1 - ty
            for dx in (0, 1):
                wx = tx if dx else 1 - tx
                out = out + _hash(ix + dx, iy + dy, iz + dz, seed) * (wx * wy * wz)
    return out.astype(np.float32)


def fbm3(x, y, z, octaves: int = 3, seed: int = 0) -> np.ndarray:
    total, amp, norm = 0.0, 1.0, 0.0
    for o in range(octaves):
        f = float(2 ** o)
        total = total + amp * value3(x * f, y * f, z * f, seed + 17 * o)
        norm += amp
        amp *= 0.5
    return (total / norm).astype(np.float32)


def fbm2(x: np.ndarray, y: np.ndarray, octaves: int = 4, seed: int = 0) -> np.ndarray:
    return fbm3(x, y, np.zeros_like(x), octaves, seed)
