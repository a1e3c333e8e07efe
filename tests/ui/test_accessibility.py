"""Every screen by keyboard alone and by mouse alone; every timed screen pauses with Esc; the window resizes and
goes full screen with nothing drawn outside it. Real scenes, real posted pygame events, the dummy video driver."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timezone
from pathlib import Path

import pygame
import pytest

from gmi.core.intents import Intent
from gmi.core.plans import load_plan
from gmi.core.programme import StageEvent
from gmi.store import exposure as store
from gmi.store.programme import add_event
from gmi.ui.consent import CameraConsentScene
from gmi.ui.theme import BUTTON_TYPE
from gmi.ui.scenes.drill import DrillScene
from gmi.ui.scenes.exposure import ExposureScene
from gmi.ui.scenes.home import HomeScene
from gmi.ui.scenes.imagery import ImageryScene
from gmi.ui.scenes.mirror import MirrorChoiceScene, MirrorScene
from gmi.ui.scenes.programme import ProgrammeScene
from gmi.ui.scenes.results import ResultsScene
from gmi.ui.scenes.settings import SettingsScene
from tools.simpatient import SimulatedPatient

ROOT = Path(__file__).resolve().parents[2]


# -- input, as a person gives it --------------------------------------------------------------------------------
def steps(app, n=2):
    for _ in range(n):
        app.step(1 / 60)


def press(app, key, n=2):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    steps(app, n)


def click_at(app, pos, n=3):
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, button=1, pos=pos, touch=False))
    steps(app, n)


def click_target(app, intent):
    """Click a drawn on-screen target (a scene's pointer target for ``intent``)."""
    steps(app, 1)                                     # drawn at least once: targets are where they are shown
    click_at(app, app.top.pointer_targets()[intent].center)


def labels(app) -> list[str]:
    return [f.element.text for f in app.top.focusables]


def click_button(app, prefix):
    """Click a menu button by its label, turning menu pages with the mouse if needed."""
    for _ in range(6):
        for f in app.top.focusables:
            if f.element.text.startswith(prefix):
                click_at(app, f.element.rect.center)
                return
        more = [f for f in app.top.focusables if f.element.text.startswith("More choices")]
        assert more, f"no button {prefix!r} in {labels(app)}"
        click_at(app, more[0].element.rect.center)
    raise AssertionError(prefix)


def choose(app, prefix):
    """Move the focus with the Down key to the row starting with ``prefix``, then Enter."""
    for _ in range(40):
        if app.top.focused().element.text.startswith(prefix):
            press(app, pygame.K_RETURN)
            return
        press(app, pygame.K_DOWN, 1)
    raise AssertionError(f"no row {prefix!r}")


# -- set-up -----------------------------------------------------------------------------------------------------
@pytest.fixture
def home(app):
    """The home screen of a profile whose programme has reached mirror therapy and who has an exposure plan."""
    add_event(app.ctx.db, app.ctx.profile.id, StageEvent(datetime.now(timezone.utc), "hands", "override", "laterality",
                                                         "mirror", "Test Physio", "accessibility test"))
    store.install_plan(app.ctx.db, app.ctx.profile.id, load_plan(ROOT / "plans" / "hand-wrist-camera-free.toml"))
    app.ctx.prefs.sound = False
    app.push(HomeScene())
    steps(app)
    return app


def with_patient(app, scene, act, until, timeout_s: float = 60.0) -> None:
    """Run the app in real time while a simulated patient does ``act(scene, stimulus)`` at each picture."""
    import time

    with SimulatedPatient(scene, lambda stim, onset: (time.sleep(0.01), act(scene, stim))):
        deadline = time.monotonic() + timeout_s
        while not until(scene):
            assert time.monotonic() < deadline, f"the drill stayed in {scene.state.phase}"
            app.step(1 / 60)
            time.sleep(0.001)


def drill_then_pause(app, act, pause):
    """Answer three pictures with ``act``, pause on the fourth with ``pause``; returns the drill scene."""
    scene = app.top
    assert isinstance(scene, DrillScene)
    n = {"k": 0}

    def answer(stim):
        n["k"] += 1
        (pause if n["k"] == 4 else act)(scene, stim)

    with_patient(app, scene, lambda sc, stim: answer(stim), until=lambda sc: sc.state.phase == "paused")
    return scene


def key_answer(scene, stim):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LEFT if stim.side == "left" else pygame.K_RIGHT,
                                         mod=0, unicode="", scancode=0))


def key_pause(scene, stim):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=0))


def mouse_answer(scene, stim):
    rect = scene.pointer_targets()[Intent.LEFT if stim.side == "left" else Intent.RIGHT]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=rect.center, touch=False))


def mouse_pause(scene, stim):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1,
                                         pos=scene.pointer_targets()[Intent.PAUSE].center, touch=False))


# -- keyboard alone ---------------------------------------------------------------------------------------------
def start_pause_finish_by_keys(app, scene):
    """An imagery or mirror session: start, pause with Esc, finish early, rate, leave — keys only."""
    press(app, pygame.K_RETURN)
    press(app, pygame.K_ESCAPE)
    assert scene.state == "paused"
    press(app, pygame.K_BACKSPACE)                                  # finish now
    while scene.state == "rating":                                  # a step cut short counts: rate it
        press(app, pygame.K_RETURN)
    assert scene.state == "done"
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, HomeScene)


def test_every_screen_by_keyboard_alone(home):
    app = home
    choose(app, "Settings")
    assert isinstance(app.top, SettingsScene)
    press(app, pygame.K_BACKSPACE)
    assert isinstance(app.top, HomeScene)

    choose(app, "Start: left or right?")
    assert isinstance(app.top, DrillScene) and app.top.state.phase == "ready"
    press(app, pygame.K_RETURN)
    drill = drill_then_pause(app, key_answer, key_pause)
    press(app, pygame.K_BACKSPACE)                                  # finish now
    assert isinstance(app.top, ResultsScene) and len(app.ctx.db.laterality_trials(drill.session_id)) == 3
    press(app, pygame.K_BACKSPACE)
    assert isinstance(app.top, HomeScene)

    choose(app, "My last results")
    assert isinstance(app.top, ResultsScene)
    press(app, pygame.K_DOWN)
    press(app, pygame.K_BACKSPACE)
    assert isinstance(app.top, HomeScene)

    choose(app, "Imagined movements")
    assert isinstance(app.top, ImageryScene) and app.top.state == "intro"
    start_pause_finish_by_keys(app, app.top)

    choose(app, "Mirror therapy")
    assert isinstance(app.top, MirrorChoiceScene)
    choose(app, "With a mirror box")
    assert isinstance(app.top, MirrorScene) and app.top.setting == "box"
    start_pause_finish_by_keys(app, app.top)

    choose(app, "My programme")
    assert isinstance(app.top, ProgrammeScene)
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, HomeScene)

    choose(app, "Graded exposure")
    exposure = app.top
    assert isinstance(exposure, ExposureScene) and exposure.screen_name == "intro"
    press(app, pygame.K_RETURN)
    assert exposure.screen_name == "question"
    press(app, pygame.K_BACKSPACE)
    press(app, pygame.K_BACKSPACE)
    assert isinstance(app.top, HomeScene)

    choose(app, "Quit")
    assert not app.running


# -- mouse alone ------------------------------------------------------------------------------------------------
def answer_questions_by_mouse(app, scene, count):
    for _ in range(count):
        q = scene.questions[scene.q_index]
        steps(app, 1)
        if q.kind != "text":
            click_at(app, scene._cells[len(scene._cells) // 2][1].center)
        click_target(app, Intent.CONFIRM)


def rate_by_mouse(app, scene):
    while scene.state == "rating":
        steps(app, 1)
        click_at(app, scene._rating_boxes[0][1].center)
    assert scene.state == "done"


def test_every_screen_by_mouse_alone(home):
    app = home
    click_button(app, "Settings")
    assert isinstance(app.top, SettingsScene)
    click_button(app, "Back")
    assert isinstance(app.top, HomeScene)

    click_button(app, "Start: left or right?")
    assert isinstance(app.top, DrillScene) and app.top.state.phase == "ready"
    click_target(app, Intent.CONFIRM)
    drill = drill_then_pause(app, mouse_answer, mouse_pause)
    click_target(app, Intent.BACK)                                   # "Finish now"
    assert isinstance(app.top, ResultsScene)
    rows = app.ctx.db.laterality_trials(drill.session_id)
    assert len(rows) == 3 and {r["input_method"] for r in rows} == {"mouse"}
    click_target(app, Intent.BACK)                                   # "Home"
    assert isinstance(app.top, HomeScene)

    click_button(app, "My last results")
    click_target(app, Intent.CONFIRM)                                # "Practise again": a new drill
    assert isinstance(app.top, DrillScene)
    click_target(app, Intent.BACK)
    assert isinstance(app.top, HomeScene)

    click_button(app, "Imagined movements")
    imagery = app.top
    assert isinstance(imagery, ImageryScene)
    click_target(app, Intent.RIGHT)                                  # the mode chooser's arrow
    click_target(app, Intent.CONFIRM)
    assert imagery.state == "running"
    click_target(app, Intent.PAUSE)
    assert imagery.state == "paused"
    click_target(app, Intent.CONFIRM)
    assert imagery.state == "running"
    click_target(app, Intent.PAUSE)
    click_target(app, Intent.BACK)                                   # "Finish now"
    rate_by_mouse(app, imagery)
    click_target(app, Intent.CONFIRM)
    assert isinstance(app.top, HomeScene)

    click_button(app, "Mirror therapy")
    click_button(app, "With a mirror box")
    mirror = app.top
    assert isinstance(mirror, MirrorScene)
    click_target(app, Intent.CONFIRM)
    click_target(app, Intent.PAUSE)
    assert mirror.state == "paused"
    click_target(app, Intent.BACK)
    rate_by_mouse(app, mirror)
    click_target(app, Intent.CONFIRM)
    assert isinstance(app.top, HomeScene)

    click_button(app, "My programme")
    assert isinstance(app.top, ProgrammeScene)
    click_button(app, "Back")
    assert isinstance(app.top, HomeScene)

    click_button(app, "Graded exposure")
    exposure = app.top
    assert isinstance(exposure, ExposureScene)
    click_target(app, Intent.BACK)                                   # in and out
    assert isinstance(app.top, HomeScene)
    click_button(app, "Graded exposure")
    exposure = app.top
    click_target(app, Intent.CONFIRM)
    answer_questions_by_mouse(app, exposure, 4)
    assert exposure.screen_name == "during"
    for _ in range(2):
        click_target(app, Intent.TAP)                                # a repetition
    click_target(app, Intent.PAUSE)
    assert exposure.screen_name == "paused"
    click_target(app, Intent.CONFIRM)
    click_target(app, Intent.PAUSE)
    click_target(app, Intent.BACK)                                   # finish the movement part
    answer_questions_by_mouse(app, exposure, 4)
    assert exposure.screen_name == "decision"
    reps = store.session_rows(app.ctx.db, exposure.session_id)["reps"]
    assert len(reps) == 2
    click_target(app, Intent.CONFIRM)
    assert isinstance(app.top, HomeScene)

    click_button(app, "Quit")
    assert not app.running


# -- every timed screen pauses with Esc -------------------------------------------------------------------------
def test_the_drill_pauses_with_esc_in_every_timed_phase(app):
    from dataclasses import replace

    from gmi.core.laterality import DrillSettings

    for phase in ("fixation", "stimulus", "feedback"):
        scene = DrillScene(replace(DrillSettings(), trials=10, time_limit_s=2.0), seed=1, fixation_ms=20,
                           feedback_ms=500, skip_ready=True)
        app.push(scene)
        if phase == "stimulus":
            with_patient(app, scene, key_pause, until=lambda sc: sc.state.phase == "paused")
        else:
            if phase == "feedback":
                with_patient(app, scene, key_answer, until=lambda sc: sc.state.phase == "feedback")
            assert scene.state.phase == phase
            press(app, pygame.K_ESCAPE, 1)
        assert scene.state.phase == "paused", phase
        answered = len(scene.state.answered)
        steps(app, 30)                                               # time passes: nothing moves on
        assert scene.state.phase == "paused" and len(scene.state.answered) == answered
        app.pop()


def test_guided_sessions_and_exposure_timers_stop_while_paused(home):
    from tests.clock import FakeClock

    app = home
    for make in (lambda clock: ImageryScene(mode="eyes_closed", clock=clock),
                 lambda clock: MirrorScene(setting="box", clock=clock)):
        clock = FakeClock()
        scene = make(clock)
        app.push(scene)
        press(app, pygame.K_RETURN)
        clock.advance(3)
        steps(app)
        press(app, pygame.K_ESCAPE)
        assert scene.state == "paused"
        left = scene.runner.status().total_left_s
        clock.advance(120)
        steps(app)
        assert scene.runner.status().total_left_s == left
        app.pop()

    clock = FakeClock(10.0)
    scene = ExposureScene(clock=clock, today=dt.date(2026, 11, 21))
    app.push(scene)
    press(app, pygame.K_RETURN)
    for _ in range(3):
        press(app, pygame.K_RIGHT)
        press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)                                      # no feared outcome typed
    for _ in range(6):                                               # one set done: the rest timer runs
        press(app, pygame.K_SPACE)
    rest = scene.session.rest_remaining_s()
    assert rest is not None and rest > 0
    press(app, pygame.K_ESCAPE)
    assert scene.screen_name == "paused"
    clock.advance(300)
    steps(app)
    assert scene.session.rest_remaining_s() == rest


# -- resizing and full screen -----------------------------------------------------------------------------------
class DrawnOutside:
    """Records every piece of text drawn on the window, to check that none of it runs off the screen."""

    def __init__(self, app, monkeypatch):
        import gmi.ui.widgets as widgets

        self.app, self.rects = app, []
        original_text, original_paragraph = widgets.draw_text, widgets.draw_paragraph

        def draw_text(surface, text, font, colour, pos, anchor="topleft"):
            rect = original_text(surface, text, font, colour, pos, anchor)
            if surface is pygame.display.get_surface() and text.strip():
                self.rects.append((text, rect))
            return rect

        def draw_paragraph(surface, text, font, colour, x, y, width, align="left"):
            bottom = original_paragraph(surface, text, font, colour, x, y, width, align)
            if surface is pygame.display.get_surface() and text.strip():
                widest = max(font.size(line)[0] for line in widgets.wrap(text, font, width))
                self.rects.append((text, pygame.Rect(x, y, max(width, widest) if widest > width else width,
                                                     bottom - y)))
            return bottom

        import sys

        for name, module in list(sys.modules.items()):
            if name.startswith("gmi.ui") and module is not None:
                for attr, fake in (("draw_text", draw_text), ("draw_paragraph", draw_paragraph)):
                    if getattr(module, attr, None) in (original_text, original_paragraph):
                        monkeypatch.setattr(module, attr, fake)

    def check(self, where: str) -> None:
        screen = pygame.display.get_surface().get_rect()
        outside = [(text[:40], rect) for text, rect in self.rects if not screen.contains(rect)]
        assert not outside, f"{where}: drawn outside {screen.size}: {outside}"
        scene = self.app.top
        for intent, rect in scene.pointer_targets().items():
            assert screen.contains(rect), f"{where}: target {intent} {rect} outside {screen.size}"
        for f in getattr(scene, "focusables", []):
            assert screen.contains(f.element.rect), f"{where}: button {f.element.text!r} outside"
            font = scene.theme.font(BUTTON_TYPE, True)                          # the menus' button type
            assert font.size(f.element.text)[0] <= f.element.rect.width - 8, f"{where}: {f.element.text!r} too wide"
            assert font.get_height() <= f.element.rect.height, f"{where}: {f.element.text!r} taller than its button"
        self.rects.clear()


def screens(app):
    """(name, how to reach it from home) for the screens checked at each window size."""
    from tests.clock import FakeClock

    def drill_stimulus():
        scene = DrillScene(fixation_ms=0, feedback_ms=600_000, skip_ready=True)
        app.push(scene)
        scene.state.phase = "feedback"                     # drawn as during a trial, and stays there
        scene.state.index = 0

    def exposure_during():
        scene = ExposureScene(clock=FakeClock(), today=dt.date(2026, 11, 21))
        app.push(scene)
        press(app, pygame.K_RETURN)
        for _ in range(3):
            press(app, pygame.K_RIGHT)
            press(app, pygame.K_RETURN)
        press(app, pygame.K_RETURN)

    def consent_question():
        scene = CameraConsentScene(lambda allowed: None)
        app.push(scene)
        if scene.focused().element.text == "Continue":
            press(app, pygame.K_RETURN)

    def guided_running(make):
        def go():
            app.push(make())
            press(app, pygame.K_RETURN)
        return go

    return [
        ("home", lambda: None),
        ("settings", lambda: app.push(SettingsScene())),
        ("drill ready", lambda: app.push(DrillScene())),
        ("drill trial", drill_stimulus),
        ("programme", lambda: app.push(ProgrammeScene())),
        ("imagery intro", lambda: app.push(ImageryScene(clock=FakeClock()))),
        ("imagery running", guided_running(lambda: ImageryScene(mode="eyes_open", clock=FakeClock()))),
        ("mirror choice", lambda: app.push(MirrorChoiceScene())),
        ("mirror box running", guided_running(lambda: MirrorScene(setting="box", clock=FakeClock()))),
        ("exposure intro", lambda: app.push(ExposureScene(clock=FakeClock(), today=dt.date(2026, 11, 21)))),
        ("exposure during", exposure_during),
        ("camera consent", lambda: app.push(CameraConsentScene(lambda allowed: None))),
        ("camera consent, the question", consent_question),
    ]


def resize(app, size):
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    steps(app, 2)
    assert app.screen.get_size() == size and pygame.display.get_surface().get_size() == size


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_every_screen_resizes_with_nothing_outside_the_window(home, monkeypatch, size, scale):
    app = home
    app.ctx.prefs.text_scale = scale
    recorder = DrawnOutside(app, monkeypatch)
    for name, reach in screens(app):
        reach()
        steps(app, 2)
        for target in (size, (1280, 800)):
            recorder.rects.clear()
            resize(app, target)
            recorder.check(f"{name} at {target}, text {scale:.0%}")
        while not isinstance(app.top, HomeScene):
            app.pop()


def test_f11_toggles_full_screen_on_any_screen_and_comes_back(home):
    app = home
    resize(app, (1000, 700))
    for reach in (lambda: None, lambda: app.push(SettingsScene())):
        reach()
        steps(app)
        press(app, pygame.K_F11)
        assert app.screen.get_flags() & pygame.FULLSCREEN and pygame.display.is_fullscreen()
        assert app.screen.get_size() == pygame.display.get_desktop_sizes()[0]
        press(app, pygame.K_F11)
        assert not app.screen.get_flags() & pygame.FULLSCREEN and app.screen.get_size() == (1000, 700)
    assert isinstance(app.top, SettingsScene)                       # F11 is never also a command of a screen


def test_f11_cannot_be_an_answer_key():
    from gmi.core.errors import GmiError
    from gmi.ui.keymap import KeyMap

    with pytest.raises(GmiError) as info:
        KeyMap("f11", "right")
    assert info.value.code == "E-KEY-RESERVED"
