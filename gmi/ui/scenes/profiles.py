"""Who is practising: the profiles on this computer, switching between them, and making a new one.

Each profile shows how many sessions it has (example data from `gmi demo` is said to be example data) and
the exposure plan in use: who wrote it and when. A new profile needs only a first name or a pseudonym.
Keyboard: Up/Down choose, Enter switches; on the name field, type and press Enter (Esc cancels).
"""

from __future__ import annotations

import pygame

from gmi.core.errors import GmiError
from gmi.core.intents import Intent, TimedIntent
from gmi.report.history import plan_info
from gmi.store.db import Profile
from gmi.store.history import simulated_counts
from gmi.ui.app import AppContext
from gmi.ui.gui import GuiScene
from gmi.ui.widgets import draw_paragraph, panel


def profile_lines(ctx: AppContext, profile: Profile) -> list[str]:
    """What the side panel says about one profile."""
    real, example = simulated_counts(ctx.db, profile.id)
    lines = [f"Since {profile.created_at[:10]}."]
    lines.append(f"{real} session{'s' * (real != 1)}" + (f" and {example} example sessions (made by gmi demo)." if example else "."))
    plan = plan_info(ctx.db, profile)
    if plan is None:
        lines.append("No exposure plan yet.")
    else:
        written = plan.written.isoformat() if plan.written else "no date given"
        lines.append(f"Plan: {plan.title or plan.file_name}" + (" (example plan)" if plan.example else ""))
        lines.append(f"Written by {plan.author} on {written}; installed {plan.installed_at[:10]}.")
    return lines


class ProfilesScene(GuiScene):
    def __init__(self) -> None:
        self.creating = False
        self.entry = None
        self.problem = ""
        self.lines: dict[int, list[str]] = {}    # per profile id: read once, not every frame

    def on_enter(self) -> None:
        super().on_enter()
        self.focus_index = next((i for i, p in enumerate(self.rows) if p.id == self.ctx.profile.id), 0)
        self._show_focus()

    def layout(self) -> None:
        import pygame_gui

        t = self.theme
        w, h = self.app.screen.get_size()
        margin = max(24, w // 24)
        bh = max(t.px(54), 44)
        gap = max(10, bh // 5)
        top = margin + t.font(44, True).get_linesize() + t.font(24).get_linesize() + gap
        self.profiles = self.ctx.db.profiles()
        col_w = min(w - 2 * margin, max(t.px(360), int(w * 0.42)))
        y = top
        self.rows: list[Profile] = []
        for p in self.profiles:
            label = p.name + ("  (now)" if p.id == self.ctx.profile.id else "")
            self.button(pygame.Rect(margin, y, col_w, bh), label, lambda p=p: self.switch(p))
            self.rows.append(p)
            y += bh + gap
        self.entry = None
        if self.creating:
            self.entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(margin, y, col_w, bh), self.manager,
                                                             placeholder_text="first name or pseudonym")
            self.entry.set_text_length_limit(64)
            self.entry.focus()
            y += bh + gap
            self.button(pygame.Rect(margin, y, col_w, bh), "Create and switch", self.create)
        else:
            self.button(pygame.Rect(margin, y, col_w, bh), "New profile", self.start_creating)
        y += bh + gap
        self.button(pygame.Rect(margin, y, col_w, bh), "Back", self.back)
        self.detail = pygame.Rect(margin * 2 + col_w, top, w - col_w - margin * 3, h - top - margin)
        if self.creating:
            self.focus_index = len(self.rows)      # "Create and switch"

    def draw_background(self, surface: pygame.Surface) -> None:
        t = self.theme
        w, _ = surface.get_size()
        margin = max(24, w // 24)
        y = draw_paragraph(surface, "Who is practising?", t.font(44, True), t.fg, margin, margin // 2, w - 2 * margin)
        draw_paragraph(surface, "Up and Down to choose, Enter to switch — or click.", t.font(24), t.muted, margin, y,
                       w - 2 * margin)
        if self.detail.width < t.px(240):
            return
        panel(surface, self.detail, t)
        x, y, width = self.detail.x + 20, self.detail.y + 16, self.detail.width - 40
        if self.problem:
            y = draw_paragraph(surface, self.problem, t.font(22), t.warn, x, y, width) + 10
        focused = self.focus_index
        if self.creating:
            y = draw_paragraph(surface, "A new profile", t.font(30, True), t.fg, x, y, width) + 6
            draw_paragraph(surface, "Type a first name or a pseudonym (1 to 64 characters), then press Enter. "
                                    "Each profile keeps its own sessions, settings and plan.",
                           t.font(24), t.fg, x, y, width)
            return
        if focused < len(self.rows):
            p = self.rows[focused]
            y = draw_paragraph(surface, p.name, t.font(30, True), t.fg, x, y, width) + 6
            if p.id not in self.lines:
                self.lines[p.id] = profile_lines(self.ctx, p)
            for k, line in enumerate(self.lines[p.id]):
                y = draw_paragraph(surface, line, t.font(24), t.fg if k else t.muted, x, y, width) + 4

    # -- actions -----------------------------------------------------------------------------------
    def switch(self, profile: Profile) -> None:
        self.app.ctx = AppContext.load(self.ctx.db, profile.name, self.ctx.data_dir)
        self.app.pop()

    def start_creating(self) -> None:
        self.creating = True
        self.problem = ""
        self.refresh()

    def create(self) -> None:
        name = (self.entry.get_text() if self.entry is not None else "").strip()
        try:
            if any(p.name == name for p in self.ctx.db.profiles()):
                raise GmiError("E-PROFILE-EXISTS", f"There is already a profile called {name!r}.",
                               fix="choose it in the list, or type another name.")
            profile = self.ctx.db.profile(name)
        except GmiError as exc:
            self.problem = str(exc)
            self.refresh()
            return
        self.creating = False
        self.switch(profile)

    def back(self) -> None:
        if self.creating:
            self.creating = False
            self.problem = ""
            self.refresh()
            return
        self.app.pop()

    def refresh(self) -> None:
        super().refresh()
        if self.creating:
            self.focus_index = len(self.rows)
            self._show_focus()

    # -- while typing a name, keys are letters, not moves ------------------------------------------
    def handle_raw(self, event: pygame.event.Event) -> None:
        import pygame_gui

        super().handle_raw(event)
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self.create()

    def handle(self, intent: TimedIntent) -> None:
        if self.entry is not None and self.entry.is_focused:
            if intent.intent is Intent.PAUSE:
                self.back()
            return    # Enter is handled by the field (UI_TEXT_ENTRY_FINISHED); other keys are typing
        super().handle(intent)
