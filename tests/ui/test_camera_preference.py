"""The profile's camera (Prefs.camera): kept per profile, changed in Settings, used by the exposure session;
$GMI_CAMERA overrides it."""

from __future__ import annotations

import pytest

from gmi.core.errors import GmiError
from gmi.ui.app import AppContext, Prefs
from gmi.ui.scenes.settings import SettingsScene, camera_label, next_camera
from tests.ui.spy import spy_text


@pytest.fixture(autouse=True)
def no_override(monkeypatch):
    monkeypatch.delenv("GMI_CAMERA", raising=False)


def test_prefs_keep_a_camera_number_or_a_video():
    assert Prefs().camera == "0"
    assert Prefs.from_dict({"camera": 1}).camera == "1"
    assert Prefs.from_dict({"camera": " /v/clip.mp4 "}).camera == "/v/clip.mp4"
    assert Prefs.from_dict({"camera": ""}).camera == "0"


def test_camera_row_label_and_steps(monkeypatch):
    assert camera_label("0") == "Camera: number 0 (the first)"
    assert camera_label("/videos/a-very-long-recording-name-of-a-session.mp4").startswith("Camera: video a-very")
    assert next_camera("0", -1) == "0" and next_camera("0", 1) == "1" and next_camera("9", 1) == "9"
    assert next_camera("/v/clip.mp4", 1) == "0"
    monkeypatch.setenv("GMI_CAMERA", "/v/clip.mp4")
    assert camera_label("0") == "Camera: video clip.mp4 (set by GMI_CAMERA)"


def test_settings_change_the_camera_and_it_is_saved(app):
    scene = SettingsScene()
    app.push(scene)
    app.step(1 / 60)
    rows = {label: step for label, step, _ in scene.rows()}
    rows["Camera: number 0 (the first)"](1)
    assert app.ctx.prefs.camera == "1"
    assert "Camera: number 1" in [label for label, _, _ in scene.rows()]
    again = AppContext.load(app.ctx.db, app.ctx.profile.name, app.ctx.data_dir)
    assert again.prefs.camera == "1"


def test_the_exposure_session_opens_the_profiles_camera(app, monkeypatch):
    import gmi.pose.exposure_feed as exposure_feed
    from tests.ui.test_exposure_scene import BACK, open_scene

    asked = []

    def factory(data_dir, source=None, pose_model=None):
        def open_feed(item, level):
            asked.append(source)
            raise GmiError("E-NO-CAMERA", "No camera was found.")
        return open_feed

    monkeypatch.setattr(exposure_feed, "camera_feed_factory", factory)
    app.ctx.prefs.camera = "2"
    scene, _, _ = open_scene(app, BACK)
    assert asked == ["2"] and scene.session.mode.value == "tap" and "No camera" in scene.notice
    app.pop()
    monkeypatch.setenv("GMI_CAMERA", "/v/clip.mp4")
    open_scene(app, BACK)
    assert asked[-1] == "/v/clip.mp4"


def test_the_mirror_opens_the_profiles_camera_and_says_when_it_stops(app, monkeypatch):
    import gmi.ui.scenes.mirror as mirror
    from gmi.core.imagery import parse_sequence
    from gmi.core.tomlcheck import parse_toml
    from gmi.pose.sources import StreamEnd
    from gmi.ui.sound import Guide
    from tests.ui.test_imagery_mirror_scenes import MIRROR, SymmetricFeed

    asked, feed = [], SymmetricFeed()
    monkeypatch.setattr(mirror, "open_mirror_source", lambda source: asked.append(source) or feed)
    app.ctx.prefs.camera = "3"
    scene = mirror.MirrorScene(setting="camera", sequence=parse_sequence(parse_toml(MIRROR, "m.toml")),
                               check_stage=False, guide=Guide(sound=False))
    app.push(scene)
    app.step(1 / 60)
    assert asked == ["3"] and scene.source == "3" and scene.frame_surface is not None
    drawn = spy_text(monkeypatch, mirror, "draw_paragraph")
    feed.end = StreamEnd("lost", "Camera 3 stopped sending pictures.")
    app.step(1 / 60)
    assert "Camera 3 stopped sending pictures." in drawn       # not a silently frozen reflection
