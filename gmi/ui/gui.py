"""Menu and form scenes built with pygame_gui, usable by keyboard alone and by mouse alone.

Focus moves with Up/Down (or Tab); Enter activates; Left/Right change the value of the focused row;
Esc or Backspace goes back. The mouse clicks the same buttons. The focused button is drawn selected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pygame

from gmi.core.intents import Intent, TimedIntent
from gmi.ui.app import Scene
from gmi.ui.theme import BUTTON_TYPE, Theme, gui_theme


@dataclass
class Focusable:
    element: object
    on_confirm: Callable[[], None] | None = None
    on_left: Callable[[], None] | None = None
    on_right: Callable[[], None] | None = None


Row = tuple[str, "Callable[[], None] | None", "Callable[[], None] | None", "Callable[[], None] | None"]


class GuiScene(Scene):
    menu_page = 0
    menu_pages = 1

    def on_enter(self) -> None:
        self.focus_index = 0
        self.menu_page = 0
        self.build()

    def on_resume(self) -> None:
        self.build()   # the theme or text size may have changed on a screen above

    def on_resize(self) -> None:
        self.build()

    _shrink = 0.0    # how far below the user's text size this screen's type had to go to fit the window

    @property
    def theme(self) -> Theme:
        base = self.app.ctx.theme
        return base.scaled(base.text_scale - self._shrink) if self._shrink else base

    def build(self) -> None:
        """Lay the screen out at the user's text size; if a button's words would be cut off (large text, small
        window), again a step smaller, never below 100 %."""
        self._shrink = 0.0
        self._build_once()
        while not self._labels_fit() and self.theme.text_scale > 1.0:
            self._shrink = round(self._shrink + 0.1, 2)
            self._build_once()

    def _build_once(self) -> None:
        import pygame_gui

        self.manager = pygame_gui.UIManager(self.app.screen.get_size(), gui_theme(self.theme))
        self.focusables: list[Focusable] = []
        self.menu_pages = 1
        self.layout()
        self.focus_index = min(self.focus_index, max(0, len(self.focusables) - 1))
        self._show_focus()

    def _labels_fit(self) -> bool:
        font = self.theme.font(BUTTON_TYPE, True)
        return all(font.size(f.element.text)[0] <= f.element.rect.width - 8
                   and font.get_height() <= f.element.rect.height for f in self.focusables)

    # -- subclasses -------------------------------------------------------------------------------
    def layout(self) -> None:
        """Create the buttons (with self.button) for the current screen size."""

    def draw_background(self, surface: pygame.Surface) -> None:
        """Draw titles and text under the buttons."""

    def back(self) -> None:
        self.app.pop()

    # -- helpers ----------------------------------------------------------------------------------
    def button(self, rect: pygame.Rect, text: str, on_confirm: Callable[[], None] | None = None,
               on_left: Callable[[], None] | None = None, on_right: Callable[[], None] | None = None,
               object_id: str | None = None):
        import pygame_gui

        element = pygame_gui.elements.UIButton(rect, text, self.manager, object_id=object_id)
        self.focusables.append(Focusable(element, on_confirm, on_left, on_right))
        return element

    def menu(self, rows: list[Row], area: pygame.Rect, row_h: int, gap: int) -> None:
        """Rows as one column of buttons in ``area``. When they do not all fit (large text, small window) they
        go on pages: a last "More choices" button (for the mouse) and the arrow keys move between pages."""
        per_page = max(2, (area.height + gap) // (row_h + gap))
        visible, more = rows, False
        if len(rows) > per_page:
            k = per_page - 1
            self.menu_pages = -(-len(rows) // k)
            self.menu_page %= self.menu_pages
            visible, more = rows[self.menu_page * k:(self.menu_page + 1) * k], True
        for i, (label, confirm, left, right) in enumerate(visible):
            rect = pygame.Rect(area.x, area.y + i * (row_h + gap), area.width, row_h)
            self.button(rect, label, confirm, left, right)
        if more:
            rect = pygame.Rect(area.x, area.y + len(visible) * (row_h + gap), area.width, row_h)
            self.button(rect, f"More choices (page {self.menu_page + 1} of {self.menu_pages})", self.next_page)

    def next_page(self, step: int = 1) -> None:
        self.menu_page = (self.menu_page + step) % self.menu_pages
        self.focus_index = 0
        self.build()
        if step < 0:
            self.focus_index = max(0, len(self.focusables) - 2)
            self._show_focus()

    def focused(self) -> Focusable | None:
        return self.focusables[self.focus_index] if self.focusables else None

    def _show_focus(self) -> None:
        for i, f in enumerate(self.focusables):
            (f.element.select if i == self.focus_index else f.element.unselect)()  # type: ignore[attr-defined]

    def _move(self, step: int) -> None:
        if self.menu_pages > 1 and self.focusables:
            if step > 0 and self.focus_index == len(self.focusables) - 1:
                self.next_page(1)
                return
            if step < 0 and self.focus_index == 0:
                self.next_page(-1)
                return
        if self.focusables:
            self.focus_index = (self.focus_index + step) % len(self.focusables)
            self._show_focus()

    # -- scene protocol ---------------------------------------------------------------------------
    def handle_raw(self, event: pygame.event.Event) -> None:
        import pygame_gui

        self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for i, f in enumerate(self.focusables):
                if f.element is event.ui_element:
                    self.focus_index = i
                    self._show_focus()
                    self._activate(f)
                    break

    def _activate(self, f: Focusable) -> None:
        if f.on_confirm:
            f.on_confirm()
        elif f.on_right:
            f.on_right()

    def handle(self, intent: TimedIntent) -> None:
        f = self.focused()
        if intent.intent is Intent.UP:
            self._move(-1)
        elif intent.intent is Intent.DOWN:
            self._move(1)
        elif intent.intent in (Intent.CONFIRM, Intent.TAP) and f:
            self._activate(f)
        elif intent.intent is Intent.LEFT and f and f.on_left:
            f.on_left()
        elif intent.intent is Intent.RIGHT and f and f.on_right:
            f.on_right()
        elif intent.intent in (Intent.PAUSE, Intent.BACK):
            self.back()

    def update(self, dt_s: float) -> None:
        self.manager.update(dt_s)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.bg)
        self.draw_background(surface)
        self.manager.draw_ui(surface)

    def refresh(self) -> None:
        """Rebuild after a value changed, keeping the focus where it was."""
        index = self.focus_index
        self.build()
        self.focus_index = min(index, len(self.focusables) - 1)
        self._show_focus()
