"""What imagery and mirror sessions share on screen: start, pause, the protocol runner, ratings, the end.

The runner (gmi/core/protocol.py) keeps the time; this scene asks it where it is each frame, plays the
cue of each new phase, writes each completed step to the database when the runner reports it, and asks
for ratings at the end. Subclasses draw the intro and the running phases and build the runner.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import pygame

from gmi.core.errors import GmiError
from gmi.core.imagery import PAIN_LABELS, PAIN_SCALE, VIVIDNESS_LABELS, VIVIDNESS_SCALE, format_duration
from gmi.core.intents import Intent, TimedIntent
from gmi.core.protocol import Finished, PhaseStarted, ProtocolRunner, RunnerEvent, StepCompleted
from gmi.core.stimuli import StimulusLibrary, load_manifest
from gmi.store.imagery import GuidedSessionLog
from gmi.store.location import default_stimuli_dir
from gmi.ui.app import Scene
from gmi.ui.sound import Guide
from gmi.ui.widgets import draw_paragraph, draw_text, fit_font, wrap


@dataclass(frozen=True)
class RatingSpec:
    name: str              # stored as session_ratings.name
    question: str
    low: int
    high: int
    labels: dict[int, str]
    start: int


VIVIDNESS = RatingSpec("vividness", "How clear and vivid were the imagined movements?", *VIVIDNESS_SCALE,
                       VIVIDNESS_LABELS, 3)
PAIN = RatingSpec("pain_nrs", "How much pain do you feel now?", *PAIN_SCALE, PAIN_LABELS, 0)


def paragraph_font(theme, text: str, size: int, width: int, max_height: int, bold: bool = True,
                   smallest: int = 16) -> pygame.font.Font:
    """The largest font (at most ``size`` before scaling) in which ``text`` wraps into ``max_height``."""
    font = theme.font(size, bold)
    while size > smallest and len(wrap(text, font, width)) * font.get_linesize() > max_height:
        size -= 2
        font = theme.font(size, bold)
    return font


def load_library_or_none() -> tuple[StimulusLibrary | None, str]:
    """The picture library, or None with the reason (imagery and the mirror box still work from words)."""
    try:
        return load_manifest(default_stimuli_dir()), ""
    except GmiError as exc:
        return None, exc.message


class GuidedSessionScene(Scene):
    kind = "imagery"
    title = ""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, guide: Guide | None = None) -> None:
        self.clock = clock
        self._guide_in = guide
        self.state = "intro"           # intro | running | paused | rating | done
        self.runner: ProtocolRunner | None = None
        self.log: GuidedSessionLog | None = None
        self.steps_done = 0
        self.rating_index = 0
        self.rating_value = 0
        self.ratings: dict[str, int] = {}
        self.stopped = False
        self._rating_boxes: list[tuple[int, pygame.Rect]] = []
        self._images: dict[str, pygame.Surface] = {}
        self.targets: dict[Intent, pygame.Rect] = {}   # on-screen buttons for mouse, touch and dwell

    # -- for subclasses ----------------------------------------------------------------------------
    def build_runner(self) -> ProtocolRunner:
        raise NotImplementedError

    def start_log(self) -> GuidedSessionLog:
        raise NotImplementedError

    def rating_specs(self) -> list[RatingSpec]:
        return [PAIN]

    def draw_intro(self, surface: pygame.Surface) -> None: ...

    def draw_running(self, surface: pygame.Surface) -> None:
        status = self.runner.status()  # type: ignore[union-attr]
        if status.phase is not None:
            self.draw_phase(surface, status)

    def draw_phase(self, surface: pygame.Surface, status) -> None:
        """Draw the running session at ``status`` (a RunnerStatus with a phase)."""

    def handle_intro(self, intent: Intent) -> None:
        if intent in (Intent.CONFIRM, Intent.TAP):
            self.start()
        elif intent in (Intent.BACK, Intent.PAUSE):
            self.app.pop()

    def handle_running(self, intent: Intent) -> None:
        """Keys other than pause during a session (mirror: move the line, report a symptom)."""

    def on_event(self, event: RunnerEvent) -> None:
        """Hook for subclasses, after the shared handling of each runner event."""

    # -- shared ------------------------------------------------------------------------------------
    def on_enter(self) -> None:
        self.guide = self._guide_in or Guide.create(sound=self.ctx.prefs.sound)

    def on_exit(self) -> None:
        if self.runner is not None and self.state in ("running", "paused"):
            self.stop()                 # the window closed mid-session: what was done is kept
        self.guide.close()

    def start(self) -> None:
        self.runner = self.build_runner()
        self.log = self.start_log()
        self.state = "running"
        self.dispatch(self.runner.start())

    def stop(self) -> None:
        if self.runner is not None:
            self.stopped = True
            self.dispatch(self.runner.stop())

    def dispatch(self, events: list[RunnerEvent]) -> None:
        for event in events:
            if isinstance(event, PhaseStarted):
                self.guide.play(event.phase.cue)
            elif isinstance(event, StepCompleted):
                self.log.step_done(event)        # type: ignore[union-attr]
                self.steps_done += 1
            elif isinstance(event, Finished):
                self.log.finish(self.runner.status(), stopped=event.stopped)  # type: ignore[union-attr]
                self.guide.stop_speaking()
                self._begin_ratings()
            self.on_event(event)

    def _begin_ratings(self) -> None:
        self.specs = self.rating_specs() if self.steps_done or not self.stopped else []
        self.rating_index = 0
        if self.specs:
            self.state = "rating"
            self.rating_value = self.specs[0].start
        else:
            self.state = "done"

    def update(self, dt_s: float) -> None:
        if self.state == "running" and self.runner is not None:
            self.dispatch(self.runner.update())

    def handle(self, intent: TimedIntent) -> None:
        i = intent.intent
        if self.state == "intro":
            self.handle_intro(i)
        elif self.state == "running":
            if i is Intent.PAUSE:
                self.pause()
            else:
                self.handle_running(i)
        elif self.state == "paused":
            if i in (Intent.CONFIRM, Intent.TAP):
                self.resume()
            elif i is Intent.BACK:
                self.stop()
        elif self.state == "rating":
            spec = self.specs[self.rating_index]
            if i is Intent.LEFT:
                self.rating_value = max(spec.low, self.rating_value - 1)
            elif i is Intent.RIGHT:
                self.rating_value = min(spec.high, self.rating_value + 1)
            elif i in (Intent.CONFIRM, Intent.TAP):
                self.rate(self.rating_value)
        elif self.state == "done" and i in (Intent.CONFIRM, Intent.TAP, Intent.BACK, Intent.PAUSE):
            self.app.pop()

    def handle_raw(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.state == "rating":
            for value, rect in self._rating_boxes:
                if rect.collidepoint(event.pos):
                    self.rating_value = value
                    self.rate(value)
                    return

    def pointer_targets(self) -> dict[Intent, pygame.Rect]:
        return self.targets

    def pause(self) -> None:
        if self.runner is not None:
            self.runner.pause()
            self.guide.stop_speaking()
            self.state = "paused"

    def resume(self) -> None:
        if self.runner is not None:
            self.runner.resume()
            self.state = "running"

    def rate(self, value: int) -> None:
        spec = self.specs[self.rating_index]
        self.log.rate(spec.name, value)          # type: ignore[union-attr]
        self.ratings[spec.name] = value
        self.rating_index += 1
        if self.rating_index < len(self.specs):
            self.rating_value = self.specs[self.rating_index].start
        else:
            self.state = "done"

    # -- drawing -----------------------------------------------------------------------------------
    @property
    def theme(self):
        """The user's theme; on screens that would not fit the window at the user's text size, a step smaller."""
        base = self.app.ctx.theme
        return base.scaled(base.text_scale - self._shrink) if self._shrink else base

    _shrink = 0.0
    _fit_key: tuple = ()

    def draw(self, surface: pygame.Surface) -> None:
        # Screens with buttons at their foot (intro, pause, ratings, the end) are tried at the user's text size,
        # then a step smaller (never below 100 %) until the last button is on the screen. The running screens
        # fit their words themselves.
        key = (self.state, surface.get_size(), self.app.ctx.theme, getattr(self, "mode", None),
               getattr(self, "notice", ""), self.rating_index, getattr(self, "setting", None))
        if self.state != "running" and key != self._fit_key:
            self._fit_key, self._shrink = key, 0.0
            scratch = pygame.Surface(surface.get_size())
            while self._draw_state(scratch) > surface.get_height() and self.theme.text_scale > 1.0:
                self._shrink = round(self._shrink + 0.1, 2)
        elif self.state == "running":
            self._shrink = 0.0
        self._draw_state(surface)

    def _draw_state(self, surface: pygame.Surface) -> int:
        """Draw the current state; returns the bottom of its lowest button (0 when it has none)."""
        surface.fill(self.theme.bg)
        self.targets = {}
        getattr(self, f"draw_{self.state}")(surface)
        return max((r.bottom for r in self.targets.values()), default=0)

    # -- buttons (every action has a key and a large target for mouse, touch and dwell) ------------
    def button(self, surface: pygame.Surface, rect: pygame.Rect, label: str, intent: Intent | None, *,
               primary: bool = False) -> pygame.Rect:
        t = self.theme
        fill = t.accent if primary else t.panel
        pygame.draw.rect(surface, fill, rect, border_radius=14)
        pygame.draw.rect(surface, t.accent if primary else t.muted, rect, width=3, border_radius=14)
        draw_text(surface, label, fit_font(t, label, 26, rect.width - 20), t.bg if primary else t.fg, rect.center,
                  "center")
        if intent is not None:
            self.targets[intent] = rect
        return rect

    def button_row(self, surface: pygame.Surface, y: int, buttons: list[tuple[str, Intent, bool]],
                   width: int | None = None) -> int:
        """Buttons side by side, centred; returns the y below them."""
        t = self.theme
        w = surface.get_width()
        bh = t.font(26, True).get_linesize() + 22
        gap = 20
        each = min(t.px(300), ((width or w - 80) - gap * (len(buttons) - 1)) // len(buttons))
        x = (w - (each * len(buttons) + gap * (len(buttons) - 1))) // 2
        for label, intent, primary in buttons:
            self.button(surface, pygame.Rect(x, y, each, bh), label, intent, primary=primary)
            x += each + gap
        return y + bh

    def start_and_back(self, surface: pygame.Surface, bottom: int, below: int, width: int | None = None) -> None:
        """The intro's two buttons, at the foot of the screen (or of a panel), never over the text above."""
        bh = self.theme.font(26, True).get_linesize() + 22
        self.button_row(surface, max(below + 20, bottom - bh), [("Start (Enter)", Intent.CONFIRM, True),
                                                                ("Back (Esc)", Intent.BACK, False)], width)

    def arrow_chooser(self, surface: pygame.Surface, rect: pygame.Rect, label: str) -> None:
        """A value with a drawn arrow button at each end (Left/Right keys or a click change it)."""
        t = self.theme
        pygame.draw.rect(surface, t.panel, rect, border_radius=14)
        pygame.draw.rect(surface, t.accent, rect, width=3, border_radius=14)
        draw_text(surface, label, fit_font(t, label, 30, rect.width - 2 * rect.height - 20), t.fg, rect.center,
                  "center")
        for intent, box in ((Intent.LEFT, pygame.Rect(rect.x, rect.y, rect.height, rect.height)),
                            (Intent.RIGHT, pygame.Rect(rect.right - rect.height, rect.y, rect.height, rect.height))):
            arrow(surface, box.inflate(-rect.height // 2, -rect.height // 2), intent, t.accent)
            self.targets[intent] = box

    def draw_paused(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        y = draw_paragraph(surface, "Paused", t.font(48, True), t.fg, 40, h // 5, w - 80, "center")
        done = f"{self.steps_done} step{'s' if self.steps_done != 1 else ''} saved. Take your time."
        y = draw_paragraph(surface, done, t.font(28), t.fg, 60, y + 20, w - 120, "center")
        self.button_row(surface, y + 40, self.paused_buttons())

    def paused_buttons(self) -> list[tuple[str, Intent, bool]]:
        return [("Carry on (Enter)", Intent.CONFIRM, True), ("Finish now (Backspace)", Intent.BACK, False)]

    def draw_rating(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        spec = self.specs[self.rating_index]
        m = max(40, w // 20)
        y = draw_paragraph(surface, spec.question, t.font(40, True), t.fg, m, h // 7, w - 2 * m, "center")
        count = spec.high - spec.low + 1
        gap = max(8, w // 120)
        box_w = min(t.px(110), (w - 2 * m - gap * (count - 1)) // count)
        total = count * box_w + (count - 1) * gap
        x0, y0 = (w - total) // 2, y + 50
        self._rating_boxes = []
        font = fit_font(t, "10", 40, box_w - 8)
        for k, value in enumerate(range(spec.low, spec.high + 1)):
            rect = pygame.Rect(x0 + k * (box_w + gap), y0, box_w, box_w)
            chosen = value == self.rating_value
            pygame.draw.rect(surface, t.accent if chosen else t.panel, rect, border_radius=14)
            pygame.draw.rect(surface, t.accent if chosen else t.muted, rect, width=3, border_radius=14)
            draw_text(surface, str(value), font, t.bg if chosen else t.fg, rect.center, "center")
            self._rating_boxes.append((value, rect))
        label_font = t.font(22)
        for value, anchor, x in ((spec.low, "topleft", x0), (spec.high, "topright", x0 + total)):
            if value in spec.labels:
                draw_text(surface, spec.labels[value], label_font, t.muted, (x, y0 + box_w + 12), anchor)
        chosen_label = spec.labels.get(self.rating_value, "")
        y = y0 + box_w + 24 + label_font.get_linesize()
        if chosen_label:
            y = draw_paragraph(surface, f"{self.rating_value}: {chosen_label}", t.font(28, True), t.fg, m, y + 10,
                               w - 2 * m, "center")
        draw_paragraph(surface, "Left and Right keys to choose, Enter to save — or click a number.", t.font(26),
                       t.accent, m, y + 30, w - 2 * m, "center")

    def draw_done(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, h = surface.get_size()
        m = max(40, w // 16)
        title = "Stopped early — that is fine." if self.stopped else "Well done."
        y = draw_paragraph(surface, title, t.font(48, True), t.fg, m, h // 6, w - 2 * m, "center")
        lines = [f"{self.steps_done} step{'s' if self.steps_done != 1 else ''} saved."]
        if self.runner is not None:
            lines.append(f"Practice time: {format_duration(self.runner.status().elapsed_s)}.")
        lines += [f"{spec.question.rstrip('?')}: {self.ratings[spec.name]}" for spec in self.specs
                  if spec.name in self.ratings]
        y = draw_paragraph(surface, "\n".join(lines), t.font(30), t.fg, m, y + 24, w - 2 * m, "center")
        self.button_row(surface, y + 40, [("Back (Enter)", Intent.CONFIRM, True)])

    def draw_footer(self, surface: pygame.Surface, hint: str = "") -> int:
        """A thin, calm bar of the whole session with the time left, and a hint under it, at the foot of the
        screen; returns the footer's top so nothing else is drawn over it."""
        t = self.theme
        st = self.runner.status()  # type: ignore[union-attr]
        w, h = surface.get_size()
        m = max(24, w // 40)
        font = t.font(22)
        line = font.get_linesize()
        y = h - 10
        if hint:
            y -= line
            draw_paragraph(surface, hint, font, t.muted, m, y, w - 2 * m, "center")
        total = st.elapsed_s + st.total_left_s
        share = 0.0 if total <= 0 else min(1.0, st.elapsed_s / total)
        label = f"about {format_duration(st.total_left_s, coarse=True)} left" if st.total_left_s >= 60 else \
            f"{format_duration(st.total_left_s)} left"
        label_w = font.size("about 10 min left")[0] + 20
        bar_w = w - 2 * m - label_w
        if bar_w < (w - 2 * m) // 2:        # large text: the label goes above a full-width bar
            bar_w = w - 2 * m
            y -= 18
            bar_y = y + 4
            y -= line
            draw_text(surface, label, font, t.muted, (w - m, y), "topright")
        else:
            y -= line + 6
            bar_y = y + line // 2 - 5
            draw_text(surface, label, font, t.muted, (w - m, y + line // 2), "midright")
        bar = pygame.Rect(m, bar_y, bar_w, 10)
        pygame.draw.rect(surface, t.panel, bar, border_radius=5)
        pygame.draw.rect(surface, t.accent, (bar.x, bar.y, max(10, int(bar.width * share)), bar.height), border_radius=5)
        if t.panel == t.bg:      # high contrast: the empty bar needs an outline to be seen
            pygame.draw.rect(surface, t.muted, bar, width=1, border_radius=5)
        return y - 8

    def draw_instruction(self, surface: pygame.Surface, text: str, x: int, y: int, width: int, footer: int,
                         picture_bottom: int | None = None) -> None:
        """The phase's words beside the picture (type shrinks rather than running into the footer), then the
        seconds left in the phase, large and calm, level with the picture's foot where there is room."""
        t = self.theme
        seconds = t.font(44, True)
        room = footer - y - seconds.get_linesize() - 12
        y = draw_paragraph(surface, text, paragraph_font(t, text, 30, width, room, bold=False), t.fg, x, y, width)
        status = self.runner.status()  # type: ignore[union-attr]
        bottom = min(picture_bottom or footer, footer)
        y_time = max(y + 12, bottom - seconds.get_linesize())
        if y_time + seconds.get_linesize() <= footer:
            draw_paragraph(surface, f"{int(status.phase_left_s + 0.999)} s", seconds, t.muted, x, y_time, width)

    def picture_side(self, w: int, top: int, footer: int, share: float) -> int:
        """The picture's size: as large as fits, leaving the text column at least a comfortable width."""
        m = max(24, w // 40)
        return max(120, min(footer - top - 8, int(w * share), w - 3 * m - self.theme.px(340)))

    def picture(self, path: str, size: int) -> pygame.Surface | None:
        """A library picture scaled to fit a square of ``size`` pixels (cached)."""
        key = f"{path}@{size}"
        if key not in self._images:
            try:
                base = pygame.image.load(path)
            except (pygame.error, FileNotFoundError):
                return None
            if pygame.display.get_surface() is not None:
                base = base.convert_alpha() if base.get_alpha() else base.convert()
            scale = size / max(base.get_size())
            self._images[key] = pygame.transform.smoothscale(
                base, (max(1, round(base.get_width() * scale)), max(1, round(base.get_height() * scale))))
        return self._images[key]

    def draw_picture_box(self, surface: pygame.Surface, rect: pygame.Rect, path: str | None, fallback: str) -> None:
        """The posture picture on the light stimulus background, or its description in words."""
        t = self.theme
        pygame.draw.rect(surface, t.stimulus_bg, rect, border_radius=16)
        image = self.picture(path, rect.width - 24) if path else None
        if image is not None:
            surface.blit(image, image.get_rect(center=rect.center))
        else:                         # the words inside the box, centred; none in a box too small for them
            font = paragraph_font(t, fallback, 30, rect.width - 48, rect.height - 24)
            lines = wrap(fallback, font, rect.width - 48)
            height = len(lines) * font.get_linesize()
            if height <= rect.height - 24 and max(font.size(line)[0] for line in lines) <= rect.width - 24:
                draw_paragraph(surface, fallback, font, (40, 44, 52), rect.x + 24, rect.centery - height // 2,
                               rect.width - 48, "center")
        if t.name == "high-contrast":
            pygame.draw.rect(surface, t.fg, rect, width=2, border_radius=16)


def arrow(surface: pygame.Surface, box: pygame.Rect, intent: Intent, colour) -> None:
    """A solid triangle pointing left or right (the font has no arrow glyphs)."""
    if intent is Intent.LEFT:
        points = [(box.left, box.centery), (box.right, box.top), (box.right, box.bottom)]
    else:
        points = [(box.right, box.centery), (box.left, box.top), (box.left, box.bottom)]
    pygame.draw.polygon(surface, colour, points)
