"""A clothed whole figure for the back, neck, shoulder and knee pictures.

World frame, in centimetres: origin on the floor between the feet, +y up, the person faces +z, so the
person's RIGHT is -x. Every rendered picture shows the right-side version (the trunk turning or bending to
the right, the head turning or tilting to the right, the right arm or right leg moving); the left twin is
its exact mirror image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .geometry import axis_angle, frame_from, normalize, rot_x, rot_y, rot_z, smoothstep, vec
from .materials import SkinTone, skin_base, srgb_to_linear
from .noise import fbm3
from .render import Surface, points_by_leaf
from .sdf import F32, Ellipsoid, Group, Leaf, RoundBox, RoundCone, Scene, Subtract, TaperedBox
from .skeleton import Build

PARTS = {
    "back": (("behind", "front"), ("rotation_small", "rotation_medium", "rotation_large", "side_bend_small",
                                   "side_bend_medium", "side_bend_large")),
    "neck": (("front", "back"), ("turn_small", "turn_medium", "turn_large", "tilt_small", "tilt_medium",
                                 "tilt_large")),
    "shoulder": (("front", "back"), ("raised_forward", "raised_side", "behind_back", "across_body", "hand_on_head")),
    "knee": (("front", "side"), ("bent", "straight", "crossed", "kneeling", "step_up")),
}
RIGHT = vec(-1, 0, 0)       # the person's right, in the world frame
UP = vec(0, 1, 0)
FORWARD = vec(0, 0, 1)


BUILDS = {"slender": Build("slender", 1.0, 0.94), "sturdy": Build("sturdy", 0.98, 1.07)}

SHIRTS = ((62, 78, 112), (64, 118, 118), (150, 152, 158), (122, 56, 64), (112, 116, 74), (214, 210, 200))
TROUSERS = ((62, 64, 70), (44, 54, 80), (150, 136, 104), (38, 38, 42))
HAIR = ((44, 34, 30), (74, 52, 38), (112, 80, 52), (180, 150, 104), (150, 146, 140))
IRIS = ((62, 40, 26), (92, 64, 38), (70, 96, 120), (82, 96, 64))


@dataclass(frozen=True)
class Outfit:
    shirt: tuple[int, int, int]
    trousers: tuple[int, int, int]
    hair: tuple[int, int, int]
    bun: bool          # hair gathered in a bun at the back of the head
    iris: tuple[int, int, int]


def outfit_for(seed: int) -> Outfit:
    return Outfit(SHIRTS[seed % len(SHIRTS)], TROUSERS[(seed // 2) % len(TROUSERS)], HAIR[(seed // 3) % len(HAIR)],
                  bool((seed // 5) % 2), IRIS[(seed // 7) % len(IRIS)])


# --- pose ---------------------------------------------------------------------------------------------------

@dataclass
class Bone:
    origin: np.ndarray
    frame: np.ndarray     # columns: the bone's x (person's left), y (along the bone / up), z (forward)

    def at(self, x: float, y: float, z: float) -> np.ndarray:
        return self.origin + self.frame @ vec(x, y, z)

    def leaf(self, shape, offset=(0.0, 0.0, 0.0), local=None, **kw) -> Leaf:
        frame = self.frame if local is None else self.frame @ local
        return Leaf(shape, self.at(*offset), frame, **kw)


@dataclass
class Limb:
    """Two bones solved to reach a target (shoulder-elbow-wrist or hip-knee-ankle)."""
    root: np.ndarray
    mid: np.ndarray
    end: np.ndarray


@dataclass
class FigurePose:
    pelvis: Bone
    lumbar: Bone
    thorax: Bone
    neck: Bone
    head: Bone
    arms: dict[str, Limb]
    legs: dict[str, Limb]
    hands: dict[str, np.ndarray]       # hand frames (y along the fingers, z out of the back of the hand)
    feet: dict[str, np.ndarray]        # foot frames (y towards the toes, z up out of the instep)
    props: list[tuple[str, np.ndarray, tuple[float, float, float]]] = field(default_factory=list)
    build: Build = field(default_factory=lambda: BUILDS["slender"])


def two_bone(root: np.ndarray, target: np.ndarray, l1: float, l2: float, pole: np.ndarray) -> Limb:
    d = target - root
    dist = float(np.clip(np.linalg.norm(d), 1e-3, (l1 + l2) * 0.999))
    axis = normalize(d)
    end = root + axis * dist
    a = (l1 * l1 + dist * dist - l2 * l2) / (2 * dist)
    h = math.sqrt(max(l1 * l1 - a * a, 0.0))
    side = np.asarray(pole, dtype=np.float64) - axis * float(np.dot(pole, axis))
    if np.linalg.norm(side) < 1e-6:
        side = np.cross(axis, vec(1, 0, 0))
    side = normalize(side)
    return Limb(root, root + axis * a + side * h, end)


@dataclass(frozen=True)
class Spine:
    twist: float = 0.0      # trunk rotation to the right (degrees)
    bend: float = 0.0       # trunk side bend to the right
    neck_turn: float = 0.0  # head rotation to the right
    neck_tilt: float = 0.0  # head side bend to the right (ear towards shoulder)
    pelvis_drop: float = 0.0


@dataclass(frozen=True)
class ArmPose:
    target: tuple[float, float, float]     # wrist, relative to the shoulder joint, in the thorax frame
    pole: tuple[float, float, float]       # where the elbow points
    palm: tuple[float, float, float]       # which way the palm faces
    on_hip: bool = False                   # target is a point in the world (the hand rests on the hip)


@dataclass(frozen=True)
class LegPose:
    ankle: tuple[float, float, float]      # in the world frame (right leg: x negative)
    pole: tuple[float, float, float]       # where the knee points
    toes: tuple[float, float, float] = (0.0, 0.0, 1.0)
    sole: tuple[float, float, float] = (0.0, -1.0, 0.0)


ARM_HANGING = ArmPose((-4.0, -51.0, 3.0), (0.2, 0.0, -1.0), (1.0, 0.0, 0.3))
LEG_STANDING = LegPose((-10.0, 8.5, 0.0), (0.0, 0.0, 1.0))    # leg targets are world positions
LEFT_STANDING = LegPose((10.0, 8.5, 0.0), (0.0, 0.0, 1.0))
THIGH, SHIN, UPPER_ARM, FOREARM = 44.0, 42.0, 29.0, 25.0

TWIST = {"small": 20.0, "medium": 35.0, "large": 50.0}
# arms folded, hands on the opposite shoulders: the elbows turn with the chest and show the rotation
ARMS_FOLDED = ArmPose((31.0, -6.0, 12.0), (0.1, -0.6, 1.0), (0.0, 0.0, -1.0))
# hand on the hip, elbow out: the free arm during a side bend (hanging, it would swing across the body)
HAND_ON_HIP = ArmPose((-15.5, 101.0, 2.0), (-1.0, 0.0, -0.4), (-1.0, 0.0, 0.0), on_hip=True)
BEND = {"small": 10.0, "medium": 20.0, "large": 32.0}
TURN = {"small": 20.0, "medium": 45.0, "large": 70.0}
TILT = {"small": 10.0, "medium": 20.0, "large": 30.0}

SHOULDER_ARMS = {
    "raised_forward": ArmPose((-2.0, 36.0, 37.0), (-1.0, 0.0, 0.0), (1.0, 0.0, 0.0)),
    "raised_side": ArmPose((-51.0, 10.0, 1.0), (0.0, 0.0, -1.0), (0.0, -1.0, 0.0)),
    "behind_back": ArmPose((17.0, -38.0, -14.0), (-1.0, 0.0, -0.4), (0.0, 0.0, -1.0)),
    "across_body": ArmPose((34.0, -1.0, 17.0), (-0.3, -0.3, 1.0), (0.0, 0.0, -1.0)),
    "hand_on_head": ArmPose((12.0, 26.5, 1.0), (-1.0, 0.4, -0.2), (0.0, -1.0, 0.0)),
}

KNEE_LEGS = {
    "bent": LegPose((-9.5, 50.0, -34.0), (0.0, 0.0, 1.0), toes=(0, -0.2, -1), sole=(0, 1.0, -0.15)),
    "straight": LegPose((-10.0, 22.0, 42.0), (0.0, 0.3, 1.0), toes=(0, 0.55, 0.8), sole=(0, -0.8, 0.5)),
    "crossed": LegPose((7.0, 9.5, 9.0), (0.3, 0.0, 1.0), toes=(0.25, -0.15, 0.95), sole=(0, -1, 0.1)),
    "kneeling": LegPose((-10.0, 8.0, -40.0), (0.0, -1.0, 0.2), toes=(0, -0.9, -0.3), sole=(0, 0.3, -1)),
    "step_up": LegPose((-10.0, 33.0, 30.0), (0.0, 0.2, 1.0)),
}


def _spine_rotation(twist: float, bend: float) -> np.ndarray:
    # to the person's right: twist about -y turns the chest towards -x; bend about +z tips the top towards -x
    return rot_z(bend) @ rot_y(-twist)


def pose_figure(part: str, posture: str, build: Build) -> FigurePose:
    spine = Spine()
    arms = {"right": ARM_HANGING, "left": ARM_HANGING}
    legs = {"right": LEG_STANDING, "left": LEFT_STANDING}
    props: list = []
    pelvis_y = 97.0
    pelvis_z = 0.0
    if part == "back":
        kind, amount = posture.rsplit("_", 1)
        if kind == "rotation":
            spine = Spine(twist=TWIST[amount])
            arms = {"right": ARMS_FOLDED, "left": ARMS_FOLDED}
        else:
            spine = Spine(bend=BEND[amount])
            arms = {"right": ARM_HANGING, "left": HAND_ON_HIP}
    elif part == "neck":
        kind, amount = posture.split("_", 1)
        spine = Spine(neck_turn=TURN[amount]) if kind == "turn" else Spine(neck_tilt=TILT[amount])
    elif part == "shoulder":
        arms = {"right": SHOULDER_ARMS[posture], "left": ARM_HANGING}
    elif part == "knee":
        legs = {"right": KNEE_LEGS[posture], "left": LEFT_STANDING}
        if posture == "kneeling":
            pelvis_y, pelvis_z = 58.0, -3.0
            legs["left"] = LegPose((10.0, 8.5, 38.0), (0.0, 0.2, 1.0))
            arms = {"right": ArmPose((-2.0, -45.0, 12.0), (0.3, 0, -1), (1, 0, 0)),
                    "left": ArmPose((-12.0, -40.0, 20.0), (0.3, 0, -1), (0, -1, 0))}
        elif posture == "step_up":
            props.append(("step", vec(-10.0, 12.5, 31.0), (17.0, 12.5, 16.0)))
        elif posture == "crossed":
            legs["left"] = LegPose((10.0, 8.5, -2.0), (0.0, 0.0, 1.0))
    s = build.length
    pelvis = Bone(vec(0, pelvis_y * s, pelvis_z), np.eye(3))
    twist, bend = spine.twist, spine.bend
    lumbar = Bone(pelvis.at(0, 4 * s, -1), _spine_rotation(twist * 0.3, bend * 0.45))
    thorax = Bone(lumbar.at(0, 15 * s, -0.5), lumbar.frame @ _spine_rotation(twist * 0.7, bend * 0.55))
    neck = Bone(thorax.at(0, 30 * s, -1.5), thorax.frame @ _spine_rotation(spine.neck_turn * 0.4, spine.neck_tilt * 0.55))
    head = Bone(neck.at(0, 8.5 * s, 1.2), neck.frame @ _spine_rotation(spine.neck_turn * 0.6, spine.neck_tilt * 0.45))
    arm_limbs, hands = {}, {}
    for side, sign in (("right", -1.0), ("left", 1.0)):
        a = arms[side]
        shoulder = thorax.at(sign * 18.0 * build.girth ** 0.5, 25.5 * s, -1.5)
        tx, ty, tz = a.target
        # targets are written for the right arm (the left mirrors x); a hanging arm hangs straight down
        # whatever the trunk does, the others move with the chest
        basis = np.eye(3) if a is ARM_HANGING or a.on_hip else thorax.frame
        target = (vec(0, 0, 0) if a.on_hip else shoulder) + basis @ vec(tx if side == "right" else -tx, ty, tz)
        pole = basis @ vec(a.pole[0] * (1 if side == "right" else -1), a.pole[1], a.pole[2])
        limb = two_bone(shoulder, target, UPPER_ARM * s, FOREARM * s, pole)
        arm_limbs[side] = limb
        palm = basis @ vec(a.palm[0] * (1 if side == "right" else -1), a.palm[1], a.palm[2])
        along = normalize(limb.end - limb.mid)
        hands[side] = frame_from(along, -palm)
    leg_limbs, feet = {}, {}
    for side, sign in (("right", -1.0), ("left", 1.0)):
        lp = legs[side]
        hip = pelvis.at(sign * 9.0 * build.girth ** 0.5, -5.0 * s, 0.0)
        ankle = vec(*lp.ankle)
        pole = vec(*lp.pole)
        limb = two_bone(hip, ankle, THIGH * s, SHIN * s, pole)
        leg_limbs[side] = limb
        feet[side] = frame_from(vec(*lp.toes), -vec(*lp.sole))
    return FigurePose(pelvis, lumbar, thorax, neck, head, arm_limbs, leg_limbs, hands, feet, props, build)


# --- shape ----------------------------------------------------------------------------------------------

def _segment_leaf(a: np.ndarray, b: np.ndarray, r0: float, r1: float, hint: np.ndarray, ax: float = 1.0,
                  az: float = 1.0, **kw) -> Leaf:
    return Leaf(RoundCone(r0, r1, float(np.linalg.norm(b - a)), ax, az), a, frame_from(b - a, hint), **kw)


def build_figure_scene(pose: FigurePose, outfit: Outfit) -> Scene:
    g = pose.build.girth
    P, L, T, N, H = pose.pelvis, pose.lumbar, pose.thorax, pose.neck, pose.head
    torso = [
        P.leaf(Ellipsoid(15.0 * g, 11.0, 10.2 * g), (0, 0, 0), tag={"kind": "pelvis"}),
        P.leaf(Ellipsoid(7.6 * g, 8.8, 6.8 * g), (-6.6 * g, -4.0, -4.2), tag={"kind": "pelvis"}),
        P.leaf(Ellipsoid(7.6 * g, 8.8, 6.8 * g), (6.6 * g, -4.0, -4.2), tag={"kind": "pelvis"}),
        L.leaf(Ellipsoid(13.6 * g, 11.5, 9.4 * g), (0, 6.0, 1.0), tag={"kind": "torso"}),
        T.leaf(Ellipsoid(15.2 * g, 16.5, 10.0 * g), (0, 12.0, 0.6), tag={"kind": "torso"}),
        T.leaf(Ellipsoid(13.0 * g, 7.0, 5.2 * g), (0, 18.5, 4.4), tag={"kind": "torso"}),
        T.leaf(Ellipsoid(14.6 * g, 12.0, 6.2 * g), (0, 16.0, -4.2), tag={"kind": "torso"}),
    ]
    for sign in (-1, 1):
        torso.append(_segment_leaf(T.at(0, 29.0, -2.0), T.at(sign * 15.5 * g ** 0.5, 25.5, -2.0), 5.8 * g, 4.9 * g,
                                   T.frame[:, 2], tag={"kind": "torso"}))
    neck = [N.leaf(RoundCone(6.0 * g ** 0.7, 5.4 * g ** 0.7, 12.0, 1.0, 0.95), (0, -4.0, 0), tag={"kind": "neck"})]
    head = _head_leaves(H, outfit)
    limbs = []
    for side in ("right", "left"):
        arm = pose.arms[side]
        side_vec = T.frame[:, 0] * (-1 if side == "right" else 1)
        upper_hint = normalize(np.cross(arm.mid - arm.root, side_vec)) if abs(np.dot(normalize(arm.mid - arm.root), side_vec)) < 0.95 else T.frame[:, 2]
        limbs.append(Group([
            _segment_leaf(arm.root, arm.mid, 4.6 * g, 3.6 * g, upper_hint, tag={"kind": "upper_arm", "side": side},
                          displace=_sleeve(10.5), displace_max=0.4),
            Leaf(Ellipsoid(5.0 * g, 7.5, 5.4 * g), arm.root + normalize(arm.mid - arm.root) * 3.0,
                 frame_from(arm.mid - arm.root, upper_hint), tag={"kind": "upper_arm", "side": side, "deltoid": True}),
            _segment_leaf(arm.mid, arm.end, 3.8 * g, 2.7 * g, upper_hint, 1.12, 0.9, tag={"kind": "forearm"}),
        ] + _hand_leaves(arm.end, pose.hands[side], g, side), 1.6))
    for side in ("right", "left"):
        leg = pose.legs[side]
        fwd = pose.feet[side][:, 1]
        knee_hint = normalize(fwd - normalize(leg.mid - leg.root) * float(np.dot(fwd, normalize(leg.mid - leg.root))))
        shin_dir = normalize(leg.end - leg.mid)
        shin_hint = normalize(fwd - shin_dir * float(np.dot(fwd, shin_dir)) + 1e-6)
        limbs.append(Group([
            _segment_leaf(leg.root, leg.mid, 8.2 * g, 5.6 * g, knee_hint, 1.0, 1.05, tag={"kind": "thigh"},
                          displace=_hem(0.62 * THIGH), displace_max=0.4),
            Leaf(Ellipsoid(3.0, 3.4, 2.2), leg.mid + knee_hint * 3.3, frame_from(leg.mid - leg.root, knee_hint),
                 tag={"kind": "shin"}),
            _segment_leaf(leg.mid, leg.end, 5.2 * g, 3.3 * g, shin_hint, tag={"kind": "shin"}),
            Leaf(Ellipsoid(5.0 * g, 9.5, 5.2 * g), leg.mid + shin_dir * 12.0 - shin_hint * 2.6,
                 frame_from(shin_dir, shin_hint), tag={"kind": "shin"}),
        ] + _shoe_leaves(leg.end, pose.feet[side], g), 1.8))
    body = Group([Group(torso, 3.5), Group(neck + [head[0]], 2.0)] + limbs, 2.2)
    parts = [body] + head[1:]
    for name, centre, half in pose.props:
        parts.append(Leaf(RoundBox(*half, 1.5), centre, material="prop", tag={"kind": "prop"}))
    return Scene(Group(parts))


def _sleeve(length: float):
    def displace(p: np.ndarray) -> np.ndarray:
        return F32(0.35) * smoothstep(length + 0.3, length - 0.3, p[1])
    return displace


def _hem(length: float):
    def displace(p: np.ndarray) -> np.ndarray:
        return F32(0.4) * smoothstep(length + 0.3, length - 0.3, p[1])
    return displace


def _head_leaves(H: Bone, outfit: Outfit) -> list:
    """Head frame: origin at the top of the neck, y up (chin about y = 0, crown about y = 21.5), z forward."""
    def ell(rx, ry, rz, at, local=None, kind="head"):
        return H.leaf(Ellipsoid(rx, ry, rz), at, local, tag={"kind": kind})

    skull = [
        ell(7.5, 9.0, 9.3, (0, 11.8, -0.8)),
        ell(6.0, 8.0, 6.2, (0, 7.0, 2.9)),                     # face
        ell(5.3, 3.8, 5.0, (0, 3.4, 3.2)),                     # jaw
        ell(2.5, 1.9, 2.1, (0, 1.3, 6.4)),                     # chin
        ell(5.0, 1.2, 1.6, (0, 12.0, 7.7)),                    # brow ridge
        H.leaf(RoundCone(0.45, 0.8, 3.3), (0, 11.0, 8.75), rot_x(157), tag={"kind": "head"}),   # nose bridge
        ell(0.95, 0.85, 0.85, (0, 7.75, 9.95)),                # nose tip
        ell(0.7, 0.6, 0.65, (-0.9, 7.4, 9.25)), ell(0.7, 0.6, 0.65, (0.9, 7.4, 9.25)),  # nostril wings
        ell(1.45, 0.42, 0.7, (0, 5.45, 8.45), kind="lips"),    # upper lip
        ell(1.3, 0.48, 0.7, (0, 4.65, 8.25), kind="lips"),     # lower lip
        ell(0.8, 2.7, 1.7, (-7.3, 9.0, -0.3), rot_y(-18)), ell(0.8, 2.7, 1.7, (7.3, 9.0, -0.3), rot_y(18)),  # ears
    ]
    sockets = Group([ell(1.7, 1.0, 1.0, (-3.2, 10.4, 9.1)), ell(1.7, 1.0, 1.0, (3.2, 10.4, 9.1)),
                     ell(0.5, 1.1, 0.7, (-7.75, 8.7, -0.1)), ell(0.5, 1.1, 0.7, (7.75, 8.7, -0.1))])
    face = Subtract(Group(skull, 1.5), sockets, 1.0)
    eyes: list = []
    hair = [H.leaf(HairCap(8.1, 9.8, 10.1), (0, 12.1, -0.95), material="hair", tag={"kind": "hair"},
                   displace=_hair_texture, displace_max=0.3)]
    if outfit.bun:
        hair.append(H.leaf(Ellipsoid(3.5, 3.3, 3.0), (0, 13.0, -10.6), material="hair", tag={"kind": "hair"},
                           displace=_hair_texture, displace_max=0.3))
    return [face] + eyes + hair


def _hair_texture(p: np.ndarray) -> np.ndarray:
    """Soft locks: a little relief so the hair does not look like a cap."""
    return F32(0.3) * (fbm3(p[0] * F32(0.45), p[1] * F32(0.3), p[2] * F32(0.45), 2, 77) - F32(0.5)) \
        + F32(0.05) * (fbm3(p[0] * F32(2.5), p[1] * F32(0.4), p[2] * F32(2.5), 1, 78) - F32(0.5))


@dataclass(frozen=True)
class HairCap:
    """An ellipsoid of hair cut by a tilted plane: the hairline runs from the forehead to the nape."""
    rx: float
    ry: float
    rz: float

    def bound(self):
        return np.zeros(3), max(self.rx, self.ry, self.rz)

    def distance(self, p: np.ndarray) -> np.ndarray:
        d = Ellipsoid(self.rx, self.ry, self.rz).distance(p)
        # plane through the front hairline (y 3.4, z 8.6) and the nape (y -7.5, z -9.0), relative to the centre
        n = np.array([0.0, 17.6, -10.9]) / math.hypot(17.6, 10.9)
        # ...and curves down over the temples towards the ears
        cut = -((p[1] - F32(3.4)) * F32(n[1]) + (p[2] - F32(8.6)) * F32(n[2])) - F32(0.045) * p[0] * p[0]
        k = F32(1.2)     # a rounded edge, as hair thins out at the hairline
        h = np.maximum(k - np.abs(d - cut), 0) / k
        return np.maximum(d, cut) + h * h * k * F32(0.25)


def _hand_leaves(wrist: np.ndarray, frame: np.ndarray, g: float, side: str) -> list:
    radial = frame[:, 0] * (-1 if side == "right" else 1)
    return [
        Leaf(TaperedBox(3.6 * g, 4.2 * g, 4.6, 1.5, 1.2, 1.1), wrist + frame[:, 1] * 4.6, frame, tag={"kind": "hand"}),
        Leaf(RoundCone(1.9, 1.6, 7.0, 2.0 * g, 0.62), wrist + frame[:, 1] * 8.6, frame, tag={"kind": "hand"}),
        _segment_leaf(wrist + frame[:, 1] * 2.0 + radial * 2.6 * g, wrist + frame[:, 1] * 7.5 + radial * 4.8 * g - frame[:, 2] * 1.5,
                      1.3, 0.95, frame[:, 2], tag={"kind": "hand"}),
    ]


def _shoe_leaves(ankle: np.ndarray, frame: np.ndarray, g: float) -> list:
    fwd, up = frame[:, 1], frame[:, 2]
    sole_centre = ankle + fwd * 6.0 - up * 5.3
    return [
        Leaf(TaperedBox(3.9 * g, 4.6 * g, 13.0, 3.6, 2.6, 2.4), sole_centre, frame_from(fwd, up), material="shoe",
             tag={"kind": "shoe"}),
        Leaf(Ellipsoid(3.9 * g, 4.2, 4.3), ankle - up * 1.0 - fwd * 1.0, frame_from(fwd, up), material="shoe",
             tag={"kind": "shoe"}),
    ]


# --- surface --------------------------------------------------------------------------------------------

def figure_surface(scene: Scene, pose: FigurePose, tone: SkinTone, outfit: Outfit, seed: int = 0):
    leaves = scene.leaf_list
    shirt = srgb_to_linear(outfit.shirt).astype(F32)[:, None]
    trousers = srgb_to_linear(outfit.trousers).astype(F32)[:, None]
    hair = srgb_to_linear(outfit.hair).astype(F32)[:, None]
    shoe = srgb_to_linear((228, 226, 220)).astype(F32)[:, None]
    shoe_trim = srgb_to_linear((70, 72, 80)).astype(F32)[:, None]
    prop = srgb_to_linear((176, 150, 112)).astype(F32)[:, None]
    lips = srgb_to_linear(tuple(int(c * 0.92) for c in (min(255, tone.skin[0] + 8), tone.skin[1] - 6, tone.skin[2] - 2))).astype(F32)[:, None]
    waist_y = float(pose.pelvis.origin[1] + 6.0)
    iris = srgb_to_linear(outfit.iris).astype(F32)[:, None]
    head = pose.head

    def surface(leaf_ids: np.ndarray, p: np.ndarray, n: np.ndarray) -> Surface:
        out = Surface.uniform(p.shape[1], 0.08, 8.0, 0.0)
        albedo, spec, gloss, sss = out.albedo, out.spec, out.gloss, out.sss
        for leaf, sel in points_by_leaf(leaves, leaf_ids):
            ps = p[:, sel]
            kind = leaf.tag.get("kind")
            weave = 1 + F32(0.06) * (fbm3(ps[0] * F32(0.8), ps[1] * F32(0.8), ps[2] * F32(0.8), 2, seed) - F32(0.5))
            if kind in ("torso", "pelvis"):
                below = (ps[1] < F32(waist_y)) if kind == "pelvis" else np.zeros(sel.size, bool)
                colour = np.where(below[None], trousers, shirt)
                albedo[:, sel] = colour * weave
            elif kind == "upper_arm":
                local = leaf.to_local(ps)
                sleeve = 1.0 if leaf.tag.get("deltoid") else smoothstep(10.8, 10.2, local[1])
                albedo[:, sel] = (shirt * sleeve + skin_base(tone, np.zeros(sel.size, F32), ps, seed) * (1 - sleeve)) * weave
                sss[sel] = 1 - sleeve
            elif kind == "thigh":
                local = leaf.to_local(ps)
                short = smoothstep(0.62 * THIGH + 0.3, 0.62 * THIGH - 0.3, local[1])
                albedo[:, sel] = trousers * short * weave + skin_base(tone, np.zeros(sel.size, F32), ps, seed) * (1 - short)
                sss[sel] = 1 - short
            elif kind == "hair":
                strands = 1 + F32(0.18) * (fbm3(ps[0] * F32(3), ps[1] * F32(0.6), ps[2] * F32(3), 2, seed + 3) - F32(0.5))
                albedo[:, sel] = hair * strands
                spec[sel], gloss[sel] = 0.25, 30.0
            elif kind == "shoe":
                local = leaf.to_local(ps)
                trim = smoothstep(-2.0, -2.4, local[2]) if isinstance(leaf.shape, TaperedBox) else np.zeros(sel.size, F32)
                albedo[:, sel] = shoe * (1 - trim) + shoe_trim * trim
                spec[sel] = 0.15
            elif kind == "eye":
                q = leaf.to_local(ps) / F32(1.2)
                out = _eye_albedo(q, tone, iris, hair)
                albedo[:, sel] = out
                spec[sel], gloss[sel] = 0.6, 90.0
            elif kind == "prop":
                grain = 1 + F32(0.12) * (fbm3(ps[0] * F32(0.3), ps[1] * F32(3.0), ps[2] * F32(0.3), 3, seed + 7) - F32(0.5))
                albedo[:, sel] = prop * grain
            else:
                base = skin_base(tone, np.zeros(sel.size, F32), ps, seed)
                sss[sel] = 1.0
                spec[sel], gloss[sel] = 0.15, 14.0
                if kind in ("head", "lips"):
                    base = _face_detail(base, head.frame.T.astype(F32) @ (ps - head.origin.astype(F32)[:, None]),
                                        hair, lips, kind == "lips", iris)
                albedo[:, sel] = base
        return out

    return surface


def _face_detail(base: np.ndarray, q: np.ndarray, hair: np.ndarray, lips: np.ndarray, on_lips: bool,
                 iris: np.ndarray) -> np.ndarray:
    """Eyes, brows and lips painted onto the face (head frame: y up from the top of the neck, z forward)."""
    out = base
    front = smoothstep(6.0, 8.0, q[2])
    for sx in (-1.0, 1.0):
        ex, ey = F32(3.2 * sx), F32(10.35)
        u = (q[0] - ex) / F32(1.35)
        upper = ey + F32(0.5) * (1 - u * u)          # almond: upper and lower lid curves
        lower = ey - F32(0.32) * (1 - u * u)
        inside = smoothstep(-0.05, 0.06, upper - q[1]) * smoothstep(-0.05, 0.06, q[1] - lower) * (np.abs(u) < 1) * front
        r = np.sqrt((q[0] - ex) ** 2 + (q[1] - ey - F32(0.05)) ** 2)
        iris_m = smoothstep(0.52, 0.44, r) * inside
        pupil = smoothstep(0.2, 0.15, r) * inside
        white = np.array([0.52, 0.50, 0.47], F32)[:, None]
        out = out * (1 - inside[None]) + white * inside[None]
        out = out * (1 - iris_m[None]) + iris * iris_m[None]
        out = out * (1 - pupil[None]) + F32(0.02) * pupil[None]
        lash = np.exp(-(((q[1] - upper) / F32(0.11)) ** 2)) * smoothstep(1.15, 0.85, np.abs(u)) * front
        crease = np.exp(-(((q[1] - upper - F32(0.45)) / F32(0.12)) ** 2)) * smoothstep(1.1, 0.7, np.abs(u)) * front
        out = out * (1 - F32(0.75) * lash[None]) * (1 - F32(0.18) * crease[None])
        arch = q[1] - F32(12.1) + F32(0.09) * (q[0] - ex) ** 2
        brow = np.exp(-((arch / F32(0.28)) ** 2)) * smoothstep(2.2, 1.4, np.abs(q[0] - ex - F32(0.35 * sx))) * front
        out = out * (1 - brow[None] * F32(0.75)) + hair * brow[None] * F32(0.75)
    if on_lips:
        out = lips * np.ones_like(out[:1])
        line = np.exp(-(((q[1] - F32(5.05)) / F32(0.1)) ** 2)) * smoothstep(1.5, 1.0, np.abs(q[0]))
        out = out * (1 - F32(0.45) * line[None])
    return out


def _eye_albedo(q: np.ndarray, tone: SkinTone, iris: np.ndarray, hair: np.ndarray) -> np.ndarray:
    """An eyeball (unit sphere, z forward): iris and pupil, covered above and below by the lids."""
    white = np.array([0.72, 0.70, 0.66], F32)[:, None]
    angle = np.sqrt(q[0] ** 2 + q[1] ** 2)
    front = q[2] > 0
    iris_m = (smoothstep(0.48, 0.42, angle) * front)[None]
    pupil = (smoothstep(0.2, 0.15, angle) * front)[None]
    out = white * (1 - iris_m) + iris * iris_m
    out = out * (1 - pupil) + F32(0.02) * pupil
    skin = srgb_to_linear(tone.skin).astype(F32)[:, None] * F32(0.85)
    upper = smoothstep(0.30, 0.38, q[1] + F32(0.1) * q[0] ** 2)[None]
    lower = smoothstep(-0.50, -0.58, q[1] - F32(0.08) * q[0] ** 2)[None]
    lash = np.exp(-(((q[1] + F32(0.1) * q[0] ** 2 - F32(0.34)) / F32(0.05)) ** 2))[None]
    out = out * (1 - upper) + skin * upper
    out = out * (1 - lower) + skin * lower
    return out * (1 - F32(0.8) * lash) + hair * F32(0.2) * lash


# --- camera set-ups -------------------------------------------------------------------------------------

def _view_direction(part: str, view: str) -> np.ndarray:
    if view == "front" and part == "knee":
        return vec(-0.6, 0.12, 1.0)     # three-quarter: a leg bent backwards would hide behind itself
    if view in ("front",):
        return vec(0.0, 0.25 if part == "back" else 0.12, 1.0)
    if view in ("behind", "back"):
        return vec(0.0, 0.25 if part == "back" else 0.12, -1.0)
    return vec(-1.0, 0.10, 0.25)        # knee "side": from the person's right, a little in front


def landmarks(pose: FigurePose) -> dict[str, np.ndarray]:
    P, T, H = pose.pelvis, pose.thorax, pose.head
    marks = {
        "pelvis_centre": P.origin, "pelvis_front": P.at(0, 0, 12), "pelvis_up": P.at(0, 12, 0),
        "pelvis_right": P.at(-12, 0, 0),
        "chest_centre": T.at(0, 14, 0), "chest_front": T.at(0, 14, 12), "neck_base": T.at(0, 30, -1.5),
        "head_centre": H.at(0, 9, 0), "nose": H.at(0, 8.5, 11), "head_top": H.at(0, 21.5, -0.5),
    }
    for side in ("right", "left"):
        arm, leg = pose.arms[side], pose.legs[side]
        marks[f"{side}_shoulder"], marks[f"{side}_elbow"], marks[f"{side}_wrist"] = arm.root, arm.mid, arm.end
        marks[f"{side}_hip"], marks[f"{side}_knee"], marks[f"{side}_ankle"] = leg.root, leg.mid, leg.end
        marks[f"{side}_toes"] = leg.end + pose.feet[side][:, 1] * 18 - pose.feet[side][:, 2] * 5
    return marks


def _framing_points(part: str, marks: dict[str, np.ndarray], pose: FigurePose) -> list[tuple[np.ndarray, float]]:
    if part == "neck":
        names = [("head_top", 4), ("head_centre", 11), ("nose", 3), ("neck_base", 3)]
    elif part == "back":
        names = [("head_top", 6), ("right_shoulder", 8), ("left_shoulder", 8), ("right_wrist", 8), ("left_wrist", 8),
                 ("pelvis_centre", 18), ("right_knee", 8), ("left_knee", 8)]
    elif part == "shoulder":
        names = [("head_top", 6), ("head_centre", 10), ("right_shoulder", 9), ("left_shoulder", 9), ("right_elbow", 7),
                 ("right_wrist", 10), ("left_wrist", 8), ("pelvis_centre", 16)]
    else:
        names = [("pelvis_centre", 18), ("right_knee", 8), ("left_knee", 8), ("right_ankle", 7), ("left_ankle", 7),
                 ("right_toes", 6), ("left_toes", 6)]
    pts = [(marks[n], r) for n, r in names]
    for _, centre, half in pose.props:
        pts.append((centre, float(np.linalg.norm(half)) * 0.6))
    return pts


PX_PER_CM = {"neck": 11.5, "back": 2.9, "shoulder": 3.3, "knee": 3.4}


def figure_shot(part: str, view: str, posture: str, build: str, tone: str, *, light_side: int = 1,
                yaw: float = 0.0, pitch: float = 0.0, size: int = 512, zoom: float = 1.0, seed: int = 0):
    from .materials import SKIN_TONES
    from .stage import Shot, frame_subject, look_from, studio_lighting, view_bounds

    b = BUILDS[build]
    pose = pose_figure(part, posture, b)
    outfit = outfit_for(seed)
    scene = build_figure_scene(pose, outfit)
    marks = landmarks(pose)
    spheres = _framing_points(part, marks, pose)
    centres = np.array([c for c, _ in spheres])
    target = (centres.min(axis=0) + centres.max(axis=0)) / 2
    direction = axis_angle(UP, yaw * 0.6) @ _view_direction(part, view)
    direction = axis_angle(np.cross(UP, direction), -pitch * 0.5) @ direction
    cam = look_from(target, direction, UP, 400.0, 20.0, size)
    cam = frame_subject(cam, spheres, PX_PER_CM[part] * zoom * size / 512, 0.84 * zoom)
    surface = figure_surface(scene, pose, SKIN_TONES[tone], outfit, seed)
    cell = {"neck": 0.6, "back": 1.0, "shoulder": 0.9, "knee": 0.9}[part]
    bounds = view_bounds(cam, 32.0 if part == "neck" else 45.0, 10.0)
    contacts = []
    if part == "knee":
        # where the body rests on the floor: soft contact shadows under shoes, knees and the step
        for side in ("right", "left"):
            for name in (f"{side}_ankle", f"{side}_toes", f"{side}_knee"):
                if marks[name][1] < 16.0:
                    contacts.append(vec(marks[name][0], 0.0, marks[name][2]))
        for _, centre, half in pose.props:
            contacts.append(vec(centre[0], 0.0, centre[2]))
    return Shot(scene, cam, studio_lighting(cam, light_side), surface, marks, cell=cell, bounds=bounds,
                contacts=contacts, info={"pose": pose})
