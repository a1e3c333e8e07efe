from datetime import date, datetime, timedelta, timezone

import pytest

from gmi.core.imagery import imagery_phases, shipped_sequence
from gmi.core.mirror_session import MirrorSession
from gmi.core.programme import StageEvent, default_programme, evaluate
from gmi.core.protocol import Finished, ProtocolRunner, StepCompleted
from gmi.store.db import MIGRATIONS, Database
from gmi.store.imagery import GuidedSessionLog, guided_steps, session_ratings, session_symptoms
from gmi.store.programme import add_event, events, practice_history
from tests.clock import FakeClock




def test_migration_is_named_for_this_area_and_applied(tmp_path):
    db = Database.open(tmp_path)
    names = [n for n, _ in MIGRATIONS]
    assert len(names) == len(set(names)) and any(n.startswith("0300_") for n in names)
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"guided_steps", "session_ratings", "session_symptoms", "programme_events"} <= tables


def test_each_completed_step_is_written_when_it_ends_then_ratings(tmp_path):
    db = Database.open(tmp_path)
    profile = db.profile("anna")
    seq = shipped_sequence("hands")
    clock = FakeClock()
    runner = ProtocolRunner(imagery_phases(seq, "eyes_closed", affected_side="right"), clock)
    log = GuidedSessionLog.start(db, profile.id, "imagery", seq, mode="eyes_closed", affected_side="right")
    runner.start()
    written = []
    finished = False
    while not finished:
        clock.t += 0.5
        for event in runner.update():
            if isinstance(event, StepCompleted):
                log.step_done(event)
                written.append(len(guided_steps(db, log.session_id)))   # visible at once, before the session ends
            finished = finished or isinstance(event, Finished)
    log.rate("vividness", 4)
    log.rate("pain_nrs", 2)
    log.finish(runner.status(), stopped=False)
    assert written == list(range(1, len(seq.steps) + 1))
    rows = guided_steps(db, log.session_id)
    assert rows[0]["side"] == "left" and rows[0]["mode"] == "eyes_closed" and rows[0]["repetitions_done"] == 2
    assert rows[3]["side"] == "right"                                  # the first 'affected' step
    assert session_ratings(db, log.session_id) == {"vividness": 4, "pain_nrs": 2}
    with pytest.raises(ValueError):
        log.rate("vividness", 0)                                       # 1–5 scale
    session = db.sessions(profile.id, "imagery")[0]
    assert session["status"] == "completed"
    history = practice_history(db, profile.id, "hands")
    assert len(history) == 1 and history[0].vividness == 4 and history[0].images == len(seq.steps)
    assert history[0].minutes == pytest.approx(seq.duration_s("eyes_closed") / 60, abs=0.01)
    assert practice_history(db, profile.id, "feet") == []


def test_a_stopped_mirror_session_keeps_its_steps_and_symptoms(tmp_path):
    db = Database.open(tmp_path)
    profile = db.profile("ben")
    seq = shipped_sequence("feet", "mirror")
    clock = FakeClock()
    session = MirrorSession.create(seq, clock, setting="box", minutes=5)
    log = GuidedSessionLog.start(db, profile.id, "mirror", seq, extra={"setting": "box", "minutes": 5})
    session.runner.start()
    clock.t = 97         # 60 s watching, step 1 (30 s), then 6 s moving and 1 s resting in step 2
    for event in session.runner.update():
        if isinstance(event, StepCompleted):
            log.step_done(event)
    advice, events_ = session.report_symptom("nausea")
    log.symptom("nausea", session.symptoms[-1].at_s)
    for event in events_ + session.runner.stop():
        if isinstance(event, StepCompleted):
            log.step_done(event)
    log.finish(session.runner.status(), stopped=True)
    rows = guided_steps(db, log.session_id)
    assert [r["cut_short"] for r in rows] == [0, 1] and rows[1]["active_s"] == pytest.approx(6) and rows[1]["repetitions_done"] == 1
    assert [r["symptom"] for r in session_symptoms(db, log.session_id)] == ["nausea"]
    history = practice_history(db, profile.id, "feet")
    assert history[0].stage == "mirror" and not history[0].completed and history[0].symptoms == ("nausea",)


def test_programme_events_round_trip_and_feed_the_stage_rules(tmp_path):
    db = Database.open(tmp_path)
    profile = db.profile("cara")
    when = datetime(2025, 3, 1, 9, tzinfo=timezone.utc)
    add_event(db, profile.id, StageEvent(when, "hands", "override", "laterality", "imagery", "Dr Lee",
                                         "done in clinic", {"note": 1}))
    add_event(db, profile.id, StageEvent(when + timedelta(hours=1), "feet", "flare", "laterality", None, "patient"))
    got = events(db, profile.id, "hands")
    assert len(got) == 1 and got[0].by == "Dr Lee" and got[0].at == when and got[0].details == {"note": 1}
    assert len(events(db, profile.id)) == 2
    status = evaluate(default_programme("hands"), "hands", practice_history(db, profile.id, "hands"), got,
                      date(2025, 3, 1))
    assert status.stage == "imagery"
