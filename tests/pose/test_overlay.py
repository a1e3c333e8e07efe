import numpy as np
import pytest

from gmi.core.skeleton import LANDMARK_INDEX
from gmi.pose.overlay import BAND, BONE, MEASURED, NEEDLE_AT, NEEDLE_BELOW, TRACK, draw_gauge, draw_skeleton, gauge_angle
from tests.core.posefactory import make_pose

pytest.importorskip("cv2")


def test_gauge_positions():
    assert gauge_angle(0, (0, 180)) == 180 and gauge_angle(180, (0, 180)) == 360
    assert gauge_angle(90, (0, 180)) == 270
    assert gauge_angle(-20, (0, 180)) == 180 and gauge_angle(400, (0, 180)) == 360
    assert gauge_angle(120, (60, 180)) == 270


def test_skeleton_bones_and_measured_joints_are_drawn():
    image = np.zeros((480, 640, 3), np.uint8)
    pose = make_pose(hidden=("right_knee",))
    points = pose.pixels()
    elbow = LANDMARK_INDEX["left_elbow"]
    draw_skeleton(image, points, pose.visibility, measured=[elbow])
    mid = ((points[LANDMARK_INDEX["left_hip"]] + points[LANDMARK_INDEX["left_knee"]]) / 2).astype(int)
    assert tuple(image[mid[1], mid[0]]) == BONE
    x, y = points[elbow].astype(int)
    assert tuple(image[y, x]) == MEASURED
    hidden_mid = ((points[LANDMARK_INDEX["right_hip"]] + points[LANDMARK_INDEX["right_knee"]]) / 2).astype(int)
    assert tuple(image[hidden_mid[1], hidden_mid[0]]) == (0, 0, 0)  # a bone to a hidden joint is left out


def _colour_on_arc(image, centre, radius, value, gauge):
    import math

    a = math.radians(gauge_angle(value, gauge))
    return tuple(image[int(round(centre[1] + radius * math.sin(a))), int(round(centre[0] + radius * math.cos(a)))])


def test_gauge_shows_band_track_and_needle_colour():
    gauge, centre, radius = (0, 180), (200, 200), 80
    below = np.zeros((300, 400, 3), np.uint8)
    draw_gauge(below, 100, 150, gauge, centre, radius)
    assert _colour_on_arc(below, centre, radius, 165, gauge) == BAND
    assert _colour_on_arc(below, centre, radius, 30, gauge) == TRACK
    assert _colour_on_arc(below, centre, radius * 0.85, 100, gauge) == NEEDLE_BELOW
    at = np.zeros((300, 400, 3), np.uint8)
    draw_gauge(at, 155, 150, gauge, centre, radius)
    assert _colour_on_arc(at, centre, radius * 0.85, 155, gauge) == NEEDLE_AT
    unknown = np.zeros((300, 400, 3), np.uint8)
    draw_gauge(unknown, None, 150, gauge, centre, radius)
    assert _colour_on_arc(unknown, centre, radius * 0.85, 100, gauge) == (0, 0, 0)  # no needle
