import datetime as dt

import pytest

from gmi.core.errors import GmiError
from gmi.core.exposure import (Mode, Phase, RepResult, Step, compare, new_session, sets_text, targets_for,
                               targets_for_decision)
from gmi.core.plans import parse_plan
from gmi.core.progression import Action, Decision, start_decision

PLAN = '''\
patient = "P-1"
author = "A. Physio"
written = 2026-11-01

[stop]
pain_above = 6

[progression]
sessions_at_target = 1

[[hierarchy]]
name = "Bend"
fear = 30
movement = "trunk_forward_bend"
  [[hierarchy.levels]]
  target_deg = 30
  reps = 3
  sets = 2
  rest_s = 20
  [[hierarchy.levels]]
  target_deg = 40
  reps = 3
  hold_s = 4

[[hierarchy]]
name = "Lift"
fear = 60
activity = "Lift a bag"
  [[hierarchy.levels]]
  reps = 2
  sets = 2
  hold_s = 5
  rest_s = 0
'''


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t

    def advance(self, seconds):
        self.t += seconds


@pytest.fixture
def plan():
    return parse_plan(PLAN, "t.toml")


def make(plan, decision=None, mode=Mode.TAP, history=()):
    clock, records = Clock(), []
    session = new_session(plan, decision or start_decision(plan), clock=clock, mode=mode, history=history,
                          today=dt.date(2026, 11, 21), sink=records.append)
    return session, clock, records


def rate_before(session, feared="my back will lock"):
    for name, value in (("pain_before", 2), ("expected_pain", 6), ("fear_before", 70), ("feared_outcome", feared)):
        session.rate(name, value)


def rate_after(session, experienced=3, after=3, fear=40, happened="no"):
    for name, value in (("pain_experienced", experienced), ("pain_after", after), ("fear_after", fear),
                        ("outcome_happened", happened)):
        session.rate(name, value)


def test_camera_free_taps_sets_and_rest_timer(plan):
    session, clock, records = make(plan)
    with pytest.raises(GmiError):
        session.start()                            # before-ratings first
    rate_before(session)
    session.start()
    assert session.phase is Phase.DURING
    for _ in range(3):
        clock.advance(2.5)
        session.tap()
    assert session.step is Step.RESTING and session.set_index == 0
    clock.advance(10)
    assert session.tick() == [] and session.rest_remaining_s() == pytest.approx(10)
    clock.advance(10)
    (rest_done,) = session.tick()
    assert rest_done.data["name"] == "rest_done" and session.set_index == 1 and session.step is Step.MOVING
    clock.advance(3)
    session.tap()
    session.tap()
    out = session.tap()
    assert [r.data.get("name") for r in out if r.kind == "event"] == ["set_done", "after"]
    assert session.phase is Phase.AFTER and session.ended_by == "targets"
    reps = [r.data for r in records if r.kind == "repetition"]
    assert [(r["set"], r["rep_in_set"]) for r in reps] == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]
    assert reps[0]["duration_s"] == 2.5 and reps[3]["duration_s"] == 3.0
    assert all(r["source"] == "tap" and r["target_reached"] for r in reps)
    assert session.reps_done == 6 and session.reps_at_target == 6


def test_records_reach_the_sink_as_they_happen(plan):
    session, clock, records = make(plan)
    session.rate("pain_before", 2)
    assert records[-1].kind == "rating" and records[-1].data == {"name": "pain_before", "value": 2, "phase": "before"}
    rate_before(session)
    session.start()
    clock.advance(1.25)
    session.tap()
    assert records[-1].kind == "repetition" and records[-1].t_s == 1.25


def test_tap_skips_rest(plan):
    session, clock, _ = make(plan)
    rate_before(session)
    session.start()
    for _ in range(3):
        session.tap()
    (skipped,) = session.tap()
    assert skipped.data["name"] == "rest_skipped" and session.step is Step.MOVING and session.reps_done == 3


def test_tap_hold_timer_counts_when_the_hold_is_done_and_early_release_misses(plan):
    decision = Decision(Action.HOLD, 1, "Lift", 1, None, "")
    session, clock, records = make(plan, decision)
    rate_before(session)
    session.start()
    session.tap()
    assert session.step is Step.HOLDING and session.hold_remaining_s() == 5
    clock.advance(3)
    assert session.tick() == [] and session.hold_remaining_s() == 2
    clock.advance(2)
    out = session.tick()
    assert out[0].kind == "repetition" and out[0].data["target_reached"] and out[0].data["hold_s"] == 5
    session.tap()
    clock.advance(1.5)
    out = session.tap()                           # let go early
    assert out[0].data["target_reached"] is False and out[0].data["hold_s"] == 1.5
    # rest_s = 0: the next set starts at once
    assert any(r.data.get("name") == "rest_done" for r in out) and session.set_index == 1
    assert session.reps_at_target == 1


def test_pause_freezes_timers(plan):
    decision = Decision(Action.HOLD, 1, "Lift", 1, None, "")
    session, clock, _ = make(plan, decision)
    rate_before(session)
    session.start()
    session.tap()
    clock.advance(2)
    session.pause()
    clock.advance(100)
    assert session.tick() == [] and session.tap() == [] and session.hold_remaining_s() == 3
    session.resume()
    assert session.hold_remaining_s() == 3
    clock.advance(3)
    assert session.tick()[0].data["hold_s"] == 5


def test_camera_rep_results_count_and_keep_their_measurements(plan):
    session, clock, records = make(plan, mode=Mode.CAMERA)
    rate_before(session)
    session.start()
    assert session.tap() == []                     # a stray key does not count in camera mode
    session.add_rep(RepResult(peak_deg=34.2, target_reached=True, hold_s=0.0, duration_s=2.1))
    session.add_rep(RepResult(peak_deg=22.0, target_reached=False, hold_s=0.0, duration_s=1.9))
    session.add_rep(RepResult(peak_deg=31.0, target_reached=True, hold_s=0.0, duration_s=2.0))
    assert session.step is Step.RESTING
    session.add_rep(RepResult(peak_deg=33.0, target_reached=True, hold_s=0.0, duration_s=2.0))  # starts set 2
    assert session.set_index == 1 and session.reps_in_set == 1
    reps = [r.data for r in records if r.kind == "repetition"]
    assert [r["peak_deg"] for r in reps] == [34.2, 22.0, 31.0, 33.0] and reps[1]["target_reached"] is False
    assert session.reps_at_target == 3 and session.settings()["mode"] == "camera"


def test_activity_items_always_run_camera_free(plan):
    session, _, _ = make(plan, Decision(Action.HOLD, 1, "Lift", 1, None, ""), mode=Mode.CAMERA)
    assert session.mode is Mode.TAP


def test_pain_above_the_stop_threshold_stops_with_advice(plan):
    session, clock, records = make(plan)
    rate_before(session)
    session.start()
    session.tap()
    assert session.rate("pain_during", 6)[-1].kind == "rating"    # at the limit: carry on
    assert session.phase is Phase.DURING
    out = session.rate("pain_during", 8)
    assert [r.data.get("name") for r in out] == ["pain_during", "stopped_by_pain", "after"]
    assert session.phase is Phase.AFTER and session.stopped_by_pain and session.ended_by == "pain"
    assert "above 6/10" in session.advice and "physiotherapist" in session.advice
    rate_after(session, experienced=8, after=7)
    (decision,) = session.finish()
    assert decision.data["action"] == "hold" and "pain went above 6/10" in decision.data["reason"]
    assert session.outcome().stopped_by_pain and session.outcome().completed


def test_ratings_are_checked(plan):
    session, _, _ = make(plan)
    for name, value in (("pain_before", 11), ("fear_before", -1), ("expected_pain", 2.5), ("expected_pain", True),
                        ("nonsense", 1), ("pain_after", 3)):
        with pytest.raises(GmiError):
            session.rate(name, value)
    session.rate("feared_outcome", "  x" * 200)
    assert len(session.ratings["feared_outcome"]) == 300


def test_full_session_decides_and_compares_expected_with_experienced(plan):
    session, clock, records = make(plan)
    rate_before(session)
    session.start()
    for _ in range(3):
        session.tap()
    session.tap()                                   # skip rest
    for _ in range(3):
        session.tap()
    with pytest.raises(GmiError):
        session.finish()
    rate_after(session, experienced=3, after=3, fear=40, happened="no")
    (record,) = session.finish()
    assert session.phase is Phase.DECISION
    assert session.comparison.pain_difference == -3
    assert session.comparison.sentences == (
        "You expected pain of 6/10; it was 3/10: 3 points less than you expected. That is a real difference.",
        "Your fear went down from 70 to 40: a real change.",
        'What you were afraid of ("my back will lock") did not happen.')
    assert record.kind == "decision" and record.data["action"] == "advance" and record.data["level"] == 2
    assert "level 2" in record.data["reason"] and record.data["comparison"] == session.comparison.text


def test_finish_early_in_a_quota_baseline(plan):
    quota = parse_plan(PLAN.replace("[progression]\nsessions_at_target = 1",
                                    '[progression]\nrule = "quota"').replace(
        "  [[hierarchy.levels]]\n  target_deg = 40\n  reps = 3\n  hold_s = 4\n", ""))
    session, clock, _ = make(quota)
    assert session.targets.baseline and sets_text(session.targets) == "as many as comfortable, up to 6"
    rate_before(session)
    session.start()
    session.tap()
    session.tap()
    session.finish_early()
    assert session.phase is Phase.AFTER and session.ended_by == "patient"
    rate_after(session)
    session.finish()
    assert session.decision.action is Action.BASELINE and "Baseline session 2 of 3" in session.decision.reason


@pytest.mark.parametrize("exp,had,fb,fa,happened,expected", [
    (3, 3, 50, 45, "no", ("Your pain was what you expected: 3/10.", "Your fear was about the same (50 before, 45 after).",
                          'What you were afraid of ("x") did not happen.')),
    (2, 5, 30, 60, "yes", ("It hurt more than you expected: 5/10 instead of 2/10. That is worth knowing; tell your "
                           "physiotherapist. That is a real difference.", "Your fear went up from 30 to 60.",
                           'What you were afraid of ("x") happened. Talk it over with your physiotherapist.')),
    (4, 3, 50, 50, "partly", ("You expected pain of 4/10; it was 3/10: 1 point less than you expected.",
                              "Your fear was about the same (50 before, 50 after).", 'What you were afraid of ("x") happened only in part.')),
])
def test_compare_phrases(exp, had, fb, fa, happened, expected):
    assert compare(exp, had, fb, fa, "x", happened).sentences == expected


def test_compare_without_words_for_the_feared_outcome():
    assert compare(3, 3, 50, 50, "", "no").sentences[-1] == "What you were afraid of did not happen."


def test_quota_targets_split_over_sets(plan):
    level = plan.items[0].levels[0]                 # 2 sets
    assert targets_for(level).reps_per_set == (3, 3)
    assert targets_for(level, 7).reps_per_set == (4, 3)
    assert targets_for(level, 1).reps_per_set == (1,)
    assert sets_text(targets_for(level, 7)) == "2 sets: 4, 3" and sets_text(targets_for(level)) == "2 sets of 3"
    d = Decision(Action.QUOTA, 0, "Bend", 1, 5, "")
    assert targets_for_decision(plan, d).total_reps == 5


def test_wrong_phase_calls_are_refused(plan):
    session, _, _ = make(plan)
    with pytest.raises(GmiError):
        session.tap()
    with pytest.raises(GmiError):
        session.finish()
    with pytest.raises(GmiError):
        session.add_rep(RepResult(10, True, 0, 1))


def test_switching_to_tap_mode_when_the_camera_is_lost(plan):
    session, clock, records = make(plan, mode=Mode.CAMERA)
    rate_before(session)
    session.start()
    session.add_rep(RepResult(peak_deg=34.2, target_reached=True, hold_s=0.0, duration_s=2.1))
    (event,) = session.switch_to_tap("camera lost")
    assert event.data == {"name": "camera_free", "reason": "camera lost"} and session.mode is Mode.TAP
    assert session.switch_to_tap("again") == []
    session.tap()
    assert session.reps_done == 2 and [r.data["source"] for r in records if r.kind == "repetition"] == ["camera", "tap"]
