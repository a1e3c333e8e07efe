"""A right foot and lower leg as a posable signed distance model.

Foot frame, in centimetres: origin at the ankle joint, +y towards the toes, +z up, so the sole faces -z and
the big toe of a RIGHT foot lies towards -x (medial). The floor would be at z = -7. Postures turn the foot
about the ankle; the leg stays put. A left foot is the mirror image of the rendered right foot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import frame_from, rot_x, rot_y, rot_z, smoothstep, vec
from .materials import SkinTone, line_darkening, nail_albedo, nail_displacement, skin_base
from .noise import fbm3
from .render import Surface, points_by_leaf
from .sdf import F32, BlendEach, Ellipsoid, Group, Leaf, RoundCone, Scene, TaperedBox
from .skeleton import Build, Segment, chain

TOES = ("big", "second", "third", "fourth", "little")
POSTURES = ("neutral", "pointed", "pulled_up", "turned_in", "turned_out", "toes_curled")
VIEWS = ("top", "sole", "inner", "outer")


@dataclass(frozen=True)
class ToeSpec:
    mtp: tuple[float, float, float]
    fan: float                      # degrees towards the little-toe side (+x)
    lengths: tuple[float, ...]
    radii: tuple[float, ...]


TOE_SPECS = {
    "big": ToeSpec((-2.95, 14.7, -4.7), -4.0, (3.0, 2.75), (1.42, 1.30, 1.16)),
    "second": ToeSpec((-0.8, 15.1, -5.0), 1.0, (2.55, 1.25, 1.0), (0.82, 0.74, 0.69, 0.64)),
    "third": ToeSpec((0.85, 14.5, -5.2), 4.0, (2.25, 1.1, 0.92), (0.78, 0.70, 0.65, 0.61)),
    "fourth": ToeSpec((2.35, 13.55, -5.4), 8.0, (1.95, 1.0, 0.85), (0.74, 0.67, 0.62, 0.58)),
    "little": ToeSpec((3.65, 12.35, -5.6), 13.0, (1.6, 0.85, 0.78), (0.69, 0.62, 0.58, 0.55)),
}
TOE_DECLINATION = 14.0   # the toes leave the ball pointing slightly down


BUILDS = {"slender": Build("slender", 0.97, 0.92), "sturdy": Build("sturdy", 1.03, 1.1)}


@dataclass(frozen=True)
class FootPosture:
    plantar: float       # ankle plantarflexion (+, toes down) / dorsiflexion (-)
    inversion: float     # sole turned towards the midline (+) or away (-)
    adduction: float     # toes pointing towards the midline (+) or away (-)
    big_toe: tuple[float, float]               # MTP, IP flexion
    toes: tuple[float, float, float]           # MTP, PIP, DIP flexion of the lesser toes


FOOT_POSTURES = {
    "neutral": FootPosture(0, 0, 0, (-6, 4), (-8, 38, -12)),
    "pointed": FootPosture(42, 4, 4, (6, 8), (4, 40, -5)),
    "pulled_up": FootPosture(-22, -2, -2, (-32, -6), (-28, 22, -8)),
    "turned_in": FootPosture(14, 28, 16, (-4, 4), (-6, 38, -10)),
    "turned_out": FootPosture(-4, -18, -16, (-6, 4), (-8, 36, -12)),
    "toes_curled": FootPosture(6, 0, 0, (32, 48), (34, 72, 42)),
}


@dataclass
class FootPose:
    segments: list[Segment]
    rotation: np.ndarray        # the ankle rotation applied to the foot
    joints: dict[str, np.ndarray]
    build: Build


def ankle_rotation(p: FootPosture) -> np.ndarray:
    return rot_z(p.adduction) @ rot_y(p.inversion) @ rot_x(-p.plantar)


def pose_foot(posture: str, build: Build) -> FootPose:
    p = FOOT_POSTURES[posture]
    rot = ankle_rotation(p)
    scale = np.array([build.girth, build.length, 1.0])
    segments = []
    for name in TOES:
        spec = TOE_SPECS[name]
        origin = rot @ (vec(*spec.mtp) * scale)
        frame = rot @ rot_z(-spec.fan) @ rot_x(-TOE_DECLINATION)
        flex = p.big_toe if name == "big" else p.toes
        lengths = [v * build.length for v in spec.lengths]
        radii = [v * build.girth for v in spec.radii]
        segments += chain(name, origin, frame, lengths, radii, flex, 0.8)
    joints = {"ankle": vec(0, 0, 0), "heel": rot @ vec(0.3, -5.6 * build.length, -4.8),
              "dorsum": rot @ vec(-0.4, 6.0 * build.length, -1.6), "sole": rot @ vec(0.0, 8.0 * build.length, -6.9)}
    for name in TOES:
        segs = [s for s in segments if s.name == name]
        joints[f"{name}_toe_base"] = segs[0].start
        joints[f"{name}_toe_tip"] = segs[-1].end + segs[-1].frame[:, 1] * segs[-1].r1
    return FootPose(segments, rot, joints, build)


def build_foot_scene(pose: FootPose, leg_length: float = 40.0) -> Scene:
    b = pose.build
    g, ln = b.girth, b.length
    rot = pose.rotation

    def foot_leaf(shape, x, y, z, frame=None, **kw) -> Leaf:
        f = np.eye(3) if frame is None else frame
        return Leaf(shape, rot @ vec(x * g, y * ln, z), rot @ f, tag={"kind": "foot", **kw.pop("tag", {})}, **kw)

    def column(a, b, r0, r1) -> Leaf:
        a = rot @ (vec(*a) * np.array([g, ln, 1.0]))
        b_ = rot @ (vec(*b) * np.array([g, ln, 1.0]))
        return Leaf(RoundCone(r0 * g, r1 * g, float(np.linalg.norm(b_ - a))), a, frame_from(b_ - a, rot @ vec(0, 0, 1)),
                    tag={"kind": "foot"})

    body = [
        foot_leaf(Ellipsoid(2.6 * g, 3.5 * ln, 2.5), 0.4, -1.4, -4.6, rot_x(24)),                  # heel
        foot_leaf(Ellipsoid(2.6 * g, 3.0, 2.5), 0.0, 1.0, -0.9),                                    # talus
        column((-1.0, 1.6, -1.3), (-2.95, 14.4, -4.75), 2.0, 1.5),                                 # medial arch
        column((-0.3, 3.0, -1.6), (-0.85, 14.8, -5.0), 1.3, 0.85),
        column((0.6, 3.5, -2.0), (0.8, 14.2, -5.2), 1.2, 0.82),
        column((1.4, 3.6, -2.8), (2.3, 13.3, -5.4), 1.15, 0.8),
        column((2.0, -0.5, -4.8), (3.6, 12.0, -5.7), 1.45, 0.9),                                   # lateral border
        foot_leaf(Ellipsoid(1.7 * g, 6.5 * ln, 1.1), 2.1, 5.0, -5.9),                              # lateral sole pad
        foot_leaf(Ellipsoid(4.6 * g, 2.1 * ln, 1.5), -0.3, 13.3, -5.55, rot_z(-11)),               # ball
        foot_leaf(TaperedBox(2.4 * g, 4.1 * g, 6.0 * ln, 1.6, 1.3, 1.0), 0.6, 6.8, -5.0, rot_z(-6)),  # sole
    ]
    n_body = len(body)
    # the long extensor tendons of the big and second toe show as faint ridges on the instep
    for name, r in (("big", 0.17), ("second", 0.1)):
        spec = TOE_SPECS[name]
        start = vec(spec.mtp[0] * 0.4 * g, 2.0 * ln, 0.5)
        end = vec(spec.mtp[0] * g, spec.mtp[1] * ln - 1.5, spec.mtp[2] + 1.15)
        axis = end - start
        body.append(Leaf(RoundCone(r, r * 0.8, float(np.linalg.norm(axis))), rot @ start,
                         rot @ frame_from(axis, vec(0, 0, 1)), tag={"kind": "foot"}))
    taper = min(leg_length / 40.0, 1.0)
    achilles_foot = rot @ vec(0.25, -3.7, -3.0)
    achilles_top = vec(0.2, -2.6, min(9.0, leg_length - 1.0))
    leg = [
        Leaf(RoundCone(2.7 * g, (2.7 + 1.5 * taper) * g, leg_length, 1.0, 1.1), vec(0.1, -0.6, 0.5),
             frame_from(vec(0, -0.04, 1), vec(0, 1, 0)), tag={"kind": "leg"}),
        # the Achilles tendon runs from the heel bone (which turns with the foot) up the back of the leg
        Leaf(RoundCone(0.95, 1.35, float(np.linalg.norm(achilles_top - achilles_foot))), achilles_foot,
             frame_from(achilles_top - achilles_foot, vec(0, 1, 0)), tag={"kind": "leg"}),
        Leaf(Ellipsoid(0.7, 0.9, 1.05), vec(-2.45 * g, 0.35, 0.7), tag={"kind": "leg"}),              # medial malleolus
        Leaf(Ellipsoid(0.65, 0.85, 1.05), vec(2.5 * g, -0.75, -0.3), tag={"kind": "leg"}),            # lateral malleolus
    ]
    if leg_length > 20:
        leg.append(Leaf(Ellipsoid(4.3 * g, 4.1 * g, 10.0), vec(0.4, -1.8, 24.0), tag={"kind": "leg"}))   # calf
    foot = Group([Group(body[:n_body], 2.0), Group(body[n_body:], 0.5)], 0.8)
    toes = []
    for name in TOES:
        leaves = []
        for s in (s for s in pose.segments if s.name == name):
            length = s.length
            last = s.seg == len(TOE_SPECS[name].lengths) - 1
            disp = nail_displacement(length, s.r1) if last else None
            leaves.append(Leaf(RoundCone(s.r0, s.r1, length, 1.08 if name == "big" else 1.04, 0.88), s.start, s.frame,
                               tag={"kind": "toe", "toe": name, "seg": s.seg, "last": last, "length": length,
                                    "radius": s.r1}, displace=disp, displace_max=0.05 if disp else 0.0))
        toes.append(Group(leaves, 0.35))
    return Scene(Group([BlendEach(foot, toes, 0.7), Group(leg, 1.0)], 1.6))


def foot_surface(scene: Scene, pose: FootPose, tone: SkinTone, seed: int = 0):
    leaves = scene.leaf_list
    inv = pose.rotation.T.astype(F32)

    def surface(leaf_ids: np.ndarray, p: np.ndarray, n: np.ndarray) -> Surface:
        out = Surface.uniform(p.shape[1], 0.18, 16.0, 1.0)
        albedo, spec, gloss, sss = out.albedo, out.spec, out.gloss, out.sss
        for leaf, sel in points_by_leaf(leaves, leaf_ids):
            ps, ns = p[:, sel], n[:, sel]
            kind = leaf.tag.get("kind")
            if kind == "leg":
                base = skin_base(tone, np.zeros(sel.size, F32), ps, seed)
                albedo[:, sel] = base
                continue
            fn = inv @ ns            # normal in the foot frame: -z is the sole
            fp = inv @ ps
            sole = smoothstep(-0.35, -0.8, fn[2])
            if kind == "toe":
                local_p = leaf.to_local(ps)
                local_n = leaf.frame.T.astype(F32) @ ns
                sole = np.maximum(sole, smoothstep(0.0, -0.6, local_n[2]))
                base = skin_base(tone, sole, ps, seed)
                dark = _toe_creases(leaf, local_p, local_n)
                if leaf.tag["last"]:
                    base, nail = nail_albedo(tone, base, local_p, leaf.tag["length"], leaf.tag["radius"])
                    spec[sel] = 0.18 + 0.45 * nail
                    gloss[sel] = 16 + 50 * nail
                    dark = dark * (1 - nail)
                albedo[:, sel] = base * (1 - F32(tone.crease) * np.clip(dark, 0, 1.2)[None])
            else:
                base = skin_base(tone, sole, ps, seed)
                # fine wrinkles across the sole, stronger at the ball and under the arch
                ridge = 1 - np.abs(2 * fbm3(fp[0] * F32(0.9), fp[1] * F32(2.2), fp[2] * F32(0.9), 2, seed + 31) - 1)
                wr = ridge ** 10 * sole * F32(0.45)
                heel_tint = smoothstep(-1.0, -4.0, fp[1]) * sole * F32(0.08)
                base = base * (1 + heel_tint * np.array([0.02, 0.0, -0.12], F32)[:, None])
                albedo[:, sel] = base * (1 - F32(tone.crease) * wr[None])
        return out

    return surface


def _toe_creases(leaf: Leaf, p: np.ndarray, n: np.ndarray) -> np.ndarray:
    y, length = p[1], leaf.tag["length"]
    palmar = smoothstep(0.1, -0.45, n[2])
    dorsal = smoothstep(0.25, 0.8, n[2])
    out = np.zeros_like(y)
    if not leaf.tag["last"]:
        out += line_darkening(np.abs(y - F32(length)), 0.035) * palmar * F32(0.6)
        out += line_darkening(np.abs(y - F32(length - 0.12)), 0.03) * dorsal * F32(0.4)
        out += line_darkening(np.abs(y - F32(length + 0.1)), 0.03) * dorsal * F32(0.35)
    if leaf.tag["seg"] == 0:
        out += line_darkening(np.abs(y - F32(0.15)), 0.04) * palmar * F32(0.6)
    return out


# --- camera set-ups -------------------------------------------------------------------------------------

# direction from the foot towards the camera, and the picture's up direction
VIEW_SETUPS = {
    "top": (vec(0.0, 0.5, 1.0), vec(0, 1, 0)),          # from above, toes at the top, the shin leaving below
    "sole": (vec(0.0, 0.1, -1.0), vec(0, 1, 0)),        # from below: the sole, toes at the top, leg hidden
    "inner": (vec(-1.0, 0.0, 0.15), vec(0, 0, 1)),      # from the midline side (medial, right foot: -x)
    "outer": (vec(1.0, 0.0, 0.15), vec(0, 0, 1)),
}
PX_PER_CM = 14.0


def foot_spheres(pose: FootPose) -> list[tuple[np.ndarray, float]]:
    rot, b = pose.rotation, pose.build
    pts = [(rot @ vec(0.3, -5.0 * b.length, -4.6), 2.4), (rot @ vec(0, 3.0, -1.5), 2.8), (rot @ vec(-3.0, 13.5, -5), 1.8),
           (rot @ vec(3.6, 11.5, -5.5), 1.3), (vec(0, -0.5, 4.0), 3.0)]
    pts += [(s.end, s.r1 + 0.2) for s in pose.segments]
    return pts


def foot_shot(view: str, posture: str, build: str, tone: str, *, light_side: int = 1, yaw: float = 0.0,
              pitch: float = 0.0, size: int = 512, zoom: float = 1.0, seed: int = 0):
    from .geometry import axis_angle
    from .materials import SKIN_TONES
    from .stage import Shot, frame_subject, look_from, studio_lighting

    pose = pose_foot(posture, BUILDS[build])
    # seen from below, the leg runs away behind the foot: a short one keeps its cut end out of sight
    scene = build_foot_scene(pose, leg_length=4.0 if view == "sole" else 40.0)
    spheres = foot_spheres(pose)
    centres = np.array([c for c, _ in spheres])
    target = (centres.min(axis=0) + centres.max(axis=0)) / 2
    direction, up = VIEW_SETUPS[view]
    direction = axis_angle(up, yaw) @ direction
    direction = axis_angle(np.cross(up, direction), -pitch) @ direction
    cam = look_from(target, direction, up, 100.0, 20.0, size)
    cam = frame_subject(cam, spheres, PX_PER_CM * zoom * size / 512, 0.80 * zoom)
    surface = foot_surface(scene, pose, SKIN_TONES[tone], seed)
    return Shot(scene, cam, studio_lighting(cam, light_side), surface, dict(pose.joints), cell=0.35,
                info={"pose": pose})
