"""Mirror therapy (GMI stage 3): the webcam mirror, or a guide for a physical mirror box.

Camera: the picture is shown as in a mirror (flipped left-right) and then one half is reflected onto the
other across the line, so moving the healthy limb shows the painful one moving. Left/Right move the line
(or a click on the picture), Up/Down swap the real half; the line is drawn only while setting up or just after it moved, so it does not break
the illusion. Mirror box: the same prompts and timers, spoken where possible, since the eyes are on the
mirror. Space at any time: pain, nausea or dizziness → stop moving and only watch.
"""

from __future__ import annotations

import contextlib
import time
from typing import Callable, Protocol

import numpy as np
import pygame

from gmi.core.errors import GmiError
from gmi.core.imagery import Sequence, StepShown, find_image, shipped_sequence
from gmi.core.intents import Intent
from gmi.core.mirror import WITHOUT_CAMERA, FrameMirror
from gmi.core.mirror_session import SYMPTOMS, MirrorSession, plural, setup_steps
from gmi.core.postures import MIRROR_PARTS
from gmi.core.protocol import ProtocolRunner
from gmi.pose.sources import Frame, FrameSource, StreamEnd, camera_spec
from gmi.store.imagery import GuidedSessionLog
from gmi.ui.programme_panel import active_programme, affected_side
from gmi.ui.scenes.guided import PAIN, GuidedSessionScene, RatingSpec, load_library_or_none, paragraph_font
from gmi.ui.scenes.imagery import require_open
from gmi.ui.consent import with_camera_consent
from gmi.ui.gui import GuiScene
from gmi.ui.sound import Guide
from gmi.ui.widgets import draw_blocks, draw_paragraph, draw_text, fit_font, panel, wrap

LINE_STEP = 0.01          # one press of Left/Right moves the line by 1 % of the width
LINE_SHOWN_S = 1.5        # the line stays visible this long after it moved
CAMERA_START_S = 10.0     # no first picture this long after opening: the camera is not working
CAMERA_LOST_S = 3.0       # no new picture this long (camera unplugged, video ended): carry on without it
SYMPTOM_WORDS = {"pain": "Pain", "nausea": "Feeling sick (nausea)", "dizziness": "Dizziness"}


class FrameFeed(Protocol):
    """What the mirror reads (a gmi.pose.sources.FrameSource; tests pass their own)."""

    end: StreamEnd | None                      # set once a video ends or the camera stops

    def read(self) -> Frame | None: ...        # the next picture, or None when none came
    def close(self) -> None: ...


class MirrorScene(GuidedSessionScene):
    kind = "mirror"

    def __init__(self, *, setting: str = "camera", sequence: Sequence | None = None, minutes: float | None = None,
                 feed_factory: Callable[[], FrameFeed] | None = None, source: str | None = None,
                 keep: str | None = None,
                 line: float = 0.5, check_stage: bool = True, clock: Callable[[], float] = time.monotonic,
                 guide: Guide | None = None) -> None:
        super().__init__(clock=clock, guide=guide)
        self.setting = setting
        self._sequence_in, self._minutes_in = sequence, minutes
        self._feed_factory = feed_factory
        self.source = source
        self._keep_in, self._line_in = keep, line
        self.check_stage = check_stage
        self.feed: FrameFeed | None = None
        self.frame_surface: pygame.Surface | None = None
        self.line_moved_at = -1e9
        self.session: MirrorSession | None = None
        self.symptom_index = 0
        self.advice = ""
        self._option_rects: list[pygame.Rect] = []
        self._shown_rect: pygame.Rect | None = None
        self.notice = ""                  # why the camera is not used (shown in warning colour)
        self.last_frame_at = 0.0

    def on_enter(self) -> None:
        programme, part, _ = active_programme(self.ctx)
        if self._sequence_in is None and part not in MIRROR_PARTS:
            raise GmiError("E-MIRROR-PART", f"A mirror can only stand in for a limb, not the {part}.",
                           fix=f"choose {', '.join(MIRROR_PARTS)} on the home screen; for the {part}, imagined "
                               "movements are the last GMI stage")
        self.sequence = self._sequence_in or shipped_sequence(part, "mirror")
        if self.check_stage:
            require_open(self.ctx, "mirror", self.sequence.part)
        self.affected = affected_side(self.ctx, programme)
        dose = programme.settings(self.sequence.part, "mirror")
        planned = dose.per_session.value if dose.unit == "minutes" and not dose.per_session.is_default else None
        self.minutes = self._minutes_in or planned or self.sequence.minutes   # the plan, else the sequence file
        keep = self._keep_in or ("right" if self.affected == "left" else "left")
        self.mirror = FrameMirror(keep, self._line_in)  # type: ignore[arg-type]
        self.library, self.library_problem = load_library_or_none()
        super().on_enter()
        if self.setting == "camera":
            with_camera_consent(self, self._use_camera)   # the first time, the consent screen comes first

    def _use_camera(self, allowed: bool) -> None:
        if not allowed:
            self._camera_free("The camera is off for you (in Settings: Camera use).")
            return
        self.source = self.source or camera_spec(self.ctx.prefs.camera)
        try:
            self.feed = self._feed_factory() if self._feed_factory else open_mirror_source(self.source)
        except GmiError as exc:     # no camera, busy, unreadable video, OpenCV missing
            self._camera_free(f"No camera: {exc.message}")
        self.last_frame_at = self.clock()

    def _camera_free(self, why: str) -> None:
        """Carry on as a mirror-box session: the same prompts and timer; steps done so far stay saved."""
        if self.feed is not None:
            with contextlib.suppress(Exception):   # closing a camera that has already failed may fail too
                self.feed.close()
        self.feed, self.frame_surface, self.setting = None, None, "box"
        self.notice = f"{why} This session goes on with a mirror box instead: the same prompts and timer."

    def on_exit(self) -> None:
        super().on_exit()
        if self.feed is not None:
            self.feed.close()
            self.feed = None

    # -- the session -------------------------------------------------------------------------------
    def build_runner(self) -> ProtocolRunner:
        self.session = MirrorSession.create(self.sequence, self.clock, setting=self.setting, minutes=self.minutes,
                                            affected_side=self.affected)
        return self.session.runner

    def start_log(self) -> GuidedSessionLog:
        extra = {"setting": self.setting, "minutes": self.minutes, "sound": self.guide.describe()}
        if self.setting == "camera":
            extra |= {"keep": self.mirror.keep, "line": round(self.mirror.line, 3), "source": self.source}
        return GuidedSessionLog.start(self.ctx.db, self.ctx.profile.id, "mirror", self.sequence,
                                      affected_side=self.affected, extra=extra)

    def rating_specs(self) -> list[RatingSpec]:
        return [PAIN]

    def report(self, symptom: str) -> None:
        advice, events = self.session.report_symptom(symptom)  # type: ignore[union-attr]
        self.log.symptom(symptom, self.session.symptoms[-1].at_s)  # type: ignore[union-attr]
        self.dispatch(events)
        self.advice = advice
        self.state = "advice"

    # -- input -------------------------------------------------------------------------------------
    def _adjust(self, intent: Intent) -> bool:
        if self.setting != "camera":
            return False
        if intent in (Intent.LEFT, Intent.RIGHT):
            self.mirror.move_line(-LINE_STEP if intent is Intent.LEFT else LINE_STEP)
        elif intent in (Intent.UP, Intent.DOWN):
            self.mirror.swap_side()
        else:
            return False
        self.line_moved_at = self.clock()
        return True

    def handle_intro(self, intent: Intent) -> None:
        if not self._adjust(intent):
            super().handle_intro(intent)

    def handle_running(self, intent: Intent) -> None:
        if intent is Intent.TAP:
            self.runner.pause()  # type: ignore[union-attr]
            self.guide.stop_speaking()
            self.symptom_index = 0
            self.state = "symptom"
        else:
            self._adjust(intent)

    def handle(self, intent) -> None:
        i = intent.intent
        if self.state == "paused" and i is Intent.TAP:
            self.symptom_index = 0
            self.state = "symptom"            # the runner stays paused while choosing
        elif self.state == "symptom":
            options = len(SYMPTOMS) + 1      # the last option: carry on, nothing wrong
            if i in (Intent.UP, Intent.LEFT):
                self.symptom_index = (self.symptom_index - 1) % options
            elif i in (Intent.DOWN, Intent.RIGHT):
                self.symptom_index = (self.symptom_index + 1) % options
            elif i in (Intent.CONFIRM, Intent.TAP):
                self.runner.resume()  # type: ignore[union-attr]
                if self.symptom_index < len(SYMPTOMS):
                    self.report(SYMPTOMS[self.symptom_index])
                else:
                    self.state = "running"
            elif i in (Intent.BACK, Intent.PAUSE):
                self.runner.resume()  # type: ignore[union-attr]
                self.state = "running"
        elif self.state == "advice":
            if i in (Intent.CONFIRM, Intent.TAP, Intent.PAUSE):
                self.state = "running"
            elif i is Intent.BACK:
                self.stop()
        else:
            super().handle(intent)

    def paused_buttons(self):
        return [("Carry on (Enter)", Intent.CONFIRM, True), ("I feel unwell (Space)", Intent.TAP, False),
                ("Finish now (Backspace)", Intent.BACK, False)]

    def handle_raw(self, event: pygame.event.Event) -> None:
        super().handle_raw(event)
        if self.state == "symptom" and event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for k, rect in enumerate(self._option_rects):
                if rect.collidepoint(event.pos):
                    self.symptom_index = k
                    from gmi.core.intents import TimedIntent

                    self.handle(TimedIntent(0, Intent.CONFIRM))
                    return
        dragging = event.type == pygame.MOUSEMOTION and event.buttons and event.buttons[0]
        clicked = event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
        if self.setting == "camera" and self.state in ("intro", "running") and (dragging or clicked):
            rect = self._shown_rect
            if rect is not None and rect.collidepoint(event.pos) and not any(
                    r.collidepoint(event.pos) for r in self.targets.values()):
                self.mirror.line = (event.pos[0] - rect.x) / rect.width   # put the line under the pointer
                self.mirror.move_line(0.0)                                   # and keep it in range
                self.line_moved_at = self.clock()

    # -- frames ------------------------------------------------------------------------------------
    def update(self, dt_s: float) -> None:
        if self.state == "advice" and self.runner is not None:
            self.dispatch(self.runner.update())     # the watch-only time runs while the advice is read
        else:
            super().update(dt_s)
        if self.feed is not None and self.state in ("intro", "running", "advice", "symptom", "paused"):
            try:
                frame = self.feed.read()
            except Exception as exc:   # a device or decoder failure ends the camera, never the session
                self._camera_free(f"The camera stopped ({exc}).")
                return
            now = self.clock()
            if getattr(self.feed, "end", None) is not None:                # the video ended, the camera stopped
                self._camera_free(f"{self.feed.end.message}")
            elif frame is not None:
                self.frame_surface = self._to_surface(frame.bgr)
                self.last_frame_at = now
            elif now - self.last_frame_at > (CAMERA_LOST_S if self.frame_surface is not None else CAMERA_START_S):
                self._camera_free("The camera stopped sending pictures.")

    def _to_surface(self, bgr: np.ndarray) -> pygame.Surface:
        mirrored = np.ascontiguousarray(self.mirror.view(bgr)[:, :, ::-1])   # BGR → RGB
        h, w = mirrored.shape[:2]
        return pygame.image.frombuffer(mirrored.tobytes(), (w, h), "RGB")

    # -- drawing -----------------------------------------------------------------------------------
    def _camera_rect(self, surface: pygame.Surface, bottom_space: int) -> pygame.Rect | None:
        if self.frame_surface is None:
            return None
        w, h = surface.get_size()
        fw, fh = self.frame_surface.get_size()
        scale = min(w / fw, max(40, h - bottom_space) / fh)   # very large text still leaves a small picture
        rect = pygame.Rect(0, 0, int(fw * scale), int(fh * scale))
        rect.midtop = (w // 2, 0)
        return rect

    def _draw_camera(self, surface: pygame.Surface, bottom_space: int, show_line: bool) -> pygame.Rect | None:
        rect = self._camera_rect(surface, bottom_space)
        t = self.theme
        if rect is None:
            w, h = surface.get_size()
            draw_paragraph(surface, "Waiting for the camera…", t.font(30), t.muted, 40, h // 3, w - 80, "center")
            return None
        surface.blit(pygame.transform.smoothscale(self.frame_surface, rect.size), rect)
        self._shown_rect = rect
        if show_line:
            x = rect.x + int(self.mirror.boundary(self.frame_surface.get_width()) * rect.width
                             / self.frame_surface.get_width())
            for y in range(rect.top, rect.bottom, 24):
                pygame.draw.line(surface, t.accent, (x, y), (x, min(y + 12, rect.bottom)), 3)
            kept = "left" if self.mirror.keep == "left" else "right"
            label = f"real: {kept} half"
            draw_text(surface, label, t.font(22, True), t.accent,
                      (x - 12, rect.top + 12) if kept == "left" else (x + 12, rect.top + 12),
                      "topright" if kept == "left" else "topleft")
        return rect

    def draw_intro(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        m = max(30, w // 30)
        steps = setup_steps(self.setting, self.sequence.part, self.affected)
        title = "Mirror therapy" if self.setting == "camera" else "Mirror box"
        if self.setting == "camera":
            width = w - 2 * m - 40
            head = f"{title} · {self.minutes:g} minutes, starting with {self.sequence.watch_s:g} s of only watching"
            hint = "Move the line: Left/Right keys, or click the picture.  Swap the real half: Up/Down."
            buttons_h = t.font(26, True).get_linesize() + 22 + 50
            for shrink in range(0, 14, 2):      # very large text: smaller type here rather than no buttons
                body = t.font(20 - shrink // 2)
                lines = [(head, t.font(26 - shrink, True))] + [(f"{k}. {step}", body) for k, step in
                                                               enumerate(steps, 1)] + [(hint, t.font(20 - shrink // 2, True))]
                text_h = sum(len(wrap(text, font, width)) * font.get_linesize() for text, font in lines)
                if text_h + buttons_h <= h - 100:
                    break
            band = min(h - 100, text_h + buttons_h)
            self._draw_camera(surface, band, show_line=True)
            box = pygame.Rect(m, h - band + 10, w - 2 * m, band - 20)
            panel(surface, box, t)
            x, y = box.x + 20, box.y + 10
            for k, (text, font) in enumerate(lines):
                colour = t.accent if k == len(lines) - 1 else t.fg
                y = draw_paragraph(surface, text, font, colour, x, y, width) + (2 if k == len(lines) - 2 else 0)
            self.start_and_back(surface, box.bottom - 10, y, width)
            return
        y = draw_paragraph(surface, title, t.font(48, True), t.fg, m, h // 12, w - 2 * m)
        y = draw_paragraph(surface, f"{self.sequence.name} · {self.minutes:g} minutes, starting with "
                                    f"{self.sequence.watch_s:g} s of only watching", t.font(26), t.muted, m, y,
                           w - 2 * m) + 16
        if self.notice:
            y = draw_paragraph(surface, self.notice, t.font(24, True), t.warn, m, y, w - 2 * m) + 12
        for k, step in enumerate(steps, 1):
            y = draw_paragraph(surface, f"{k}.  {step}", t.font(28), t.fg, m, y, w - 2 * m) + 6
        y = draw_paragraph(surface, "Move slowly, both sides the same, only as far as is comfortable. If you feel pain, "
                                    "sickness or dizziness, press Space: stop moving and only watch.", t.font(24),
                           t.muted, m, y + 10, w - 2 * m)
        y = draw_paragraph(surface, self.guide.describe(), t.font(22), t.muted, m, y + 8, w - 2 * m)
        self.start_and_back(surface, h - 30, y)

    def draw_phase(self, surface: pygame.Surface, st) -> None:
        t, phase = self.theme, st.phase
        w, h = surface.get_size()
        m = max(24, w // 40)
        footer = self.draw_footer(surface, "Move the line: Left/Right keys or click the picture"
                                  if self.setting == "camera" else "")
        step_text = "Watch only" if phase.step_no is None else f"Movement {phase.step_no + 1} of {st.step_count}"
        small = t.font(22)
        if self.setting == "camera":
            text_w = w - 2 * m - t.px(120)
            big = paragraph_font(t, phase.text, 30, text_w, int(h * 0.25))   # the reflection stays large
            band = len(wrap(phase.text, big, text_w)) * big.get_linesize() + small.get_linesize() + 16
            self._draw_camera(surface, h - footer + band, show_line=self.clock() - self.line_moved_at < LINE_SHOWN_S)
            box = pygame.Rect(0, footer - band, w, band)
            pygame.draw.rect(surface, t.bg, box)
            y = draw_paragraph(surface, phase.text, big, t.fg, m, box.y + 8, text_w)
            draw_text(surface, f"{int(st.phase_left_s + 0.999)} s", t.font(40, True), t.muted, (w - m, box.y + 8),
                      "topright")
            draw_text(surface, step_text, small, t.muted, (m, y))
            self._corner_buttons(surface, m)
            return
        buttons = self._corner_buttons(surface, m)
        if m + small.size(step_text)[0] + 12 < buttons.left:
            draw_text(surface, step_text, small, t.muted, (m, m // 2))
            top = buttons.bottom + 12
        else:                               # large text: the count goes under the buttons
            top = draw_paragraph(surface, step_text, small, t.muted, m, buttons.bottom + 6, w - 2 * m) + 8
        if self.notice:                     # no camera: one short line here (the reason is on the intro)
            line = "No camera: carry on with a mirror box, same prompts and timer."
            top = draw_text(surface, line, fit_font(t, line, 22, w - 2 * m, bold=False), t.warn, (m, top)).bottom + 8
        side = self.picture_side(w, top, footer, 0.42)
        shown = phase.payload if isinstance(phase.payload, StepShown) else None
        stim = find_image(self.library, shown.image) if shown and self.library else None
        box = pygame.Rect(m, top, side, side)
        if shown is not None:
            self.draw_picture_box(surface, box, str(self.library.path_of(stim)) if stim else None,
                                  shown.step.phrase().capitalize())
        else:
            self.draw_picture_box(surface, box, None, f"Keep both {plural(self.sequence.part)} still and "
                                                      "watch the reflection")
        x, width = box.right + m, w - box.right - 2 * m
        title = {"watch": "Just watch", "move": "Move", "rest": "Rest"}.get(phase.kind, "")
        y = draw_paragraph(surface, title, fit_font(t, title, 56, width), t.accent, x, top, width)
        self.draw_instruction(surface, phase.text, x, y + 12, width, footer, box.bottom)


    def _corner_buttons(self, surface: pygame.Surface, m: int) -> pygame.Rect:
        """Pause and 'I feel unwell' at the top right, always in reach of a mouse or a touch; returns the
        rectangle around both."""
        t = self.theme
        h_btn = t.font(22).get_linesize() + 14
        room = (surface.get_width() - 2 * m - 12) // 2             # a narrow window at large text: both still fit
        pause = pygame.Rect(0, 0, min(t.px(170), room), h_btn)
        pause.topright = (surface.get_width() - m, m // 2 - 6)
        unwell = pygame.Rect(0, 0, min(t.px(260), room), h_btn)
        unwell.topright = (pause.left - 12, pause.top)
        self.button(surface, pause, "Pause (Esc)", Intent.PAUSE)
        self.button(surface, unwell, "I feel unwell (Space)", Intent.TAP)
        return unwell.union(pause)

    def draw_symptom(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        m = max(40, w // 12)
        y = draw_paragraph(surface, "What do you feel?", t.font(44, True), t.fg, m, h // 8, w - 2 * m, "center") + 20
        options = [SYMPTOM_WORDS[s] for s in SYMPTOMS] + ["Nothing — carry on"]
        bh = t.font(30, True).get_linesize() + 20
        self._option_rects = []
        for k, label in enumerate(options):
            rect = pygame.Rect(w // 2 - t.px(260), y, t.px(520), bh)
            self._option_rects.append(rect)
            chosen = k == self.symptom_index
            pygame.draw.rect(surface, t.accent if chosen else t.panel, rect, border_radius=14)
            draw_text(surface, label, t.font(30, True), t.bg if chosen else t.fg, rect.center, "center")
            y += bh + 12
        draw_paragraph(surface, "Up/Down keys to choose, Enter to confirm — or click one. The session is paused.",
                       t.font(24), t.accent, m, y + 20, w - 2 * m, "center")

    def draw_advice(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        m = max(40, w // 12)
        y = draw_paragraph(surface, "Stop moving. Just watch.", t.font(48, True), t.warn, m, h // 6, w - 2 * m,
                           "center")
        y = draw_paragraph(surface, self.advice, t.font(30), t.fg, m, y + 24, w - 2 * m, "center")
        left = self.runner.status().total_left_s if self.runner else 0  # type: ignore[union-attr]
        y = draw_paragraph(surface, f"The rest of this session ({int(left + 0.999)} s) is for watching only.",
                           t.font(26), t.muted, m, y + 20, w - 2 * m, "center")
        self.button_row(surface, y + 30, [("Back to watching (Enter)", Intent.CONFIRM, True),
                                          ("End the session (Backspace)", Intent.BACK, False)])


def open_mirror_source(source: str) -> FrameSource:
    """The camera, or a video played as if live; a GmiError that names the mirror box otherwise."""
    from gmi.pose.sources import open_source

    return open_source(source, realtime=True, instead=WITHOUT_CAMERA)


class MirrorChoiceScene(GuiScene):
    """Mirror therapy: with the camera, or with a physical mirror box (no camera needed)."""

    def layout(self) -> None:
        t = self.theme
        w, h = self.app.screen.get_size()
        m = max(40, w // 16)
        bh = max(t.px(54), 44)
        width = min(w - 2 * m, t.px(620))
        rows = [(label, lambda s=setting: self.app.replace(MirrorScene(setting=s)), None, None)
                for label, setting in (("With the camera", "camera"), ("With a mirror box", "box"))] + [("Back", self.app.pop, None, None)]
        top = max(h // 3, h // 12 + t.font(48, True).get_linesize() * 2)     # the words above keep some room
        self.text_area = pygame.Rect(m, h // 12, w - 2 * m, top - h // 12 - 12)
        self.menu(rows, pygame.Rect((w - width) // 2, top, width, h - top - m // 2), bh, 16)   # pages if need be

    def draw_background(self, surface: pygame.Surface) -> None:
        t = self.theme
        draw_blocks(surface, t, [("Mirror therapy", 48, True, t.fg),
                                 ("Watch the reflection of your healthy side moving, so that the painful side seems "
                                  "to move easily: on the screen (a digital mirror from the camera) or in a mirror "
                                  "box (no camera). Both ways use the same prompts and timer.", 26, False, t.muted)],
                    self.text_area)
