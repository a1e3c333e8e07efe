import math

import pytest

from gmi.core.angles import angle_between, measure_angle, raw_angle, signed_angle_2d
from gmi.core.movements import MOVEMENTS
from gmi.core.skeleton import LANDMARK_INDEX
from tests.core.posefactory import (STANDING_FRONT, around, arms_abducted, make_pose, side_view,
                                    side_view_z)

M = MOVEMENTS


def test_vector_helpers():
    assert angle_between([1, 0], [0, 1]) == pytest.approx(90)
    assert angle_between([1, 0], [-1, 0]) == pytest.approx(180)
    assert math.isnan(angle_between([0, 0], [1, 0]))
    assert signed_angle_2d([1, 0], [0, 1]) == pytest.approx(90)
    assert signed_angle_2d([1, 0], [0, -1]) == pytest.approx(-90)


@pytest.mark.parametrize("left,right", [(0, 0), (45, 30), (90, 90), (160, 170)])
def test_shoulder_abduction_each_arm_and_both(left, right):
    pose = make_pose(arms_abducted(left, right))
    # the trunk line (shoulder to hip) is not exactly vertical in the figure: allow for its tilt
    tilt_left = math.degrees(math.atan2(abs(365 - 345), 140))
    expected = {"left": min(180.0, left + tilt_left), "right": min(180.0, right + tilt_left)}
    for side in ("left", "right"):
        assert measure_angle(M["shoulder_abduction"], side, pose).angle_deg == pytest.approx(expected[side], abs=0.01)
    both = measure_angle(M["shoulder_abduction"], "both", pose)
    assert both.angle_deg == pytest.approx(min(measure_angle(M["shoulder_abduction"], s, pose).angle_deg
                                               for s in ("left", "right")))
    assert both.body_side == "both"


def test_picture_angles_use_pixels_not_stretched_units():
    # An arm at 45° in pixels on a 4:3 frame: in 0..1 units it would read about 37° or 53°.
    shoulder, hip = (300, 200), (300, 300)
    pose = make_pose({"left_shoulder": shoulder, "left_hip": hip, "left_elbow": around(shoulder, 80, 45)})
    assert raw_angle(M["shoulder_abduction"], pose, "left").angle_deg == pytest.approx(45, abs=1e-6)


def test_elbow_flexion_squat_and_sit_to_stand():
    elbow = (400, 200)
    pose = make_pose({"left_shoulder": (400, 130), "left_elbow": elbow, "left_wrist": (460, 200)})
    assert raw_angle(M["elbow_flexion"], pose, "left").angle_deg == pytest.approx(90)
    straight = make_pose({"left_hip": (300, 280), "left_knee": (300, 360), "left_ankle": (300, 440)})
    assert raw_angle(M["squat"], straight, "left").angle_deg == pytest.approx(0)
    assert raw_angle(M["sit_to_stand"], straight, "left").angle_deg == pytest.approx(180)
    seated = make_pose({"left_hip": (240, 300), "left_knee": (320, 300), "left_ankle": (320, 380)})
    assert raw_angle(M["squat"], seated, "left").angle_deg == pytest.approx(90)
    assert raw_angle(M["sit_to_stand"], seated, "left").angle_deg == pytest.approx(90)


def test_shoulder_flexion_is_negative_behind_the_body():
    base = side_view(facing_x=1)
    shoulder = base["left_shoulder"]
    base["left_hip"] = (shoulder[0], 280)  # trunk exactly vertical
    forward = make_pose({"left_elbow": around(shoulder, 70, 40, towards_x=1)}, base=base)
    backward = make_pose({"left_elbow": around(shoulder, 70, 40, towards_x=-1)}, base=base)
    overhead = make_pose({"left_elbow": around(shoulder, 70, 170, towards_x=1)}, base=base)
    angle = lambda p: raw_angle(M["shoulder_flexion"], p, "left").angle_deg  # noqa: E731
    assert angle(forward) == pytest.approx(40, abs=1)
    assert angle(backward) == pytest.approx(-40, abs=1)
    assert angle(overhead) == pytest.approx(170, abs=1)
    # facing the other way: the same picture directions swap meaning
    mirrored_base = side_view(facing_x=-1)
    mirrored_base["left_hip"] = (shoulder[0], 280)
    assert raw_angle(M["shoulder_flexion"], make_pose({"left_elbow": around(shoulder, 70, 40, towards_x=-1)},
                                                      base=mirrored_base), "left").angle_deg > 0


def test_trunk_forward_bend_signed_by_facing_direction():
    base = side_view(facing_x=1)
    hip = base["left_hip"]
    lean = lambda deg, fx: make_pose({"left_shoulder": (hip[0] + fx * 140 * math.sin(math.radians(deg)),  # noqa: E731
                                                        hip[1] - 140 * math.cos(math.radians(deg)))}, base=base)
    assert raw_angle(M["trunk_forward_bend"], lean(30, 1), "left").angle_deg == pytest.approx(30)
    assert raw_angle(M["trunk_forward_bend"], lean(15, -1), "left").angle_deg == pytest.approx(-15)


def _side_bend(deg_towards_picture_x: float):
    shift = 140 * math.tan(math.radians(deg_towards_picture_x))
    return make_pose({"left_shoulder": (365 + shift, 140), "right_shoulder": (275 + shift, 140)})


def test_trunk_side_bend_direction_rule():
    pose = _side_bend(20)  # towards picture +x = the person's left (facing the camera)
    assert measure_angle(M["trunk_side_bend"], "left", pose).angle_deg == pytest.approx(20, abs=0.5)
    assert measure_angle(M["trunk_side_bend"], "right", pose).angle_deg == pytest.approx(-20, abs=0.5)
    both = measure_angle(M["trunk_side_bend"], "both", _side_bend(-20))
    assert both.angle_deg == pytest.approx(20, abs=0.5) and both.body_side == "right"


def test_neck_side_bend_against_the_shoulder_line():
    # left ear dropped by 20 degrees relative to a level shoulder line
    cx, cy, r = 320, 88, 22
    a = math.radians(20)
    pose = make_pose({"left_ear": (cx + r * math.cos(a), cy + r * math.sin(a)),
                      "right_ear": (cx - r * math.cos(a), cy - r * math.sin(a))})
    assert measure_angle(M["neck_side_bend"], "left", pose).angle_deg == pytest.approx(20)
    # the same head tilt with the whole body (shoulders too) tilted reads 0: a tilted camera is ignored
    tilted = make_pose({"left_ear": (cx + r * math.cos(a), cy + r * math.sin(a)),
                        "right_ear": (cx - r * math.cos(a), cy - r * math.sin(a)),
                        "left_shoulder": (320 + 45 * math.cos(a), 140 + 45 * math.sin(a)),
                        "right_shoulder": (320 - 45 * math.cos(a), 140 - 45 * math.sin(a))})
    assert measure_angle(M["neck_side_bend"], "both", tilted).angle_deg == pytest.approx(0, abs=1e-6)


def test_neck_rotation_uses_world_depth():
    # turning left: the left ear goes away from the camera (+z), the right ear comes closer
    a = math.radians(40)
    pose = make_pose({"left_ear": (320 + 22 * math.cos(a), 88), "right_ear": (320 - 22 * math.cos(a), 88)},
                     world_z={"left_ear": 0.088 * math.sin(a), "right_ear": -0.088 * math.sin(a)})
    # world x of the ears comes from the picture (250 px/m): 22 px = 0.088 m
    assert measure_angle(M["neck_rotation"], "left", pose).angle_deg == pytest.approx(40, abs=0.5)
    assert measure_angle(M["neck_rotation"], "right", pose).angle_deg == pytest.approx(-40, abs=0.5)


def test_unseen_landmarks_give_no_angle():
    hidden = measure_angle(M["shoulder_abduction"], "left", make_pose(hidden=("left_elbow",)))
    assert hidden.angle_deg is None and hidden.missing == (LANDMARK_INDEX["left_elbow"],)
    outside = measure_angle(M["shoulder_abduction"], "both", make_pose({"right_hip": (295, 490)}))
    assert outside.angle_deg is None and LANDMARK_INDEX["right_hip"] in outside.missing
    assert measure_angle(M["squat"], "both", None).angle_deg is None


def test_facing_rule_both_uses_the_side_the_camera_sees():
    base = side_view()
    knee = base["right_knee"]
    pose = make_pose({"right_ankle": around(knee, 80, 60, -1)}, base=base,
                     hidden=("left_hip", "left_knee", "left_ankle"))
    reading = measure_angle(M["squat"], "both", pose)
    assert reading.body_side == "right" and reading.angle_deg == pytest.approx(60, abs=1)
    assert STANDING_FRONT  # the default figure stays importable for other tests
    assert side_view_z("left")["left_shoulder"] < side_view_z("left")["right_shoulder"]


def test_neck_rotation_keeps_measuring_when_the_turned_away_ear_is_hidden():
    from gmi.core.guidance import assess_view

    a = math.radians(70)
    pose = make_pose({"left_ear": (320 + 22 * math.cos(a), 88), "right_ear": (320 - 22 * math.cos(a), 88)},
                     world_z={"left_ear": 0.088 * math.sin(a), "right_ear": -0.088 * math.sin(a)},
                     hidden=("left_ear",))
    assert measure_angle(M["neck_rotation"], "left", pose).angle_deg == pytest.approx(70, abs=0.5)
    assert assess_view(M["neck_rotation"], "left", pose).ok
    # a hidden ear still stops the side bend, which needs both ears seen
    assert measure_angle(M["neck_side_bend"], "left", pose).angle_deg is None
