"""The renderer: deterministic bytes, and geometry that makes every picture the side its label says."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tools.stimrender.catalog import jobs_for, make_shot, part_specs
from tools.stimrender.picture import encode, render_job

SPECS = part_specs()


def _jobs(part):
    return jobs_for(SPECS[part])


def test_rendering_one_picture_twice_gives_the_same_bytes():
    job = replace(_jobs("hands")[4], level=2)
    a = render_job(job, size=96)
    b = render_job(job, size=96)
    assert a.pixels.shape == (96, 96, 3)
    assert np.array_equal(a.pixels, b.pixels)
    assert encode(a.pixels) == encode(b.pixels)


def test_pixels_depend_on_the_job():
    jobs = _jobs("hands")
    a = render_job(jobs[0], size=64).pixels
    b = render_job(jobs[3], size=64).pixels
    assert not np.array_equal(a, b)


def _camera_landmarks(job, mirrored: bool):
    """Landmarks in camera coordinates (x right, y up, z towards the viewer) and pixels, as the picture of
    this side shows them: the left twin is the exact mirror image of the rendered right picture."""
    shot = make_shot(job, 512)
    names = list(shot.landmarks)
    pts = np.array([shot.landmarks[n] for n in names])
    cam = shot.camera.to_camera(pts)
    px = shot.camera.project(pts)
    if mirrored:
        cam[:, 0] *= -1
        px[:, 0] = 512 - px[:, 0]
    return dict(zip(names, cam)), dict(zip(names, px))


def _handedness(distal, thumbward, dorsal) -> float:
    """> 0 for a right hand or foot, < 0 for a left one: (distal x towards-thumb) . back of hand/foot."""
    return float(np.dot(np.cross(distal, thumbward), dorsal))


@pytest.mark.parametrize("side", ["right", "left"])
def test_thumb_is_on_the_side_the_label_says_in_every_hand_picture(side):
    for job in _jobs("hands"):
        cam, px = _camera_landmarks(job, mirrored=side == "left")
        distal = cam["middle_base"] - cam["wrist"]
        radial = cam["index_base"] - cam["little_base"]
        dorsal = cam["palm_centre_dorsal"] - cam["palm_centre_palmar"]
        # the thumb sits on the index-finger side of the hand's long axis: that side is called radial here
        across = radial - distal * np.dot(radial, distal) / np.dot(distal, distal)
        assert np.dot(cam["thumb_base"] - cam["wrist"], across) > 0, job
        sign = _handedness(distal, radial, dorsal)
        assert (sign > 0) == (side == "right"), (job, side, sign)
        # and the view is what the label says
        if job.view == "dorsal":
            assert dorsal[2] > 0, job
        elif job.view == "palmar":
            assert dorsal[2] < 0, job
        elif job.view == "thumb_side":
            assert cam["index_base"][2] > cam["little_base"][2], job
        else:
            assert cam["little_base"][2] > cam["index_base"][2], job
        # upright back or palm view: the thumb's side of the picture follows from side and view
        if job.view in ("dorsal", "palmar"):
            thumb_left = px["thumb_base"][0] < px["little_base"][0]
            expect_left = (side == "right") == (job.view == "dorsal")
            assert thumb_left == expect_left, (job, side)


@pytest.mark.parametrize("side", ["right", "left"])
def test_big_toe_is_on_the_side_the_label_says_in_every_foot_picture(side):
    for job in _jobs("feet"):
        cam, px = _camera_landmarks(job, mirrored=side == "left")
        distal = cam["second_toe_base"] - cam["heel"]
        medial = cam["big_toe_base"] - cam["little_toe_base"]
        dorsal = cam["dorsum"] - cam["sole"]
        sign = _handedness(distal, medial, dorsal)
        assert (sign > 0) == (side == "right"), (job, side, sign)
        if job.view == "top":
            assert dorsal[2] > 0, job
        elif job.view == "sole":
            assert dorsal[2] < 0, job
        elif job.view == "inner":
            assert cam["big_toe_base"][2] > cam["little_toe_base"][2], job
        else:
            assert cam["little_toe_base"][2] > cam["big_toe_base"][2], job
        if job.view in ("top", "sole"):
            big_left = px["big_toe_tip"][0] < px["little_toe_tip"][0]
            assert big_left == ((side == "right") == (job.view == "top")), (job, side)


def test_subject_stays_inside_the_round_aperture():
    """The drill shows pictures in a circle: the key landmarks must lie inside the inscribed circle."""
    for part in ("hands", "feet"):
        for job in _jobs(part):
            _, px = _camera_landmarks(job, mirrored=False)
            for name, (x, y, _) in px.items():
                if name in ("wrist", "ankle", "heel"):
                    continue   # the forearm / leg may run out of the picture
                assert (x - 256) ** 2 + (y - 256) ** 2 < 250 ** 2, (job, name, x, y)


def test_light_and_background_never_give_the_side_away():
    """Left pictures are mirrors of right ones, so a key light always on one side (or a background always
    the same way round) would become a cue. Within each part and view both occur equally often."""
    for part, spec in SPECS.items():
        jobs = jobs_for(spec)
        for view in spec.views:
            sides = [j.light_side for j in jobs if j.view == view]
            flips = [j.background_flip for j in jobs if j.view == view]
            assert abs(sum(sides)) <= 2, (part, view, sides)
            assert abs(sum(1 if f else -1 for f in flips)) <= 2, (part, view)
