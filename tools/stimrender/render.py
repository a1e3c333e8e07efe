"""Sphere tracing with per-tile pruning, soft shadows, ambient occlusion, and edge-only supersampling."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .geometry import normalize
from .sdf import F32, Node, Scene

# Rotated-grid offsets (in pixels) for the extra samples taken at silhouettes and depth edges.
EDGE_SAMPLES = ((-0.125, -0.375), (0.375, -0.125), (0.125, 0.375), (-0.375, 0.125))


@dataclass
class Camera:
    eye: np.ndarray
    target: np.ndarray
    up: np.ndarray
    fov_deg: float = 24.0
    size: int = 512
    shift: tuple[float, float] = (0.0, 0.0)   # where the target lands, in pixels from the image centre

    def __post_init__(self) -> None:
        self.eye = np.asarray(self.eye, dtype=np.float64)
        self.target = np.asarray(self.target, dtype=np.float64)
        self.forward = normalize(self.target - self.eye)
        self.right = normalize(np.cross(self.forward, self.up))
        self.upv = np.cross(self.right, self.forward)
        self.focal = (self.size / 2) / math.tan(math.radians(self.fov_deg) / 2)
        self.cx = self.size / 2 + self.shift[0]
        self.cy = self.size / 2 + self.shift[1]

    @property
    def pixel_angle(self) -> float:
        return 1.0 / self.focal

    def rays(self, px: np.ndarray, py: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f, r, u = self.forward, self.right, self.upv
        dx = (px - self.cx).astype(np.float64)
        dy = (py - self.cy).astype(np.float64)
        d = f[:, None] * self.focal + r[:, None] * dx[None] - u[:, None] * dy[None]
        d /= np.linalg.norm(d, axis=0, keepdims=True)
        o = np.repeat(self.eye[:, None], px.size, axis=1)
        return o.astype(F32), d.astype(F32)

    def project(self, points: np.ndarray) -> np.ndarray:
        """World points (N, 3) -> (N, 3) of pixel x, pixel y (down), depth along the view axis."""
        v = np.asarray(points, dtype=np.float64) - self.eye
        z = v @ self.forward
        x = self.cx + self.focal * (v @ self.right) / z
        y = self.cy - self.focal * (v @ self.upv) / z
        return np.stack([x, y, z], axis=-1)

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points -> right-handed camera coordinates (x right, y up, z towards the viewer)."""
        v = np.asarray(points, dtype=np.float64) - self.eye
        return np.stack([v @ self.right, v @ self.upv, -(v @ self.forward)], axis=-1)


@dataclass
class Lighting:
    key_dir: np.ndarray                      # unit vector towards the key light
    key_color: np.ndarray = field(default_factory=lambda: np.array([2.6, 2.45, 2.25]))
    fill_dir: np.ndarray | None = None
    fill_color: np.ndarray = field(default_factory=lambda: np.array([0.30, 0.33, 0.38]))
    rim_dir: np.ndarray | None = None
    rim_color: np.ndarray = field(default_factory=lambda: np.array([0.55, 0.55, 0.6]))
    sky: np.ndarray = field(default_factory=lambda: np.array([0.34, 0.36, 0.40]))
    ground: np.ndarray = field(default_factory=lambda: np.array([0.20, 0.18, 0.16]))
    up: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0, 0.0]))
    shadow_softness: float = 10.0
    shadow_distance: float = 40.0
    ao_distance: float = 1.5


@dataclass
class Surface:
    albedo: np.ndarray      # (3, M) linear
    spec: np.ndarray        # (M,) specular strength
    gloss: np.ndarray       # (M,) Blinn-Phong exponent
    sss: np.ndarray         # (M,) 0 = plain diffuse, 1 = skin-like light bleeding


    @classmethod
    def uniform(cls, m: int, spec: float, gloss: float, sss: float) -> "Surface":
        """A surface of ``m`` points, black until a material paints it."""
        return cls(np.zeros((3, m), dtype=F32), np.full(m, spec, dtype=F32), np.full(m, gloss, dtype=F32),
                   np.full(m, sss, dtype=F32))


def points_by_leaf(leaves: list, leaf_ids: np.ndarray):
    """(leaf, indices) for every model part that some of the shaded points lie on."""
    for lid in np.unique(leaf_ids):
        if lid >= 0:
            yield leaves[int(lid)], np.nonzero(leaf_ids == lid)[0]


SurfaceFn = Callable[[np.ndarray, np.ndarray, np.ndarray], Surface]


@dataclass
class RenderResult:
    color: np.ndarray   # (H, W, 3) linear radiance, premultiplied by coverage
    alpha: np.ndarray   # (H, W) coverage
    depth: np.ndarray   # (H, W) distance along the ray (inf where empty)
    samples: int = 0
    edge_pixels: int = 0


# --- culling predicates -------------------------------------------------------------------------------------

def _box_keep(points: np.ndarray, pad: float):
    lo = points.min(axis=1).astype(np.float64) - pad
    hi = points.max(axis=1).astype(np.float64) + pad

    def keep(c: np.ndarray, r: float) -> bool:
        q = np.clip(c, lo, hi)
        return float(np.sum((c - q) ** 2)) <= r * r
    return keep


# --- distance grid ------------------------------------------------------------------------------------------

class DistanceGrid:
    """The scene's distance field sampled on a regular grid (computed brick by brick with a pruned tree).
    Trilinear look-ups are cheap and, with a margin of one cell, a safe step far from the surface; they also
    serve soft shadows and ambient occlusion, which need no sub-millimetre precision."""

    BRICK = 16

    def __init__(self, root: Node, cell: float, bounds: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        leaves = root.leaves()
        lo = np.min([l.center - l.radius for l in leaves], axis=0) - 2 * cell
        hi = np.max([l.center + l.radius for l in leaves], axis=0) + 2 * cell
        if bounds is not None:
            # only what the camera can see (and what shadows it): the rest of the model is left out
            lo, hi = np.maximum(lo, bounds[0]), np.minimum(hi, bounds[1])
        self.cell = float(cell)
        self.lo = lo
        self.shape = tuple(int(v) for v in np.ceil((hi - lo) / cell) + 1)
        far = 8.0 * cell
        self.far = far
        values = np.full(self.shape, far, dtype=F32)
        centres = np.array([l.center for l in leaves], dtype=F32)
        radii = np.array([l.radius for l in leaves], dtype=F32)
        b = self.BRICK
        for i0 in range(0, self.shape[0], b):
            for j0 in range(0, self.shape[1], b):
                for k0 in range(0, self.shape[2], b):
                    i1, j1, k1 = min(i0 + b, self.shape[0]), min(j0 + b, self.shape[1]), min(k0 + b, self.shape[2])
                    blo = lo + np.array([i0, j0, k0]) * cell
                    bhi = lo + np.array([i1 - 1, j1 - 1, k1 - 1]) * cell
                    corners = np.stack([blo, bhi], axis=1)
                    node = root.prune(_box_keep(corners, far))
                    if node is None:
                        # nothing within `far`: the gap between this brick and the nearest bounding sphere is a
                        # lower bound for every point in it
                        q = np.clip(centres, blo.astype(F32), bhi.astype(F32))
                        gap = float(np.min(np.sqrt(np.sum((centres - q) ** 2, axis=1)) - radii))
                        values[i0:i1, j0:j1, k0:k1] = max(gap, far)
                        continue
                    gi, gj, gk = np.meshgrid(np.arange(i0, i1), np.arange(j0, j1), np.arange(k0, k1), indexing="ij")
                    pts = (lo[:, None] + np.stack([gi.ravel(), gj.ravel(), gk.ravel()]) * cell).astype(F32)
                    d, _ = node.eval(pts)
                    d = np.minimum(d, F32(far))
                    values[i0:i1, j0:j1, k0:k1] = d.reshape(gi.shape)
        self.values = values
        self.flat = values.ravel()
        self._exact_nodes: dict[int, Node | None] = {}
        self.exact_pad = 3.5 * cell + 1.0   # beyond the near band, normal and occlusion offsets
        self.hi = lo + (np.array(self.shape) - 1) * cell
        self._strides = np.array([self.shape[1] * self.shape[2], self.shape[2], 1], dtype=np.int64)

    EXACT_BRICK = 24

    def exact(self, root: Node, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The exact distance (and leaf ids), evaluating for each region of space only the parts of the model
        that can matter there: a figure has dozens of parts, a point near the nose needs five of them."""
        if p.shape[1] < 2048:
            return root.eval(p)
        span = F32(self.cell * self.EXACT_BRICK)
        g = np.floor((p - self.lo.astype(F32)[:, None]) / span).astype(np.int64)
        dims = np.ceil(np.array(self.shape) / self.EXACT_BRICK).astype(np.int64)
        inside = np.all((g >= 0) & (g < dims[:, None]), axis=0)
        key = np.where(inside, (g[0] * dims[1] + g[1]) * dims[2] + g[2], -1)
        order = np.argsort(key, kind="stable")
        ks = key[order]
        cuts = np.nonzero(np.diff(ks))[0] + 1
        d = np.empty(p.shape[1], dtype=F32)
        ids = np.empty(p.shape[1], dtype=np.int16)
        for idx in np.split(order, cuts):
            k = int(key[idx[0]])
            node = self._exact_nodes.get(k, False) if k >= 0 else root
            if node is False:
                kk = np.array([k // (dims[1] * dims[2]), (k // dims[2]) % dims[1], k % dims[2]])
                blo = self.lo + kk * self.cell * self.EXACT_BRICK
                box = np.stack([blo, blo + self.cell * self.EXACT_BRICK], axis=1)
                node = root.prune(_box_keep(box, self.exact_pad))
                self._exact_nodes[k] = node
            if node is None:   # nothing near: a safe lower bound
                d[idx], ids[idx] = F32(self.exact_pad), -1
                continue
            dd, ii = node.eval(p[:, idx])
            d[idx], ids[idx] = dd, ii
        return d, ids

    def sample(self, p: np.ndarray) -> np.ndarray:
        """Approximate distance (error below one cell inside the grid; a lower bound outside it)."""
        lo = self.lo.astype(F32)[:, None]
        g = (p - lo) / F32(self.cell)
        top = np.array(self.shape, dtype=F32)[:, None] - F32(1.0001)
        gc = np.clip(g, 0, top)
        i = np.floor(gc)
        f = gc - i
        i = i.astype(np.int64)
        base = i[0] * self._strides[0] + i[1] * self._strides[1] + i[2]
        fx, fy, fz = f[0], f[1], f[2]
        v = self.flat
        sx, sy = self._strides[0], self._strides[1]
        c00 = v[base] * (1 - fz) + v[base + 1] * fz
        c01 = v[base + sy] * (1 - fz) + v[base + sy + 1] * fz
        c10 = v[base + sx] * (1 - fz) + v[base + sx + 1] * fz
        c11 = v[base + sx + sy] * (1 - fz) + v[base + sx + sy + 1] * fz
        d = (c00 * (1 - fy) + c01 * fy) * (1 - fx) + (c10 * (1 - fy) + c11 * fy) * fx
        outside = np.sqrt(np.sum(((g - gc) * F32(self.cell)) ** 2, axis=0))
        return np.where(outside > 0, np.maximum(d, F32(0)) + outside, d)

    def box_span(self, o: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inv = 1 / np.where(np.abs(d) < 1e-9, F32(1e-9), d)
        ta = (self.lo.astype(F32)[:, None] - o) * inv
        tb = (self.hi.astype(F32)[:, None] - o) * inv
        t0 = np.max(np.minimum(ta, tb), axis=0)
        t1 = np.min(np.maximum(ta, tb), axis=0)
        t0 = np.maximum(t0, 0)
        return np.where(t1 > t0, t0, np.inf).astype(F32), t1.astype(F32)


# --- tracing ----------------------------------------------------------------------------------------------

def _march(grid: DistanceGrid, root: Node, o, d, pix: float, max_steps: int = 100):
    n = o.shape[1]
    t0, t1 = grid.box_span(o, d)
    t = t0.copy()
    hit = np.zeros(n, dtype=bool)
    rmin = np.full(n, np.inf, dtype=F32)
    t_rmin = t0.copy()
    active = np.nonzero(np.isfinite(t0))[0]
    near_band = F32(2.5 * grid.cell)
    margin = F32(1.0 * grid.cell)
    for _ in range(max_steps):
        if active.size == 0:
            break
        ta = t[active]
        p = o[:, active] + d[:, active] * ta
        dist = grid.sample(p) - margin
        near = np.nonzero(dist < near_band - margin)[0]
        fp = F32(pix) * ta
        is_hit = np.zeros(active.size, dtype=bool)
        if near.size:
            exact, _ = grid.exact(root, p[:, near])
            dist[near] = exact
            ratio = exact / fp[near]
            idx = active[near]
            better = ratio < rmin[idx]
            rmin[idx] = np.where(better, ratio, rmin[idx])
            t_rmin[idx] = np.where(better, ta[near], t_rmin[idx])
            is_hit[near] = exact < F32(0.3) * fp[near]
        hit[active[is_hit]] = True
        ta = ta + np.maximum(dist * F32(0.9), F32(0.5) * fp)
        t[active] = np.where(is_hit, t[active], ta)
        active = active[~is_hit & (ta < t1[active])]
    # rays still grazing a silhouette when the budget runs out: decide by how close they came
    hit[active] = rmin[active] < 0.3
    t[active] = np.where(hit[active], t_rmin[active], t[active])
    return t, hit, rmin, t_rmin


def _normals(grid: DistanceGrid, node: Node, p: np.ndarray, eps: float) -> np.ndarray:
    k = np.array([[1, -1, -1], [-1, -1, 1], [-1, 1, -1], [1, 1, 1]], dtype=F32)
    n = np.zeros_like(p)
    for kk in k:
        dist, _ = grid.exact(node, p + (kk * F32(eps))[:, None])
        n += kk[:, None] * dist[None]
    n /= np.maximum(np.linalg.norm(n, axis=0, keepdims=True), F32(1e-8))
    return n


def _ambient_occlusion(grid: DistanceGrid, p, n, dist: float, steps: int = 5) -> np.ndarray:
    occ = np.zeros(p.shape[1], dtype=F32)
    weight, total = 1.0, 0.0
    for i in range(1, steps + 1):
        h = dist * i / steps
        d = grid.sample(p + n * F32(h))
        occ += F32(weight) * np.maximum(F32(h) - d, 0)
        total += weight * h
        weight *= 0.75
    return np.clip(1 - 1.6 * occ / F32(total), 0, 1)


def _soft_shadow(grid: DistanceGrid, p, direction, tmin: float, tmax: float, k: float, max_steps: int = 64):
    n = p.shape[1]
    res = np.ones(n, dtype=F32)
    t = np.full(n, tmin, dtype=F32)
    dvec = direction.astype(F32)[:, None]
    active = np.arange(n)
    step_min = F32(0.5 * grid.cell)
    for _ in range(max_steps):
        if active.size == 0:
            break
        ta = t[active]
        h = grid.sample(p[:, active] + dvec * ta)
        res[active] = np.minimum(res[active], F32(k) * h / ta)
        ta = ta + np.maximum(h, step_min)
        t[active] = ta
        active = active[(res[active] > -1) & (ta < tmax)]
    res = np.clip(res, -1, 1)
    return F32(0.25) * (1 + res) ** 2 * (2 - res)


def _shade(grid: DistanceGrid, root: Node, surface_fn: SurfaceFn, light: Lighting, p, view, pix_at):
    eps = float(max(0.002, np.median(pix_at) * 0.5))
    n = _normals(grid, root, p, eps)
    _, leaf_ids = grid.exact(root, p)
    # occlusion and shadow rays start a little off the surface: the grid is coarser than the surface detail
    lift = F32(0.75 * grid.cell)
    # skin lets some light through: even the deepest crevice between two fingers is not black
    ao = F32(0.3) + F32(0.7) * _ambient_occlusion(grid, p + n * lift * 0.5, n, light.ao_distance)
    key = normalize(light.key_dir).astype(F32)
    shadow = _soft_shadow(grid, p + n * lift, key, grid.cell, light.shadow_distance, light.shadow_softness)
    s = surface_fn(leaf_ids, p, n)
    kv = key[:, None]
    ndl = np.sum(n * kv, axis=0)
    wrap = F32(0.35) * s.sss
    diffuse = np.clip((ndl + wrap) / (1 + wrap), 0, 1) * shadow
    bleed = s.sss * F32(0.14) * np.clip((ndl + 0.65) / 1.65, 0, 1) * (1 - np.clip(ndl, 0, 1)) * (0.4 + 0.6 * shadow)
    up = normalize(light.up).astype(F32)[:, None]
    hemi_t = 0.5 + 0.5 * np.sum(n * up, axis=0)
    hemi = (light.ground.astype(F32)[:, None] * (1 - hemi_t) + light.sky.astype(F32)[:, None] * hemi_t) * ao
    radiance = light.key_color.astype(F32)[:, None] * diffuse + hemi
    radiance = radiance + np.array([0.9, 0.28, 0.18], dtype=F32)[:, None] * bleed * light.key_color.astype(F32)[:, None]
    if light.fill_dir is not None:
        fd = normalize(light.fill_dir).astype(F32)[:, None]
        radiance = radiance + light.fill_color.astype(F32)[:, None] * np.clip((np.sum(n * fd, axis=0) + 0.3) / 1.3, 0, 1) * (0.5 + 0.5 * ao)
    ndv = np.clip(np.sum(n * view, axis=0), 0, 1)
    color = s.albedo * radiance
    if light.rim_dir is not None:
        rd = normalize(light.rim_dir).astype(F32)[:, None]
        rim = (1 - ndv) ** 3 * np.clip(np.sum(n * rd, axis=0) + 0.4, 0, 1) * ao
        color = color + light.rim_color.astype(F32)[:, None] * rim * (0.35 + s.albedo)
    half = key[:, None] + view
    half /= np.maximum(np.linalg.norm(half, axis=0, keepdims=True), F32(1e-6))
    ndh = np.clip(np.sum(n * half, axis=0), 0, 1)
    fresnel = F32(0.04) + F32(0.96) * (1 - ndv) ** 5
    spec = s.spec * (ndh ** s.gloss) * (s.gloss + 8) / F32(8 * math.pi) * shadow * (0.25 + fresnel) * np.clip(ndl * 4, 0, 1)
    color = color + light.key_color.astype(F32)[:, None] * spec
    return color, ao


def trace(grid: DistanceGrid, scene: Scene, cam: Camera, light: Lighting, surface_fn: SurfaceFn,
          px: np.ndarray, py: np.ndarray, sample_width: float = 1.0):
    """Colour (3, N, premultiplied), coverage (N) and depth (N) for sample positions in pixels."""
    n = px.size
    color = np.zeros((3, n), dtype=F32)
    cover = np.zeros(n, dtype=F32)
    depth = np.full(n, np.inf, dtype=F32)
    pix = cam.pixel_angle * sample_width
    o, d = cam.rays(px, py)
    t, hit, rmin, t_rmin = _march(grid, scene.root, o, d, pix)
    shaded = hit | (rmin < 0.5)
    sel = np.nonzero(shaded)[0]
    if sel.size == 0:
        return color, cover, depth
    tt = np.where(hit[sel], t[sel], t_rmin[sel])
    p = o[:, sel] + d[:, sel] * tt
    c, _ = _shade(grid, scene.root, surface_fn, light, p, -d[:, sel], pix * tt)
    cov = np.where(hit[sel], F32(1.0), np.clip(F32(0.5) - rmin[sel], 0, 1))
    color[:, sel] = c * cov
    cover[sel] = cov
    depth[sel] = tt
    return color, cover, depth


def render(scene: Scene, cam: Camera, light: Lighting, surface_fn: SurfaceFn, cell: float = 0.3,
           bounds: tuple[np.ndarray, np.ndarray] | None = None) -> RenderResult:
    size = cam.size
    grid = DistanceGrid(scene.root, cell, bounds)
    ys, xs = np.mgrid[0:size, 0:size]
    px = xs.ravel().astype(F32) + F32(0.5)
    py = ys.ravel().astype(F32) + F32(0.5)
    color, cover, depth = trace(grid, scene, cam, light, surface_fn, px, py)
    color = color.reshape(3, size, size)
    cover = cover.reshape(size, size)
    depth = depth.reshape(size, size)
    edges = _edge_pixels(cover, depth, cam.pixel_angle)
    ey, ex = np.nonzero(edges)
    samples = size * size
    if ey.size:
        offsets = np.array(EDGE_SAMPLES, dtype=F32)
        sx = (ex[None, :] + F32(0.5) + offsets[:, :1]).ravel()
        sy = (ey[None, :] + F32(0.5) + offsets[:, 1:]).ravel()
        c, a, _ = trace(grid, scene, cam, light, surface_fn, sx, sy, sample_width=0.5)
        k = len(EDGE_SAMPLES)
        color[:, ey, ex] = (color[:, ey, ex] + c.reshape(3, k, -1).sum(axis=1)) / (k + 1)
        cover[ey, ex] = (cover[ey, ex] + a.reshape(k, -1).sum(axis=0)) / (k + 1)
        samples += ey.size * k
    return RenderResult(np.moveaxis(color, 0, -1), cover, depth, samples, int(ey.size))


def _edge_pixels(cover: np.ndarray, depth: np.ndarray, pix: float) -> np.ndarray:
    """Pixels on a silhouette (partial or changing coverage) or a depth step (a finger over the palm)."""
    edge = (cover > 0) & (cover < 1)
    finite = np.where(np.isfinite(depth), depth, 1e4)
    for axis in (0, 1):
        dc = np.abs(np.diff(cover, axis=axis)) > 0.25
        dd = np.abs(np.diff(finite, axis=axis)) > np.maximum(8 * pix * np.minimum(
            np.delete(finite, -1, axis=axis), np.delete(finite, 0, axis=axis)), 0.3)
        step = dc | dd
        if axis == 0:
            edge[:-1] |= step
            edge[1:] |= step
        else:
            edge[:, :-1] |= step
            edge[:, 1:] |= step
    return edge
