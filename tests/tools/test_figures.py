"""Whole-figure pictures (back, neck, shoulder, knee): the movement shown is on the side the label says."""

from __future__ import annotations

import numpy as np
import pytest

from tools.stimrender.catalog import jobs_for, make_shot, part_specs

SPECS = part_specs()


def _marks(job, mirrored: bool) -> dict[str, np.ndarray]:
    shot = make_shot(job, 128)
    names = list(shot.landmarks)
    cam = shot.camera.to_camera(np.array([shot.landmarks[n] for n in names]))
    if mirrored:
        cam[:, 0] *= -1
    return dict(zip(names, cam))


def _person_right(m) -> np.ndarray:
    forward = m["pelvis_front"] - m["pelvis_centre"]
    up = m["pelvis_up"] - m["pelvis_centre"]
    return np.cross(forward, up)      # forward x up points to the person's right in a right-handed frame


def _moved_limb(m, kind: str, posture: str) -> str:
    """Which arm or leg is doing the posture, judged from the joint positions alone."""
    if kind == "leg" and posture == "kneeling":
        return min(("right", "left"), key=lambda s: m[f"{s}_knee"][1])
    root, end, reach = ("shoulder", "wrist", 51.0) if kind == "arm" else ("hip", "ankle", 84.0)
    up = m["pelvis_up"] - m["pelvis_centre"]
    up /= np.linalg.norm(up)

    def deviation(s):
        rest = m[f"{s}_{root}"] - up * reach
        return float(np.linalg.norm(m[f"{s}_{end}"] - rest))
    return max(("right", "left"), key=deviation)


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize("part", ["back", "neck", "shoulder", "knee"])
def test_the_movement_is_on_the_labelled_side(part, side):
    if part not in SPECS:
        pytest.skip(f"{part} not rendered")
    for job in jobs_for(SPECS[part]):
        m = _marks(job, mirrored=side == "left")
        right = _person_right(m)
        right /= np.linalg.norm(right)
        forward = m["pelvis_front"] - m["pelvis_centre"]
        toward_right = None
        if part == "back" and job.posture.startswith("rotation"):
            toward_right = np.dot(m["chest_front"] - m["chest_centre"], right)
        elif part == "back":
            toward_right = np.dot(m["neck_base"] - m["pelvis_centre"], right)
        elif part == "neck" and job.posture.startswith("turn"):
            toward_right = np.dot(m["nose"] - m["head_centre"], right)
        elif part == "neck":
            toward_right = np.dot(m["head_top"] - m["neck_base"], right)
        elif part == "shoulder":
            limb = _moved_limb(m, "arm", job.posture)
            # the joint positions are named by the rendered (right) model; in the mirror image names swap
            actual = limb if side == "right" else ("left" if limb == "right" else "right")
            toward_right = np.dot(m[f"{limb}_shoulder"] - m["chest_centre"], right)
            assert actual == side, job
        else:
            limb = _moved_limb(m, "leg", job.posture)
            toward_right = np.dot(m[f"{limb}_hip"] - m["pelvis_centre"], right)
        # the movement goes to (or is done by) the person's right in right pictures, left in left ones
        assert (toward_right > 0) == (side == "right"), (job, side, toward_right)
        # and the camera is where the view says
        if job.view == "front":
            assert forward[2] > 0, job
        elif job.view in ("behind", "back"):
            assert forward[2] < 0, job
        else:
            assert right[2] > 0 if side == "right" else right[2] < 0, job   # side view: moving leg nearest


def test_twists_and_tilts_grow_from_small_to_large():
    for part, kind, measure in (("back", "rotation", ("chest_front", "chest_centre")),
                                ("back", "side_bend", ("neck_base", "pelvis_centre")),
                                ("neck", "turn", ("nose", "head_centre")), ("neck", "tilt", ("head_top", "neck_base"))):
        jobs = [j for j in jobs_for(SPECS[part]) if j.posture.startswith(kind) and j.level == 1 and j.view == SPECS[part].views[0]]
        angles = {}
        for job in jobs:
            m = _marks(job, mirrored=False)
            right = _person_right(m)
            v = m[measure[0]] - m[measure[1]]
            angles[job.posture.rsplit("_", 1)[1]] = np.dot(v, right / np.linalg.norm(right)) / np.linalg.norm(v)
        assert angles["small"] < angles["medium"] < angles["large"], (part, kind, angles)
