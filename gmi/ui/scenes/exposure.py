"""The exposure session: questions before, the movement itself (camera or tap), questions after, and the
decision with the expected-versus-experienced difference in plain words.

One question per screen (large type at any text size): Left/Right or a click chooses, Enter goes on,
Backspace goes back. During the movement a TAP (space, foot pedal, click on the big target) counts a
repetition without a camera; with a camera the pose pipeline (a :class:`~gmi.core.exposure.PoseFeed`)
sends repetitions and the screen shows its preview and an angle gauge with the target band. Esc pauses;
the Down arrow reports pain (above the plan's limit the session stops with advice). Every rating and repetition is
written the moment it is given (gmi.store.exposure.RecordWriter).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

import pygame

from gmi import __version__
from gmi.core.errors import GmiError
from gmi.core.exposure import (FEARED_OUTCOME_MAX, OUTCOME_ANSWERS, ExposureSession, Mode, Phase, PoseFeed,
                               PoseSnapshot, Record, Step, new_session, sets_text)
from gmi.core.intents import Intent, TimedIntent
from gmi.core.movements import MOVEMENT_VIEWS, MOVEMENTS, resolve_target
from gmi.core.plans import Item, Level, Plan
from gmi.pose.sources import camera_spec
from gmi.store import exposure as store
from gmi.ui.app import Scene
from gmi.ui.camera_view import CameraReading, CameraView, Figure
from gmi.ui.consent import with_camera_consent
from gmi.ui.theme import Theme
from gmi.ui.tones import Tones
from gmi.ui.widgets import draw_paragraph, draw_text, fit_font, panel, wrap as _lines

# Given the item and level, open the camera pipeline and return a PoseFeed, or raise GmiError (no camera,
# mediapipe missing, no model) — the session then runs camera-free and says why. None (the default): the
# pose engine (gmi.pose.exposure_feed) with the profile's camera (Settings; $GMI_CAMERA overrides it),
# imported only when a measured session starts. Tests inject their own feed or factory.
POSE_FEED_FACTORY: Callable[[Item, Level], PoseFeed] | None = None

VIEW_ADVICE = {"side": "Place the camera so that it sees you from the side, your whole body in the picture.",
               "front": "Face the camera, far enough away that it sees you from head to hips."}


@dataclass
class Question:
    """One question screen. ``kind``: scale (numbers), choice (words) or text."""

    name: str                      # the rating's name in gmi.core.exposure.RATINGS
    text: str
    kind: str
    options: tuple[Any, ...] = ()
    anchors: tuple[str, str] = ("", "")
    value: Any = None
    optional: bool = False

    def step(self, delta: int) -> None:
        if self.kind == "text" or not self.options:
            return
        if self.value is None:
            self.value = self.options[len(self.options) // 2]
            return
        i = self.options.index(self.value)
        self.value = self.options[max(0, min(len(self.options) - 1, i + delta))]

    @property
    def answered(self) -> bool:
        return self.optional or self.value not in (None, "")


def pain_question(name: str, text: str) -> Question:
    return Question(name, text, "scale", tuple(range(11)), ("no pain", "worst pain imaginable"))


def fear_question(name: str, text: str) -> Question:
    return Question(name, text, "scale", tuple(range(0, 101, 10)), ("not afraid at all", "extremely afraid"))


def before_questions() -> list[Question]:
    return [pain_question("pain_before", "How much pain do you have right now?"),
            pain_question("expected_pain", "How much pain do you expect while you do it?"),
            fear_question("fear_before", "How afraid are you of doing it?"),
            Question("feared_outcome", "What are you afraid might happen? In your own words (you may leave "
                                       "this empty).", "text", value="", optional=True)]


def after_questions(feared: str) -> list[Question]:
    what = f'"{feared}"' if feared else "what you were afraid of"
    return [pain_question("pain_experienced", "How much pain did you have while doing it, at the worst?"),
            pain_question("pain_after", "How much pain do you have right now?"),
            fear_question("fear_after", "How afraid are you of doing it now?"),
            Question("outcome_happened", f"Did {what} happen?", "choice", OUTCOME_ANSWERS)]


class ExposureScene(Scene):
    def __init__(self, *, plan: Plan | None = None, plan_id: int | None = None, feed: PoseFeed | None = None,
                 use_camera: bool = True, clock: Callable[[], float] = time.monotonic,
                 today: dt.date | None = None, tones: Tones | None = None) -> None:
        self._plan_in, self._plan_id_in = plan, plan_id
        self.feed = feed
        self.use_camera = use_camera
        self.clock = clock
        self.today = today or dt.date.today()
        self._tones = tones
        self.session_id: int | None = None
        self.notice = ""                     # e.g. why the camera is not used
        self.snapshot = PoseSnapshot()
        self.camera_view = CameraView()
        self.screen_name = "intro"           # intro | question | during | pain | paused | decision
        self.questions: list[Question] = []
        self.q_index = 0
        self._swallow = False
        self._shrink = 1.0                   # < 1 when the text size does not fit the window
        self._fit_key: tuple = ()
        self._cells: list[tuple[Any, pygame.Rect]] = []   # the answer cells as last drawn (for clicks)
        self._body_top = 0
        self._paused_buttons: dict[Intent, pygame.Rect] = {}   # as last drawn (for the mouse)

    # -- set-up ------------------------------------------------------------------------------------
    def on_enter(self) -> None:
        ctx = self.ctx
        if self._plan_in is not None:
            plan, plan_id = self._plan_in, self._plan_id_in
            if plan_id is None:
                plan_id = store.install_plan(ctx.db, ctx.profile.id, plan)
        else:
            installed = store.require_current_plan(ctx.db, ctx.profile.id, ctx.profile.name)
            plan, plan_id = installed.plan(), installed.id
        self.plan, self.plan_id = plan, plan_id
        decision = store.next_decision(ctx.db, ctx.profile.id, plan, self.today)
        self.decision_in = decision
        self.tones = self._tones or Tones(ctx.prefs.sound)
        item = plan.items[decision.item_index]
        if item.measured and self.use_camera and self.feed is None:
            with_camera_consent(self, self._begin)    # the first time, the consent screen comes first
        else:
            self._begin(item.measured and self.use_camera)

    def _begin(self, camera: bool) -> None:
        decision, ctx = self.decision_in, self.ctx
        item = self.plan.items[decision.item_index]
        mode = self._open_camera(item, item.level(decision.level)) if camera else Mode.TAP
        if not camera and item.measured and self.use_camera:
            self.notice = "The camera is off for you (in Settings: Camera use), so this session is logged by tapping."
        self.session: ExposureSession = new_session(
            self.plan, decision, clock=self.clock, mode=mode, today=self.today, sink=self._write,
            history=store.item_history(ctx.db, ctx.profile.id, item.name))

    def _open_camera(self, item: Item, level: Level) -> Mode:
        if self.feed is None:
            try:
                factory = POSE_FEED_FACTORY or _pose_engine(self.ctx.data_dir, self.ctx.prefs.camera)
                self.feed = factory(item, level)
            except GmiError as exc:
                self.notice = f"No camera for this session ({exc.message}) You can log it by tapping instead."
        if self.feed is None:
            if not self.notice:
                self.notice = "This session is logged by tapping: the camera is not set up."
            return Mode.TAP
        return Mode.CAMERA

    def _write(self, record: Record) -> None:
        """The session's sink: the session row is created with the first record, then every record is
        written at once."""
        if self.session_id is None:
            self.session_id = store.start_session(self.ctx.db, self.ctx.profile.id, self.plan_id, self.session,
                                                  app_version=__version__, input_method=self.ctx.prefs.input_method)
            self.writer = store.RecordWriter(self.ctx.db, self.session_id, self.plan_id)
        self.writer(record)

    def on_exit(self) -> None:
        if self.feed is not None:
            self.feed.close()
            self.feed = None
        if self.session_id is not None and self.session.phase is not Phase.DECISION:
            self.ctx.db.update_session(self.session_id, status="stopped")   # left early: kept, marked

    # -- geometry ----------------------------------------------------------------------------------
    # Screens are laid out top to bottom. If the user's text size does not fit the window, the screen is
    # drawn again with the type a step smaller (down to half), so nothing runs off or overlaps.
    @property
    def t(self) -> Theme:
        base = self.theme
        return replace(base, text_scale=base.text_scale * self._shrink)

    def _margin(self) -> int:
        return max(24, self.app.screen.get_width() // 30)

    def _next_rect(self) -> pygame.Rect:
        w, h = self.app.screen.get_size()
        bh = max(self.t.px(60), 50)
        return pygame.Rect(w // 2 - w // 6, h - self._margin() - bh, w // 3, bh)

    def _during_rects(self) -> dict[str, pygame.Rect]:
        w, h = self.app.screen.get_size()
        m = self._margin()
        top = self._body_top or h // 6
        bar_h = max(self.t.px(60), 50)
        bottom = h - m - bar_h
        body = pygame.Rect(m, top, w - 2 * m, bottom - top - m // 2)
        left_w = int(body.width * 0.6)
        half = (w - 3 * m) // 2
        return {"main": pygame.Rect(body.x, body.y, left_w, body.height),
                "side": pygame.Rect(body.x + left_w + m, body.y, body.width - left_w - m, body.height),
                "pain": pygame.Rect(m, bottom, half, bar_h),
                "pause": pygame.Rect(2 * m + half, bottom, half, bar_h)}

    def pointer_targets(self) -> dict[Intent, pygame.Rect]:
        if self.screen_name == "during":
            r = self._during_rects()
            targets = {Intent.DOWN: r["pain"], Intent.PAUSE: r["pause"]}
            if self.session.mode is Mode.TAP or self.session.step is Step.RESTING:
                targets[Intent.TAP] = r["main"]
            return targets
        if self.screen_name in ("intro", "question"):
            return {Intent.CONFIRM: self._next_rect(), Intent.BACK: self._back_rect()}
        if self.screen_name in ("pain", "decision"):
            return {Intent.CONFIRM: self._next_rect()}
        if self.screen_name == "paused":
            return dict(self._paused_buttons)
        return {}

    # -- input -------------------------------------------------------------------------------------
    def handle_raw(self, event: pygame.event.Event) -> None:
        if self.screen_name in ("question", "pain") and self.questions:
            q = self.questions[self.q_index]
            if q.kind == "text":
                self._type(q, event)
                return
            pos = None
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not getattr(event, "touch", False):
                pos = event.pos
            elif event.type == pygame.FINGERDOWN:
                w, h = self.app.screen.get_size()
                pos = (event.x * w, event.y * h)
            if pos is not None:
                for value, rect in self._cells:
                    if rect.collidepoint(pos):
                        q.value = value

    def _type(self, q: Question, event: pygame.event.Event) -> None:
        """Typing in the feared-outcome box: text goes in; Backspace deletes; Enter and Esc still work."""
        if event.type == pygame.TEXTINPUT:
            q.value = (q.value + event.text)[:FEARED_OUTCOME_MAX]
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_BACKSPACE:
                if q.value:
                    q.value = q.value[:-1]
                    self._swallow = True        # delete a letter, do not go back a screen
            elif event.key not in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_UP,
                                   pygame.K_DOWN, pygame.K_TAB):
                self._swallow = True            # letters (and space) are text here, not commands

    def handle(self, intent: TimedIntent) -> None:
        if self._swallow:
            self._swallow = False
            return
        i = intent.intent
        handler = getattr(self, f"_on_{self.screen_name}")
        handler(i)

    def _on_intro(self, i: Intent) -> None:
        if i in (Intent.CONFIRM, Intent.TAP):
            self._ask(before_questions())
        elif i in (Intent.BACK, Intent.PAUSE):
            self.app.pop()

    def _ask(self, questions: list[Question]) -> None:
        self.questions, self.q_index, self.screen_name = questions, 0, "question"

    def _on_question(self, i: Intent) -> None:
        q = self.questions[self.q_index]
        if i in (Intent.LEFT, Intent.RIGHT):
            q.step(-1 if i is Intent.LEFT else 1)
        elif i is Intent.CONFIRM or (i is Intent.TAP and q.kind != "text"):
            if not q.answered:
                return
            self._handle(self.session.rate(q.name, q.value))      # written now
            if self.q_index + 1 < len(self.questions):
                self.q_index += 1
            elif self.session.phase is Phase.BEFORE:
                self._handle(self.session.start())
                self.screen_name = "during"
            else:
                self._handle(self.session.finish())
                self.screen_name = "decision"
        elif i is Intent.BACK:
            if self.q_index > 0:
                self.q_index -= 1
            elif self.session.phase is Phase.BEFORE:
                self.screen_name = "intro"
        elif i is Intent.PAUSE and self.session.phase is Phase.BEFORE:
            self.app.pop()

    def _on_during(self, i: Intent) -> None:
        if i in (Intent.TAP, Intent.LEFT, Intent.RIGHT):   # the answer keys too: a foot pedal may send them
            self._handle(self.session.tap())
        elif i is Intent.DOWN:
            self._ask_pain()
        elif i is Intent.PAUSE:
            self._handle(self.session.pause())
            self.screen_name = "paused"

    def _ask_pain(self) -> None:
        self.session.pause()
        self._during_questions = self.questions, self.q_index
        self.questions, self.q_index = [pain_question("pain_during", "How much pain do you have right now?")], 0
        self.screen_name = "pain"

    def _on_pain(self, i: Intent) -> None:
        q = self.questions[0]
        if i in (Intent.LEFT, Intent.RIGHT):
            q.step(-1 if i is Intent.LEFT else 1)
            return
        if i in (Intent.CONFIRM, Intent.TAP) and q.value is None:
            return
        if i in (Intent.CONFIRM, Intent.TAP, Intent.BACK, Intent.PAUSE):
            self.questions, self.q_index = self._during_questions
            self.session.resume()
            self.screen_name = "during"
            if i in (Intent.CONFIRM, Intent.TAP):
                self._handle(self.session.rate("pain_during", q.value))

    def _on_paused(self, i: Intent) -> None:
        if i in (Intent.CONFIRM, Intent.TAP):
            self._handle(self.session.resume())
            self.screen_name = "during"
        elif i is Intent.DOWN:
            self.session.resume()
            self._ask_pain()
        elif i is Intent.UP and self.session.mode is Mode.CAMERA:
            self._go_camera_free("You chose to carry on without the camera.")
            self._handle(self.session.resume())
            self.screen_name = "during"
        elif i is Intent.BACK:
            self.session.resume()
            self._handle(self.session.finish_early())

    def _on_decision(self, i: Intent) -> None:
        if i in (Intent.CONFIRM, Intent.TAP, Intent.BACK, Intent.PAUSE):
            self.app.pop()

    # -- what happened -----------------------------------------------------------------------------
    def _handle(self, records: list[Record]) -> None:
        """Cues and screen changes for the records a session call produced (already written)."""
        for record in records:
            if record.kind == "repetition":
                self.tones.play("rep" if record.data["target_reached"] or record.data["source"] == "camera"
                                else "hold_start")
            elif record.kind == "event":
                name = record.data["name"]
                cue = {"hold_started": "hold_start", "set_done": "set_done", "rest_done": "rest_done",
                       "stopped_by_pain": "stop"}.get(name)
                if cue:
                    self.tones.play(cue)
                if name == "after":
                    self._ask(after_questions(self.session.ratings.get("feared_outcome", "")))

    def _go_camera_free(self, why: str) -> None:
        if self.feed is not None:
            with contextlib.suppress(Exception):   # closing a camera that has already failed may fail too
                self.feed.close()
            self.feed = None
        self._handle(self.session.switch_to_tap(why))
        self.notice = f"{why} Carry on by tapping (space, pedal or the big button): nothing is lost."

    def update(self, dt_s: float) -> None:
        if self.screen_name == "during":
            if self.feed is not None and self.session.mode is Mode.CAMERA:
                try:
                    snapshot = self.feed.latest()
                except Exception as exc:   # a device or decoder failure ends the camera, never the session
                    self._go_camera_free(f"The camera stopped ({exc}).")
                    snapshot = None
                if snapshot is not None:
                    self.snapshot = snapshot
                    for rep in snapshot.reps:
                        if self.session.phase is Phase.DURING:
                            self._handle(self.session.add_rep(rep))
                    if snapshot.lost and self.session.phase is Phase.DURING:
                        self._go_camera_free("The camera stopped.")
            if self.session.phase is Phase.DURING:
                self._handle(self.session.tick())

    # -- drawing -----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        key = (self.screen_name, self.q_index, len(self.questions), surface.get_size(), self.session.step,
               self.notice, self.theme.text_scale, self.snapshot.guidance is None)
        if key != self._fit_key:            # find the largest type (up to the user's size) that fits
            self._fit_key, self._shrink = key, 1.0
            scratch = pygame.Surface(surface.get_size())
            while self._shrink > 0.5 and not self._draw_screen(scratch):
                self._shrink = round(self._shrink - 0.1, 2)
        self._draw_screen(surface)

    def _draw_screen(self, surface: pygame.Surface) -> bool:
        """Draw the current screen; False if something did not fit."""
        surface.fill(self.t.bg)
        return getattr(self, f"_draw_{self.screen_name}")(surface)

    def _header(self, surface: pygame.Surface, right: str = "") -> int:
        t, s = self.t, self.session
        w, _ = surface.get_size()
        m = self._margin()
        room = w - 2 * m
        if right:
            label = draw_text(surface, right, t.font(22), t.muted, (w - m, m // 2 + 6), "topright")
            room -= label.width + m
        return draw_paragraph(surface, f"{s.item.name} · level {s.level}", t.font(34, True), t.fg, m, m // 2, room)

    def _task_text(self, with_what: bool = True) -> str:
        s = self.session
        tg = s.targets
        parts = [sets_text(tg)]
        if tg.target_deg is not None:
            parts.append(f"to {tg.target_deg:g}°")
        if tg.hold_s:
            parts.append(f"holding each for {tg.hold_s:g} s")
        if len(tg.reps_per_set) > 1 and tg.rest_s:
            parts.append(f"with {tg.rest_s:g} s rest between sets")
        if not with_what:
            return ", ".join(parts)
        what = s.item.what if not s.item.measured else s.item.what.capitalize()
        return f"{what}: " + ", ".join(parts) + "."

    def _back_rect(self) -> pygame.Rect:
        nxt = self._next_rect()
        m = self._margin()
        return pygame.Rect(m, nxt.y, min(self.app.screen.get_width() // 5, nxt.left - 2 * m), nxt.height)

    def _draw_next(self, surface: pygame.Surface, label: str, enabled: bool = True) -> pygame.Rect:
        if self.screen_name in ("intro", "question"):     # a way back for the mouse too
            self._draw_button(surface, self._back_rect(), "Back  (Backspace)", self.t.muted)
        return self._draw_button(surface, self._next_rect(), label, self.t.accent if enabled else self.t.muted)

    def _draw_button(self, surface: pygame.Surface, rect: pygame.Rect, label: str, colour) -> pygame.Rect:
        t = self.t
        pygame.draw.rect(surface, t.panel, rect, border_radius=14)
        pygame.draw.rect(surface, colour, rect, width=4, border_radius=14)
        draw_text(surface, label, fit_font(t, label, 30, rect.width - 20), colour, rect.center, "center")
        return rect

    def _draw_intro(self, surface: pygame.Surface) -> bool:
        t, s = self.t, self.session
        w, _ = surface.get_size()
        m, width = self._margin(), surface.get_width() - 2 * self._margin()
        y = self._header(surface, "Backspace: back")
        y = draw_paragraph(surface, self._task_text(), t.font(30, True), t.fg, m, y + 16, width)
        for text in (s.item.instructions, s.item.level(s.level).note):
            if text:
                y = draw_paragraph(surface, text, t.font(26), t.fg, m, y + 10, width)
        if s.mode is Mode.CAMERA:
            advice = VIEW_ADVICE.get(MOVEMENT_VIEWS.get(s.item.movement or "", ""), "")
            how = f"The camera counts your repetitions. {advice}"
        else:
            how = ("Tap once for each repetition: space, a foot pedal, your answer keys, or a click on the big "
                   "button.")
        y = draw_paragraph(surface, how, t.font(26), t.fg, m, y + 12, width)
        if self.notice:
            y = draw_paragraph(surface, self.notice, t.font(24), t.warn, m, y + 12, width)
        if self.decision_in.reason:
            y = draw_paragraph(surface, self.decision_in.reason, t.font(24), t.muted, m, y + 16, width)
        y = draw_paragraph(surface, "First, four short questions. Esc at any time pauses; everything you answer is "
                                    "saved at once.", t.font(24), t.muted, m, y + 16, width)
        return y <= self._draw_next(surface, "Begin  (Enter)").top - 8

    def _draw_question(self, surface: pygame.Surface) -> bool:
        t, s = self.t, self.session
        q = self.questions[self.q_index]
        w, h = surface.get_size()
        m, width = self._margin(), w - 2 * self._margin()
        if self.screen_name == "pain":
            right = "Esc: back to the movement"
        else:
            phase = "Before" if s.phase is Phase.BEFORE else "After"
            right = f"{phase}: question {self.q_index + 1} of {len(self.questions)}"
        y = self._header(surface, right)
        if s.advice and s.phase is Phase.AFTER:     # stopped by pain: the advice stays in view
            body = t.font(24)
            box = pygame.Rect(m, y + 8, width, len(_lines(s.advice, body, width - 30)) * body.get_linesize() + 20)
            panel(surface, box, t, t.warn)
            draw_paragraph(surface, s.advice, body, t.fg, box.x + 15, box.y + 10, box.width - 30)
            y = box.bottom
        y = draw_paragraph(surface, q.text, t.font(40, True), t.fg, m, y + 20, width)
        label = "Save  (Enter)" if self.screen_name == "pain" else "Next  (Enter)"
        limit = self._draw_next(surface, label, q.answered).top - 8
        if q.kind == "text":
            return self._draw_text_box(surface, q, y + 24) <= limit
        n = len(q.options)
        gap = max(6, w // 200)
        cell_w = (width - (n - 1) * gap) // n
        cell_h = max(t.px(64), h // 10)
        top = max(y + 24, h // 2 - cell_h // 2)
        self._cells = [(opt, pygame.Rect(m + k * (cell_w + gap), top, cell_w, cell_h)) for k, opt in enumerate(q.options)]
        font = fit_font(t, "100", 34, cell_w - 8)
        for value, rect in self._cells:
            chosen = value == q.value
            pygame.draw.rect(surface, t.accent if chosen else t.panel, rect, border_radius=12)
            pygame.draw.rect(surface, t.accent if chosen else t.muted, rect, width=3, border_radius=12)
            label = str(value)
            f = font if q.kind == "scale" else fit_font(t, label, 34, rect.width - 12)
            draw_text(surface, label, f, t.bg if chosen else t.fg, rect.center, "center")
        first, last = self._cells[0][1], self._cells[-1][1]
        small = t.font(22)
        y = first.bottom + 8
        draw_text(surface, q.anchors[0], small, t.muted, (first.left, y))
        draw_text(surface, q.anchors[1], small, t.muted, (last.right, y), "topright")
        hint = "Left and Right arrows or a click to choose, Enter to go on"
        if self.screen_name != "pain":
            hint += ", Backspace: back"
        y = draw_paragraph(surface, hint, small, t.muted, m, y + small.get_linesize() + 12, width, "center")
        return y <= limit and cell_w >= font.size("100")[0]

    def _draw_text_box(self, surface: pygame.Surface, q: Question, top: int) -> int:
        t = self.t
        w, h = surface.get_size()
        m = self._margin()
        font = t.font(30)
        lines = _lines(q.value + "|", font, w - 2 * m - 40)[-4:]
        box = pygame.Rect(m, max(top, h // 2 - t.px(40)), w - 2 * m, max(3, len(lines)) * font.get_linesize() + 30)
        panel(surface, box, t, t.accent)
        y = box.y + 15
        for line in lines:
            draw_text(surface, line, font, t.fg, (box.x + 20, y))
            y += font.get_linesize()
        return draw_paragraph(surface, "Type, then Enter. Leave it empty if you prefer.", t.font(22), t.muted, m,
                              box.bottom + 10, w - 2 * m, "center")

    def _draw_pain(self, surface: pygame.Surface) -> bool:
        return self._draw_question(surface)

    def _draw_during(self, surface: pygame.Surface) -> bool:
        t, s = self.t, self.session
        w, h = surface.get_size()
        m = self._margin()
        y = self._header(surface, "Esc: pause")
        set_text = f"Set {min(s.set_index + 1, s.sets)} of {s.sets}" if s.sets > 1 else ""
        line = "  ·  ".join(p for p in (set_text, self._task_text(with_what=False)) if p)
        y = draw_paragraph(surface, line, t.font(26), t.muted, m, y, w - 2 * m)
        self._body_top = y + 12
        r = self._during_rects()
        if s.mode is Mode.CAMERA:
            fits = self._draw_camera(surface, r["main"].union(r["side"]))
        else:
            fits = self._draw_tap_target(surface, r["main"]) and self._draw_counts(surface, r["side"])
        for key, label, colour in (("pain", "My pain now  (Down arrow)", t.warn),
                                   ("pause", "Pause or finish  (Esc)", t.muted)):
            rect = r[key]
            pygame.draw.rect(surface, t.panel, rect, border_radius=12)
            pygame.draw.rect(surface, colour, rect, width=3, border_radius=12)
            draw_text(surface, label, fit_font(t, label, 28, rect.width - 20), t.fg, rect.center, "center")
        return fits and r["main"].height >= h // 3

    def _draw_tap_target(self, surface: pygame.Surface, rect: pygame.Rect) -> bool:
        t, s = self.t, self.session
        pygame.draw.rect(surface, t.panel, rect, border_radius=24)
        rest, hold = s.rest_remaining_s(), s.hold_remaining_s()
        if rest is not None:
            colour, big, small = t.good, f"Rest  {math.ceil(rest)} s", f"Tap to start set {s.set_index + 2} now"
            self._progress_bar(surface, rect, 1 - rest / max(s.targets.rest_s, 0.001), t.good)
        elif hold is not None:
            colour, big, small = t.accent, f"Hold…  {hold:.1f} s", "Tap again to let go early"
            self._progress_bar(surface, rect, 1 - hold / max(s.targets.hold_s, 0.001), t.accent)
        else:
            colour, big = t.accent, "TAP"
            small = ("when you are in position: the hold timer starts" if s.targets.hold_s
                     else "once for each repetition")
            small += "  (space, pedal or click)"
        pygame.draw.rect(surface, colour, rect, width=6, border_radius=24)
        y = rect.y + 16
        if self.notice:
            y = draw_paragraph(surface, self.notice, t.font(22), t.warn, rect.x + 20, y, rect.width - 40, "center")
        font = fit_font(t, big, 96, rect.width - 40)
        centre = max(rect.centery - font.get_linesize() // 3, y + font.get_linesize() // 2)
        draw_text(surface, big, font, t.fg, (rect.centerx, centre), "center")
        bottom = draw_paragraph(surface, small, t.font(24), t.muted, rect.x + 20, centre + font.get_linesize() // 2,
                                rect.width - 40, "center")
        return bottom <= rect.bottom - 44

    def _progress_bar(self, surface: pygame.Surface, rect: pygame.Rect, fraction: float, colour) -> None:
        bar = pygame.Rect(rect.x + 30, rect.bottom - 40, rect.width - 60, 14)
        pygame.draw.rect(surface, self.t.bg, bar, border_radius=7)
        done = bar.copy()
        done.width = max(0, int(bar.width * min(1.0, max(0.0, fraction))))
        pygame.draw.rect(surface, colour, done, border_radius=7)

    def _draw_counts(self, surface: pygame.Surface, rect: pygame.Rect) -> bool:
        t, s = self.t, self.session
        panel(surface, rect, t)
        x, width = rect.x + 20, rect.width - 40
        y = rect.y + 16
        if s.targets.baseline:
            big, under = f"{s.reps_done}", f"repetitions — as many as comfortable, up to {s.targets.total_reps}"
        else:
            big, under = f"{s.reps_in_set} / {s.reps_this_set}", "repetitions in this set"
        font = fit_font(t, big, 80, width)
        draw_text(surface, big, font, t.fg, (rect.centerx, y), "midtop")
        y += font.get_linesize()
        y = draw_paragraph(surface, under, t.font(24), t.muted, x, y, width, "center") + 12
        y = draw_paragraph(surface, f"{s.reps_done} of {s.targets.total_reps} in all", t.font(26), t.fg, x, y,
                           width, "center") + 8
        if s.mode is Mode.CAMERA and s.targets.target_deg is not None:
            y = draw_paragraph(surface, f"{s.reps_at_target} reached {s.targets.target_deg:g}°", t.font(26), t.good,
                               x, y, width, "center") + 8
        if s.targets.baseline:
            y = draw_paragraph(surface, "Stop when you would normally stop: Esc, then Backspace.", t.font(22),
                               t.muted, x, y + 8, width, "center")
        fits = y <= rect.bottom - 8
        if s.mode is Mode.TAP and fits:   # the activity in words, as a reminder, where there is room
            reminder = s.item.what if not s.item.measured else s.item.what.capitalize()
            if s.item.instructions:
                reminder += f"\n{s.item.instructions}"
            body = t.font(22)
            top = rect.bottom - 16 - len(_lines(reminder, body, width)) * body.get_linesize()
            if top >= y + 16:
                draw_paragraph(surface, reminder, body, t.muted, x, top, width)
        return fits

    # The camera view (gmi.ui.camera_view, the same panel as the camera check): the preview with the
    # skeleton, the guidance and the angle dial come from the pose feed; the figures beside the dial are this
    # session's counts (only what happened while the session watched).
    def _draw_camera(self, surface: pygame.Surface, area: pygame.Rect) -> bool:
        t, s, snap = self.t, self.session, self.snapshot
        movement = MOVEMENTS[s.item.movement or ""]
        target = resolve_target(movement, s.targets.target_deg)     # the pipeline's target: the plan's or the default
        reading = CameraReading(preview=snap.frame, angle_deg=snap.angle_deg, target_deg=target,
                                target_band=movement.target_band(target), gauge=movement.gauge,
                                guidance=snap.guidance or "", ended=snap.lost)
        self.camera_view.draw_reading(surface, area, t, reading, self._camera_figures(target))
        return True

    def _camera_figures(self, target: float) -> list[Figure]:
        t, s = self.t, self.session
        figures = []
        rest = s.rest_remaining_s()
        if rest is not None:
            figures.append(Figure("Rest", f"{math.ceil(rest)} s", t.good,
                                  f"start moving, or tap, for set {s.set_index + 2}"))
        if s.targets.baseline:
            figures.append(Figure("Repetitions", str(s.reps_done), t.fg,
                                  f"as many as comfortable, up to {s.targets.total_reps}"))
        else:
            figures.append(Figure("Repetitions in this set", f"{s.reps_in_set} / {s.reps_this_set}", t.fg,
                                  f"{s.reps_done} of {s.targets.total_reps} in all" if s.sets > 1 else ""))
        if self.snapshot.hold_s is not None:
            hold = f"{self.snapshot.hold_s:.1f}" + (f" of {s.targets.hold_s:g} s" if s.targets.hold_s else " s")
            figures.append(Figure("Holding", hold, t.good))
        elif rest is None:
            figures.append(Figure(f"Reached {target:g}°", str(s.reps_at_target), t.good))
        return figures

    def _draw_paused(self, surface: pygame.Surface) -> bool:
        t, s = self.t, self.session
        w, h = surface.get_size()
        m = self._margin()
        y = draw_paragraph(surface, "Paused", t.font(48, True), t.fg, m, h // 6, w - 2 * m, "center")
        y = draw_paragraph(surface, f"{s.reps_done} repetition{'s are' if s.reps_done != 1 else ' is'} saved. Take your time.", t.font(28), t.fg, m,
                           y + 16, w - 2 * m, "center")
        options = [(Intent.CONFIRM, "Carry on  (Enter)"), (Intent.DOWN, "Report my pain  (Down arrow)")]
        if s.mode is Mode.CAMERA:
            options.append((Intent.UP, "Carry on without the camera  (Up arrow)"))
        options.append((Intent.BACK, "Finish the movement part now  (Backspace)"))
        self._paused_buttons = {}
        width = min(w - 2 * m, t.px(640))
        height = t.font(30, True).get_linesize() + 16
        for intent, label in options:       # buttons: every choice by keyboard, mouse or touch
            rect = pygame.Rect((w - width) // 2, y + 14, width, height)
            self._draw_button(surface, rect, label, t.accent if intent is Intent.CONFIRM else t.muted)
            self._paused_buttons[intent] = rect
            y = rect.bottom
        return y <= h - m

    def _draw_decision(self, surface: pygame.Surface) -> bool:
        t, s = self.t, self.session
        w, h = surface.get_size()
        m = self._margin()
        y = self._header(surface)
        done = f"You did {s.reps_done} repetition{'s' * (s.reps_done != 1)}"
        if s.reps_done and s.targets.target_deg is not None and any(r["source"] == "camera" for r in s.reps):
            done += f", {s.reps_at_target} of them to {s.targets.target_deg:g}°"
        y = draw_paragraph(surface, done + ".", t.font(28), t.fg, m, y + 8, w - 2 * m)
        width = w - 2 * m
        for title, text, colour in (("What you expected, and what happened",
                                     s.comparison.text if s.comparison else "", t.accent),
                                    ("Next time", s.decision.reason if s.decision else "", t.good)):
            body = t.font(28)
            lines = _lines(text, body, width - 40)
            head = _lines(title, t.font(30, True), width - 40)
            box = pygame.Rect(m, y + 16, width, len(head) * t.font(30, True).get_linesize()
                              + len(lines) * body.get_linesize() + 30)
            panel(surface, box, t, colour)
            yy = draw_paragraph(surface, title, t.font(30, True), colour, box.x + 20, box.y + 12, width - 40)
            draw_paragraph(surface, text, body, t.fg, box.x + 20, yy + 4, width - 40)
            y = box.bottom
        return y <= self._draw_next(surface, "Done  (Enter)").top - 8


def _pose_engine(data_dir, camera: str) -> Callable[[Item, Level], PoseFeed]:
    from gmi.pose.exposure_feed import camera_feed_factory

    return camera_feed_factory(data_dir, source=camera_spec(camera))
