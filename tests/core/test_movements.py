from importlib import resources

import pytest

from gmi.core.errors import GmiError
from gmi.core.movements import (LIBRARY_FILE, MOVEMENT_NAMES, MOVEMENT_VIEWS, MOVEMENTS, get_movement,
                                parse_library, resolve_side, resolve_target)
from gmi.core.skeleton import LANDMARK_INDEX

LIBRARY_TEXT = resources.files("gmi.core").joinpath(LIBRARY_FILE).read_text(encoding="utf-8")


def test_the_ten_stable_names_and_their_views():
    # Plan files use these ids: renaming one breaks every plan that names it.
    assert MOVEMENT_VIEWS == {
        "shoulder_flexion": "side", "shoulder_abduction": "front", "elbow_flexion": "side",
        "bilateral_arm_raise": "front", "trunk_forward_bend": "side", "trunk_side_bend": "front",
        "squat": "side", "sit_to_stand": "side", "neck_rotation": "front", "neck_side_bend": "front"}
    assert MOVEMENT_NAMES == tuple(MOVEMENT_VIEWS)


@pytest.mark.parametrize("name", MOVEMENT_NAMES)
def test_each_definition_is_complete(name):
    m = MOVEMENTS[name]
    assert m.title
    for text in (m.description, m.angle, m.coordinates_reason, m.placement):
        assert len(text) > 30
    for side in ("left", "right"):
        assert all(i in LANDMARK_INDEX.values() for i in m.landmark_indices(side))
    r = m.reps
    assert m.gauge[0] <= r.return_deg < r.start_deg < r.count_deg <= r.target_deg <= m.gauge[1]
    assert m.default_side in m.sides
    assert m.side_label(m.default_side)


def _broken(old: str, new: str) -> str:
    assert old in LIBRARY_TEXT
    return LIBRARY_TEXT.replace(old, new, 1)


@pytest.mark.parametrize("old,new,field,message", [
    ('view = "side"\nmeasure = "segment_angle"', 'veiw = "side"\nmeasure = "segment_angle"',
     "shoulder_flexion.veiw", "unknown key"),
    ('measure = "joint_flexion"', 'measure = "knee_magic"', "elbow_flexion.measure", "not one of"),
    ("start_deg = 30\nreturn_deg = 20", "start_deg = 30\nreturn_deg = 40", "squat.reps", "must rise"),
    ('landmarks = ["{side}_hip", "{side}_knee", "{side}_ankle"]\nside_rule = "facing"',
     'landmarks = ["{side}_hip", "{side}_kneee", "{side}_ankle"]\nside_rule = "facing"', "squat.landmarks",
     "unknown landmark"),
    ("hold_hysteresis_deg = 3\nmin_duration_s = 0.5\nmax_gap_s = 0.5\n\n[squat]",
     "hold_hysteresis_deg = 3\nmin_duration_s = 0.5\n\n[squat]", "trunk_side_bend.reps.max_gap_s", "missing"),
    ('default_side = "both"\nangle = "Angle at each', 'default_side = "left"\nangle = "Angle at each',
     "bilateral_arm_raise.default_side", "one of this movement's sides"),
    ('occludable = ["left_ear", "right_ear"]', 'occludable = ["left_wrist"]', "neck_rotation.occludable",
     "landmarks the movement uses"),
])
def test_library_errors_name_the_field(old, new, field, message):
    with pytest.raises(GmiError) as info:
        parse_library(_broken(old, new), "movements.toml")
    problems = info.value.problems
    assert any(p.field == field and message in p.message for p in problems), [str(p) for p in problems]
    assert info.value.code == "E-MOVEMENTS"


def test_library_reports_invalid_toml():
    with pytest.raises(GmiError, match="not valid TOML"):
        parse_library("[squat\n", "movements.toml")


def test_unknown_movement_lists_every_allowed_name():
    with pytest.raises(GmiError) as info:
        get_movement("shoulder_abductoin", field="--movement")
    problem = info.value.problems[0]
    assert problem.field == "--movement" and "shoulder_abductoin" in problem.found
    assert all(name in problem.allowed for name in MOVEMENT_NAMES)


def test_sides_and_targets_are_checked_against_the_movement():
    assert resolve_side(MOVEMENTS["squat"], None) == "both"
    assert resolve_side(MOVEMENTS["squat"], "left") == "left"
    with pytest.raises(GmiError) as info:
        resolve_side(MOVEMENTS["bilateral_arm_raise"], "left")
    assert info.value.problems[0].allowed == "both"
    assert resolve_target(MOVEMENTS["squat"], None) == 90
    assert resolve_target(MOVEMENTS["squat"], 100) == 100
    assert resolve_target(MOVEMENTS["squat"], 40) == 40  # small early targets are allowed
    with pytest.raises(GmiError) as info:
        resolve_target(MOVEMENTS["squat"], 30)
    assert info.value.problems[0].allowed == "35–150°"
