import datetime as dt

import pytest

from gmi.core.plans import parse_plan
from gmi.core.progression import Action, SessionOutcome, decide, quota_for, start_decision
from gmi.core.plans import QuotaRule

PLAN = '''\
patient = "P-1"
author = "A. Physio"
written = 2026-11-01

[stop]
pain_above = 7
rise_above = 2
then = "hold"

[progression]
sessions_at_target = 3
max_pain_rise = 1
step_back_rise = 3

[[hierarchy]]
name = "Bend"
fear = 30
movement = "trunk_forward_bend"
  [[hierarchy.levels]]
  target_deg = 25
  reps = 5
  [[hierarchy.levels]]
  target_deg = 30
  reps = 5
  [[hierarchy.levels]]
  target_deg = 40
  reps = 5

[[hierarchy]]
name = "Lift"
fear = 60
activity = "Lift a bag"
  [[hierarchy.levels]]
  reps = 3
'''
DAY = dt.date(2026, 11, 2)


def plan(text=PLAN):
    return parse_plan(text, "t.toml")


def s(level, done=5, at=None, before=2, after=2, target=5, stopped=False, completed=True, day=0):
    return SessionOutcome(DAY + dt.timedelta(days=day), level, target, done, done if at is None else at,
                          before, after, stopped, completed)


def test_advance_after_n_sessions_at_target_with_small_rise():
    d = decide(plan(), 0, 2, [s(1), s(2, after=3), s(2), s(2, after=3)], DAY)
    assert d.action is Action.ADVANCE and d.level == 3 and d.item == "Bend"
    assert d.reason == ("You reached the target in 3 of the last 3 sessions and pain rose by at most 1 point: "
                        "next time, level 3.")


def test_no_rise_is_said_plainly():
    d = decide(plan(), 0, 1, [s(1), s(1), s(1, before=4, after=3)], DAY)
    assert "pain did not rise" in d.reason


def test_hold_when_target_missed_in_the_window():
    d = decide(plan(), 0, 2, [s(2), s(2, done=5, at=3), s(2)], DAY)
    assert d.action is Action.HOLD and d.level == 2
    assert d.reason.startswith("You reached the target in 2 of the last 3 sessions: next time, level 2 again.")
    assert "3 sessions in a row at target" in d.reason


def test_hold_when_too_few_sessions_at_this_level():
    # sessions at level 1 do not count towards level 2
    d = decide(plan(), 0, 2, [s(1), s(1), s(1), s(2)], DAY)
    assert d.action is Action.HOLD and d.reason.startswith("You reached the target in your last session: next time")


def test_hold_when_pain_rose_too_much_while_at_target():
    d = decide(plan(), 0, 1, [s(1), s(1), s(1, before=2, after=4)], DAY)
    assert d.action is Action.HOLD and "pain rose by more than 1 point in 1 of them" in d.reason


def test_missing_pain_ratings_do_not_advance():
    d = decide(plan(), 0, 1, [s(1), s(1), s(1, after=None)], DAY)
    assert d.action is Action.HOLD and "pain ratings are missing" in d.reason


def test_step_back_after_a_flare():
    d = decide(plan(), 0, 3, [s(3), s(3, before=2, after=6)], DAY)
    assert d.action is Action.STEP_BACK and d.level == 2
    assert d.reason == ("Pain rose by 4 points after the last session (from 2 to 6), more than the 3 your plan "
                        "allows: next time, level 2, one step easier.")


def test_stop_rule_rise_holds_as_the_plan_says():
    d = decide(plan(), 0, 2, [s(2, before=2, after=5)], DAY)     # rise 3: > rise_above 2, not > step_back 3
    assert d.action is Action.HOLD and "stop rule" in d.reason
    d = decide(plan(PLAN.replace('then = "hold"', 'then = "step_back"')), 0, 2, [s(2, before=2, after=5)], DAY)
    assert d.action is Action.STEP_BACK and d.level == 1


def test_session_stopped_by_pain_holds_or_steps_back():
    d = decide(plan(), 0, 2, [s(2, done=2, stopped=True)], DAY)
    assert d.action is Action.HOLD and d.level == 2 and "pain went above 7/10" in d.reason
    d = decide(plan(PLAN.replace('then = "hold"', 'then = "step_back"')), 0, 2, [s(2, stopped=True)], DAY)
    assert d.action is Action.STEP_BACK and d.level == 1


def test_step_back_at_the_first_level_holds_and_says_so():
    d = decide(plan(), 0, 1, [s(1, before=1, after=8)], DAY)
    assert d.action is Action.HOLD and d.level == 1 and "already the easiest level" in d.reason


def test_advancing_past_the_last_level_moves_to_the_next_item_then_completes():
    p = plan(PLAN.replace("sessions_at_target = 3", "sessions_at_target = 1"))
    d = decide(p, 0, 3, [s(3)], DAY)
    assert d.action is Action.ADVANCE and (d.item_index, d.item, d.level) == (1, "Lift", 1)
    assert 'last level of "Bend"' in d.reason and 'Next time: "Lift", level 1.' in d.reason
    d = decide(p, 1, 1, [s(1, done=3, target=3)], DAY)
    assert d.action is Action.COMPLETE and d.level == 1


def test_abandoned_sessions_are_ignored():
    d = decide(plan(), 0, 1, [s(1), s(1, done=1, completed=False), s(1), s(1)], DAY)
    assert d.action is Action.ADVANCE


def test_start_decision_is_the_least_feared_item():
    d = start_decision(plan())
    assert (d.action, d.item, d.level) == (Action.HOLD, "Bend", 1)


# -- quota ---------------------------------------------------------------------------------------------
QUOTA = '''\
patient = "P-1"
author = "A. Physio"
written = 2026-11-01

[stop]
pain_above = 9
then = "hold"

[progression]
rule = "quota"
baseline_sessions = 3
start_pct = 80
weekly_increase_pct = 10

[[hierarchy]]
name = "Sit to stand"
fear = 40
movement = "sit_to_stand"
  [[hierarchy.levels]]
  reps = 10
  sets = 2

[[hierarchy]]
name = "Stairs"
fear = 70
activity = "Stairs"
  [hierarchy.progression]
  rule = "advance"
  [[hierarchy.levels]]
  reps = 1
'''


def q(done, day, target=20, stopped=False, before=3, after=3):
    return s(1, done=done, target=target, day=day, stopped=stopped, before=before, after=after)


BASELINE = [q(8, 0), q(10, 2), q(12, 4)]     # mean 10


def test_quota_starts_with_baseline_sessions():
    p = plan(QUOTA)
    assert start_decision(p).action is Action.BASELINE
    d = decide(p, 0, 1, BASELINE[:2], DAY)
    assert d.action is Action.BASELINE and d.reps_target is None
    assert d.reason.startswith("Baseline session 3 of 3") and "up to 20" in d.reason


def test_first_quota_is_start_percent_of_baseline_mean():
    d = decide(plan(QUOTA), 0, 1, BASELINE, DAY + dt.timedelta(days=5))
    assert d.action is Action.QUOTA and d.reps_target == 8
    assert "baseline average was 10.0 repetitions. Week 1 of your quota: 80% of baseline: next time, 8" in d.reason


def test_quota_rises_each_week_whatever_the_pain():
    history = BASELINE + [q(8, 6, target=8, before=3, after=6)]   # pain rose by 3: quota does not care
    d = decide(plan(QUOTA), 0, 1, history, DAY + dt.timedelta(days=4 + 14))
    assert d.action is Action.QUOTA and d.reps_target == 10 and "Week 3" in d.reason and "100%" in d.reason


def test_quota_is_capped_at_the_goal_then_advances_to_the_next_item():
    d = decide(plan(QUOTA), 0, 1, BASELINE, DAY + dt.timedelta(days=4 + 7 * 30))
    assert d.reps_target == 20 and "reaches your goal" in d.reason
    d = decide(plan(QUOTA), 0, 1, BASELINE + [q(20, 300, target=20)], DAY + dt.timedelta(days=301))
    assert d.action is Action.ADVANCE and d.item == "Stairs"


def test_quota_holds_after_a_stop():
    history = BASELINE + [q(4, 6, target=9, stopped=True)]
    d = decide(plan(QUOTA), 0, 1, history, DAY + dt.timedelta(days=30))
    assert d.action is Action.HOLD and d.reps_target == 9 and "9 repetitions again" in d.reason
    p = plan(QUOTA.replace('then = "hold"', 'then = "step_back"'))
    d = decide(p, 0, 1, history, DAY + dt.timedelta(days=30))
    assert d.action is Action.STEP_BACK and d.reps_target == 8     # 9 − 10% of 10


@pytest.mark.parametrize("mean,week,expected", [(10, 0, 8), (10, 1, 9), (3, 0, 2), (0, 0, 1), (100, 5, 20)])
def test_quota_for(mean, week, expected):
    assert quota_for(mean, QuotaRule(3, 80, 10), week, goal=20) == expected
