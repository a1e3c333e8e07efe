"""My programme: the stage in full (every criterion with where its number comes from), the stage history,
and the patient's own actions — report a flare, go back one stage."""

from __future__ import annotations

from datetime import datetime, timezone

import pygame

from gmi.core.programme import STAGE_LABELS, report_flare, step_back
from gmi.store.programme import add_event, events
from gmi.ui.gui import GuiScene
from gmi.ui.programme_panel import programme_status
from gmi.ui.widgets import draw_paragraph

EVENT_WORDS = {"start": "started", "advance": "moved on", "step_back": "went back", "override": "changed by",
               "flare": "flare reported"}


class ProgrammeScene(GuiScene):
    def on_enter(self) -> None:
        self.message = ""
        super().on_enter()

    def layout(self) -> None:
        t = self.theme
        w, h = self.app.screen.get_size()
        m = max(30, w // 30)
        self.status, problem = programme_status(self.ctx)
        self.message = self.message or problem
        bh = max(t.px(50), 44)
        buttons = [("I had a flare", self.flare), ("Back", self.app.pop)]
        if self.status.previous_stage:
            buttons.insert(1, (f"Go back to {STAGE_LABELS[self.status.previous_stage].lower()}", self.back_one))
        widths = [t.font(26, True).size(label)[0] + 40 for label, _ in buttons]   # each as wide as its words
        if sum(widths) + 16 * (len(widths) - 1) <= w - 2 * m:                  # in a row at the foot
            x = m
            for (label, action), width in zip(buttons, widths):
                self.button(pygame.Rect(x, h - m - bh, width, bh), label, action)
                x += width + 16
        else:                                                                    # else one above the other
            height = min(len(buttons) * (bh + 10) - 10, h // 2)
            self.menu([(label, action, None, None) for label, action in buttons],
                      pygame.Rect(m, h - m // 2 - height, w - 2 * m, height), bh, 10)

    def draw_background(self, surface: pygame.Surface) -> None:
        """The page at the user's text size, or a step smaller (never below 100 %) until it ends above the
        buttons: at large text sizes nothing runs off the screen."""
        limit = min((f.element.rect.top for f in self.focusables), default=surface.get_height()) - 8
        key = (surface.get_size(), self.theme, self.message)
        if getattr(self, "_fitted", (None,))[0] != key:
            t, scratch = self.theme, pygame.Surface(surface.get_size())
            while t.text_scale > 1.0 and self._draw_page(scratch, t) > limit:
                t = t.scaled(t.text_scale - 0.1)
            self._fitted = (key, t)
        self._draw_page(surface, self._fitted[1])

    def _draw_page(self, surface: pygame.Surface, t) -> int:
        """Draw the page with theme ``t``; returns the y below its lowest line."""
        w, h = surface.get_size()
        m = max(30, w // 30)
        st = self.status
        stage_no = st.stages.index(st.stage) + 1
        y = draw_paragraph(surface, f"My programme · {st.part}", t.font(44, True), t.fg, m, m // 2, w - 2 * m)
        y = draw_paragraph(surface, f"Stage {stage_no} of {len(st.stages)}: {STAGE_LABELS[st.stage]}"
                                    + (f" (since {st.entered_at.astimezone().date().isoformat()})" if st.entered_at else ""),
                           t.font(28, True), t.accent, m, y, w - 2 * m)
        if self.message:
            y = draw_paragraph(surface, self.message, t.font(24, True), t.good, m, y + 4, w - 2 * m)
        col = (w - 3 * m) // 2
        left_y = y + 12
        dose = st.dose_today
        unit = "images" if dose.unit == "images" else "minutes"
        left_y = draw_paragraph(surface, f"Today: {dose.sessions_done} of {dose.sessions_per_day} sessions "
                                         f"({dose.per_session:g} {unit} each; source: "
                                         f"{st.settings.per_session.source})", t.font(22), t.fg, m, left_y, col) + 8
        for c in st.criteria:
            source = "your plan" if not c.is_default else c.source
            left_y = draw_paragraph(surface, f"{c.label}: {c.value_text()} — aim {c.target_text()}",
                                    t.font(22, True), t.good if c.met else t.fg, m, left_y, col)
            left_y = draw_paragraph(surface, f"source: {source}", t.font(18), t.muted, m, left_y, col) + 4
        right_x, right_y = 2 * m + col, y + 12
        right_y = draw_paragraph(surface, "What happened", t.font(26, True), t.fg, right_x, right_y, col) + 4
        history = events(self.ctx.db, self.ctx.profile.id, st.part)[-8:]
        if not history:
            right_y = draw_paragraph(surface, "Nothing yet: the programme starts with left/right recognition.",
                                     t.font(22), t.muted, right_x, right_y, col)
        for e in reversed(history):
            what = EVENT_WORDS.get(e.kind, e.kind)
            to = f" to {STAGE_LABELS[e.to_stage].lower()}" if e.to_stage else ""   # the font has no arrows
            who = f" {e.by}" if e.kind == "override" else ""
            why = f": {e.reason}" if e.reason else ""
            right_y = draw_paragraph(surface, f"{e.at.astimezone().date().isoformat()}  {what}{who}{to}{why}",
                                     t.font(20), t.fg, right_x, right_y, col) + 2
        for note in st.notes:
            right_y = draw_paragraph(surface, note, t.font(20), t.muted, right_x, right_y + 6, col)
        return max(left_y, right_y)

    # -- the patient's actions ---------------------------------------------------------------------
    def flare(self) -> None:
        add_event(self.ctx.db, self.ctx.profile.id, report_flare(self.status, datetime.now(timezone.utc)))
        self.message = ("Your flare is noted. Going back a stage is fine; the days in a row start again from "
                        "today. Be kind to yourself.")
        self.refresh()

    def back_one(self) -> None:
        event = step_back(self.status, datetime.now(timezone.utc))
        if event is not None:
            add_event(self.ctx.db, self.ctx.profile.id, event)
            self.message = f"You are back at {STAGE_LABELS[event.to_stage].lower()}."
        self.refresh()
