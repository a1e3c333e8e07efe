"""Imagery and mirror scenes driven by real posted key events under the dummy video driver."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import numpy as np
import pygame
import pytest

from gmi.core.imagery import parse_sequence
from gmi.core.programme import StageEvent
from gmi.core.protocol import Cue
from gmi.core.tomlcheck import parse_toml
from gmi.store.imagery import guided_steps, session_ratings, session_symptoms
from gmi.store.programme import add_event
from gmi.pose.sources import Frame
from gmi.ui.scenes.imagery import ImageryScene
from gmi.ui.scenes.message import MessageScene
from gmi.ui.scenes.mirror import MirrorScene
from gmi.ui.sound import Guide, SpeechEngine, detect_speech_engine, tone_samples
from tests.clock import FakeClock

SHORT = """
[sequence]
name = "short"
part = "hands"
imagine_s = 4
rest_s = 2
repetitions = 1

[[steps]]
view = "dorsal"
posture = "flat"
instruction = "Imagine a flat hand."

[[steps]]
side = "affected"
view = "palmar"
posture = "flat"
instruction = "Imagine the other flat hand."
"""

MIRROR = SHORT.replace('name = "short"', 'name = "short mirror"\nkind = "mirror"\nwatch_s = 5\nminutes = 1') \
    .replace("imagine_s = 4", "move_s = 4")




class Recorder(Guide):
    """A guide that records cues instead of playing them."""

    def __init__(self) -> None:
        super().__init__(sound=True, speech=True)
        self.played: list[Cue] = []

    def play(self, cue):
        if cue is not None:
            self.played.append(cue)


def key(app, k, steps=2):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
    for _ in range(steps):
        app.step(1 / 60)


def advance(app, clock, seconds, step=0.5):
    for _ in range(int(seconds / step)):
        clock.t += step
        app.step(1 / 60)


def test_an_imagery_session_runs_on_its_clock_writes_steps_then_ratings(app):
    clock, guide = FakeClock(), Recorder()
    seq = parse_sequence(parse_toml(SHORT, "short.toml"))
    scene = ImageryScene(seq, mode="eyes_closed", check_stage=False, clock=clock, guide=guide)
    app.push(scene)
    app.step(1 / 60)
    assert scene.state == "intro"
    key(app, pygame.K_RETURN)
    assert scene.state == "running" and scene.runner.status().phase.kind == "look"
    assert guide.played[0].speech.startswith("Look at the picture")
    advance(app, clock, 8)                         # look 4 s + imagine 4 s: the first step's rest
    assert len(guide_rows := guided_steps(app.ctx.db, scene.log.session_id)) == 0
    assert any(c.speech and c.speech.startswith("Close your eyes") for c in guide.played)
    advance(app, clock, 2)
    rows = guided_steps(app.ctx.db, scene.log.session_id)
    assert len(rows) == 1 and rows[0]["mode"] == "eyes_closed" and rows[0]["active_s"] == 4   # written at once
    key(app, pygame.K_ESCAPE)                      # pause: the clock runs on, the session does not
    left = scene.runner.status().total_left_s
    advance(app, clock, 100)
    assert scene.state == "paused" and scene.runner.status().total_left_s == left
    key(app, pygame.K_RETURN)
    advance(app, clock, 12)
    assert scene.state == "rating" and len(guided_steps(app.ctx.db, scene.log.session_id)) == 2
    key(app, pygame.K_RIGHT)                       # vividness 3 → 4
    key(app, pygame.K_RETURN)
    for _ in range(2):
        key(app, pygame.K_RIGHT)                   # pain 0 → 2
    key(app, pygame.K_RETURN)
    assert session_ratings(app.ctx.db, scene.log.session_id) == {"vividness": 4, "pain_nrs": 2}
    session = app.ctx.db.sessions(app.ctx.profile.id, "imagery")[0]
    assert session["status"] == "completed" and '"paused_s": 100' in session["timing_json"].replace(".0", "")
    assert scene.state == "done"
    key(app, pygame.K_RETURN)
    assert app.top is not scene


def test_the_posture_picture_is_drawn_large_on_its_light_background(app):
    clock = FakeClock()
    seq = parse_sequence(parse_toml(SHORT, "short.toml"))
    scene = ImageryScene(seq, mode="eyes_open", check_stage=False, clock=clock, guide=Guide(sound=False))
    app.push(scene)
    key(app, pygame.K_RETURN)
    image_pixels = pygame.surfarray.array3d(app.screen)
    assert np.all(image_pixels == app.ctx.theme.stimulus_bg, axis=-1).sum() > 5000   # the picture box
    skin = np.all(image_pixels == (180, 120, 90), axis=-1)                   # the tiny library's 'hand' colour
    assert skin.sum() > 2000, "the picture from the library is shown, scaled up"


def test_mouse_users_can_start_and_pause_with_on_screen_buttons(app):
    clock = FakeClock()
    seq = parse_sequence(parse_toml(SHORT, "short.toml"))
    scene = ImageryScene(seq, mode="watch", check_stage=False, clock=clock, guide=Guide(sound=False))
    app.push(scene)
    app.step(1 / 60)
    from gmi.core.intents import Intent

    for intent, state in ((Intent.CONFIRM, "running"), (Intent.PAUSE, "paused"), (Intent.BACK, "rating")):
        app.step(1 / 60)
        target = scene.pointer_targets()[intent]
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=target.center, touch=False))
        app.step(1 / 60)
        assert scene.state == state
    assert scene.specs[0].name == "pain_nrs"      # watch only: no vividness question
    box_value, box = scene._rating_boxes[7]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=box.center, touch=False))
    app.step(1 / 60)
    assert session_ratings(app.ctx.db, scene.log.session_id) == {"pain_nrs": box_value} and box_value == 7


def test_a_locked_stage_is_explained_instead_of_opened(app):
    app.push(ImageryScene())
    assert isinstance(app.top, MessageScene) and "E-STAGE-LOCKED" in app.top.text
    app.pop()
    add_event(app.ctx.db, app.ctx.profile.id, StageEvent(datetime.now(timezone.utc), "hands", "override", "laterality",
                                                         "imagery", "Dr Lee", "normal laterality in clinic"))
    app.push(ImageryScene(guide=Guide(sound=False)))
    assert isinstance(app.top, ImageryScene)


class SymmetricFeed:
    """A camera frame with a bright block on the user's left side only (right side of the raw frame)."""

    def __init__(self) -> None:
        frame = np.zeros((120, 160, 3), np.uint8)
        frame[:, :] = (40, 40, 40)
        frame[40:80, 100:130] = (30, 180, 250)   # BGR
        self.frame = frame
        self.closed = False

    end = None

    def read(self):
        return Frame(self.frame.copy(), 0.0, 0)

    def close(self):
        self.closed = True


def test_the_camera_mirror_shows_a_symmetric_picture_and_symptoms_switch_to_watching(app):
    clock, feed = FakeClock(), SymmetricFeed()
    seq = parse_sequence(parse_toml(MIRROR, "mirror.toml"))
    scene = MirrorScene(setting="camera", sequence=seq, feed_factory=lambda: feed, keep="left", check_stage=False,
                        clock=clock, guide=Guide(sound=False))
    app.push(scene)
    key(app, pygame.K_RETURN)
    advance(app, clock, 6)                   # past the watch-only start: no line drawn now
    shown = pygame.surfarray.array3d(scene.frame_surface)     # the mirrored frame, before scaling to the window
    assert np.array_equal(shown, shown[::-1])                   # pixels on one side equal the flipped other side
    rect = scene._shown_rect
    rows = slice(rect.top + rect.height // 4, rect.bottom - rect.height // 10)   # below the corner buttons
    pixels = pygame.surfarray.array3d(app.screen)[rect.left:rect.right, rows].astype(int)
    assert (np.abs(pixels - pixels[::-1]).max(axis=-1) > 8).mean() < 0.05       # on screen: scaling blurs edges only
    orange = np.all(np.abs(pixels - (250, 180, 30)) <= 2, axis=-1)
    assert orange[: rect.width // 2].sum() > 100 and orange[rect.width // 2:].sum() > 100
    key(app, pygame.K_SPACE)
    assert scene.state == "symptom" and scene.runner.state == "paused"
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)                # dizziness
    assert scene.state == "advice" and "Stop moving" in scene.advice
    rows = session_symptoms(app.ctx.db, scene.log.session_id)
    assert [r["symptom"] for r in rows] == ["dizziness"]
    assert scene.runner.status().phase.kind == "watch"
    advance(app, clock, 60)
    assert scene.state == "rating"          # the timer ended while watching
    key(app, pygame.K_RETURN)
    session = app.ctx.db.sessions(app.ctx.profile.id, "mirror")[0]
    assert session["status"] == "completed" and '"setting": "camera"' in session["settings_json"]
    app.pop()
    assert feed.closed


def test_line_keys_move_the_mirror_line_and_swap_the_kept_half(app):
    clock = FakeClock()
    seq = parse_sequence(parse_toml(MIRROR, "mirror.toml"))
    scene = MirrorScene(setting="camera", sequence=seq, feed_factory=SymmetricFeed, keep="left", check_stage=False,
                        clock=clock, guide=Guide(sound=False))
    app.push(scene)
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RIGHT)
    assert scene.mirror.line == pytest.approx(0.52)
    key(app, pygame.K_UP)
    assert scene.mirror.keep == "right"


def test_the_mirror_box_guide_uses_the_same_prompts_and_timer_without_a_camera(app):
    clock, guide = FakeClock(), Recorder()
    seq = parse_sequence(parse_toml(MIRROR, "mirror.toml"))
    scene = MirrorScene(setting="box", sequence=seq, check_stage=False, clock=clock, guide=guide)
    app.push(scene)
    key(app, pygame.K_RETURN)
    assert scene.feed is None and scene.runner.status().phase.kind == "watch"
    advance(app, clock, 6)
    assert scene.runner.status().phase.kind == "move"
    assert guide.played[-1].speech == "Imagine a flat hand."
    advance(app, clock, 60)
    assert scene.state == "rating"


def test_camera_free_mirror_box_never_imports_opencv(tmp_path):
    code = ("import sys, os; os.environ['SDL_VIDEODRIVER'] = 'dummy'\n"
            "import gmi.ui.scenes.mirror, gmi.ui.scenes.imagery, gmi.commands.mirror, gmi.cli\n"
            "assert 'cv2' not in sys.modules, 'cv2 imported'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_speech_engine_detection_and_fallback_to_tones(monkeypatch):
    found = detect_speech_engine(lambda name: "/usr/bin/espeak-ng" if name == "espeak-ng" else None, "linux")
    assert found.name == "espeak-ng" and found.command("Rest.")[-1] == "Rest."
    assert detect_speech_engine(lambda name: None, "linux") is None
    assert detect_speech_engine(lambda name: "/usr/bin/say" if name == "say" else None, "darwin").name == "say"
    calls = []

    class FakePopen:
        def __init__(self, argv, **kw):
            calls.append(argv)

        def poll(self):
            return 0

    monkeypatch.setattr("gmi.ui.sound.subprocess.Popen", FakePopen)
    guide = Guide(sound=True, speech=True, engine=SpeechEngine("espeak-ng", ("espeak-ng",)))
    guide.play(Cue("begin", "Close your eyes."))
    assert calls == [["espeak-ng", "Close your eyes."]]
    Guide(sound=False, engine=SpeechEngine("x", ("x",))).play(Cue("begin", "nothing"))
    assert len(calls) == 1
    assert "Tones only" in Guide(sound=True, tones_ok=True).describe()


def test_tones_fade_in_and_out():
    samples = tone_samples(440, 0.2, rate=8000)
    assert samples.shape == (1600, 2) and samples.dtype == np.int16
    assert abs(int(samples[0, 0])) < 50 and abs(int(samples[-1, 0])) < 50
    assert np.abs(samples).max() > 5000


def test_home_shows_the_programme_and_opens_the_next_stage_when_criteria_hold(app):
    from datetime import timedelta

    from gmi.ui.scenes.home import HomeScene

    db, pid = app.ctx.db, app.ctx.profile.id
    today = datetime.now(timezone.utc)
    for day in range(7, 0, -1):                     # seven good laterality days
        sid = db.start_session(pid, "laterality", settings={"part": "hands"}, input_method="keys", app_version="t",
                               started_at=(today - timedelta(days=day)).isoformat())
        for i in range(40):
            side = "left" if i % 2 else "right"
            db.add_laterality_trial(sid, {"trial_index": i, "stimulus_id": "s", "part": "hands", "side": side,
                                          "view": "dorsal", "posture": "flat", "rotation_deg": 0, "direction": "none",
                                          "level": 1, "response": side, "correct": 1, "rt_ms": 1500.0,
                                          "input_method": "keys", "onset_ns": 0})
        db.update_session(sid, status="completed")
    home = HomeScene()
    app.push(home)
    app.step(1 / 60)
    status, message = home.programme
    assert status.stage == "imagery" and "now open" in message
    labels = [f.element.text for f in home.focusables]
    assert "Imagined movements" in labels and "Mirror therapy" in labels
    app.step(1 / 60)                               # drawing the panel works at this size
    app.push(ImageryScene(guide=Guide(sound=False)))
    assert isinstance(app.top, ImageryScene)       # the stage is open now
