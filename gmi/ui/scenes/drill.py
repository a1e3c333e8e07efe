"""The laterality drill: fixation, image, answer; written to the database trial by trial.

Timing (shared/reference/timing.md): the image is drawn, ``display.flip()`` is called and the onset is
stamped with ``perf_counter_ns`` straight after it. Until an answer or the time limit the screen is not
redrawn (only the dwell bar, when answering by dwell) and input is polled at well over 1 kHz, each event
stamped when taken off the queue. Esc pauses at once; the interrupted image is shown again on resume.
"""

from __future__ import annotations

import gc
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

import pygame

from gmi import __version__
from gmi.core.errors import GmiError
from gmi.core.intents import Intent, TimedIntent
from gmi.core.laterality import (FEEDBACK_MS, FIXATION_MS, DrillSettings, Mode, Outcome, OutcomeKind, design_trials,
                                 judge)
from gmi.core.postures import PART_NOUNS
from gmi.core.stimuli import Stimulus, StimulusLibrary, load_manifest
from gmi.store.location import default_stimuli_dir
from gmi.ui.app import FPS, Scene
from gmi.ui.keymap import DwellTracker, key_label
from gmi.ui.widgets import answer_target, draw_blocks, draw_text, fit_font, panel

POLL_SLEEP_S = 0.0002   # ~0.25 ms per loop on Linux: > 1 kHz polling
DWELL_REDRAW_NS = 16_000_000
IMAGES_KEPT = 4          # prepared pictures kept: the one shown, the next, and a paused one shown again


def load_library(settings: DrillSettings, data_dir, profile_name: str) -> StimulusLibrary:
    if settings.source == "photos":
        try:
            from gmi.store.photos import photo_library
        except ImportError:
            photo_library = None  # type: ignore[assignment]
        lib = photo_library(data_dir, profile_name) if photo_library else None
        if lib is None or not lib.stimuli:
            raise GmiError("E-NO-PHOTOS", "There are no photos of your own yet.",
                           fix="import some with `gmi stimuli import DIR --part hands --side right`, "
                               "or choose the gmi image library in Settings.")
        return lib
    return load_manifest(default_stimuli_dir())


def check_drill_can_run(ctx) -> StimulusLibrary:
    """Validate settings and find images for them; raises GmiError with the fix otherwise."""
    settings = ctx.drill.effective().validate()
    library = load_library(settings, ctx.data_dir, ctx.profile.name)
    pool = library.select(settings.part, settings.views or None, settings.rotations or None, settings.level)
    if not pool:
        raise GmiError("E-NO-STIMULI", f"The image library has no {settings.part} images for these settings.",
                       fix="choose another body part, more views or rotations, or a higher image level.")
    design_trials(pool, settings.trials, 0)   # both sides present?
    return library


@dataclass
class TimingFacts:
    refresh_hz: int = 0
    vsync: bool = False
    driver: str = ""
    frames_dropped: int = 0
    frames: int = 0
    polls: int = 0
    max_poll_gap_us: float = 0.0
    poll_gap_sum_us: float = 0.0
    gaps_us: list[float] | None = field(default=None, repr=False)   # every gap, when asked (gmi selftest)

    def add_poll(self, gap_us: float) -> None:
        self.polls += 1
        self.poll_gap_sum_us += gap_us
        self.max_poll_gap_us = max(self.max_poll_gap_us, gap_us)
        if self.gaps_us is not None:
            self.gaps_us.append(gap_us)

    def to_dict(self) -> dict:
        return {"refresh_hz": self.refresh_hz, "vsync": self.vsync, "video_driver": self.driver,
                "frames_dropped": self.frames_dropped, "frames": self.frames,
                "mean_poll_interval_us": round(self.poll_gap_sum_us / self.polls, 1) if self.polls else None,
                "max_poll_interval_us": round(self.max_poll_gap_us, 1)}


@dataclass
class DrillState:
    """What the drill is doing now (read by tests and the timing benchmark)."""

    phase: str = "ready"            # ready | fixation | stimulus | feedback | paused | done
    index: int = 0                  # trial being shown
    onset_ns: int = 0
    last_outcome: Outcome | None = None
    answered: list[int] = field(default_factory=list)


class DrillScene(Scene):
    def __init__(self, settings: DrillSettings | None = None, *, seed: int | None = None,
                 library: StimulusLibrary | None = None, fixation_ms: int = FIXATION_MS,
                 feedback_ms: int = FEEDBACK_MS, skip_ready: bool = False,
                 on_done: Callable[[int], None] | None = None) -> None:
        self._settings_in = settings
        self.seed = seed if seed is not None else secrets.randbelow(2**31)
        self._library_in = library
        self.fixation_ns = fixation_ms * 1_000_000
        self.feedback_ns = feedback_ms * 1_000_000
        self.skip_ready = skip_ready
        self.on_done = on_done
        self.state = DrillState()
        self.timing = TimingFacts()
        self.session_id: int | None = None
        self.images: dict[str, pygame.Surface] = {}
        self.methods_used: set[str] = set()
        self._waited = False

    # -- set-up ------------------------------------------------------------------------------------
    def on_enter(self) -> None:
        self.settings = (self._settings_in or self.ctx.drill).effective().validate()
        self.library = self._library_in or load_library(self.settings, self.ctx.data_dir, self.ctx.profile.name)
        pool = self.library.select(self.settings.part, self.settings.views or None,
                                   self.settings.rotations or None, self.settings.level)
        if not pool:
            raise GmiError("E-NO-STIMULI", f"The image library has no {self.settings.part} images for these settings.",
                           fix="choose another body part, more views or rotations, or a higher image level.")
        self.trials: list[Stimulus] = design_trials(pool, self.settings.trials, self.seed)
        self.queue: list[int] = list(range(len(self.trials)))   # indices still to show (a paused trial goes back)
        self.dwell = DwellTracker(self.ctx.prefs.dwell_s)
        self.timing.refresh_hz = int(pygame.display.get_current_refresh_rate() or 0) if pygame.display.get_init() else 0
        self.timing.vsync = bool(getattr(pygame.display, "is_vsync", lambda: False)())
        self.timing.driver = pygame.display.get_driver() if pygame.display.get_init() else ""
        self.phase_started_ns = time.perf_counter_ns()
        if self.skip_ready:
            self._start()

    def _start(self) -> None:
        settings = self.settings.to_dict() | {"library": str(self.library.root), "n_designed": len(self.trials)}
        self.session_id = self.ctx.db.start_session(
            self.ctx.profile.id, "laterality", settings=settings, seed=self.seed,
            input_method=self.ctx.prefs.input_method, timing=self.timing.to_dict(), app_version=__version__)
        self._enter("fixation")

    def _enter(self, phase: str) -> None:
        self.state.phase = phase
        self.phase_started_ns = time.perf_counter_ns()
        if phase == "fixation" and self.queue:
            self.state.onset_ns = 0                          # no picture on screen yet
            self.state.index = self.queue[0]
            self._image_for(self.trials[self.state.index])   # decode and rotate now, not after onset

    # -- geometry ----------------------------------------------------------------------------------
    def _layout(self) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
        w, h = self.app.screen.get_size()
        target_h = max(self.theme.px(90), h // 8)
        margin = max(20, w // 40)
        left = pygame.Rect(margin, h - target_h - margin, int(w * 0.3), target_h)
        right = pygame.Rect(w - margin - int(w * 0.3), h - target_h - margin, int(w * 0.3), target_h)
        side = min(w - 2 * margin, h - target_h - 3 * margin, 600)
        image = pygame.Rect(0, 0, side, side)
        image.center = (w // 2, (h - target_h - margin) // 2 + margin // 2)
        return image, left, right

    def on_resize(self) -> None:
        self.images.clear()   # pictures are scaled to the window

    def _pause_button(self) -> pygame.Rect:
        font = self.theme.font(24, True)
        return pygame.Rect(12, 10, font.size("Pause")[0] + 40, font.get_linesize() + 16)

    def _menu_buttons(self) -> tuple[pygame.Rect, pygame.Rect]:
        """The two buttons of the ready and pause screens (for mouse, touch and dwell users)."""
        w, h = self.app.screen.get_size()
        bh = max(self.theme.px(64), 48)
        bw = min((w - 90) // 2, self.theme.px(420))
        y = h - bh - max(20, h // 20)
        return pygame.Rect(w // 2 - bw - 15, y, bw, bh), pygame.Rect(w // 2 + 15, y, bw, bh)

    def pointer_targets(self) -> dict[Intent, pygame.Rect]:
        """Everything a click or touch can do here: answers and Pause while pictures run; the buttons of
        the ready and pause screens otherwise. Dwell uses only the two answer areas."""
        phase = self.state.phase
        if phase in ("fixation", "stimulus", "feedback"):
            _, left, right = self._layout()
            return {Intent.LEFT: left, Intent.RIGHT: right, Intent.PAUSE: self._pause_button()}
        if phase in ("ready", "paused"):
            first, second = self._menu_buttons()
            return {Intent.CONFIRM: first, Intent.BACK: second}
        return {}

    def _image_for(self, stim: Stimulus) -> pygame.Surface:
        key = f"{stim.file}@{stim.rotation_deg}"
        if key not in self.images:
            side = self._layout()[0].width
            try:
                base = pygame.image.load(str(self.library.path_of(stim)))
            except (pygame.error, FileNotFoundError) as exc:
                raise GmiError("E-STIM-FILE", f"The image {stim.file} cannot be loaded ({exc}).",
                               fix="run `gmi stimuli check` to find damaged files, then regenerate or restore them.") from None
            if pygame.display.get_surface() is not None:
                base = base.convert_alpha()
            scale = side / max(base.get_size())
            img = pygame.transform.rotozoom(base, -stim.rotation_deg, scale)  # manifest: clockwise degrees
            # A round aperture: a square frame would give the rotation away and leave empty corners.
            canvas = pygame.Surface((side, side), pygame.SRCALPHA)
            canvas.blit(img, img.get_rect(center=(side // 2, side // 2)))
            mask = pygame.Surface((side, side), pygame.SRCALPHA)
            pygame.draw.circle(mask, (255, 255, 255, 255), (side // 2, side // 2), side // 2)
            canvas.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
            self.images[key] = canvas
            while len(self.images) > IMAGES_KEPT:          # a few, not a whole drill's worth (1.4 MB each)
                del self.images[next(iter(self.images))]
        return self.images[key]

    # -- drawing -----------------------------------------------------------------------------------
    def _draw_base(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.bg)
        image, left, right = self._layout()
        method = self.ctx.prefs.input_method
        hint_left = "LEFT" if method != "keys" else f"LEFT · {key_label(self.ctx.prefs.left_key)}"
        hint_right = "RIGHT" if method != "keys" else f"RIGHT · {key_label(self.ctx.prefs.right_key)}"
        which, progress = self.dwell.progress(time.perf_counter_ns()) if method == "dwell" else (None, 0.0)
        answer_target(surface, left, hint_left, t.left, t, progress if which is Intent.LEFT else 0.0)
        answer_target(surface, right, hint_right, t.right, t, progress if which is Intent.RIGHT else 0.0)
        done = len(self.state.answered)
        draw_text(surface, f"{done} of {len(self.trials)}", t.font(22), t.muted, (image.right, 12), "topright")
        pause = self._pause_button()
        panel(surface, pause, t, t.muted)
        draw_text(surface, "Pause", t.font(24, True), t.fg, pause.center, "center")

    def draw(self, surface: pygame.Surface) -> None:
        t = self.theme
        phase = self.state.phase
        image, _, _ = self._layout()
        if phase == "ready":
            self._draw_ready(surface)
            return
        if phase == "paused":
            self._draw_paused(surface)
            return
        self._draw_base(surface)
        if phase == "fixation":
            pygame.draw.circle(surface, t.stimulus_bg, image.center, image.width // 2)
            c, arm = image.center, image.width // 16
            pygame.draw.line(surface, (40, 40, 40), (c[0] - arm, c[1]), (c[0] + arm, c[1]), 6)
            pygame.draw.line(surface, (40, 40, 40), (c[0], c[1] - arm), (c[0], c[1] + arm), 6)
        elif phase in ("stimulus", "feedback"):
            surface.blit(self._image_for(self.trials[self.state.index]), image)
            if phase == "feedback":
                self._draw_feedback(surface, image)

    def _draw_feedback(self, surface: pygame.Surface, image: pygame.Rect) -> None:
        t = self.theme
        out = self.state.last_outcome
        stim = self.trials[self.state.index]
        noun = PART_NOUNS.get(stim.part, stim.part)
        if out and out.kind is OutcomeKind.ANSWER and out.response == stim.side:
            text, colour = f"Yes — {stim.side}", t.good
        elif out and out.kind is OutcomeKind.ANSWER:
            text, colour = f"This one was a {stim.side} {noun}", t.warn
        else:
            text, colour = f"Time's up — it was a {stim.side} {noun}", t.muted
        font = fit_font(t, text, 40, image.width)
        box = pygame.Rect(0, 0, min(image.width + 40, self.app.screen.get_width() - 20), font.get_linesize() + 24)
        box.midbottom = (image.centerx, image.bottom - 10)
        panel(surface, box, t, colour)
        draw_text(surface, text, font, t.fg, box.center, "center")

    def _draw_ready(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.bg)
        w, h = surface.get_size()
        s = self.settings
        noun = PART_NOUNS.get(s.part, s.part)
        p = self.ctx.prefs
        how = {"keys": f"Press {key_label(p.left_key)} for left and {key_label(p.right_key)} for right.",
               "mouse": "Click or touch LEFT or RIGHT at the bottom of the screen.",
               "dwell": f"Rest the pointer on LEFT or RIGHT for {p.dwell_s:g} s, and move it off again after each answer."}[p.input_method]
        mode = ("Training: you will see whether each answer was right." if s.mode is Mode.TRAINING
                else "Test: fixed settings and no feedback, so that weeks can be compared.")
        draw_blocks(surface, t, [
            (f"Left or right {noun}?", 48, True, t.fg),
            (f"{how} Answer as quickly and as accurately as you can: {s.trials} pictures, up to "
             f"{s.time_limit_s:g} s each.", 28, False, t.fg),
            (f"{mode} Esc or the Pause button stops at any time; nothing you answered is lost.", 28, False, t.fg),
            ("Enter or Space: start.  Backspace: go back.", 28, True, t.accent),
        ], pygame.Rect(60, h // 12, w - 120, self._menu_buttons()[0].top - h // 12 - 20))
        self._draw_menu_buttons(surface, "Start", "Back")

    def _draw_paused(self, surface: pygame.Surface) -> None:
        t = self.theme
        surface.fill(t.bg)
        w, h = surface.get_size()
        draw_blocks(surface, t, [
            ("Paused", 48, True, t.fg),
            (f"{len(self.state.answered)} of {len(self.trials)} pictures done and saved. Take your time.",
             28, False, t.fg),
            ("Enter or Space: carry on.   Backspace: finish now and see the results.", 28, True, t.accent),
        ], pygame.Rect(60, h // 8, w - 120, self._menu_buttons()[0].top - h // 8 - 20))
        self._draw_menu_buttons(surface, "Carry on", "Finish now")

    def _draw_menu_buttons(self, surface: pygame.Surface, first: str, second: str) -> None:
        t = self.theme
        a, b = self._menu_buttons()
        which, progress = (self.dwell.progress(time.perf_counter_ns()) if self.ctx.prefs.input_method == "dwell"
                           else (None, 0.0))
        answer_target(surface, a, first, t.accent, t, progress if which is Intent.CONFIRM else 0.0, highlight=True)
        answer_target(surface, b, second, t.muted, t, progress if which is Intent.BACK else 0.0)

    # -- input -------------------------------------------------------------------------------------
    def handle(self, intent: TimedIntent) -> None:
        phase, i = self.state.phase, intent.intent
        if phase == "ready":
            if i in (Intent.CONFIRM, Intent.TAP):
                self._start()
            elif i in (Intent.BACK, Intent.PAUSE):
                self.app.pop()
        elif phase == "paused":
            if i in (Intent.CONFIRM, Intent.TAP):
                self._enter("fixation")
            elif i is Intent.BACK:
                self._finish("stopped")
        elif i is Intent.PAUSE:
            self._pause()

    def _pause(self) -> None:
        self.state.phase = "paused"
        self.dwell.reset()
        if self.session_id is not None:
            self.ctx.db.update_session(self.session_id, timing=self.timing.to_dict())

    # -- the trial loop ----------------------------------------------------------------------------
    def update(self, dt_s: float) -> None:
        phase = self.state.phase
        now = time.perf_counter_ns()
        if phase in ("ready", "paused") and self.ctx.prefs.input_method == "dwell":
            hit = self.dwell.update(pygame.mouse.get_pos(), self.pointer_targets(), now)
            if hit is not None:
                self.dwell.reset()
                self.handle(hit)
                return
        if phase in ("fixation", "feedback"):
            self._count_frame(dt_s)
        if phase == "fixation" and now - self.phase_started_ns >= self.fixation_ns:
            self._present_and_wait()
        elif phase == "feedback" and now - self.phase_started_ns >= self.feedback_ns:
            self._next()

    def _count_frame(self, dt_s: float) -> None:
        if self._waited:   # this frame's time includes the wait for an answer: not a display frame
            self._waited = False
            return
        self.timing.frames += 1
        # The loop runs at most at FPS: on a faster display a frame is late only against the slower period.
        if self.timing.refresh_hz and dt_s > 1.5 * max(1 / self.timing.refresh_hz, 1 / FPS):
            self.timing.frames_dropped += 1

    def _present_and_wait(self) -> None:
        surface = self.app.screen
        # Keys pressed during the fixation cross are anticipations: take them off the queue before the
        # picture appears, or they would be stamped after onset as near-zero reaction times.
        for event in pygame.event.get():
            if event.type == pygame.VIDEORESIZE:
                pygame.event.post(event)   # for the app, after this picture
                continue
            ti = self.ctx.keymap.translate(event, time.perf_counter_ns(), self.pointer_targets())
            if ti is not None and ti.intent in (Intent.PAUSE, Intent.QUIT):
                self._record(Outcome(OutcomeKind.PAUSE if ti.intent is Intent.PAUSE else OutcomeKind.QUIT))
                return
        self.dwell.reset(pygame.mouse.get_pos(), self.pointer_targets())
        self.state.phase = "stimulus"
        self.draw(surface)
        pygame.display.flip()
        onset = time.perf_counter_ns()
        self.state.onset_ns = onset
        outcome = self.wait_for_answer(onset, onset + int(self.settings.time_limit_s * 1e9))
        self._waited = True
        self._record(outcome)

    def wait_for_answer(self, onset_ns: int, deadline_ns: int) -> Outcome:
        """Poll input (no redraw) until an answer, Esc, close or the time limit."""
        # The cyclic garbage collector can stop the world for milliseconds; it waits until the answer is in.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._poll_for_answer(onset_ns, deadline_ns)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _poll_for_answer(self, onset_ns: int, deadline_ns: int) -> Outcome:
        keymap, targets = self.ctx.keymap, self.pointer_targets()
        dwell = self.ctx.prefs.input_method == "dwell"
        answer_areas = {i: r for i, r in targets.items() if i in (Intent.LEFT, Intent.RIGHT)}
        events: list[TimedIntent] = []
        resized: list[pygame.event.Event] = []   # for the app, once the wait is over
        last = onset_ns
        next_redraw = onset_ns + DWELL_REDRAW_NS
        clock, get, sleep = time.perf_counter_ns, pygame.event.get, time.sleep
        while True:
            batch = get()
            now = clock()
            for event in batch:
                if event.type == pygame.VIDEORESIZE:
                    resized.append(event)
                ti = keymap.translate(event, now, targets)
                if ti is not None:
                    events.append(ti)
            if dwell:
                hit = self.dwell.update(pygame.mouse.get_pos(), answer_areas, now)
                if hit is not None:
                    events.append(hit)
                if now >= next_redraw:
                    self._redraw_targets()
                    next_redraw = now + DWELL_REDRAW_NS
            out = judge(events, onset_ns, deadline_ns, now)
            self.timing.add_poll((now - last) / 1000)
            last = now
            if out.kind is not OutcomeKind.WAITING:
                for event in resized:
                    pygame.event.post(event)
                return out
            sleep(POLL_SLEEP_S)

    def _redraw_targets(self) -> None:
        _, left, right = self._layout()
        which, progress = self.dwell.progress(time.perf_counter_ns())
        t = self.theme
        answer_target(self.app.screen, left, "LEFT", t.left, t, progress if which is Intent.LEFT else 0.0)
        answer_target(self.app.screen, right, "RIGHT", t.right, t, progress if which is Intent.RIGHT else 0.0)
        pygame.display.update([left, right])

    def _record(self, outcome: Outcome) -> None:
        self.state.last_outcome = outcome
        if outcome.kind is OutcomeKind.QUIT:
            self._finish("stopped", leave=True)
            return
        if outcome.kind is OutcomeKind.PAUSE:
            self._pause()           # the interrupted image stays first in the queue
            return
        stim = self.trials[self.state.index]
        answered = outcome.kind is OutcomeKind.ANSWER
        method = outcome.method.value if answered and outcome.method else None
        if method:
            if method not in self.methods_used:   # the session row always names the methods used so far
                self.methods_used.add(method)
                self.ctx.db.update_session(self.session_id, input_method="+".join(sorted(self.methods_used)))
        self.ctx.db.add_laterality_trial(self.session_id, {
            "trial_index": self.state.index, "stimulus_id": stim.id, "part": stim.part, "side": stim.side,
            "view": stim.view, "posture": stim.posture, "rotation_deg": stim.rotation_deg,
            "direction": stim.direction, "level": stim.level, "response": outcome.response if answered else None,
            "correct": int(answered and outcome.response == stim.side), "rt_ms": outcome.rt_ms if answered else None,
            "input_method": method, "onset_ns": self.state.onset_ns})
        self.state.answered.append(self.state.index)
        self.queue.pop(0)
        if self.settings.mode is Mode.TRAINING:
            self._enter("feedback")
        else:
            self._next()

    def _next(self) -> None:
        if self.queue:
            self._enter("fixation")
        else:
            self._finish("completed")

    def on_exit(self) -> None:
        if self.state.phase != "done":   # window closed or a problem outside a picture: close the session too
            self._close_session("stopped")

    def _close_session(self, status: str) -> None:
        self.state.phase = "done"
        if self.session_id is not None:
            used = sorted(self.methods_used)
            self.ctx.db.update_session(self.session_id, timing=self.timing.to_dict(), status=status,
                                       input_method="+".join(used) if used else None)

    def _finish(self, status: str, leave: bool = False) -> None:
        self._close_session(status)
        if leave:
            self.app.quit()
            return
        if self.session_id is None or not self.state.answered:
            self.app.pop()
            return
        if self.on_done:
            self.on_done(self.session_id)
        else:
            from gmi.ui.scenes.results import ResultsScene

            self.app.replace(ResultsScene(self.session_id))
