"""Camera consent: off by default, asked once per profile before the camera is first opened, remembered, and
changeable in Settings. Driven with posted key and mouse events."""

from __future__ import annotations

import datetime as dt

import pygame
import pytest

import gmi.ui.scenes.exposure as exposure_scene
from gmi.core.plans import load_plan
from gmi.store import exposure as store
from gmi.ui.app import AppContext
from gmi.ui.consent import CONSENT_KEY, CameraConsentScene, camera_consent
from gmi.ui.scenes.exposure import ExposureScene
from gmi.ui.scenes.mirror import MirrorScene
from gmi.ui.scenes.settings import SettingsScene
from gmi.ui.sound import Guide
from gmi.ui.tones import Tones
from tests.clock import FakeClock
from tests.ui.test_exposure_scene import BACK, FakeFeed, key
from tests.ui.test_imagery_mirror_scenes import MIRROR, SymmetricFeed


@pytest.fixture
def camera(monkeypatch):
    """The pose engine replaced by a factory that notes each time a camera is opened."""
    opened: list[FakeFeed] = []

    def factory(item, level):
        opened.append(FakeFeed())
        return opened[-1]

    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY", factory)
    return opened


def open_exposure(app):
    if not store.plan_history(app.ctx.db, app.ctx.profile.id):
        store.install_plan(app.ctx.db, app.ctx.profile.id, load_plan(BACK))   # a measured first item
    scene = ExposureScene(clock=FakeClock(50.0), tones=Tones(enabled=False), today=dt.date(2026, 11, 21))
    app.push(scene)
    app.step(1 / 60)
    return scene


def click_button(app, text):
    """Press a pygame_gui button with the mouse alone (down and up at its centre)."""
    button = next(f.element for f in app.top.focusables if f.element.text == text)
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, button=1, pos=button.rect.center, touch=False))
    for _ in range(3):
        app.step(1 / 60)


def reload_profile(app):
    return AppContext.load(app.ctx.db, app.ctx.profile.name, app.ctx.data_dir)


def test_the_camera_is_off_until_agreed_and_the_answer_is_remembered(app, camera):
    assert camera_consent(app.ctx) is None                   # a new profile: nobody has agreed to anything
    scene = open_exposure(app)
    assert isinstance(app.top, CameraConsentScene) and camera == []   # asked BEFORE any camera is opened
    labels = [f.element.text for f in app.top.focusables]
    assert labels == ["Yes, use the camera", "No, not the camera", "Ask me next time"]
    key(app, pygame.K_RETURN)                                # keyboard: the first choice, yes
    assert app.top is scene and len(camera) == 1 and scene.session.mode.value == "camera"
    assert camera_consent(reload_profile(app)) is True       # in the database, for this profile
    app.pop()
    scene = open_exposure(app)
    assert app.top is scene and len(camera) == 2             # not asked again


def test_no_by_mouse_means_camera_free_sessions_without_asking_again(app, camera):
    scene = open_exposure(app)
    click_button(app, "No, not the camera")
    assert app.top is scene and camera == [] and scene.session.mode.value == "tap"
    assert "camera is off" in scene.notice and "Settings" in scene.notice
    app.pop()
    scene = open_exposure(app)
    assert app.top is scene and camera == [] and scene.session.mode.value == "tap"
    assert reload_profile(app).profile.settings[CONSENT_KEY] is False


def test_not_now_or_esc_asks_again_next_time(app, camera):
    scene = open_exposure(app)
    key(app, pygame.K_ESCAPE)
    assert app.top is scene and camera == [] and scene.session.mode.value == "tap"
    assert CONSENT_KEY not in reload_profile(app).profile.settings
    app.pop()
    open_exposure(app)
    assert isinstance(app.top, CameraConsentScene)


def test_consent_is_per_profile(app, camera):
    scene = open_exposure(app)
    key(app, pygame.K_RETURN)
    app.pop()
    other = AppContext.load(app.ctx.db, "someone else", app.ctx.data_dir)
    assert camera_consent(other) is None
    app.ctx = other
    open_exposure(app)
    assert isinstance(app.top, CameraConsentScene)


def test_the_mirror_asks_before_opening_the_camera(app):
    opened = []

    def factory():
        opened.append(SymmetricFeed())
        return opened[-1]

    from gmi.core.imagery import parse_sequence
    from gmi.core.tomlcheck import parse_toml

    scene = MirrorScene(setting="camera", sequence=parse_sequence(parse_toml(MIRROR, "m.toml")), feed_factory=factory,
                        check_stage=False, clock=FakeClock(), guide=Guide(sound=False))
    app.push(scene)
    app.step(1 / 60)
    assert isinstance(app.top, CameraConsentScene) and opened == []
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)                                # "No": a mirror box session, said so
    assert app.top is scene and opened == [] and scene.setting == "box" and "mirror box" in scene.notice


def test_settings_changes_the_answer(app):
    scene = SettingsScene()
    app.push(scene)
    app.step(1 / 60)

    def camera_row():
        for _ in range(len(scene.focusables) * 3):
            focused = scene.focused().element.text
            if focused.startswith("Camera use:"):
                return focused
            key(app, pygame.K_DOWN)
        raise AssertionError("no Camera use row")

    assert camera_row() == "Camera use: ask first"
    key(app, pygame.K_RIGHT)
    assert camera_row() == "Camera use: allowed" and camera_consent(reload_profile(app)) is True
    key(app, pygame.K_RETURN)
    assert camera_row() == "Camera use: off" and camera_consent(reload_profile(app)) is False
    key(app, pygame.K_LEFT)
    assert camera_row() == "Camera use: ask first" and camera_consent(reload_profile(app)) is None


def test_the_camera_check_opens_its_camera_only_after_a_yes(app):
    from gmi.ui.app import Scene
    from gmi.ui.consent import CameraGateScene
    from gmi.ui.scenes.message import MessageScene

    made = []

    def make():
        made.append(Scene())
        return made[-1]

    app.push(CameraGateScene(make))
    assert isinstance(app.top, CameraConsentScene) and made == []
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)                                # no
    assert isinstance(app.top, MessageScene) and made == [] and "still works" in app.top.text
    app.pop()
    from gmi.ui.consent import remember_camera_consent

    remember_camera_consent(app.ctx, None)
    app.push(CameraGateScene(make))
    key(app, pygame.K_RETURN)                                # yes
    assert made and app.top is made[0]


def test_gmi_camera_check_refuses_a_profile_that_said_no_before_opening_anything(tmp_path, pose_media, monkeypatch,
                                                                                  capsys):
    import gmi.pose.sources as sources
    from gmi.cli import main
    from gmi.store.db import Database

    db = Database.open(tmp_path)
    db.save_profile_settings(db.profile("anna").id, {CONSENT_KEY: False})
    db.close()
    monkeypatch.setattr(sources, "CameraSource", lambda *a, **k: pytest.fail("the camera was opened"))
    assert main(["camera", "check", "--movement", "squat", "--pose-model", str(pose_media.model),
                 "--data-dir", str(tmp_path), "--profile", "anna"]) == 2
    assert "E-CAMERA-OFF" in capsys.readouterr().err
    assert pygame.display.get_surface() is None


def test_at_large_text_the_words_come_first_then_the_question(app, camera):
    app.ctx.prefs.text_scale = 2.0
    open_exposure(app)
    consent = app.top
    assert isinstance(consent, CameraConsentScene) and labels_of(consent) == ["Continue"]
    key(app, pygame.K_RETURN)
    assert app.top is consent and labels_of(consent)[0] == "Yes, use the camera" and camera == []
    key(app, pygame.K_RETURN)
    assert len(camera) == 1 and camera_consent(reload_profile(app)) is True


def labels_of(scene) -> list[str]:
    return [f.element.text for f in scene.focusables]
