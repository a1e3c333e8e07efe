from datetime import date, datetime, timedelta, timezone

import pytest

from gmi.core.errors import GmiError, ProblemList
from gmi.core.laterality import TrialResult
from gmi.core.programme import (PracticeSession, StageEvent, advance, current_stage, default_programme, evaluate,
                                override, report_flare, step_back, validate_programme)
from gmi.core.tomlcheck import parse_toml

DAY0 = date(2025, 3, 1)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, 1, hour, tzinfo=timezone.utc) + timedelta(days=day)


def laterality_day(day: int, accuracy: float, rt_left: float, rt_right: float | None = None, n: int = 40,
                   method: str = "keys", part: str = "hands") -> PracticeSession:
    """n trials, half per side; ``accuracy`` of them right; RTs in seconds (the same for every answer)."""
    rt_right = rt_left if rt_right is None else rt_right
    trials = []
    correct_n = round(accuracy * n)
    for i in range(n):
        side = "left" if i % 2 == 0 else "right"
        correct = i < correct_n
        response = side if correct else ("right" if side == "left" else "left")
        trials.append(TrialResult(side, "dorsal", 0, "none", response, 1000 * (rt_left if side == "left" else rt_right)))
    return PracticeSession("laterality", part, at(day), DAY0 + timedelta(days=day), True, 4.0, n, method, tuple(trials))


def practice_day(stage: str, day: int, sessions: int = 3, vividness: float | None = 4, part: str = "hands",
                 completed: bool = True, hour: int = 10) -> list[PracticeSession]:
    return [PracticeSession(stage, part, at(day, hour + k), DAY0 + timedelta(days=day), completed, 5.0, 10,
                            vividness=vividness) for k in range(sessions)]


def test_default_programme_uses_the_norms_and_labels_every_default():
    prog = default_programme("hands", "right")
    s = prog.settings("hands", "laterality")
    crit = {k: v for k, v in s.criteria.items()}
    assert crit["accuracy_min_pct"].value == 80 and "NOI" in crit["accuracy_min_pct"].source
    assert crit["rt_max_s"].value == 2.5                       # 2.0 ± 0.5 s: upper end of the normal range
    assert crit["lr_rt_diff_max_s"].value == 0.5 and "no published cut-off" in crit["lr_rt_diff_max_s"].source
    assert crit["lr_accuracy_diff_max_pts"].value == 10
    assert s.stable_days.value == 7 and all(v.is_default for v in crit.values())
    assert default_programme("neck").settings("neck", "laterality").criteria["rt_max_s"].value == 2.1
    assert prog.stages("hands") == ("laterality", "imagery", "mirror")
    assert prog.stages("back") == ("laterality", "imagery")   # no mirror for the trunk


def test_good_days_in_a_row_open_the_next_stage():
    prog = default_programme("hands")
    history = [laterality_day(d, 0.9, 1.8) for d in range(7)]
    status = evaluate(prog, "hands", history, [], DAY0 + timedelta(days=6))
    assert status.stage == "laterality" and status.streak_days == 7 and status.ready
    assert status.open_stages == ("laterality", "imagery")
    assert all(c.met for c in status.criteria)
    event = advance(status, at(6, 18))
    assert event.kind == "advance" and event.to_stage == "imagery" and event.by == "gmi"
    assert event.details["criteria"]["accuracy_min_pct"]["value"] == 90
    after = evaluate(prog, "hands", history, [event], DAY0 + timedelta(days=7))
    assert after.stage == "imagery" and not after.ready and after.streak_days == 0


def test_one_bad_day_holds_the_stage_and_restarts_the_count():
    prog = default_programme("hands")
    history = [laterality_day(d, 0.9, 1.8) for d in range(7)]
    history[4] = laterality_day(4, 0.7, 1.8)                   # accuracy below 80 %
    status = evaluate(prog, "hands", history, [], DAY0 + timedelta(days=6))
    assert status.streak_days == 2 and not status.ready and advance(status, at(6)) is None
    assert status.open_stages == ("laterality",)
    stable = next(c for c in status.criteria if c.key == "stable_days")
    assert stable.value == 2 and stable.closeness == pytest.approx(2 / 7)


def test_left_right_difference_and_slow_answers_hold_with_closeness_shown():
    prog = default_programme("hands")
    history = [laterality_day(d, 0.95, 1.6, 2.3) for d in range(7)]   # right 0.7 s slower
    status = evaluate(prog, "hands", history, [], DAY0 + timedelta(days=6))
    by_key = {c.key: c for c in status.criteria}
    assert by_key["lr_rt_diff_max_s"].met is False and by_key["lr_rt_diff_max_s"].value == pytest.approx(0.7)
    assert by_key["lr_rt_diff_max_s"].closeness == pytest.approx(0.5 / 0.7)
    assert by_key["accuracy_min_pct"].met and not status.ready
    slow = [laterality_day(d, 0.95, 3.0) for d in range(7)]
    by_key = {c.key: c for c in evaluate(prog, "hands", slow, [], DAY0 + timedelta(days=6)).criteria}
    assert by_key["rt_max_s"].met is False and by_key["rt_max_s"].target_text() == "at most 2.5 s"
    assert by_key["rt_max_s"].value_text() == "3 s"


def test_short_days_do_not_count_and_other_input_methods_are_not_compared():
    prog = default_programme("hands")
    history = [laterality_day(d, 0.9, 1.8) for d in range(6)] + [laterality_day(6, 0.9, 1.8, n=10)]
    assert evaluate(prog, "hands", history, [], DAY0 + timedelta(days=6)).streak_days == 6
    mixed = [laterality_day(d, 0.9, 1.8, method="mouse") for d in range(5)] + \
            [laterality_day(d, 0.9, 1.8, method="keys") for d in range(5, 8)]
    status = evaluate(prog, "hands", mixed, [], DAY0 + timedelta(days=7))
    assert status.streak_days == 3 and any("keys" in n for n in status.notes)


def test_imagery_needs_the_daily_dose_and_vivid_images():
    prog = default_programme("feet")
    entered = StageEvent(at(0, 6), "feet", "override", "laterality", "imagery", "Dr Lee", "laterality normal")
    history = [s for d in range(7) for s in practice_day("imagery", d, part="feet")]
    status = evaluate(prog, "feet", history, [entered], DAY0 + timedelta(days=6))
    assert status.stage == "imagery" and status.ready and status.next_stage == "mirror"
    assert status.dose_today.done and status.dose_today.sessions_left == 0
    short = [s for d in range(7) for s in practice_day("imagery", d, sessions=3 if d != 5 else 2, part="feet")]
    assert evaluate(prog, "feet", short, [entered], DAY0 + timedelta(days=6)).streak_days == 1
    dim = [s for d in range(7) for s in practice_day("imagery", d, vividness=2, part="feet")]
    status = evaluate(prog, "feet", dim, [entered], DAY0 + timedelta(days=6))
    assert status.streak_days == 0 and status.criteria[0].closeness == pytest.approx(2 / 3)


def test_todays_dose_counts_completed_sessions_only():
    prog = default_programme("hands")
    entered = StageEvent(at(0, 6), "hands", "override", "laterality", "mirror", "Dr Lee", "test")
    today = practice_day("mirror", 3, sessions=2) + practice_day("mirror", 3, sessions=1, completed=False, hour=20)
    status = evaluate(prog, "hands", today, [entered], DAY0 + timedelta(days=3))
    assert (status.dose_today.sessions_done, status.dose_today.sessions_per_day, status.dose_today.sessions_left) == (2, 4, 2)
    assert status.dose_today.amount_done == 15 and status.dose_today.unit == "minutes"


def test_a_flare_is_recorded_and_the_patient_can_step_back():
    prog = default_programme("hands")
    to_mirror = StageEvent(at(0, 6), "hands", "override", "imagery", "mirror", "Dr Lee", "ready")
    history = [s for d in range(5) for s in practice_day("mirror", d, sessions=4)]
    status = evaluate(prog, "hands", history, [to_mirror], DAY0 + timedelta(days=4))
    assert status.streak_days == 5
    flare = report_flare(status, at(4, 20), " sore after gardening ")
    assert flare.kind == "flare" and flare.to_stage is None and flare.reason == "sore after gardening"
    events = [to_mirror, flare]
    status = evaluate(prog, "hands", history, events, DAY0 + timedelta(days=4))
    assert status.stage == "mirror" and status.streak_days == 0 and status.last_flare == at(4, 20)
    assert any("flare" in n for n in status.notes)
    back = step_back(status, at(4, 21))
    assert (back.kind, back.from_stage, back.to_stage, back.by) == ("step_back", "mirror", "imagery", "patient")
    assert current_stage(prog, "hands", events + [back])[0] == "imagery"
    first = evaluate(prog, "hands", [], [], DAY0)
    assert step_back(first, at(0)) is None


def test_clinician_override_needs_who_and_why_and_is_kept():
    prog = default_programme("knee")
    status = evaluate(prog, "knee", [], [], DAY0)
    with pytest.raises(ValueError):
        override(status, at(0), "mirror", "", "because")
    with pytest.raises(ValueError):
        override(status, at(0), "mirror", "Dr Lee", "  ")
    with pytest.raises(ValueError):
        override(status, at(0), "exposure", "Dr Lee", "x")
    event = override(status, at(0), "mirror", " Dr Lee ", "laterality and imagery done in clinic")
    assert (event.by, event.reason, event.from_stage, event.to_stage) == \
        ("Dr Lee", "laterality and imagery done in clinic", "laterality", "mirror")
    after = evaluate(prog, "knee", [], [event], DAY0)
    assert after.stage == "mirror" and after.open_stages == ("laterality", "imagery", "mirror")


def test_order_not_enforced_opens_every_stage_and_last_stage_says_so():
    prog = validate_programme({"parts": ["hands"], "enforce_order": False}, "plan.toml",
                              "[programme]\nparts = [\"hands\"]\nenforce_order = false\n", ProblemList())
    assert evaluate(prog, "hands", [], [], DAY0).open_stages == ("laterality", "imagery", "mirror")
    neck = default_programme("neck")
    entered = StageEvent(at(0, 6), "neck", "advance", "laterality", "imagery", "gmi", "")
    history = [s for d in range(7) for s in practice_day("imagery", d, part="neck")]
    status = evaluate(neck, "neck", history, [entered], DAY0 + timedelta(days=6))
    assert status.ready and status.next_stage is None and advance(status, at(7)) is None
    assert any("graded movement exposure" in n for n in status.notes)


PLAN = """\
[plan]
patient = "anna"

[programme]
parts = ["hands", "feet"]
affected_side = "right"
enforce_order = true

[programme.laterality]
sessions_per_day = 2
minutes_per_session = 5
accuracy_min_pct = 90
rt_max_s = 3

[programme.mirror]
minutes_per_session = 8
"""


def check(text: str):
    problems = ProblemList()
    data = parse_toml(text, "plan.toml").data
    return validate_programme(data.get("programme"), "plan.toml", text, problems), problems


def test_a_plan_programme_sets_values_and_keeps_the_rest_as_defaults():
    prog, problems = check(PLAN)
    assert not problems and prog.parts == ("hands", "feet") and prog.affected_side == "right"
    s = prog.settings("feet", "laterality")
    assert s.criteria["accuracy_min_pct"].value == 90 and not s.criteria["accuracy_min_pct"].is_default
    assert s.criteria["rt_max_s"].value == 3 and s.unit == "minutes" and s.per_session.value == 5
    assert s.criteria["lr_rt_diff_max_s"].is_default and s.sessions_per_day.value == 2
    assert prog.settings("hands", "mirror").per_session.value == 8
    assert prog.settings("hands", "mirror").sessions_per_day.is_default


@pytest.mark.parametrize("change,line,field,fragment", [
    (("accuracy_min_pct = 90", "accuracy_min_pct = 120"), 12, "programme.laterality.accuracy_min_pct", "out of range"),
    (("rt_max_s = 3", "rt_max = 3"), 13, "programme.laterality.rt_max", "did you mean rt_max_s?"),
    (('parts = ["hands", "feet"]', 'parts = ["hand"]'), 5, "programme.parts[0]", 'did you mean "hands"?'),
    (('parts = ["hands", "feet"]', 'parts = ["hands", "back"]'), 15, "programme.mirror", "only stand in for a limb"),
    (("enforce_order = true", 'enforce_order = "yes"'), 7, "programme.enforce_order", "true or false"),
    (("minutes_per_session = 5", "minutes_per_session = 5\nimages_per_session = 40"), 12,
     "programme.laterality.images_per_session", "not both"),
    (("[programme.mirror]", "[programme.mirrror]"), 15, "programme.mirrror", "did you mean mirror?"),
    (('affected_side = "right"', 'affected_side = "rite"'), 6, "programme.affected_side", '"right"'),
])
def test_bad_programme_tables_name_line_field_and_fix(change, line, field, fragment):
    prog, problems = check(PLAN.replace(*change))
    assert prog is None and len(problems.problems) == 1, [str(p) for p in problems.problems]
    p = problems.problems[0]
    assert (p.file, p.line, p.field) == ("plan.toml", line, field), str(p)
    assert fragment in str(p) and p.fix


def test_programme_problems_can_be_raised_like_any_plan_error():
    _, problems = check(PLAN.replace("rt_max_s = 3", "rt_max_s = 0"))
    with pytest.raises(GmiError) as info:
        problems.raise_if_any("E-PLAN", "The plan has errors.")
    assert "plan.toml:13" in str(info.value)


def test_the_example_programme_loads_and_a_plan_without_one_is_explained(tmp_path):
    from pathlib import Path

    from gmi.core.programme import load_programme

    example = Path(__file__).parents[2] / "plans" / "programme" / "hands.toml"
    prog = load_programme(example)
    assert prog.parts == ("hands",) and prog.affected_side == "right" and prog.source == str(example)
    assert prog.settings("hands", "laterality").criteria["rt_max_s"].value == 2.5
    other = tmp_path / "plan.toml"
    other.write_text('[plan]\npatient = "x"\n')
    with pytest.raises(GmiError) as info:
        load_programme(other)
    assert info.value.code == "E-PROGRAMME" and "programme" in str(info.value)


def test_a_plan_file_checks_its_programme_table_with_the_plan():
    from pathlib import Path

    from gmi.core.plans import parse_plan

    plan_text = (Path(__file__).parents[2] / "plans" / "hand-wrist-camera-free.toml").read_text()
    good = plan_text + '\n[programme]\nparts = ["hands"]\naffected_side = "left"\n\n[programme.imagery]\nvividness_min = 4\n'
    plan = parse_plan(good, "anna.toml")
    assert plan.programme.parts == ("hands",) and plan.programme.settings("hands", "imagery").criteria[
        "vividness_min"].value == 4
    bad = good.replace("vividness_min = 4", "vividness_min = 9")
    with pytest.raises(GmiError) as info:
        parse_plan(bad, "anna.toml")
    line = bad.splitlines().index("vividness_min = 9") + 1
    assert f"anna.toml:{line}" in str(info.value) and "programme.imagery.vividness_min" in str(info.value)
