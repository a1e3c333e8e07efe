"""The exposure session scene driven by posted pygame events under the dummy video driver."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pygame
import pytest

from gmi.core.errors import GmiError
from gmi.core.exposure import Phase, PoseSnapshot, RepResult
from gmi.core.intents import Intent
from gmi.core.plans import load_plan, parse_plan
from gmi.store import exposure as store
from gmi.ui.scenes.exposure import ExposureScene
from gmi.ui.tones import Tones
from tests.ui.spy import spy_text

ROOT = Path(__file__).resolve().parents[2]
HAND = ROOT / "plans" / "hand-wrist-camera-free.toml"     # first item: 2 sets of 6, rest 60 s, no hold
BACK = ROOT / "plans" / "low-back-bending.toml"           # first item: trunk forward bend, 2 × 5 to 25°


class Clock:
    def __init__(self):
        self.t = 50.0

    def __call__(self):
        return self.t


def key(app, k, times=1):
    for _ in range(times):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
        app.step(1 / 60)


def click(app, pos):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos, touch=False))
    app.step(1 / 60)


def type_text(app, text):
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
    app.step(1 / 60)


def ratings(db, session_id):
    return [(r["name"], r["value_num"] if r["value_num"] is not None else r["value_text"])
            for r in store.session_rows(db, session_id)["ratings"]]


def open_scene(app, path, **kw):
    plan = load_plan(path)
    store.install_plan(app.ctx.db, app.ctx.profile.id, plan)
    clock, tones = Clock(), Tones(enabled=False)
    scene = ExposureScene(clock=clock, tones=tones, today=dt.date(2026, 11, 21), **kw)
    app.push(scene)
    app.step(1 / 60)
    return scene, clock, tones


def answer_before(app, scene):
    key(app, pygame.K_RETURN)                       # intro → first question
    assert scene.screen_name == "question"
    key(app, pygame.K_RETURN)                       # not answered yet: stays
    assert scene.q_index == 0
    key(app, pygame.K_RIGHT)                        # first press: the middle (5)
    key(app, pygame.K_LEFT, 3)                      # 2
    key(app, pygame.K_RETURN)
    cells = dict(scene._cells)
    click(app, cells[6].center)                     # expected pain 6 by mouse
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RIGHT, 2)                     # fear 70
    key(app, pygame.K_RETURN)
    type_text(app, "my hand ")
    key(app, pygame.K_SPACE)                        # a space typed in the box is text, not a repetition
    type_text(app, "burnsx")
    key(app, pygame.K_BACKSPACE)                    # deletes a letter, does not go back
    assert scene.questions[3].value == "my hand burns" and scene.q_index == 3
    key(app, pygame.K_RETURN)
    assert scene.screen_name == "during"


def test_camera_free_session_by_keys_mouse_and_ratings_written_at_once(app):
    scene, clock, tones = open_scene(app, HAND)
    db = app.ctx.db
    assert scene.session_id is None                 # nothing written before the first answer
    answer_before(app, scene)
    sid = scene.session_id
    assert ratings(db, sid) == [("pain_before", 2), ("expected_pain", 6), ("fear_before", 70),
                                ("feared_outcome", "my hand burns")]
    written = []
    for _ in range(5):
        clock.t += 3
        key(app, pygame.K_SPACE)
        written.append(len(store.session_rows(db, sid)["reps"]))
    assert written == [1, 2, 3, 4, 5]               # each repetition in the database at once
    click(app, scene.pointer_targets()[Intent.TAP].center)      # the sixth by clicking the big target
    assert scene.session.step.value == "resting" and tones.played[-1] == "set_done"
    clock.t += 61
    app.step(1 / 60)                                # the rest timer runs out
    assert scene.session.step.value == "moving" and scene.session.set_index == 1 and "rest_done" in tones.played
    key(app, pygame.K_ESCAPE)                       # pause
    assert scene.screen_name == "paused" and scene.session.paused
    surface = app.screen
    assert surface.get_at((surface.get_width() // 2, 5))[:3] == scene.theme.bg
    key(app, pygame.K_RETURN)
    for _ in range(6):
        key(app, pygame.K_SPACE)
    assert scene.session.phase is Phase.AFTER and scene.screen_name == "question"
    for moves in ((pygame.K_LEFT, 3), (pygame.K_LEFT, 3), (pygame.K_LEFT, 4)):
        key(app, pygame.K_RIGHT)
        key(app, *moves)
        key(app, pygame.K_RETURN)
    key(app, pygame.K_RIGHT, 3)                     # partly → no
    key(app, pygame.K_RETURN)
    assert scene.screen_name == "decision"
    rows = store.session_rows(db, sid)
    assert len(rows["reps"]) == 12 and {r["source"] for r in rows["reps"]} == {"tap"}
    assert [n for n, _ in ratings(db, sid)][-4:] == ["pain_experienced", "pain_after", "fear_after", "outcome_happened"]
    (decision,) = rows["decision"]
    assert decision["action"] == "hold" and "less than you expected" in decision["comparison"]
    assert db.conn.execute("SELECT status FROM sessions WHERE id = ?", (sid,)).fetchone()[0] == "completed"
    # the decision screen says it in words
    assert "expected" in scene.session.comparison.text
    key(app, pygame.K_RETURN)
    assert app.top is not scene


def test_pain_above_the_limit_stops_with_advice(app):
    scene, clock, tones = open_scene(app, HAND)      # stop.pain_above = 6 in this plan
    answer_before(app, scene)
    key(app, pygame.K_SPACE, 2)
    key(app, pygame.K_DOWN)                         # report pain
    assert scene.screen_name == "pain" and scene.session.paused
    key(app, pygame.K_RIGHT)                        # 5
    key(app, pygame.K_RIGHT, 3)                     # 8
    key(app, pygame.K_RETURN)
    s = scene.session
    assert s.stopped_by_pain and s.phase is Phase.AFTER and "above 6/10" in s.advice
    assert scene.screen_name == "question" and tones.played[-1] == "stop"
    db = app.ctx.db
    assert db.conn.execute("SELECT status FROM sessions WHERE id = ?", (scene.session_id,)).fetchone()[0] == "stopped"
    assert ("pain_during", 8) in ratings(db, scene.session_id)


def test_leaving_early_keeps_what_was_recorded(app):
    scene, clock, _ = open_scene(app, HAND)
    answer_before(app, scene)
    key(app, pygame.K_SPACE, 3)
    sid = scene.session_id
    app.pop()
    db = app.ctx.db
    assert len(store.session_rows(db, sid)["reps"]) == 3
    assert db.conn.execute("SELECT status FROM sessions WHERE id = ?", (sid,)).fetchone()[0] == "stopped"


class FakeFeed:
    def __init__(self):
        self.queue = []
        self.lost = False
        self.closed = False

    hold_s = None

    def latest(self):
        reps, self.queue = tuple(self.queue), []
        frame = np.full((120, 160, 3), (10, 200, 30), np.uint8)
        return PoseSnapshot(angle_deg=25.0, reps=reps, guidance="Turn sideways", frame=frame, lost=self.lost,
                            hold_s=self.hold_s)

    def close(self):
        self.closed = True


def test_camera_session_uses_the_pose_feed_and_falls_back_to_taps(app):
    feed = FakeFeed()
    scene, clock, _ = open_scene(app, BACK, feed=feed)
    assert scene.session.mode.value == "camera"
    answer_before(app, scene)
    key(app, pygame.K_SPACE)                        # a stray key counts nothing in camera mode
    assert scene.session.reps_done == 0
    feed.queue = [RepResult(24.0, True, 0.0, 2.0), RepResult(15.0, False, 0.0, 2.2)]
    app.step(1 / 60)
    assert scene.session.reps_done == 2 and scene.session.reps_at_target == 1
    main = scene._during_rects()["main"]
    assert app.screen.get_at(main.center)[:3] == (10, 200, 30)    # the preview frame is drawn
    feed.lost = True
    app.step(1 / 60)
    assert scene.session.mode.value == "tap" and feed.closed and "camera stopped" in scene.notice
    key(app, pygame.K_SPACE)
    rows = store.session_rows(app.ctx.db, scene.session_id)
    assert [r["source"] for r in rows["reps"]] == ["camera", "camera", "tap"]
    assert rows["reps"][0]["peak_deg"] == 24.0
    assert "camera_free" in [e["name"] for e in rows["events"]]


def _spy_texts(monkeypatch):
    import gmi.ui.camera_view as view_module

    return spy_text(monkeypatch, view_module)


def test_camera_mode_shows_the_camera_view_dial_with_the_session_counts(app, monkeypatch):
    """The exposure screen uses gmi.ui.camera_view (the camera check's panel), fed from the session's feed."""
    feed = FakeFeed()
    scene, _, _ = open_scene(app, BACK, feed=feed)
    answer_before(app, scene)
    feed.queue = [RepResult(27.0, True, 0.0, 2.0)]
    feed.hold_s = 0.4
    drawn = _spy_texts(monkeypatch)
    app.step(1 / 60)
    theme, body = scene.t, scene._during_rects()["main"].union(scene._during_rects()["side"])
    assert "25°" in drawn and "target 25°" in drawn                          # angle on the dial, plan's target
    assert "Repetitions in this set" in drawn and "1 / 5" in drawn and "1 of 10 in all" in drawn
    assert "Holding" in drawn and "0.4 s" in drawn                           # this level sets no hold time
    side = [(x, y) for x in range(body.right - body.width // 3, body.right) for y in range(body.y, body.bottom, 3)]
    colours = {tuple(app.screen.get_at(p)[:3]) for p in side}
    assert theme.good in colours                                              # the dial's target band
    assert (10, 200, 30) not in colours                                      # the picture stays on the left
    assert app.screen.get_at(scene._during_rects()["main"].center)[:3] == (10, 200, 30)


def test_camera_view_at_large_text_keeps_the_figures(app, monkeypatch):
    app.ctx.prefs.text_scale = 2.0
    feed = FakeFeed()
    scene, _, _ = open_scene(app, BACK, feed=feed)
    answer_before(app, scene)
    drawn = _spy_texts(monkeypatch)
    app.step(1 / 60)
    text = " ".join(drawn)
    assert "25°" in text and "target 25°" in text and "Repetitions in this set: 0 / 5" in text
    assert scene._draw_screen(pygame.Surface(app.screen.get_size()))        # everything fits


def test_activity_items_and_missing_feeds_are_camera_free(app):
    scene, _, _ = open_scene(app, HAND, feed=FakeFeed())
    assert scene.session.mode.value == "tap"
    app.pop()
    scene, _, _ = open_scene(app, BACK)             # no feed and no factory wired
    assert scene.session.mode.value == "tap" and "tapping" in scene.notice


def test_no_plan_shows_a_problem_screen(app):
    app.push(ExposureScene())
    from gmi.ui.scenes.message import MessageScene

    assert isinstance(app.top, MessageScene) and "No exposure plan" in app.top.text


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("plan", [HAND, BACK])
def test_every_screen_fits_at_large_text(app, scale, plan):
    app.ctx.prefs.text_scale = scale
    scene, clock, _ = open_scene(app, plan, feed=FakeFeed())
    script = ([pygame.K_RETURN] + [pygame.K_RIGHT, pygame.K_RETURN] * 3 + [pygame.K_RETURN]
              + [pygame.K_DOWN, pygame.K_RIGHT, pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_BACKSPACE]
              + [pygame.K_RIGHT, pygame.K_RETURN] * 4 + [pygame.K_RETURN])
    seen = []
    for k in script:
        app.step(1 / 60)
        if app.top is scene:
            seen.append((scene.screen_name, scene._draw_screen(pygame.Surface(app.screen.get_size())),
                         scene._shrink))
        key(app, k)
    names = [name for name, _, _ in seen]
    assert {"intro", "question", "during", "pain", "paused", "decision"} <= set(names)
    assert all(fits for _, fits, _ in seen), seen
    if scale == 1.0:
        assert all(shrink == 1.0 for _, _, shrink in seen)     # the normal size fits without shrinking


def test_a_foot_pedal_sending_an_answer_key_counts_repetitions(app):
    app.ctx.prefs.left_key, app.ctx.prefs.right_key = "page up", "page down"
    scene, clock, _ = open_scene(app, HAND)
    answer_before(app, scene)
    key(app, pygame.K_PAGEDOWN, 2)
    assert scene.session.reps_done == 2
