import pytest

from gmi.core.guidance import OK, Guidance, GuidanceSettler, assess_view
from gmi.core.movements import MOVEMENTS
from tests.core.posefactory import STANDING_FRONT, arms_abducted, make_pose, side_view, side_view_z

M = MOVEMENTS


def test_nobody_in_view_gets_the_placement_advice():
    guidance = assess_view(M["squat"], "both", None)
    assert not guidance.ok and guidance.code == "no_person"
    assert M["squat"].placement in guidance.message


def test_hips_below_the_picture():
    pose = make_pose({"left_hip": (345, 500), "right_hip": (295, 500)})
    guidance = assess_view(M["shoulder_abduction"], "both", pose)
    assert guidance == Guidance(False, "step_back", "Step back so I can see your hips")


def test_raised_arms_above_the_picture():
    pose = make_pose(arms_abducted(180, 180) | {"left_elbow": (365, -5), "right_elbow": (275, -5)})
    assert assess_view(M["bilateral_arm_raise"], "both", pose).message == "Step back so I can see your arms"


def test_off_the_side_of_the_picture():
    pose = make_pose({"left_elbow": (650, 210)})
    guidance = assess_view(M["shoulder_abduction"], "left", pose)
    assert guidance == Guidance(False, "move_to_middle", "Move into the middle of the picture")
    shifted = make_pose({name: (x - 250, y) for name, (x, y) in STANDING_FRONT.items()})
    soft = assess_view(M["shoulder_abduction"], "left", shifted)
    assert soft.ok and soft.code == "move_to_middle"


def test_front_movement_seen_from_the_side():
    pose = make_pose(side_view(), world_z=side_view_z("left"))
    guidance = assess_view(M["shoulder_abduction"], "both", pose)
    assert guidance == Guidance(False, "face_camera", "Turn to face the camera")


def test_side_movement_seen_from_the_front():
    assert assess_view(M["squat"], "both", make_pose()).message == "Turn sideways to the camera"
    assert assess_view(M["squat"], "left", make_pose()).message == \
        "Turn sideways to the camera with your left side towards it"


def test_side_movement_with_the_wrong_side_to_the_camera():
    pose = make_pose(side_view(), world_z=side_view_z("right"))
    guidance = assess_view(M["elbow_flexion"], "left", pose)
    assert guidance == Guidance(False, "turn_around", "Turn round so your left side faces the camera")
    assert assess_view(M["elbow_flexion"], "right", pose) == OK


def test_hidden_body_part():
    guidance = assess_view(M["squat"], "left", make_pose(side_view(), world_z=side_view_z("left"),
                                                          hidden=("left_knee",)))
    assert guidance == Guidance(False, "hidden", "Make sure nothing hides your knees from the camera")


def test_far_away_person_is_measured_but_asked_to_come_closer():
    small = make_pose({name: (320 + (x - 320) * 0.25, 240 + (y - 240) * 0.25) for name, (x, y) in STANDING_FRONT.items()})
    guidance = assess_view(M["shoulder_abduction"], "both", small)
    assert guidance.ok and guidance.message == "Come a little closer to the camera"


def test_good_view_is_ok():
    assert assess_view(M["shoulder_abduction"], "both", make_pose()) == OK
    assert assess_view(M["neck_side_bend"], "both", make_pose()) == OK


def test_settler_ignores_flicker_and_follows_lasting_change():
    settler = GuidanceSettler(settle_s=0.5)
    back = Guidance(False, "step_back", "Step back so I can see your hips")
    t = 0.0
    for i in range(30):  # alternating every frame for a second: nothing settles
        assert settler.update(t, back if i % 2 else OK) == OK
        t += 1 / 30
    for _ in range(14):
        assert settler.update(t, back) == OK
        t += 1 / 30
    assert settler.update(t + 0.1, back) == back


@pytest.mark.parametrize("name", list(MOVEMENTS))
def test_every_movement_accepts_its_own_view(name):
    movement = M[name]
    if movement.view == "front":
        pose = make_pose()
    else:
        pose = make_pose(side_view(), world_z=side_view_z("left"))
    side = "left" if "left" in movement.sides else movement.default_side
    assert assess_view(movement, side, pose).ok
