from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from gmi.core.errors import GmiError
from gmi.core.intents import InputMethod, Intent, TimedIntent
from gmi.core.laterality import (MAX_SAME_SIDE_RUN, DrillSettings, Mode, OutcomeKind, TrialResult, design_trials,
                                 judge, judge_against_norm, max_run, summarize)
from gmi.core.norms import NORMS, norm_for
from gmi.core.stimuli import Stimulus, default_direction, mirrored_rotation


def make_pool(views=("dorsal", "palmar"), rotations=range(0, 360, 45), postures=("flat", "fist")):
    pool = []
    for view in views:
        for posture in postures:
            for rot in rotations:
                for side in ("left", "right"):
                    twin_rot = mirrored_rotation(rot)
                    other = "left" if side == "right" else "right"
                    pool.append(Stimulus(f"{side}-{view}-{posture}-{rot}", "hands", side, view, posture, rot,
                                         default_direction(side, rot), 1, f"{other}-{view}-{posture}-{twin_rot}",
                                         f"{side}_{view}_{posture}.png", "0" * 64))
    return pool


@settings(max_examples=60, deadline=None)
@given(n=st.integers(10, 100), seed=st.integers(0, 2**31 - 1))
def test_design_is_balanced_with_short_runs(n, seed):
    trials = design_trials(make_pool(), n, seed)
    sides = Counter(t.side for t in trials)
    assert len(trials) == n
    assert abs(sides["left"] - sides["right"]) <= 1
    assert max_run(t.side for t in trials) <= MAX_SAME_SIDE_RUN
    for side in ("left", "right"):
        per_rot = Counter(t.rotation_deg for t in trials if t.side == side)
        assert max(per_rot.values()) - min(per_rot.values(), default=0) <= 1
        if sides[side] >= 8:
            assert len(per_rot) == 8
    assert all((a.file, a.rotation_deg) != (b.file, b.rotation_deg) for a, b in zip(trials, trials[1:]))


def test_same_seed_same_design_other_seed_differs():
    pool = make_pool()
    a = [t.id for t in design_trials(pool, 40, 7)]
    assert a == [t.id for t in design_trials(pool, 40, 7)]
    assert a != [t.id for t in design_trials(pool, 40, 8)]


def test_design_needs_both_sides():
    with pytest.raises(GmiError) as info:
        design_trials([s for s in make_pool() if s.side == "left"], 10, 1)
    assert info.value.code == "E-NO-STIMULI"


def test_direction_convention():
    assert default_direction("right", 45) == "lateral" and default_direction("right", 315) == "medial"
    assert default_direction("left", 45) == "medial" and default_direction("left", 315) == "lateral"
    assert default_direction("left", 180) == "none"


ON, DL = 1_000_000_000, 1_000_000_000 + 5_000_000_000


def ev(ms, intent, method=InputMethod.KEYS):
    return TimedIntent(ON + int(ms * 1e6), intent, method)


def test_judge_first_answer_wins_with_exact_rt():
    out = judge([ev(812.5, Intent.RIGHT), ev(900, Intent.LEFT)], ON, DL, ON + int(1e9))
    assert out.kind is OutcomeKind.ANSWER and out.response == "right" and out.rt_ms == pytest.approx(812.5)


def test_judge_ignores_keys_before_onset_and_times_out():
    early = TimedIntent(ON - 1000, Intent.LEFT)
    assert judge([early], ON, DL, ON + 10).kind is OutcomeKind.WAITING
    assert judge([early], ON, DL, DL).kind is OutcomeKind.MISS
    assert judge([ev(5001, Intent.LEFT)], ON, DL, DL + 10**6).kind is OutcomeKind.MISS


def test_judge_pause_and_quit_before_answer():
    assert judge([ev(100, Intent.PAUSE), ev(200, Intent.LEFT)], ON, DL, ON).kind is OutcomeKind.PAUSE
    assert judge([ev(100, Intent.QUIT)], ON, DL, ON).kind is OutcomeKind.QUIT
    assert judge([ev(50, Intent.LEFT, InputMethod.DWELL)], ON, DL, ON).method is InputMethod.DWELL


def test_summary_per_side_rotation_direction():
    results = [
        TrialResult("left", "dorsal", 0, "none", "left", 1000),
        TrialResult("left", "dorsal", 90, "medial", "left", 3000),
        TrialResult("left", "dorsal", 270, "lateral", "right", 500),   # wrong: not in median RT
        TrialResult("right", "dorsal", 0, "none", "right", 1200),
        TrialResult("right", "dorsal", 90, "lateral", None, None),     # miss
        TrialResult("right", "dorsal", 270, "medial", "right", 1400),
    ]
    s = summarize(results)
    assert (s.left.n, s.left.correct, s.left.misses, s.left.median_rt_ms) == (3, 2, 0, 2000)
    assert (s.right.n, s.right.correct, s.right.misses, s.right.median_rt_ms) == (3, 2, 1, 1300)
    assert s.lr_rt_diff_ms == 700 and s.lr_accuracy_diff_pts == 0
    assert s.by_rotation[90].n == 2 and s.by_rotation[90].median_rt_ms == 3000
    assert s.by_direction["medial"].correct == 2 and s.by_direction["lateral"].correct == 0
    verdict = judge_against_norm(s, norm_for("hands"), DrillSettings())
    assert not verdict.accuracy_ok and not verdict.sides_even
    assert any("left side took you 0.7 s longer" in line for line in verdict.lines)


def test_norms_cover_every_part_with_source():
    for part in ("hands", "feet", "back", "neck", "shoulder", "knee"):
        n = NORMS[part]
        assert n.accuracy_min == 0.8 and n.source
    assert NORMS["neck"].rt_mean_s == 1.6 and NORMS["hands"].rt_upper_s == 2.5


def test_settings_validation_and_test_mode():
    with pytest.raises(GmiError) as info:
        DrillSettings(part="elbow", trials=5, time_limit_s=90).validate()
    text = str(info.value)
    assert "part" in text and "trials" in text and "time_limit_s" in text
    fixed = DrillSettings(trials=12, time_limit_s=30, level=3, mode=Mode.TEST).effective()
    assert (fixed.trials, fixed.time_limit_s, fixed.level) == (40, 5.0, 1)
    s = DrillSettings(part="feet", trials=20, views=("top",), mode=Mode.TEST)
    assert DrillSettings.from_dict(s.to_dict()) == s
    assert DrillSettings.from_dict({"part": "feet", "trials": 5000}).part == "feet"


def test_saved_settings_keep_their_good_values_when_one_is_bad():
    s = DrillSettings.from_dict({"part": "feet", "time_limit_s": 30, "mode": "test", "trials": 5000,
                                 "rotations": ["x"], "views": "dorsal", "level": 9})
    assert (s.part, s.time_limit_s, s.mode) == ("feet", 30, Mode.TEST)           # kept
    assert (s.trials, s.rotations, s.views, s.level) == (40, (), (), 1)          # each back to its default
    assert DrillSettings.from_dict(None) == DrillSettings() and DrillSettings.from_dict([1]) == DrillSettings()
