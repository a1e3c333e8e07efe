"""A right hand (and forearm) as a posable signed distance model.

Hand frame, in centimetres: origin at the centre of the wrist, +y towards the fingertips, +z out of the
back of the hand (dorsal), so the palm faces -z and the thumb of a RIGHT hand lies towards -x. A left hand
is never modelled: it is the exact mirror image of the rendered right hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geometry import axis_angle, frame_from, normalize, rot_x, rot_z, smoothstep, vec
from .materials import (SkinTone, bezier, line_darkening, nail_albedo, nail_displacement, polyline_distance,
                        skin_base, srgb_to_linear)
from .render import Surface, points_by_leaf
from .sdf import F32, BlendEach, Ellipsoid, Group, Leaf, RoundCone, Scene, TaperedBox
from .skeleton import Build, Segment, chain, segment_sphere_gap

FINGERS = ("index", "middle", "ring", "little")
POSTURES = ("flat", "fist", "pointing", "thumb_up", "pinch", "spread", "ok_sign", "claw", "cupped",
            "holding_ball")
VIEWS = ("dorsal", "palmar", "thumb_side", "little_finger_side")


@dataclass(frozen=True)
class FingerSpec:
    mcp: tuple[float, float, float]       # knuckle (metacarpophalangeal joint) centre
    fan: float                             # resting splay, degrees towards the little-finger side (+x)
    lengths: tuple[float, float, float]    # proximal, middle, distal phalanx (joint to joint / tip)
    radii: tuple[float, float, float, float]  # at MCP, PIP, DIP, tip
    base: tuple[float, float, float]       # carpal end of the metacarpal


FINGER_SPECS = {
    "index": FingerSpec((-2.45, 9.30, 0.05), -4.0, (4.15, 2.5, 2.0), (0.90, 0.80, 0.70, 0.63), (-1.45, 1.9, 0.35)),
    "middle": FingerSpec((-0.68, 9.75, 0.10), -1.0, (4.65, 2.9, 2.1), (0.92, 0.82, 0.72, 0.65), (-0.35, 1.8, 0.40)),
    "ring": FingerSpec((1.05, 9.40, 0.05), 3.0, (4.35, 2.8, 2.05), (0.86, 0.77, 0.68, 0.61), (0.70, 2.0, 0.35)),
    "little": FingerSpec((2.58, 8.50, -0.10), 8.0, (3.45, 2.1, 1.85), (0.76, 0.67, 0.60, 0.54), (1.65, 2.3, 0.20)),
}
THUMB_CMC = (-2.05, 1.95, -0.55)
THUMB_LENGTHS = (4.4, 3.2, 2.55)
THUMB_RADII = (1.08, 0.96, 0.86, 0.76)


BUILDS = {"slender": Build("slender", 0.98, 0.90), "sturdy": Build("sturdy", 1.03, 1.10)}


@dataclass
class Posture:
    fingers: dict[str, tuple[float, float, float, float]]   # abduction, MCP, PIP, DIP flexion (degrees)
    thumb: tuple[float, float, float, float, float]          # extension, palmar abduction, roll, MCP, IP
    thumb_target: str | None = None    # solve the thumb so its pad meets this (see _thumb_target)
    ball: float = 0.0                  # radius of a ball held in the hand (0 = none)


def _fist(abd: float = 0.0) -> tuple[float, float, float, float]:
    return (abd, 90.0, 106.0, 64.0)


POSTURE_ANGLES: dict[str, Posture] = {
    "flat": Posture({"index": (1, 4, 5, 3), "middle": (0, 4, 5, 3), "ring": (-2, 5, 6, 3), "little": (-4, 6, 8, 4)},
                    (25, 14, 55, 8, 8)),
    "spread": Posture({"index": (-13, 0, 2, 0), "middle": (-2, 0, 2, 0), "ring": (8, 0, 3, 0), "little": (20, 2, 4, 2)},
                      (58, 10, 45, 0, -8)),
    "fist": Posture({"index": _fist(2), "middle": _fist(0), "ring": _fist(-2), "little": _fist(-5)},
                    (10, 30, 90, 35, 25), thumb_target="fist"),
    "pointing": Posture({"index": (0, 4, 4, 2), "middle": _fist(0), "ring": _fist(-2), "little": _fist(-5)},
                        (10, 30, 90, 35, 25), thumb_target="fist_without_index"),
    "thumb_up": Posture({"index": _fist(2), "middle": _fist(0), "ring": _fist(-2), "little": _fist(-5)},
                        (22, 10, 70, 0, -5)),
    "pinch": Posture({"index": (0, 56, 60, 22), "middle": (3, 18, 24, 10), "ring": (5, 22, 28, 12), "little": (9, 26, 32, 14)},
                     (25, 40, 95, 15, 10), thumb_target="index_tip"),
    "ok_sign": Posture({"index": (0, 45, 62, 30), "middle": (-2, 8, 8, 4), "ring": (4, 10, 10, 5), "little": (12, 14, 12, 6)},
                       (25, 40, 95, 20, 15), thumb_target="index_tip"),
    "claw": Posture({"index": (-4, -12, 78, 62), "middle": (-1, -12, 80, 64), "ring": (3, -10, 80, 64), "little": (8, -8, 78, 60)},
                    (35, 20, 70, 25, 50)),
    "cupped": Posture({"index": (2, 24, 26, 12), "middle": (0, 25, 28, 12), "ring": (-2, 27, 30, 13), "little": (-5, 30, 32, 14)},
                      (5, 12, 60, 15, 10)),
    "holding_ball": Posture({"index": (-6, 0, 0, 0), "middle": (-1, 0, 0, 0), "ring": (4, 0, 0, 0), "little": (10, 0, 0, 0)},
                            (20, 55, 100, 10, 10), ball=3.4),
}


@dataclass
class HandPose:
    """Joint positions and bone segments of a posed right hand, in the hand frame."""
    segments: list[Segment]
    joints: dict[str, np.ndarray]
    ball_center: np.ndarray | None = None
    ball_radius: float = 0.0
    build: Build = field(default_factory=lambda: BUILDS["slender"])


def finger_segments(name: str, angles, build: Build) -> list[Segment]:
    spec = FINGER_SPECS[name]
    abd, mcp, pip, dip = angles
    origin = vec(*spec.mcp) * np.array([build.girth, build.length, 1.0])
    lengths = [v * build.length for v in spec.lengths]
    radii = [v * build.girth for v in spec.radii]
    frame = rot_z(-(spec.fan + abd))
    return chain(name, origin, frame, lengths, radii, (mcp, pip, dip), 0.85)


def thumb_segments(angles, build: Build) -> list[Segment]:
    ext, abd, roll, mcp, ip = angles
    d = rot_z(ext) @ vec(0, 1, 0)
    d = axis_angle(np.cross(d, vec(0, 0, -1)), abd) @ d
    z0 = vec(0, 0, 1) - d * d[2]
    z0 = axis_angle(d, -roll) @ normalize(z0)
    frame = frame_from(d, z0)
    origin = vec(*THUMB_CMC) * np.array([build.girth, build.length, 1.0])
    lengths = [v * build.length for v in THUMB_LENGTHS]
    radii = [v * build.girth for v in THUMB_RADII]
    # the first "flexion" is 0: the metacarpal direction is already set by extension/abduction/roll
    return chain("thumb", origin, frame, lengths, radii, (0.0, mcp, ip), 0.85)


def _tip(segs: list[Segment]) -> tuple[np.ndarray, Segment]:
    return segs[-1].end, segs[-1]


def _thumb_target(posture: Posture, fingers: dict[str, list[Segment]], build: Build, r_thumb: float) -> np.ndarray | None:
    if posture.thumb_target == "index_tip":
        end, seg = _tip(fingers["index"])
        # pad to pad: the thumb tip sits in front of the index pad, slightly distal
        return end - seg.frame[:, 2] * (seg.r1 + r_thumb) * 0.92 + seg.frame[:, 1] * 0.15
    if posture.thumb_target in ("fist", "fist_without_index"):
        # the thumb lies across the middle phalanges of the curled fingers
        mid = fingers["middle"][1]
        other = fingers["index" if posture.thumb_target == "fist" else "ring"][1]
        centre = (mid.start + mid.end) / 2 * 0.45 + (other.start + other.end) / 2 * 0.55
        # outside the curled middle phalanges (their backs face palmar-outward in a fist)
        return centre + mid.frame[:, 2] * (mid.r0 + r_thumb) * 0.95
    return None


THUMB_LIMITS = ((-10.0, 70.0), (-10.0, 80.0), (30.0, 130.0), (-15.0, 70.0), (-20.0, 85.0))


def _solve_thumb(angles, target: np.ndarray, build: Build) -> tuple[float, ...]:
    """Levenberg-Marquardt on all five thumb angles so that the tip reaches ``target``, gently pulled
    towards the posture's own angles and kept within joint limits. Deterministic (fixed steps)."""
    x0 = np.array(angles, dtype=np.float64)
    x = x0.copy()
    prior = 0.006       # cm per degree: a soft preference for the posture's angles
    lo = np.array([a for a, _ in THUMB_LIMITS])
    hi = np.array([b for _, b in THUMB_LIMITS])

    def residual(v: np.ndarray) -> np.ndarray:
        tip = thumb_segments(tuple(v), build)[-1].end
        return np.concatenate([tip - target, prior * (v - x0)])

    lam = 1e-2
    r = residual(x)
    for _ in range(80):
        jac = np.zeros((r.size, 5))
        for k in range(5):
            step = np.zeros(5)
            step[k] = 0.25
            jac[:, k] = (residual(x + step) - r) / 0.25
        a = jac.T @ jac
        dx = -np.linalg.solve(a + lam * np.diag(np.diag(a) + 1e-9), jac.T @ r)
        trial = np.clip(x + np.clip(dx, -10, 10), lo, hi)
        r_trial = residual(trial)
        if r_trial @ r_trial < r @ r:
            x, r, lam = trial, r_trial, max(lam * 0.3, 1e-4)
        else:
            lam *= 4
        if np.linalg.norm(r[:3]) < 0.01:
            break
    return tuple(x)


def _curl_to_ball(name: str, angles, build: Build, centre: np.ndarray, radius: float) -> list[Segment]:
    """Flex a finger (MCP:PIP:DIP = 1 : 1.1 : 0.6) until its pad touches the ball."""
    lo, hi = 0.0, 90.0
    for _ in range(30):
        mid = (lo + hi) / 2
        a = (angles[0], mid, mid * 1.1, mid * 0.6)
        segs = finger_segments(name, a, build)
        touching = any(segment_sphere_gap(s, centre, radius) < 0 for s in segs)
        lo, hi = (lo, mid) if touching else (mid, hi)
    return finger_segments(name, (angles[0], lo, lo * 1.1, lo * 0.6), build)


def pose_hand(posture_name: str, build: Build) -> HandPose:
    posture = POSTURE_ANGLES[posture_name]
    ball_center = None
    if posture.ball:
        ball_center = vec(-0.7, 8.4, -posture.ball - 1.9) * np.array([build.girth, build.length, 1.0])
        fingers = {n: _curl_to_ball(n, posture.fingers[n], build, ball_center, posture.ball) for n in FINGERS}
    else:
        fingers = {n: finger_segments(n, posture.fingers[n], build) for n in FINGERS}
    thumb_angles = posture.thumb
    if ball_center is not None:
        thumb_angles = _thumb_around_ball(thumb_angles, build, ball_center, posture.ball)
    else:
        target = _thumb_target(posture, fingers, build, THUMB_RADII[3] * build.girth)
        if target is not None:
            thumb_angles = _solve_thumb(thumb_angles, target, build)
    thumb = thumb_segments(thumb_angles, build)
    segments = [s for n in FINGERS for s in fingers[n]] + thumb
    joints = {"wrist": vec(0, 0, 0), "palm_centre_palmar": vec(0.3, 5.0 * build.length, -1.4),
              "palm_centre_dorsal": vec(0.0, 5.0 * build.length, 1.2)}
    for n in FINGERS + ("thumb",):
        segs = fingers[n] if n != "thumb" else thumb
        joints[f"{n}_base"] = segs[0].start
        joints[f"{n}_tip"] = segs[-1].end + segs[-1].frame[:, 1] * segs[-1].r1
    return HandPose(segments, joints, ball_center, posture.ball, build)


def _thumb_around_ball(angles, build: Build, centre: np.ndarray, radius: float) -> tuple[float, ...]:
    """Flex the thumb's MCP/IP until the pad rests on the ball."""
    lo, hi = -10.0, 60.0
    for _ in range(30):
        mid = (lo + hi) / 2
        segs = thumb_segments((angles[0], angles[1], angles[2], mid, mid), build)
        touching = any(segment_sphere_gap(s, centre, radius) < 0 for s in segs[1:])
        lo, hi = (lo, mid) if touching else (mid, hi)
    return (angles[0], angles[1], angles[2], lo, lo)


# --- the distance model ---------------------------------------------------------------------------------

def build_hand_scene(pose: HandPose) -> Scene:
    b = pose.build
    g, ln = b.girth, b.length

    def at(x, y, z):
        return vec(x * g, y * ln, z)

    palm_parts = [
        Leaf(TaperedBox(2.45 * g, 3.25 * g, 3.65 * ln, 1.20, 0.95, 0.85), at(-0.05, 5.4, -0.15),
             tag={"kind": "palm"}),
        Leaf(Ellipsoid(1.5 * g, 2.7 * ln, 1.1), at(-2.05, 3.7, -0.72), rot_z(28), tag={"kind": "palm"}),
        Leaf(Ellipsoid(1.0 * g, 2.9 * ln, 0.9), at(2.3, 4.9, -0.5), rot_z(-4), tag={"kind": "palm"}),
        Leaf(Ellipsoid(3.1 * g, 1.15 * ln, 0.75), at(0.1, 8.55, -0.7), rot_z(-8), tag={"kind": "palm"}),
    ]
    bones = []
    for n in FINGERS:
        spec = FINGER_SPECS[n]
        base, head = at(*spec.base) + vec(0, 0, -0.3), at(*spec.mcp) + vec(0, -0.2, -0.08)
        r_head = spec.radii[0] * g * 0.9
        bones.append(Leaf(RoundCone(0.6 * g, r_head, float(np.linalg.norm(head - base))), base,
                          frame_from(head - base, vec(0, 0, 1)), tag={"kind": "palm"}))
        # the knuckle: the metacarpal head stands out on the back of the hand
        bones.append(Leaf(Ellipsoid(0.55 * g, 0.6, 0.4), head + vec(0, 0.1, 0.62), tag={"kind": "palm"}))
    tendons = []
    for n in FINGERS:
        spec = FINGER_SPECS[n]
        head = at(*spec.mcp) + vec(0, -0.5, 0)
        foot = at(spec.base[0] * 0.7, 1.0, 0.0)
        axis = head - foot
        tendons.append(Leaf(RoundCone(0.13, 0.16, float(np.linalg.norm(axis))), foot + vec(0, 0, 0.96),
                            frame_from(axis, vec(0, 0, 1)), tag={"kind": "palm"}))
    wrist = [
        Leaf(Ellipsoid(2.45 * g, 1.5, 1.45), at(0.0, 0.7, 0.0), tag={"kind": "palm"}),
        Leaf(RoundCone(2.4 * g, 3.1 * g, 16.0, 1.0, 0.74), at(0.0, -1.4, 0.0), frame_from(vec(0, -1, 0), vec(0, 0, 1)),
             tag={"kind": "arm"}),
    ]
    # the first web space between thumb and index finger
    t_base = next(s_ for s_ in pose.segments if s_.name == "thumb" and s_.seg == 1).start
    i_head = at(*FINGER_SPECS["index"].mcp)
    web_centre = t_base * 0.55 + i_head * 0.45 + vec(0, -0.6, -0.1)
    web = Leaf(Ellipsoid(0.55, float(np.linalg.norm(i_head - t_base)) * 0.5, 0.9), web_centre,
               frame_from(i_head - t_base, vec(0, 0, 1)), tag={"kind": "palm"})
    palm = Group([Group(palm_parts + [web], 0.9), Group(bones, 0.7), Group(tendons, 0.4), Group(wrist, 1.2)], 0.9)

    digits = []
    for n in FINGERS + ("thumb",):
        segs = [s for s in pose.segments if s.name == n]
        leaves = []
        for s in segs:
            length = float(np.linalg.norm(s.end - s.start))
            flat = 0.9 if s.seg == 2 else 0.95
            disp = nail_displacement(length, s.r1) if s.seg == 2 else None
            leaves.append(Leaf(RoundCone(s.r0, s.r1, length, 1.05, flat), s.start, s.frame,
                               tag={"kind": "digit", "finger": n, "seg": s.seg, "length": length, "radius": s.r1},
                               displace=disp, displace_max=0.05 if disp else 0.0))
            if s.seg >= 1 and not (n == "thumb" and s.seg == 1):
                # the bony knuckle on the back of a finger joint, visible when the finger bends
                leaves.append(Leaf(Ellipsoid(s.r0 * 0.5, s.r0 * 0.45, s.r0 * 0.36), s.start + s.frame[:, 2] * s.r0 * 0.52,
                                   s.frame, tag={"kind": "digit", "finger": n, "seg": s.seg, "length": length,
                                                 "radius": s.r1, "decal_origin": s.start}))
        digits.append(Group(leaves, 0.3))
    hand = BlendEach(palm, digits, 0.8)
    if pose.ball_center is not None:
        ball = Leaf(Ellipsoid(pose.ball_radius, pose.ball_radius, pose.ball_radius), pose.ball_center,
                    material="ball", tag={"kind": "ball"})
        return Scene(Group([hand, ball]))
    return Scene(hand)


# --- surface detail -------------------------------------------------------------------------------------

def _palm_lines(build: Build) -> list[tuple[np.ndarray, float]]:
    """Flexion creases of the palm (right hand, palm frame x, y in cm) with their darkness."""
    s = np.array([build.girth, build.length])
    lines = [
        (bezier((3.6, 7.35), (1.0, 7.5), (-1.55, 9.05)), 1.0),        # distal transverse ("heart line")
        (bezier((-3.35, 7.35), (-0.4, 6.7), (2.75, 5.35)), 1.0),      # proximal transverse ("head line")
        (bezier((-3.25, 7.2), (-0.35, 5.2), (-0.55, 0.95)), 1.0),     # thenar crease ("life line")
        (bezier((0.4, 1.6), (0.9, 4.5), (0.2, 8.0)), 0.45),           # longitudinal (fate) line, faint
        (bezier((-2.3, 0.35), (0.0, 0.15), (2.4, 0.4)), 0.8),         # wrist creases
        (bezier((-2.4, -0.45), (0.0, -0.6), (2.5, -0.4)), 0.55),
    ]
    return [(pts * s, k) for pts, k in lines]


def _dorsal_veins(build: Build) -> list[np.ndarray]:
    """The superficial veins on the back of the hand (right hand frame, cm): faint bluish lines."""
    s = np.array([build.girth, build.length])
    veins = [bezier((-1.6, 8.1), (-0.3, 4.8), (-1.0, 0.4)), bezier((1.9, 7.7), (1.5, 4.2), (0.5, 0.6)),
             bezier((-0.5, 4.3), (0.4, 4.9), (1.5, 4.7)), bezier((-2.6, 5.6), (-2.9, 2.6), (-1.9, 0.2)),
             bezier((0.3, 8.3), (0.2, 6.8), (0.5, 5.3))]
    return [pts * s for pts in veins]


def hand_surface(scene: Scene, pose: HandPose, tone: SkinTone, seed: int = 0):
    leaves = scene.leaf_list
    lines = _palm_lines(pose.build)
    veins = _dorsal_veins(pose.build)
    vein_tint = np.array([-0.10, -0.05, 0.01], F32)[:, None] * F32(1.0 if tone.name in ("light", "medium") else 0.4)
    ball_col = srgb_to_linear((206, 222, 70)).astype(F32)

    def surface(leaf_ids: np.ndarray, p: np.ndarray, n: np.ndarray) -> Surface:
        out = Surface.uniform(p.shape[1], 0.22, 18.0, 1.0)
        albedo, spec, gloss, sss = out.albedo, out.spec, out.gloss, out.sss
        for leaf, sel in points_by_leaf(leaves, leaf_ids):
            ps, ns = p[:, sel], n[:, sel]
            kind = leaf.tag.get("kind")
            if kind == "ball":
                fuzz = 0.9 + 0.1 * skin_base(tone, np.zeros(sel.size, F32), ps * 3, seed + 9)[1] / 0.3
                albedo[:, sel] = ball_col[:, None] * np.clip(fuzz, 0.8, 1.1)
                seam = np.abs(np.sin(ps[0] * 0.9 + np.cos(ps[1] * 0.9) * 1.2)) < 0.06
                albedo[:, sel] = np.where(seam[None], F32(0.85), albedo[:, sel])
                spec[sel], gloss[sel], sss[sel] = 0.05, 6.0, 0.0
                continue
            origin = leaf.tag.get("decal_origin", leaf.origin)
            local_p = leaf.frame.T.astype(F32) @ (ps - origin.astype(F32)[:, None])
            local_n = leaf.frame.T.astype(F32) @ ns
            if kind == "digit" and leaf.tag["finger"] == "thumb" and leaf.tag["seg"] == 0:
                local_n = ns    # the thenar eminence is palm skin: judge it in the hand frame
            palmar = smoothstep(0.15, -0.55, local_n[2])
            # palm colour fades out along the wrist into the forearm's paler inner skin
            palmar = palmar * (F32(0.35) + F32(0.65) * smoothstep(-2.5, 0.8, ps[1]))
            base = skin_base(tone, palmar, ps, seed)
            dark = np.zeros(sel.size, dtype=F32)
            if kind in ("palm", "arm"):
                on_back = smoothstep(0.35, 0.75, ns[2])
                vein = np.zeros(sel.size, dtype=F32)
                for pts in veins:
                    dist, t = polyline_distance(ps[0], ps[1], pts)
                    vein = np.maximum(vein, np.exp(-(dist / F32(0.16)) ** 2) * smoothstep(0.0, 0.15, t) * smoothstep(1.0, 0.8, t))
                base = base * (1 + vein_tint * (vein * on_back)[None])
            if kind == "palm":
                on_palm = smoothstep(-0.2, -0.6, ns[2])
                for pts, k in lines:
                    dist, t = polyline_distance(ps[0], ps[1], pts)
                    taper = smoothstep(0.0, 0.12, t) * smoothstep(1.0, 0.85, t)
                    dark += line_darkening(dist, 0.055) * F32(k) * taper * on_palm
            elif kind == "digit":
                dark += _digit_creases(leaf, local_p, local_n)
                if leaf.tag["seg"] == 2:
                    base, nail = nail_albedo(tone, base, local_p, leaf.tag["length"], leaf.tag["radius"])
                    spec[sel] = 0.22 + 0.5 * nail
                    gloss[sel] = 18 + 60 * nail
                    sss[sel] = 1 - 0.5 * nail
                    dark *= 1 - nail
                    tipred = smoothstep(0.4, 1.0, local_p[1] / F32(leaf.tag["length"])) * (1 - nail)
                    base = base * (1 - 0.06 * tipred[None] * np.array([0.0, 1.0, 1.0], F32)[:, None])
            albedo[:, sel] = base * (1 - F32(tone.crease) * np.clip(dark, 0, 1.4)[None])
        return out

    return surface


def _digit_creases(leaf: Leaf, p: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Palmar flexion creases and dorsal knuckle wrinkles along a finger or thumb segment."""
    seg, length, name = leaf.tag["seg"], leaf.tag["length"], leaf.tag["finger"]
    y = p[1]
    palmar = smoothstep(0.1, -0.45, n[2])
    dorsal = smoothstep(0.2, 0.75, n[2])
    across = smoothstep(1.25, 0.6, np.abs(p[0]) / F32(leaf.tag["radius"] * 1.2 + 0.2))
    out = np.zeros_like(y)
    palmar_at: list[tuple[float, float]] = []
    dorsal_at: list[tuple[float, float]] = []
    thumb = name == "thumb"
    if seg == 0 and not thumb:
        palmar_at += [(0.42 * length - 0.05, 0.8), (0.42 * length + 0.05, 0.6), (length - 0.05, 0.9), (length + 0.06, 0.7)]
        dorsal_at += [(length - 0.28, 0.35), (length - 0.02, 0.45), (length + 0.22, 0.35)]
    if seg == 1:
        palmar_at += [(-0.05, 0.9), (0.06, 0.7), (length, 1.0)]
        dorsal_at += [(-0.28, 0.35), (-0.02, 0.45), (0.22, 0.35), (length - 0.05, 0.3), (length + 0.15, 0.25)]
    if seg == 2:
        palmar_at += [(0.0, 1.0)] if not thumb else [(0.0, 1.0), (0.15, 0.6)]
        dorsal_at += [(-0.05, 0.3), (0.15, 0.25)] if not thumb else [(-0.1, 0.4), (0.12, 0.35)]
    curve = F32(0.18) * (p[0] / F32(leaf.tag["radius"])) ** 2
    for yc, k in palmar_at:
        out += line_darkening(np.abs(y - F32(yc) + curve * 0.3), 0.03) * F32(0.55 * k) * palmar
    for yc, k in dorsal_at:
        out += line_darkening(np.abs(y - F32(yc) - curve), 0.03) * F32(0.5 * k) * dorsal * across
    return out


# --- camera set-ups -------------------------------------------------------------------------------------

VIEW_DIRECTIONS = {
    "dorsal": vec(0.0, 0.0, 1.0),
    "palmar": vec(0.0, 0.0, -1.0),
    "thumb_side": vec(-1.0, 0.0, 0.0),
    "little_finger_side": vec(1.0, 0.0, 0.0),
}
# Curled fingers hide behind the knuckles when seen square-on from the back: look a little from the front.
VIEW_PITCH = {("dorsal", "fist"): 22.0, ("dorsal", "pointing"): 18.0, ("dorsal", "thumb_up"): 18.0,
              ("dorsal", "claw"): 12.0, ("dorsal", "pinch"): 12.0, ("dorsal", "holding_ball"): 10.0}
# ... and turn a little towards the thumb where the ring of thumb and index would otherwise hide
VIEW_YAW = {("palmar", "ok_sign"): 28.0, ("palmar", "pinch"): 25.0, ("dorsal", "ok_sign"): -22.0,
            ("dorsal", "pinch"): -25.0}
PX_PER_CM = 17.5   # at 512 px: a flat adult hand (19 cm) spans a little over half the picture


def hand_spheres(pose: HandPose) -> list[tuple[np.ndarray, float]]:
    g, ln = pose.build.girth, pose.build.length
    spheres = [(s.start, s.r0) for s in pose.segments] + [(s.end, s.r1) for s in pose.segments]
    spheres += [(vec(x * g, y * ln, z), 1.2) for x, y, z in ((-3.2, 2.5, -0.5), (3.0, 2.5, -0.3), (-3.3, 8.6, 0), (3.3, 8.4, 0))]
    spheres.append((vec(0, 0.3, 0), 2.4))
    if pose.ball_center is not None:
        spheres.append((pose.ball_center, pose.ball_radius))
    return spheres


def hand_shot(view: str, posture: str, build: str, tone: str, *, light_side: int = 1, yaw: float = 0.0,
              pitch: float = 0.0, size: int = 512, zoom: float = 1.0, seed: int = 0):
    from .geometry import rot_y
    from .materials import SKIN_TONES
    from .stage import Shot, frame_subject, look_from, studio_lighting

    pose = pose_hand(posture, BUILDS[build])
    scene = build_hand_scene(pose)
    spheres = hand_spheres(pose)
    centres = np.array([c for c, _ in spheres])
    target = (centres.min(axis=0) + centres.max(axis=0)) / 2
    yaw = yaw + VIEW_YAW.get((view, posture), 0.0)
    direction = rot_y(yaw) @ rot_x(-(pitch + VIEW_PITCH.get((view, posture), 0.0))) @ VIEW_DIRECTIONS[view]
    cam = look_from(target, direction, vec(0, 1, 0), 100.0, 20.0, size)
    cam = frame_subject(cam, spheres, PX_PER_CM * zoom * size / 512, 0.80 * zoom)
    surface = hand_surface(scene, pose, SKIN_TONES[tone], seed)
    return Shot(scene, cam, studio_lighting(cam, light_side), surface, dict(pose.joints), cell=0.28,
                info={"pose": pose})
