"""Camera absent, busy or lost, a video that ends or is corrupt, the camera stack missing: exposure and mirror
sessions carry on without the camera, say why, and lose nothing already counted."""

from __future__ import annotations

import sys

import numpy as np
import pygame
import pytest

import gmi.ui.scenes.exposure as exposure_scene
from gmi.core.errors import GmiError
from gmi.core.exposure import RepResult
from gmi.core.imagery import parse_sequence
from gmi.core.tomlcheck import parse_toml
from gmi.store import exposure as store
from gmi.store.imagery import guided_steps
from gmi.ui.consent import remember_camera_consent
from gmi.ui.scenes.mirror import CAMERA_LOST_S, MirrorScene
from gmi.ui.sound import Guide
from tests.clock import FakeClock
from tests.ui.test_exposure_scene import BACK, FakeFeed, answer_before, key, open_scene
from tests.ui.test_imagery_mirror_scenes import MIRROR, SymmetricFeed, advance

# What the pose engine raises when it cannot start (gmi/pose: deps, sources, model).
POSE_START_ERRORS = [
    GmiError("E-NO-CAMERA-STACK", "mediapipe is not installed, so gmi cannot use a camera or analyse video."),
    GmiError("E-CAMERA-NONE", "No camera answers at index 0."),
    GmiError("E-CAMERA-BUSY", "The camera is in use by another program."),
    GmiError("E-VIDEO-UNREADABLE", "clip.mp4 cannot be read as a video."),
    GmiError("E-NO-MODEL", "No pose model is installed."),
]


@pytest.fixture(autouse=True)
def agreed(app):
    remember_camera_consent(app.ctx, True)


@pytest.mark.parametrize("error", POSE_START_ERRORS, ids=lambda e: e.code)
def test_exposure_without_a_working_camera_is_logged_by_tapping_with_the_reason(app, monkeypatch, error):
    def factory(item, level):
        raise error

    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY", factory)
    scene, clock, _ = open_scene(app, BACK)
    assert scene.session.mode.value == "tap" and error.message in scene.notice and "tapping" in scene.notice
    answer_before(app, scene)
    for _ in range(3):
        key(app, pygame.K_SPACE)
    rows = store.session_rows(app.ctx.db, scene.session_id)
    assert [r["source"] for r in rows["reps"]] == ["tap"] * 3


class BrokenFeed(FakeFeed):
    """Gives pictures and repetitions, then its decoder fails (a corrupt video, a camera unplugged)."""

    def __init__(self, fail_with: Exception) -> None:
        super().__init__()
        self.fail_with, self.broken = fail_with, False

    def latest(self):
        if self.broken:
            raise self.fail_with
        return super().latest()


@pytest.mark.parametrize("failure", [RuntimeError("decoder error"), OSError(19, "No such device"),
                                     GmiError("E-CAMERA-LOST", "The camera was unplugged.")],
                         ids=["decoder", "unplugged", "gmi-error"])
def test_a_feed_that_fails_mid_session_leaves_a_tap_session_with_nothing_lost(app, failure):
    feed = BrokenFeed(failure)
    scene, clock, _ = open_scene(app, BACK, feed=feed)
    answer_before(app, scene)
    feed.queue = [RepResult(24.0, True, 0.0, 2.0), RepResult(22.0, True, 0.0, 2.1)]
    app.step(1 / 60)
    feed.broken = True
    app.step(1 / 60)
    assert scene.session.mode.value == "tap" and feed.closed and "camera stopped" in scene.notice
    assert app.top is scene and scene.screen_name == "during"
    key(app, pygame.K_SPACE)
    rows = store.session_rows(app.ctx.db, scene.session_id)
    assert [r["source"] for r in rows["reps"]] == ["camera", "camera", "tap"]
    events = [e["name"] for e in rows["events"]]
    assert "camera_free" in events                         # the switch is on record with the session


def mirror(app, **kw) -> MirrorScene:
    scene = MirrorScene(setting="camera", sequence=parse_sequence(parse_toml(MIRROR, "mirror.toml")),
                        check_stage=False, clock=kw.pop("clock", FakeClock()), guide=Guide(sound=False), **kw)
    app.push(scene)
    app.step(1 / 60)
    return scene


def test_mirror_with_opencv_missing_becomes_a_mirror_box_session(app, monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)              # `import cv2` now fails as if not installed
    scene = mirror(app, source="0")
    assert app.top is scene and scene.setting == "box" and scene.feed is None
    assert "opencv (cv2) is not installed" in scene.notice and "mirror box" in scene.notice
    key(app, pygame.K_RETURN)
    assert scene.state == "running"


def test_mirror_with_no_camera_at_that_index_becomes_a_mirror_box_session(app):
    pytest.importorskip("cv2")
    scene = mirror(app, source="57")
    assert scene.setting == "box" and "No camera was found at number 57" in scene.notice


def test_mirror_with_a_missing_or_corrupt_video_becomes_a_mirror_box_session(app, tmp_path):
    pytest.importorskip("cv2")
    scene = mirror(app, source=str(tmp_path / "none.mp4"))
    assert scene.setting == "box" and "does not exist" in scene.notice
    app.pop()
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video" * 50)
    scene = mirror(app, source=str(junk))
    assert scene.setting == "box" and "cannot be read as a video" in scene.notice


class EndingFeed(SymmetricFeed):
    """A video that ends after ``frames`` pictures (read() then gives None, as OpenCV does)."""

    def __init__(self, frames: int) -> None:
        super().__init__()
        self.left = frames

    def read(self):
        self.left -= 1
        return super().read() if self.left >= 0 else None


def test_mirror_camera_lost_mid_session_goes_on_as_a_box_session_and_keeps_its_steps(app):
    clock, feed = FakeClock(), EndingFeed(frames=20)
    scene = mirror(app, feed_factory=lambda: feed, clock=clock)
    key(app, pygame.K_RETURN)
    advance(app, clock, 12)                                     # watch 5 s, then the first movement (4 s)
    done = len(guided_steps(app.ctx.db, scene.log.session_id))
    assert scene.setting == "camera" and done >= 1
    for _ in range(40):                                         # the video ends; a few seconds pass
        app.step(1 / 60)
    clock.t += CAMERA_LOST_S + 0.5
    app.step(1 / 60)
    assert scene.setting == "box" and feed.closed and "stopped sending pictures" in scene.notice
    assert scene.state == "running" and app.top is scene
    advance(app, clock, 60)
    assert scene.state == "rating"                              # the session ran to its end
    assert len(guided_steps(app.ctx.db, scene.log.session_id)) > done


def test_mirror_feed_raising_goes_on_as_a_box_session(app):
    class Raising(SymmetricFeed):
        def read(self):
            raise RuntimeError("select() timeout")

    scene = mirror(app, feed_factory=Raising)
    assert scene.setting == "box" and "camera stopped" in scene.notice


def test_mirror_real_video_file_that_ends(app, tmp_path):
    pytest.importorskip("cv2")
    import time

    from tests.commands.test_mirror_command import write_video

    scene = mirror(app, source=str(write_video(tmp_path / "clip.avi", frames=6)))
    assert scene.setting == "camera" and scene.frame_surface is not None
    deadline = time.monotonic() + 10
    while scene.setting == "camera" and time.monotonic() < deadline:   # plays in real time, 10 frames a second
        app.step(1 / 60)
        time.sleep(0.01)
    assert scene.setting == "box" and scene.feed is None and "The video ended after 6 frames" in scene.notice


# -- the real pose engine (gmi.pose.exposure_feed) ------------------------------------------------------------
@pytest.fixture
def abduction(tmp_path):
    """A plan whose first item the pose engine can measure (shoulder abduction), 6 repetitions: more than the
    real test clip holds, so that the clip ends mid-session."""
    from tests.pose.test_exposure_feed import PLAN

    path = tmp_path / "abduction.toml"
    path.write_text(PLAN.replace("reps = 2\n", "reps = 6\n", 1), encoding="utf-8")
    return path


def test_exposure_with_mediapipe_missing_is_logged_by_tapping(app, monkeypatch, abduction):
    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY", None)      # the real engine
    monkeypatch.setitem(sys.modules, "mediapipe", None)               # `import mediapipe` fails
    scene, _, _ = open_scene(app, abduction)
    assert scene.session.mode.value == "tap" and "mediapipe is not installed" in scene.notice
    assert scene.feed is None


def test_exposure_without_a_pose_model_is_logged_by_tapping(app, monkeypatch, abduction):
    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY", None)
    scene, _, _ = open_scene(app, abduction)
    assert scene.session.mode.value == "tap" and "gmi camera setup" in scene.notice


@pytest.mark.parametrize("source,words", [("97", "No camera was found at number 97"),
                                          ("junk", "cannot be read as a video")])
def test_exposure_with_no_camera_or_a_corrupt_video_is_logged_by_tapping(app, monkeypatch, pose_media, tmp_path,
                                                                         abduction, source, words):
    from gmi.pose.exposure_feed import camera_feed_factory

    if source == "junk":
        source = str(tmp_path / "junk.mp4")
        (tmp_path / "junk.mp4").write_bytes(b"not a video at all" * 100)
    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY",
                        camera_feed_factory(tmp_path, source=source, pose_model=str(pose_media.model)))
    scene, _, _ = open_scene(app, abduction)
    assert scene.session.mode.value == "tap" and words in scene.notice


@pytest.mark.slow
def test_exposure_video_that_ends_mid_session_goes_on_by_tapping_keeping_its_repetitions(app, monkeypatch,
                                                                                         pose_media, tmp_path,
                                                                                         abduction):
    import time

    from gmi.pose.exposure_feed import camera_feed_factory

    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY",
                        camera_feed_factory(tmp_path, source=str(pose_media.clip), pose_model=str(pose_media.model)))
    scene, clock, _ = open_scene(app, abduction)
    assert scene.session.mode.value == "camera", scene.notice
    answer_before(app, scene)
    deadline = time.monotonic() + 90
    while scene.session.mode.value == "camera" and time.monotonic() < deadline:   # the clip plays to its end
        clock.t += 1 / 60
        app.step(1 / 60)
        time.sleep(0.005)
    assert scene.session.mode.value == "tap" and "camera stopped" in scene.notice
    counted = scene.session.reps_done
    key(app, pygame.K_SPACE)
    rows = store.session_rows(app.ctx.db, scene.session_id)["reps"]
    assert len(rows) == counted + 1 and rows[-1]["source"] == "tap"
    assert [r["source"] for r in rows[:-1]] == ["camera"] * counted and counted >= 1
