"""Signed distance primitives and a blend tree that can be pruned to the part a ray bundle can reach.

Points are float32 arrays of shape (3, N). Every node carries a bounding sphere; ``prune`` drops the
nodes a bundle of rays cannot touch, which is what keeps pure-numpy ray marching affordable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

F32 = np.float32
FAR = F32(1e4)
KeepFn = Callable[[np.ndarray, float], bool]


# --- shapes, in their own local frame ------------------------------------------------------------------

@dataclass(frozen=True)
class RoundCone:
    """Two spheres (radius r1 at the local origin, r2 at y = h) joined by their tangent cone. ``ax`` and
    ``az`` stretch the cross-section (an oval limb); the distance is then scaled to remain a lower bound."""
    r1: float
    r2: float
    h: float
    ax: float = 1.0
    az: float = 1.0

    def bound(self) -> tuple[np.ndarray, float]:
        s = max(self.ax, self.az, 1.0)
        return np.array([0.0, self.h / 2, 0.0]), self.h / 2 + max(self.r1, self.r2) * s

    def distance(self, p: np.ndarray) -> np.ndarray:
        h = max(self.h, 1e-4)
        b = (self.r1 - self.r2) / h
        a = float(np.sqrt(max(1.0 - b * b, 1e-6)))
        if self.ax != 1.0 or self.az != 1.0:
            qx = np.sqrt((p[0] / F32(self.ax)) ** 2 + (p[2] / F32(self.az)) ** 2)
            scale = F32(min(self.ax, self.az, 1.0))
        else:
            qx = np.sqrt(p[0] * p[0] + p[2] * p[2])
            scale = None
        qy = p[1]
        k = qx * F32(-b) + qy * F32(a)
        d_mid = qx * F32(a) + qy * F32(b) - F32(self.r1)
        d_low = np.sqrt(qx * qx + qy * qy) - F32(self.r1)
        dy = qy - F32(h)
        d_top = np.sqrt(qx * qx + dy * dy) - F32(self.r2)
        d = np.where(k < 0, d_low, np.where(k > a * h, d_top, d_mid))
        return d * scale if scale is not None else d


@dataclass(frozen=True)
class Ellipsoid:
    rx: float
    ry: float
    rz: float

    def bound(self) -> tuple[np.ndarray, float]:
        return np.zeros(3), max(self.rx, self.ry, self.rz)

    def distance(self, p: np.ndarray) -> np.ndarray:
        x, y, z = p[0] / F32(self.rx), p[1] / F32(self.ry), p[2] / F32(self.rz)
        k0 = np.sqrt(x * x + y * y + z * z)
        x2, y2, z2 = x / F32(self.rx), y / F32(self.ry), z / F32(self.rz)
        k1 = np.sqrt(x2 * x2 + y2 * y2 + z2 * z2)
        return k0 * (k0 - 1) / np.maximum(k1, F32(1e-6))


@dataclass(frozen=True)
class RoundBox:
    hx: float
    hy: float
    hz: float
    r: float

    def bound(self) -> tuple[np.ndarray, float]:
        return np.zeros(3), float(np.linalg.norm([self.hx, self.hy, self.hz]))

    def distance(self, p: np.ndarray) -> np.ndarray:
        qx = np.abs(p[0]) - F32(self.hx - self.r)
        qy = np.abs(p[1]) - F32(self.hy - self.r)
        qz = np.abs(p[2]) - F32(self.hz - self.r)
        outside = np.sqrt(np.maximum(qx, 0) ** 2 + np.maximum(qy, 0) ** 2 + np.maximum(qz, 0) ** 2)
        inside = np.minimum(np.maximum(qx, np.maximum(qy, qz)), 0)
        return outside + inside - F32(self.r)


# --- tree nodes -------------------------------------------------------------------------------------------

class Node:
    center: np.ndarray
    radius: float

    def eval(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def prune(self, keep: KeepFn, margin: float = 0.0) -> "Node | None":
        raise NotImplementedError

    def leaves(self) -> list["Leaf"]:
        raise NotImplementedError


@dataclass(eq=False)
class Leaf(Node):
    """A shape placed in the world: local = frame.T @ (p - origin). ``material`` and ``tag`` tell the
    shader what the surface is (skin, nail, cloth...) and where it sits anatomically."""
    shape: object
    origin: np.ndarray
    frame: np.ndarray = field(default_factory=lambda: np.eye(3))
    material: str = "skin"
    tag: dict = field(default_factory=dict)
    displace: Callable[[np.ndarray], np.ndarray] | None = None   # local points -> outward offset
    displace_max: float = 0.0
    index: int = -1

    def __post_init__(self) -> None:
        self.origin = np.asarray(self.origin, dtype=np.float64)
        self.frame = np.asarray(self.frame, dtype=np.float64)
        c_local, r = self.shape.bound()
        self.center = self.origin + self.frame @ c_local
        self.radius = float(r + self.displace_max)
        self._m = self.frame.T.astype(F32)
        self._o = self.origin.astype(F32).reshape(3, 1)

    def to_local(self, p: np.ndarray) -> np.ndarray:
        return self._m @ (p - self._o)

    def distance(self, p: np.ndarray) -> np.ndarray:
        q = self.to_local(p)
        d = self.shape.distance(q)
        if self.displace is not None:
            d = d - self.displace(q).astype(F32)
        return d

    def eval(self, p):
        d = self.distance(p)
        return d, np.full(d.shape, self.index, dtype=np.int16)

    def prune(self, keep, margin=0.0):
        return self if keep(self.center, self.radius + margin) else None

    def leaves(self):
        return [self]


def _enclose(nodes: list[Node], extra: float) -> tuple[np.ndarray, float]:
    centers = np.array([n.center for n in nodes])
    lo = (centers - np.array([[n.radius] for n in nodes])).min(axis=0)
    hi = (centers + np.array([[n.radius] for n in nodes])).max(axis=0)
    c = (lo + hi) / 2
    r = max(float(np.linalg.norm(n.center - c)) + n.radius for n in nodes)
    return c, r + extra


def smin(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Polynomial smooth minimum (blend radius k)."""
    h = np.maximum(F32(k) - np.abs(a - b), 0) / F32(k)
    return np.minimum(a, b) - h * h * F32(k * 0.25)


class Group(Node):
    """Union of children; with k > 0 a smooth union that fills the joints with flesh."""

    def __init__(self, children: list[Node], k: float = 0.0) -> None:
        self.children = [c for c in children if c is not None]
        self.k = float(k)
        self.center, self.radius = _enclose(self.children, self.k * 0.25)

    def eval(self, p):
        d, idx = self.children[0].eval(p)
        for child in self.children[1:]:
            d2, i2 = child.eval(p)
            closer = d2 < d
            idx = np.where(closer, i2, idx)
            d = smin(d, d2, self.k) if self.k > 0 else np.minimum(d, d2)
        return d, idx

    def prune(self, keep, margin=0.0):
        if not keep(self.center, self.radius + margin):
            return None
        kept = [c.prune(keep, margin + self.k) for c in self.children]
        kept = [c for c in kept if c is not None]
        if not kept:
            return None
        if len(kept) == 1:
            return kept[0]
        return Group(kept, self.k)

    def leaves(self):
        return [leaf for c in self.children for leaf in c.leaves()]


class BlendEach(Node):
    """``base`` blended smoothly with each of ``parts`` separately, the parts joined by a hard union: a
    palm that flows into every finger while the fingers keep clean gaps between them."""

    def __init__(self, base: Node, parts: list[Node], k: float) -> None:
        self.base = base
        self.parts = [p for p in parts if p is not None]
        self.k = float(k)
        self.center, self.radius = _enclose([base] + self.parts, self.k * 0.25)

    def eval(self, p):
        db, ib = self.base.eval(p)
        d, idx = db, ib
        for part in self.parts:
            d2, i2 = part.eval(p)
            blended = smin(db, d2, self.k)
            better = blended < d
            idx = np.where(better, np.where(d2 < db, i2, ib), idx)
            d = np.minimum(d, blended)
        return d, idx

    def prune(self, keep, margin=0.0):
        if not keep(self.center, self.radius + margin):
            return None
        base = self.base.prune(keep, margin + self.k)
        parts = [q for q in (p.prune(keep, margin + self.k) for p in self.parts) if q is not None]
        if base is None:
            return Group(parts) if len(parts) > 1 else (parts[0] if parts else None)
        if not parts:
            return base
        return BlendEach(base, parts, self.k)

    def leaves(self):
        return self.base.leaves() + [leaf for p in self.parts for leaf in p.leaves()]


class Scene:
    """The root of a model plus a flat list of its leaves (their ``index`` is the id eval returns)."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.leaf_list = root.leaves()
        for i, leaf in enumerate(self.leaf_list):
            leaf.index = i


@dataclass(frozen=True)
class TaperedBox:
    """A rounded slab whose half-width (x) and half-thickness (z) change linearly from y = -hy (index 0)
    to y = +hy (index 1): a palm, a sole, a trunk. Distances are scaled to stay a lower bound."""
    hx0: float
    hx1: float
    hy: float
    hz0: float
    hz1: float
    r: float

    def bound(self) -> tuple[np.ndarray, float]:
        return np.zeros(3), float(np.linalg.norm([max(self.hx0, self.hx1), self.hy, max(self.hz0, self.hz1)]))

    def distance(self, p: np.ndarray) -> np.ndarray:
        t = np.clip((p[1] + F32(self.hy)) / F32(2 * self.hy), 0, 1)
        hx = F32(self.hx0) + (F32(self.hx1) - F32(self.hx0)) * t
        hz = F32(self.hz0) + (F32(self.hz1) - F32(self.hz0)) * t
        sx = hx / F32(max(self.hx0, self.hx1))
        sz = hz / F32(max(self.hz0, self.hz1))
        box = RoundBox(max(self.hx0, self.hx1), self.hy, max(self.hz0, self.hz1), self.r)
        q = np.stack([p[0] / sx, p[1], p[2] / sz])
        return box.distance(q) * np.minimum(np.minimum(sx, sz), F32(1.0))


class Subtract(Node):
    """``node`` with ``cutter`` carved out, the edge rounded over ``k`` (eye sockets, the hollow of an ear)."""

    def __init__(self, node: Node, cutter: Node, k: float) -> None:
        self.node = node
        self.cutter = cutter
        self.k = float(k)
        self.center, self.radius = node.center, node.radius

    def eval(self, p):
        d, idx = self.node.eval(p)
        dc, _ = self.cutter.eval(p)
        h = np.maximum(F32(self.k) - np.abs(d + dc), 0) / F32(self.k)
        return np.maximum(d, -dc) + h * h * F32(self.k * 0.25), idx

    def prune(self, keep, margin=0.0):
        node = self.node.prune(keep, margin)
        if node is None:
            return None
        cutter = self.cutter.prune(keep, margin + self.k)
        return node if cutter is None else Subtract(node, cutter, self.k)

    def leaves(self):
        return self.node.leaves()
