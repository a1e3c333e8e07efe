import datetime as dt
import json
from pathlib import Path

import pytest

from gmi.core.errors import GmiError
from gmi.core.exposure import Mode, new_session
from gmi.core.plans import load_plan, parse_plan
from gmi.core.progression import Action
from gmi.store import exposure as store
from gmi.store.db import Database

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "plans" / "low-back-bending.toml"


class Clock:
    t = 0.0

    def __call__(self):
        return self.t


@pytest.fixture
def db(tmp_path):
    database = Database.open(tmp_path)
    yield database
    database.close()


def run_session(db, profile, plan_id, plan, *, reps=10, stop_at=None, finish=True, today=dt.date(2026, 11, 21)):
    decision = store.next_decision(db, profile.id, plan, today)
    clock = Clock()
    session = new_session(plan, decision, clock=clock, mode=Mode.TAP,
                          history=store.item_history(db, profile.id, decision.item), today=today)
    sid = store.start_session(db, profile.id, plan_id, session, app_version="test")
    session.sink = store.RecordWriter(db, sid, plan_id)
    for name, value in (("pain_before", 2), ("expected_pain", 6), ("fear_before", 60), ("feared_outcome", "it locks")):
        session.rate(name, value)
    session.start()
    for n in range(reps):
        clock.t += 2
        if stop_at is not None and n == stop_at:
            session.rate("pain_during", 9)
            break
        session.tap()
        if session.rest_remaining_s() is not None:
            session.tap()
    if session.phase.value == "during":
        session.finish_early()
    if finish:
        for name, value in (("pain_experienced", 3), ("pain_after", 3), ("fear_after", 30), ("outcome_happened", "no")):
            session.rate(name, value)
        session.finish()
    return sid, session


def test_install_keeps_history_and_current_plan(db):
    profile = db.profile("anna")
    plan = load_plan(PLAN)
    assert store.current_plan(db, profile.id) is None
    with pytest.raises(GmiError) as info:
        store.require_current_plan(db, profile.id, "anna")
    assert info.value.code == "E-PLAN-NONE"
    first = store.install_plan(db, profile.id, plan)
    second = store.install_plan(db, profile.id, plan)
    current = store.current_plan(db, profile.id)
    assert current.id == second != first and current.file_name == "low-back-bending.toml"
    assert current.sha256 == plan.sha256 and current.author == plan.author and current.patient == "P-014"
    assert current.plan().items == plan.items
    assert [p.id for p in store.plan_history(db, profile.id)] == [first, second]


def test_session_round_trip_rows_written_as_they_happen(db):
    profile = db.profile("anna")
    plan = load_plan(PLAN)
    plan_id = store.install_plan(db, profile.id, plan)
    sid, session = run_session(db, profile, plan_id, plan, finish=False)
    rows = store.session_rows(db, sid)
    assert len(rows["reps"]) == 10 and [r["rep_index"] for r in rows["reps"]] == list(range(1, 11))
    assert [r["set_index"] for r in rows["reps"]] == [1] * 5 + [2] * 5
    assert [r["name"] for r in rows["ratings"]] == ["pain_before", "expected_pain", "fear_before", "feared_outcome"]
    assert rows["ratings"][3]["value_text"] == "it locks" and rows["ratings"][0]["value_num"] == 2
    assert rows["decision"] == []
    row = db.conn.execute("SELECT * FROM sessions WHERE id = ?", (sid,)).fetchone()
    settings = json.loads(row["settings_json"])
    assert row["kind"] == "exposure" and row["status"] == "running"
    assert settings["plan_id"] == plan_id and settings["item"] == "Bend forward towards the knees"
    assert settings["level"] == 1 and settings["targets"]["reps_per_set"] == [5, 5]
    # an interrupted session is in the history but not completed, and decides nothing
    (outcome,) = store.item_history(db, profile.id, settings["item"])
    assert outcome.reps_done == 10 and not outcome.completed
    assert store.next_decision(db, profile.id, plan).action is Action.HOLD


def test_decisions_move_the_position_forward(db):
    profile = db.profile("anna")
    plan = load_plan(PLAN)
    plan_id = store.install_plan(db, profile.id, plan)
    sid, session = run_session(db, profile, plan_id, plan)
    (decision_row,) = store.session_rows(db, sid)["decision"]
    assert decision_row["action"] == "hold" and decision_row["level"] == 1 and decision_row["comparison"]
    assert db.conn.execute("SELECT status FROM sessions WHERE id = ?", (sid,)).fetchone()[0] == "completed"
    run_session(db, profile, plan_id, plan)      # second session at target → advance (2 needed)
    nxt = store.next_decision(db, profile.id, plan)
    assert nxt.action is Action.ADVANCE and nxt.level == 2 and nxt.item == "Bend forward towards the knees"
    history = store.item_history(db, profile.id, nxt.item)
    assert [o.at_target for o in history] == [True, True] and all(o.pain_rise == 1 for o in history)


def test_stopped_session_is_marked_and_holds(db):
    profile = db.profile("anna")
    plan = load_plan(PLAN)
    plan_id = store.install_plan(db, profile.id, plan)
    sid, session = run_session(db, profile, plan_id, plan, stop_at=3)
    assert db.conn.execute("SELECT status FROM sessions WHERE id = ?", (sid,)).fetchone()[0] == "stopped"
    events = [r["name"] for r in store.session_rows(db, sid)["events"]]
    assert "stopped_by_pain" in events and events[-1] == "after"
    (outcome,) = store.item_history(db, profile.id, "Bend forward towards the knees")
    assert outcome.stopped_by_pain and outcome.reps_done == 3
    assert store.next_decision(db, profile.id, plan).action is Action.HOLD


def test_position_survives_a_reinstalled_plan_and_skips_removed_items(db):
    profile = db.profile("anna")
    plan = load_plan(PLAN)
    plan_id = store.install_plan(db, profile.id, plan)
    run_session(db, profile, plan_id, plan)
    run_session(db, profile, plan_id, plan)
    edited = parse_plan(plan.text.replace("target_deg = 35", "target_deg = 30"), "low-back-bending.toml")
    store.install_plan(db, profile.id, edited)
    assert store.next_decision(db, profile.id, edited).level == 2
    renamed = parse_plan(plan.text.replace('name = "Bend forward towards the knees"', 'name = "Knees"'), "x.toml")
    assert store.next_decision(db, profile.id, renamed).action is Action.HOLD    # start of the plan


QUOTA_PLAN = '''\
patient = "P-1"
author = "A. Physio"
written = 2026-11-01
[progression]
rule = "quota"
baseline_sessions = 2
[[hierarchy]]
name = "Sit to stand"
fear = 40
movement = "sit_to_stand"
  [[hierarchy.levels]]
  reps = 20
'''


def test_quota_position_is_worked_out_again_for_today(db):
    profile = db.profile("bo")
    plan = parse_plan(QUOTA_PLAN, "q.toml")
    plan_id = store.install_plan(db, profile.id, plan)
    assert store.next_decision(db, profile.id, plan).action is Action.BASELINE
    run_session(db, profile, plan_id, plan, reps=8)
    run_session(db, profile, plan_id, plan, reps=12)
    today = dt.date.today()
    first = store.next_decision(db, profile.id, plan, today)
    later = store.next_decision(db, profile.id, plan, today + dt.timedelta(days=14))
    assert (first.action, first.reps_target) == (Action.QUOTA, 8)     # 75% of mean 10 → 7.5 → 8
    assert later.reps_target == 11                                     # + 2 × 15%
