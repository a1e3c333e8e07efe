"""Visibility gating and plain guidance: can this movement be measured from what the camera sees?

When it cannot, the person gets one short instruction they can act on ("Step back so I can see your
hips"), not a number that silently means nothing. ``ok`` False means the angle must not be scored;
a message with ``ok`` True is advice (come closer, move to the middle) that does not stop measurement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmi.core.angles import facing_side
from gmi.core.landmarks import FRAME_MARGIN, SEEN_VISIBILITY, PoseFrame
from gmi.core.skeleton import LANDMARK_INDEX, LANDMARK_NAMES
from gmi.core.movements import Movement

FRONT_MAX_TURN_DEG = 40.0   # shoulders turned further than this from the camera: not a front view
SIDE_MIN_TURN_DEG = 50.0    # ... and at least this far for a side view
MIN_BODY_HEIGHT = 0.25      # seen landmarks spanning less of the picture's height: too far away
CENTRE_BAND = (0.15, 0.85)  # shoulders' midpoint outside this part of the width: off to one side

# Body parts in head-to-toe order, as a person would name them.
_PARTS = (("head", ("nose", "eye", "ear", "mouth")), ("shoulders", ("shoulder",)), ("arms", ("elbow",)),
          ("hands", ("wrist", "pinky", "index", "thumb")), ("hips", ("hip",)), ("knees", ("knee",)),
          ("feet", ("ankle", "heel", "foot")))


@dataclass(frozen=True)
class Guidance:
    ok: bool        # the movement can be measured from this view
    code: str       # stable: ok, no_person, step_back, move_to_middle, face_camera, turn_sideways, ...
    message: str    # what to tell the person ('' when there is nothing to say)


OK = Guidance(True, "ok", "")


def part_of(index: int) -> str:
    name = LANDMARK_NAMES[index]
    return next(part for part, keys in _PARTS if any(k in name for k in keys))


def _parts_text(indices: list[int]) -> str:
    order = [p for p, _ in _PARTS]
    parts = sorted({part_of(i) for i in indices}, key=order.index)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def shoulder_turn_deg(pose: PoseFrame) -> float:
    """How far the shoulder line is turned away from facing the camera, seen from above: 0° facing it
    squarely, 90° side-on. From world coordinates, since a side-on body hides its far shoulder."""
    d = pose.world[LANDMARK_INDEX["left_shoulder"]] - pose.world[LANDMARK_INDEX["right_shoulder"]]
    return math.degrees(math.atan2(abs(d[2]), abs(d[0])))


def nearer_side(pose: PoseFrame) -> str:
    """The side of the body nearer the camera (world z grows away from the camera)."""
    left, right = LANDMARK_INDEX["left_shoulder"], LANDMARK_INDEX["right_shoulder"]
    return "left" if pose.world[left, 2] <= pose.world[right, 2] else "right"


def required_landmarks(movement: Movement, side: str, pose: PoseFrame) -> list[int]:
    if not movement.sided_landmarks:
        return list(movement.landmark_indices("left"))
    if side == "both" and movement.side_rule == "limb":
        return list(dict.fromkeys(movement.landmark_indices("left") + movement.landmark_indices("right")))
    body_side = facing_side(movement, pose) if side == "both" else side
    return list(movement.landmark_indices(body_side))


def assess_view(movement: Movement, side: str, pose: PoseFrame | None) -> Guidance:
    """Whether ``movement`` can be measured in this frame, and if not, what the person should do."""
    if pose is None:
        return Guidance(False, "no_person", f"I can't see you yet. {movement.placement}")
    needed = required_landmarks(movement, side, pose)
    outside = [i for i in needed if not pose.inside(i)]
    if outside:
        ys = pose.image[outside, 1]
        if (ys < FRAME_MARGIN).any() or (ys > 1 - FRAME_MARGIN).any():
            return Guidance(False, "step_back", f"Step back so I can see your {_parts_text(outside)}")
        return Guidance(False, "move_to_middle", "Move into the middle of the picture")
    turn = shoulder_turn_deg(pose)
    if movement.view == "front" and turn > FRONT_MAX_TURN_DEG:
        return Guidance(False, "face_camera", "Turn to face the camera")
    if movement.view == "side":
        if turn < SIDE_MIN_TURN_DEG:
            towards = f" with your {side} side towards it" if side in ("left", "right") else ""
            return Guidance(False, "turn_sideways", f"Turn sideways to the camera{towards}")
        if movement.side_rule == "facing" and side in ("left", "right") and nearer_side(pose) != side:
            return Guidance(False, "turn_around", f"Turn round so your {side} side faces the camera")
    hidden = [i for i in needed if pose.visibility[i] < SEEN_VISIBILITY and i not in movement.occludable_indices]
    if hidden:
        return Guidance(False, "hidden", f"Make sure nothing hides your {_parts_text(hidden)} from the camera")
    seen = pose.visibility >= SEEN_VISIBILITY
    ys = pose.image[seen, 1]
    if ys.size and float(np.max(ys) - np.min(ys)) < MIN_BODY_HEIGHT:
        return Guidance(True, "come_closer", "Come a little closer to the camera")
    mid_x = float(np.mean(pose.image[[LANDMARK_INDEX["left_shoulder"], LANDMARK_INDEX["right_shoulder"]], 0]))
    if not CENTRE_BAND[0] <= mid_x <= CENTRE_BAND[1]:
        return Guidance(True, "move_to_middle", "Move into the middle of the picture")
    return OK


class GuidanceSettler:
    """Holds the shown guidance steady: a new message replaces the shown one only after it has persisted
    for ``settle_s``, so that a flickering landmark does not make the text flicker."""

    def __init__(self, settle_s: float = 0.5) -> None:
        self.settle_s = settle_s
        self.shown = OK
        self._candidate = OK
        self._since = 0.0

    def update(self, t_s: float, guidance: Guidance) -> Guidance:
        if guidance.code != self._candidate.code or guidance.message != self._candidate.message:
            self._candidate, self._since = guidance, t_s
        if self._candidate != self.shown and t_s - self._since >= self.settle_s:
            self.shown = self._candidate
        return self.shown
