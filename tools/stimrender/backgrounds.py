"""Procedural backgrounds (sRGB, 0..1), deterministic for a given name and seed.

Level 1: a plain light backdrop. Level 2: a texture (wood, linen, stone, knit, marble, tiles). Level 3: a
blurred scene (table by a window, bed, kitchen, garden, sofa, desk), as if photographed at home.
"""

from __future__ import annotations

import numpy as np

from .compose import box_blur
from .noise import fbm2, value3

PLAIN = {
    "plain_grey": (0.86, 0.86, 0.85),
    "plain_blue": (0.82, 0.85, 0.88),
    "plain_warm": (0.89, 0.86, 0.82),
    "plain_green": (0.83, 0.87, 0.84),
}
TEXTURES = ("wood", "linen", "stone", "knit", "marble", "tiles")
SCENES = ("table", "bed", "kitchen", "garden", "sofa", "desk")
FIGURE_SCENES = ("room", "gym", "park", "sofa", "hall", "garden")   # places a whole person stands in


def background(name: str, size: int, seed: int, flip: bool = False) -> np.ndarray:
    if name in PLAIN:
        img = _plain(PLAIN[name], size)
    else:
        img = _MAKERS[name](size, seed)
    img = np.clip(img, 0, 1)
    return img[:, ::-1].copy() if flip else img


def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    return xs / size, ys / size


def _mix(a, b, t) -> np.ndarray:
    a = np.asarray(a, dtype=np.float32)
    b = np.asarray(b, dtype=np.float32)
    t = np.asarray(t, dtype=np.float32)[..., None]
    return a * (1 - t) + b * t


def _plain(colour, size: int) -> np.ndarray:
    x, y = _grid(size)
    r2 = (x - 0.5) ** 2 + (y - 0.45) ** 2
    shade = 1.02 - 0.10 * r2   # a barely visible fall-off towards the corners, as under a soft lamp
    return np.asarray(colour, dtype=np.float32) * shade[..., None]


def _wood(size: int, seed: int) -> np.ndarray:
    """Light oak boards: long wavy grain lines, a little figure, and the joints between boards."""
    x, y = _grid(size)
    boards = 3.0
    plank = np.floor(x * boards)
    u = x * boards - plank
    warp = fbm2(u * 2 + plank * 3.1, y * 1.2, 4, seed) * 3.0 + fbm2(u * 8, y * 0.6, 2, seed + 5) * 0.6
    rings = np.sin((u * 9 + warp * 2.2 + plank * 1.7) * np.pi)
    grain = np.clip(1 - np.abs(rings), 0, 1) ** 3
    fibres = fbm2(u * 3, y * 120, 2, seed + 3)
    shade = (value3(plank + 0.5, plank * 0, plank * 0, seed) - 0.5) * 0.25
    tone = np.clip(0.35 + 0.45 * grain + 0.25 * (fibres - 0.5) + shade, 0, 1)
    img = _mix((0.84, 0.72, 0.56), (0.66, 0.50, 0.34), tone)
    joint = np.abs(x * boards - np.round(x * boards)) < 0.004
    img[joint] *= 0.55
    return box_blur(img, 1, 1)


def _linen(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    u, v = x * size / 3.0, y * size / 3.0
    weave = (np.sin(u * np.pi) * np.sin(v * np.pi)) * 0.5 + 0.5
    slub = fbm2(x * 4, y * 90, 3, seed) * 0.6 + fbm2(x * 90, y * 4, 3, seed + 1) * 0.4
    tone = 0.35 * weave + 0.65 * slub
    return _mix((0.80, 0.78, 0.72), (0.68, 0.66, 0.60), tone)


def _stone(size: int, seed: int) -> np.ndarray:
    """Light granite: a cloudy ground with irregular speckles of three colours."""
    x, y = _grid(size)
    base = fbm2(x * 5, y * 5, 4, seed)
    img = _mix((0.82, 0.81, 0.79), (0.72, 0.71, 0.69), base)
    for k, colour in enumerate(((0.56, 0.55, 0.54), (0.68, 0.62, 0.56), (0.90, 0.89, 0.87))):
        n = value3(x * 95 + k * 13.1, y * 95 + k * 7.7, np.full_like(x, k * 3.3), seed + 11 + k)
        n = n * 0.7 + 0.3 * value3(x * 31 + k, y * 31, np.full_like(x, k * 1.7), seed + 21 + k)
        mask = np.clip((n - 0.70) / 0.05, 0, 1)
        img = img * (1 - mask[..., None]) + np.asarray(colour, np.float32) * mask[..., None]
    return box_blur(img, 2, 1)


def _knit(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    stripe = (np.floor(y * 7 + fbm2(x * 2, y * 2, 2, seed) * 0.3) % 2).astype(np.float32)
    base = _mix((0.84, 0.82, 0.76), (0.58, 0.64, 0.72), stripe)
    u, v = x * size / 6.0, y * size / 5.0
    loops = (np.abs(np.sin(u * np.pi + np.abs(np.sin(v * np.pi)) * 1.2)) * 0.5 + 0.5)
    return base * (0.82 + 0.18 * loops[..., None]) * (0.94 + 0.1 * fbm2(x * 40, y * 40, 2, seed + 2)[..., None])


def _marble(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    t = x * 3 + y * 2 + fbm2(x * 3, y * 3, 5, seed) * 4
    vein = np.abs(np.sin(t * np.pi)) ** 0.25
    cloud = fbm2(x * 6, y * 6, 4, seed + 4)
    img = _mix((0.93, 0.92, 0.90), (0.82, 0.82, 0.84), cloud)
    return img * (0.72 + 0.28 * vein[..., None])


def _tiles(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    n = 5
    tx, ty = np.floor(x * n), np.floor(y * n)
    var = value3(tx + 0.5, ty + 0.5, np.zeros_like(tx), seed) - 0.5
    img = _mix((0.82, 0.88, 0.86), (0.74, 0.82, 0.80), 0.5 + var)
    img = img * (0.96 + 0.06 * fbm2(x * 20, y * 20, 2, seed + 1)[..., None])
    gx, gy = np.abs(x * n - np.round(x * n)), np.abs(y * n - np.round(y * n))
    grout = (np.minimum(gx, gy) < 0.02)
    img[grout] = (0.70, 0.70, 0.68)
    return box_blur(img, 1, 1)


# --- level 3 scenes (blurred, as with a shallow depth of field) -----------------------------------------

def _soft_rect(x, y, x0, y0, x1, y1, soft=0.01) -> np.ndarray:
    def edge(a, lo, hi):
        return np.clip((a - lo) / soft, 0, 1) * np.clip((hi - a) / soft, 0, 1)
    return edge(x, x0, x1) * edge(y, y0, y1)


def _blob(x, y, cx, cy, rx, ry) -> np.ndarray:
    return np.clip(1.5 - np.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2) * 1.5, 0, 1)


def _paint(img, mask, colour) -> np.ndarray:
    return img * (1 - mask[..., None]) + np.asarray(colour, np.float32) * mask[..., None]


def _table(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    wall = _mix((0.86, 0.84, 0.78), (0.76, 0.74, 0.70), y)
    img = wall * (0.96 + 0.05 * fbm2(x * 8, y * 8, 3, seed)[..., None])
    img = _paint(img, _soft_rect(x, y, 0.08, 0.05, 0.42, 0.48, 0.02), (0.97, 0.97, 0.94))   # window
    img = _paint(img, _soft_rect(x, y, 0.24, 0.05, 0.26, 0.48, 0.005), (0.80, 0.78, 0.74))  # window bar
    img = _paint(img, _blob(x, y, 0.80, 0.42, 0.10, 0.16) * 0.9, (0.36, 0.48, 0.30))       # a plant
    img = _paint(img, _soft_rect(x, y, 0.74, 0.50, 0.86, 0.62, 0.01), (0.62, 0.42, 0.32))  # its pot
    top = np.clip((y - 0.62) / 0.01, 0, 1)
    depth = np.clip((y - 0.62) / 0.38, 0.02, 1)
    grain = np.sin(((x - 0.5) / depth) * 40 + fbm2(x * 3, y * 20, 3, seed + 1) * 6) * 0.5 + 0.5
    table = _mix((0.72, 0.56, 0.40), (0.60, 0.44, 0.30), grain)
    img = img * (1 - top[..., None]) + table * top[..., None]
    return box_blur(img, 5)


def _bed(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    folds = fbm2(x * 2.5 + y * 1.2, y * 1.5, 4, seed)
    shade = 0.78 + 0.35 * np.sin(folds * 9) * 0.5
    sheet = _mix((0.86, 0.88, 0.92), (0.70, 0.74, 0.82), np.clip(1 - shade, 0, 1))
    img = sheet * (0.9 + 0.12 * folds[..., None])
    pillow = _blob(x, y, 0.25, 0.12, 0.32, 0.16)
    img = _paint(img, pillow * 0.9, (0.94, 0.93, 0.90))
    return box_blur(img, 4)


def _kitchen(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    n = 9
    tiles = _mix((0.90, 0.90, 0.86), (0.84, 0.86, 0.84), value3(np.floor(x * n) + 0.5, np.floor(y * n) + 0.5, 0 * x, seed))
    grout = np.minimum(np.abs(x * n - np.round(x * n)), np.abs(y * n - np.round(y * n))) < 0.04
    tiles[grout] = (0.72, 0.72, 0.70)
    img = tiles
    img = _paint(img, _soft_rect(x, y, 0.62, 0.48, 0.78, 0.68, 0.01), (0.30, 0.46, 0.58))   # a mug
    img = _paint(img, _soft_rect(x, y, 0.10, 0.40, 0.22, 0.68, 0.01), (0.85, 0.70, 0.30))   # a jar
    counter = np.clip((y - 0.68) / 0.01, 0, 1)
    top = _mix((0.55, 0.55, 0.56), (0.45, 0.45, 0.47), fbm2(x * 10, y * 30, 3, seed + 2))
    img = img * (1 - counter[..., None]) + top * counter[..., None]
    return box_blur(img, 5)


def _garden(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    img = _mix((0.78, 0.86, 0.92), (0.46, 0.60, 0.38), np.clip((y - 0.2) / 0.5, 0, 1))
    foliage = fbm2(x * 6, y * 6, 4, seed)
    img = img * (0.8 + 0.4 * foliage[..., None])
    rng = np.random.default_rng(seed)
    for _ in range(28):
        cx, cy, r = rng.random(), rng.random() * 0.8, 0.02 + rng.random() * 0.05
        col = (0.55 + rng.random() * 0.35, 0.70 + rng.random() * 0.25, 0.35 + rng.random() * 0.3)
        img = _paint(img, _blob(x, y, cx, cy, r, r) * 0.6, col)
    return box_blur(img, 7)


def _sofa(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    wall = _mix((0.84, 0.80, 0.74), (0.78, 0.74, 0.68), y)
    img = wall
    img = _paint(img, _blob(x, y, 0.85, 0.18, 0.10, 0.10), (1.0, 0.93, 0.78))              # a lamp
    back = _soft_rect(x, y, -0.1, 0.38, 1.1, 0.75, 0.04)
    img = _paint(img, back, (0.42, 0.50, 0.56))
    for cx in (0.2, 0.5, 0.8):
        img = _paint(img, _blob(x, y, cx, 0.55, 0.16, 0.14) * 0.8, (0.48, 0.56, 0.62))
    seat = np.clip((y - 0.75) / 0.02, 0, 1)
    img = img * (1 - seat[..., None]) + np.array([0.36, 0.43, 0.49], np.float32) * seat[..., None]
    img = img * (0.95 + 0.08 * fbm2(x * 30, y * 30, 2, seed)[..., None])
    return box_blur(img, 6)


def _desk(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    desk = _mix((0.92, 0.91, 0.88), (0.84, 0.83, 0.80), fbm2(x * 4, y * 4, 3, seed))
    img = desk
    img = _paint(img, _soft_rect(x, y, 0.05, 0.08, 0.40, 0.50, 0.005), (0.98, 0.98, 0.97))  # paper
    for k in range(8):
        img = _paint(img, _soft_rect(x, y, 0.08, 0.13 + k * 0.04, 0.34 - (k % 3) * 0.05, 0.145 + k * 0.04, 0.003) * 0.5,
                     (0.55, 0.55, 0.58))
    img = _paint(img, _soft_rect(x, y, 0.55, 0.70, 1.05, 0.92, 0.01), (0.22, 0.22, 0.24))   # keyboard
    img = _paint(img, _blob(x, y, 0.82, 0.22, 0.09, 0.09), (0.75, 0.30, 0.25))              # a cup seen from above
    img = _paint(img, _blob(x, y, 0.82, 0.22, 0.065, 0.065), (0.35, 0.22, 0.15))
    return box_blur(img, 3)


def _floor(x, y, horizon: float, near, far, seed: int, boards: bool = True) -> np.ndarray:
    """A floor receding to ``horizon``: colour from far to near, plank lines converging."""
    depth = np.clip((y - horizon) / (1 - horizon), 0.02, 1)
    base = _mix(far, near, depth)
    if boards:
        u = (x - 0.5) / depth
        lines = np.abs(u * 6 - np.round(u * 6)) < 0.02 / depth ** 0.3
        base = base * (1 - 0.12 * lines[..., None])
    return base * (0.95 + 0.08 * fbm2(x * 6, y * 20, 2, seed)[..., None])


def _room(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    img = _mix((0.88, 0.86, 0.82), (0.80, 0.78, 0.74), y)
    img = _paint(img, _soft_rect(x, y, 0.62, 0.08, 0.92, 0.55, 0.02), (0.96, 0.97, 0.96))   # window
    img = _paint(img, _soft_rect(x, y, 0.765, 0.08, 0.785, 0.55, 0.004), (0.78, 0.76, 0.72))
    img = _paint(img, _soft_rect(x, y, 0.05, 0.30, 0.22, 0.72, 0.01), (0.52, 0.40, 0.30))   # a cupboard
    img = _paint(img, _blob(x, y, 0.14, 0.26, 0.07, 0.07), (0.40, 0.55, 0.36))                # a plant on it
    horizon = 0.72
    floor = _floor(x, y, horizon, (0.62, 0.48, 0.34), (0.70, 0.56, 0.40), seed)
    m = np.clip((y - horizon) / 0.005, 0, 1)[..., None]
    return box_blur(img * (1 - m) + floor * m, 4)


def _gym(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    img = _mix((0.80, 0.84, 0.86), (0.74, 0.78, 0.80), y)
    for k in range(7):                                     # wall bars
        img = _paint(img, _soft_rect(x, y, 0.08 + k * 0.045, 0.1, 0.095 + k * 0.045, 0.74, 0.003), (0.72, 0.58, 0.40))
    for k in range(9):
        img = _paint(img, _soft_rect(x, y, 0.08, 0.12 + k * 0.07, 0.38, 0.13 + k * 0.07, 0.003), (0.70, 0.56, 0.38))
    img = _paint(img, _soft_rect(x, y, 0.6, 0.62, 0.95, 0.74, 0.01), (0.30, 0.42, 0.60))      # rolled mats
    horizon = 0.74
    floor = _floor(x, y, horizon, (0.56, 0.60, 0.62), (0.64, 0.68, 0.70), seed, boards=False)
    m = np.clip((y - horizon) / 0.005, 0, 1)[..., None]
    return box_blur(img * (1 - m) + floor * m, 4)


def _park(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    img = _mix((0.80, 0.87, 0.94), (0.70, 0.80, 0.86), y / 0.5)
    trees = fbm2(x * 5, y * 4, 4, seed)
    canopy = np.clip((trees - 0.35 - (y - 0.2) * 0.6) * 4, 0, 1) * (y < 0.7)
    img = img * (1 - canopy[..., None]) + (np.array([0.36, 0.50, 0.30], np.float32) * (0.8 + 0.4 * trees[..., None])) * canopy[..., None]
    horizon = 0.68
    grass = _mix((0.46, 0.60, 0.34), (0.40, 0.54, 0.30), fbm2(x * 8, y * 30, 3, seed + 1))
    path = np.abs(x - 0.5) < 0.08 + (y - horizon) * 0.5
    ground = np.where(path[..., None], np.array([0.74, 0.68, 0.58], np.float32), grass)
    m = np.clip((y - horizon) / 0.005, 0, 1)[..., None]
    return box_blur(img * (1 - m) + ground * m, 5)


def _hall(size: int, seed: int) -> np.ndarray:
    x, y = _grid(size)
    img = _mix((0.90, 0.88, 0.84), (0.84, 0.82, 0.78), y)
    for cx in (0.12, 0.88):                                   # doors
        img = _paint(img, _soft_rect(x, y, cx - 0.08, 0.18, cx + 0.08, 0.74, 0.01), (0.66, 0.56, 0.46))
    img = _paint(img, _soft_rect(x, y, 0.35, 0.2, 0.65, 0.42, 0.01), (0.55, 0.62, 0.70))      # a picture
    horizon = 0.74
    floor = _floor(x, y, horizon, (0.72, 0.70, 0.66), (0.78, 0.76, 0.72), seed, boards=False)
    m = np.clip((y - horizon) / 0.005, 0, 1)[..., None]
    return box_blur(img * (1 - m) + floor * m, 4)


_MAKERS = {"room": _room, "gym": _gym, "park": _park, "hall": _hall, "wood": _wood, "linen": _linen, "stone": _stone, "knit": _knit, "marble": _marble, "tiles": _tiles,
           "table": _table, "bed": _bed, "kitchen": _kitchen, "garden": _garden, "sofa": _sofa, "desk": _desk}
