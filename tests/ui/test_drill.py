"""The drill driven by real posted pygame events under the dummy video driver."""

from __future__ import annotations

from dataclasses import replace

import time

import pygame
import pytest

from gmi.core.laterality import DrillSettings, Mode
from gmi.report.laterality import session_result
from gmi.ui.scenes.drill import DrillScene
from gmi.ui.scenes.results import ResultsScene
from tools.simpatient import run_drill


def post_key(key):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def run_until(app, predicate, max_steps=3000):
    for _ in range(max_steps):
        if predicate():
            return
        app.step(1 / 60)
    raise AssertionError("condition not reached")


def start_drill(app, **settings):
    s = replace(DrillSettings(), **({"trials": 10, "time_limit_s": 2.0} | settings))
    scene = DrillScene(s, seed=123, fixation_ms=0, feedback_ms=0, skip_ready=True)
    app.push(scene)
    return scene


def answer_all(app, scene, answer_for, until=None):
    """Answer each picture 10 ms after its onset with ``answer_for(stimulus)``."""
    run_drill(app, scene, lambda stim, onset: (time.sleep(0.01), answer_for(stim)), until=until, max_steps=3000)


def correct_key(stim):
    post_key(pygame.K_LEFT if stim.side == "left" else pygame.K_RIGHT)


def test_keys_answers_are_scored_and_each_written_at_once(app):
    scene = start_drill(app)
    db = app.ctx.db
    answered_before = []

    def answer(stim):
        answered_before.append(len(db.laterality_trials(scene.session_id)))
        post_key(pygame.K_LEFT if stim.side == "left" else pygame.K_RIGHT)

    answer_all(app, scene, answer)
    assert answered_before == list(range(10))      # the database grew by one row per answer, as it happened
    rows = db.laterality_trials(scene.session_id)
    assert len(rows) == 10 and all(r["correct"] == 1 for r in rows)
    assert all(r["rt_ms"] is not None and 0 <= r["rt_ms"] < 2000 for r in rows)
    assert {r["input_method"] for r in rows} == {"keys"}
    session = db.conn.execute("SELECT * FROM sessions WHERE id=?", (scene.session_id,)).fetchone()
    assert session["status"] == "completed" and session["seed"] == 123 and session["input_method"] == "keys"
    assert '"max_poll_interval_us"' in session["timing_json"] and '"refresh_hz"' in session["timing_json"]
    assert isinstance(app.top, ResultsScene)
    result = session_result(db, scene.session_id)
    assert result.summary.overall.accuracy == 1.0


def test_wrong_answers_and_misses(app):
    scene = start_drill(app, trials=10, time_limit_s=2.0)
    count = {"n": 0}

    def answer(stim):
        count["n"] += 1
        if count["n"] <= 4:   # wrong side
            post_key(pygame.K_RIGHT if stim.side == "left" else pygame.K_LEFT)
        elif count["n"] > 8:  # the last two: no answer at all -> misses after the time limit
            pass
        else:
            post_key(pygame.K_LEFT if stim.side == "left" else pygame.K_RIGHT)

    answer_all(app, scene, answer)
    s = session_result(app.ctx.db, scene.session_id).summary
    assert (s.overall.correct, s.overall.misses) == (4, 2)


def test_custom_keys_such_as_a_foot_pedal(app):
    app.ctx.prefs.left_key, app.ctx.prefs.right_key = "page up", "page down"
    scene = start_drill(app)
    answer_all(app, scene, lambda stim: post_key(pygame.K_PAGEUP if stim.side == "left" else pygame.K_PAGEDOWN))
    assert session_result(app.ctx.db, scene.session_id).summary.overall.correct == 10


def test_mouse_clicks_on_large_targets(app):
    app.ctx.prefs.input_method = "mouse"
    scene = start_drill(app)

    def click(stim):
        targets = scene.pointer_targets()
        from gmi.core.intents import Intent

        rect = targets[Intent.LEFT if stim.side == "left" else Intent.RIGHT]
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=rect.center, touch=False))

    answer_all(app, scene, click)
    rows = app.ctx.db.laterality_trials(scene.session_id)
    assert all(r["correct"] for r in rows) and {r["input_method"] for r in rows} == {"mouse"}


def test_touch_on_targets(app):
    scene = start_drill(app)

    def touch(stim):
        from gmi.core.intents import Intent

        rect = scene.pointer_targets()[Intent.LEFT if stim.side == "left" else Intent.RIGHT]
        w, h = app.screen.get_size()
        pygame.event.post(pygame.event.Event(pygame.FINGERDOWN, x=rect.centerx / w, y=rect.centery / h,
                                             finger_id=0, touch_id=0, dx=0, dy=0, pressure=1.0))

    answer_all(app, scene, touch)
    rows = app.ctx.db.laterality_trials(scene.session_id)
    assert all(r["correct"] for r in rows) and {r["input_method"] for r in rows} == {"touch"}


def test_dwell_answers(app, monkeypatch):
    from gmi.core.intents import Intent

    app.ctx.prefs.input_method = "dwell"
    app.ctx.prefs.dwell_s = 0.3
    scene = start_drill(app, trials=10)
    where = {"pos": (0, 0)}
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where["pos"])

    def hover(stim):   # off the last target (a resting pointer is not an answer), then onto this one
        where["pos"] = (0, 0)
        time.sleep(0.01)
        where["pos"] = scene.pointer_targets()[Intent.LEFT if stim.side == "left" else Intent.RIGHT].center

    answer_all(app, scene, hover)
    rows = app.ctx.db.laterality_trials(scene.session_id)
    assert all(r["correct"] for r in rows) and {r["input_method"] for r in rows} == {"dwell"}
    assert all(r["rt_ms"] < 300 for r in rows)   # stamped when the pointer arrived, not when the dwell ended


def test_escape_pauses_and_nothing_answered_is_lost(app):
    scene = start_drill(app, trials=10)
    n = {"k": 0}

    def answer(stim):
        n["k"] += 1
        post_key(pygame.K_ESCAPE if n["k"] == 4 else (pygame.K_LEFT if stim.side == "left" else pygame.K_RIGHT))

    answer_all(app, scene, answer, until=lambda sc: sc.state.phase == "paused")
    assert len(app.ctx.db.laterality_trials(scene.session_id)) == 3
    interrupted = scene.trials[scene.queue[0]]
    post_key(pygame.K_RETURN)
    shown = []
    answer_all(app, scene, lambda stim: (shown.append(stim), correct_key(stim)))
    assert shown[0] is interrupted          # the interrupted picture comes again first
    rows = app.ctx.db.laterality_trials(scene.session_id)
    assert len(rows) == 10 and all(r["correct"] for r in rows)


def test_finish_early_from_pause_keeps_answers(app):
    scene = start_drill(app, trials=20)
    n = {"k": 0}

    def answer(stim):
        n["k"] += 1
        post_key(pygame.K_ESCAPE if n["k"] == 4 else (pygame.K_LEFT if stim.side == "left" else pygame.K_RIGHT))

    answer_all(app, scene, answer, until=lambda sc: sc.state.phase == "paused")
    post_key(pygame.K_BACKSPACE)
    app.step(1 / 60)
    assert isinstance(app.top, ResultsScene)
    result = session_result(app.ctx.db, scene.session_id)
    assert result.status == "stopped" and len(result.results) == 3


def test_training_shows_feedback_test_mode_does_not(app):
    scene = DrillScene(replace(DrillSettings(), trials=10, time_limit_s=2.0), seed=1, fixation_ms=0,
                       feedback_ms=300, skip_ready=True)
    app.push(scene)
    answer_all(app, scene, correct_key, until=lambda sc: sc.state.phase == "feedback")
    app.pop()
    test = DrillScene(replace(DrillSettings(), mode=Mode.TEST), seed=1, fixation_ms=0, feedback_ms=300, skip_ready=True)
    app.push(test)
    assert test.settings.trials == 40 and test.settings.time_limit_s == 5.0   # fixed settings
    phases = []
    answer_all(app, test, correct_key, until=lambda sc: (phases.append(sc.state.phase) or len(sc.state.answered) >= 3))
    assert "feedback" not in phases


def test_image_is_on_screen_at_onset(app):
    """Pixels: after the flip the stimulus area shows the picture, not the fixation cross."""
    scene = start_drill(app)
    seen = {}

    def look(stim):   # runs while the drill waits for the answer: the flipped screen shows the picture
        seen["pixel"] = app.screen.get_at(scene._layout()[0].center)[:3]
        seen["stim"] = stim
        correct_key(stim)

    answer_all(app, scene, look, until=lambda sc: "pixel" in seen)
    stim = seen["stim"]
    image_rect = scene._layout()[0]
    expected = scene._image_for(stim)
    sample = (image_rect.width // 2, image_rect.height // 2)
    assert seen["pixel"] == expected.get_at(sample)[:3]


def test_missing_library_shows_a_calm_problem_screen(app, monkeypatch, tmp_path):
    from gmi.ui.scenes.message import MessageScene

    monkeypatch.setenv("GMI_STIMULI_DIR", str(tmp_path / "nowhere"))
    app.push(DrillScene(replace(DrillSettings(), trials=10)))
    assert isinstance(app.top, MessageScene) and "manifest" in app.top.text


def test_dwell_pointer_left_resting_on_a_target_is_not_an_answer(app, monkeypatch):
    """After a dwell answer the pointer still rests on that target: the next picture must not be answered
    for the patient (with a reaction time of about 0 ms); the pointer has to leave and come back."""
    from gmi.core.intents import Intent

    app.ctx.prefs.input_method = "dwell"
    app.ctx.prefs.dwell_s = 0.3
    scene = start_drill(app, trials=10)
    where = {"pos": (0, 0)}
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where["pos"])
    shown = []

    def hover(stim):
        shown.append(stim)
        if len(shown) == 1:          # the first picture: the patient moves onto LEFT and rests there
            where["pos"] = scene.pointer_targets()[Intent.LEFT].center

    answer_all(app, scene, hover, until=lambda sc: len(sc.state.answered) >= 2)
    first, second = app.ctx.db.laterality_trials(scene.session_id)[:2]
    assert first["response"] == "left" and first["input_method"] == "dwell"
    assert second["response"] is None and second["rt_ms"] is None     # never moved: a miss, not a 0 ms answer


@pytest.mark.parametrize("how", ["pause-then-close", "close-during-fixation"])
def test_closing_the_window_outside_a_picture_closes_the_session(app, how):
    scene = DrillScene(replace(DrillSettings(), trials=10, time_limit_s=2.0), seed=5, fixation_ms=400,
                       feedback_ms=0, skip_ready=True)
    app.push(scene)
    answer_all(app, scene, correct_key, until=lambda sc: len(sc.state.answered) >= 2 and sc.state.phase == "fixation")
    if how == "pause-then-close":
        post_key(pygame.K_ESCAPE)
        app.step(1 / 60)
        assert scene.state.phase == "paused"
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.step(1 / 60)
    assert not app.running
    row = app.ctx.db.conn.execute("SELECT status, ended_at FROM sessions WHERE id=?", (scene.session_id,)).fetchone()
    assert row["status"] == "stopped" and row["ended_at"]
    assert len(app.ctx.db.laterality_trials(scene.session_id)) == 2


def test_a_picture_that_cannot_be_loaded_at_the_start_shows_a_problem_not_a_crash(app, tiny_library):
    from gmi.ui.scenes.message import MessageScene

    for png in tiny_library.glob("*.png"):
        png.write_bytes(b"not an image")
    scene = DrillScene(replace(DrillSettings(), trials=10))
    app.push(scene)
    assert scene.state.phase == "ready"
    post_key(pygame.K_RETURN)
    app.step(1 / 60)                          # must not raise
    assert isinstance(app.top, MessageScene) and "cannot be loaded" in app.top.text
    status = app.ctx.db.conn.execute("SELECT status FROM sessions WHERE id=?", (scene.session_id,)).fetchone()[0]
    assert status == "stopped"


def test_pictures_are_redrawn_at_the_new_size_after_a_resize(app):
    scene = start_drill(app)
    stim = scene.trials[scene.state.index]
    assert scene._image_for(stim).get_width() == scene._layout()[0].width
    app._resize(900, 640)
    assert scene._image_for(stim).get_width() == scene._layout()[0].width


def test_a_resize_during_a_picture_reaches_the_app(app):
    scene = start_drill(app, trials=10)

    def resize_then_answer(stim):
        if not hasattr(resize_then_answer, "done"):
            resize_then_answer.done = True
            pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1000, h=700, size=(1000, 700)))
        correct_key(stim)

    answer_all(app, scene, resize_then_answer, until=lambda sc: len(sc.state.answered) >= 3)
    assert app.screen.get_size() == (1000, 700)
    assert scene._image_for(scene.trials[scene.state.index]).get_width() == scene._layout()[0].width


def test_waiting_for_an_answer_is_not_counted_as_a_dropped_frame(app):
    """Frames are timed by the real loop (dt = time since the last frame). The frame after a picture's wait
    spans the whole reaction time; it is not a frame the display dropped."""
    scene = start_drill(app, trials=10, mode=Mode.TRAINING)
    scene.timing.refresh_hz = 60
    last = time.perf_counter()

    def step_with_real_dt():
        nonlocal last
        now = time.perf_counter()
        app.step(now - last)
        last = now

    from tools.simpatient import SimulatedPatient
    with SimulatedPatient(scene, lambda stim, onset: (time.sleep(0.08), correct_key(stim))):
        for _ in range(3000):
            if scene.state.phase == "done":
                break
            step_with_real_dt()
            time.sleep(0.005)
    assert scene.state.phase == "done"
    assert scene.timing.frames > 0
    assert scene.timing.frames_dropped <= 4        # was 10: each wait (>= 80 ms) counted as a dropped frame


def test_a_display_faster_than_the_loop_does_not_count_every_frame_as_dropped(app):
    from gmi.ui.app import FPS

    scene = start_drill(app)
    scene.timing.refresh_hz = 144
    scene._count_frame(1 / FPS)
    assert scene.timing.frames_dropped == 0
    scene._count_frame(3 / FPS)
    assert scene.timing.frames_dropped == 1


def click(rect):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=rect.center, touch=False))


def test_mouse_alone_starts_pauses_resumes_finishes_and_leaves(app):
    """Everything a keyboard user can do in a drill, a mouse or touch user can do with on-screen buttons."""
    from gmi.core.intents import Intent

    app.ctx.prefs.input_method = "mouse"
    scene = DrillScene(replace(DrillSettings(), trials=10, time_limit_s=2.0), seed=5, fixation_ms=0, feedback_ms=0)
    app.push(scene)
    app.step(1 / 60)
    click(scene.pointer_targets()[Intent.CONFIRM])           # Start (handled in the first step below)
    count = {"n": 0}

    def act(stim):
        count["n"] += 1
        targets = scene.pointer_targets()
        click(targets[Intent.PAUSE] if count["n"] == 3 else targets[Intent.LEFT if stim.side == "left" else Intent.RIGHT])

    answer_all(app, scene, act, until=lambda sc: sc.state.phase == "paused")
    rows = app.ctx.db.laterality_trials(scene.session_id)
    assert len(rows) == 2 and {r["input_method"] for r in rows} == {"mouse"}
    click(scene.pointer_targets()[Intent.CONFIRM])           # Carry on
    app.step(1 / 60)
    assert scene.state.phase != "paused"
    answer_all(app, scene, lambda stim: click(scene.pointer_targets()[Intent.PAUSE]),
               until=lambda sc: sc.state.phase == "paused")
    click(scene.pointer_targets()[Intent.BACK])              # Finish now
    app.step(1 / 60)
    results = app.top
    assert isinstance(results, ResultsScene)
    app.step(1 / 60)
    click(results.pointer_targets()[Intent.BACK])            # Home
    app.step(1 / 60)
    assert results not in app.scenes


def test_dwell_alone_starts_the_drill(app, monkeypatch):
    from gmi.core.intents import Intent

    app.ctx.prefs.input_method, app.ctx.prefs.dwell_s = "dwell", 0.2
    scene = DrillScene(replace(DrillSettings(), trials=10), seed=5, fixation_ms=0, feedback_ms=0)
    app.push(scene)
    start = scene.pointer_targets()[Intent.CONFIRM]
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: start.center)
    deadline = time.monotonic() + 5
    while scene.session_id is None and time.monotonic() < deadline:
        app.step(1 / 60)
        time.sleep(0.01)
    assert scene.session_id is not None


def test_a_key_pressed_during_the_fixation_cross_is_not_an_answer(app):
    scene = DrillScene(replace(DrillSettings(), trials=10, time_limit_s=2.0), seed=3, fixation_ms=300,
                       feedback_ms=0, skip_ready=True)
    app.push(scene)
    app.step(1 / 60)
    assert scene.state.phase == "fixation"
    post_key(pygame.K_LEFT)            # too early: the picture is not there yet
    post_key(pygame.K_RIGHT)
    run_until(app, lambda: len(scene.state.answered) == 1)
    row = app.ctx.db.laterality_trials(scene.session_id)[0]
    assert row["response"] is None and row["rt_ms"] is None   # a miss, not a 0 ms answer


def test_the_session_names_the_answer_method_as_soon_as_it_is_used(app):
    app.ctx.prefs.input_method = "dwell"          # configured, but the patient answers with keys
    scene = start_drill(app, trials=10)
    seen = []

    def answer(stim):
        seen.append(app.ctx.db.conn.execute("SELECT input_method FROM sessions WHERE id=?",
                                            (scene.session_id,)).fetchone()[0])
        correct_key(stim)

    answer_all(app, scene, answer)
    assert seen[0] == "dwell" and seen[1:] == ["keys"] * 9
