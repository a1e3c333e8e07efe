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
from gmi.ui.theme import gui_theme


@dataclass
class Focusable:
    element: object
    on_confirm: Callable[[], None] | None = None
    on_left: Callable[[], None] | None = None
    on_right: Callable[[], None] | None = None


class GuiScene(Scene):
    def on_enter(self) -> None:
        self.focus_index = 0
        self.build()

    def on_resume(self) -> None:
        self.build()   # the theme or text size may have changed on a screen above

    def on_resize(self) -> None:
        self.build()

    def build(self) -> None:
        import pygame_gui

        self.manager = pygame_gui.UIManager(self.app.screen.get_size(), gui_theme(self.theme))
        self.focusables: list[Focusable] = []
        self.layout()
        self.focus_index = min(self.focus_index, max(0, len(self.focusables) - 1))
        self._show_focus()

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

    def focused(self) -> Focusable | None:
        return self.focusables[self.focus_index] if self.focusables else None

    def _show_focus(self) -> None:
        for i, f in enumerate(self.focusables):
            (f.element.select if i == self.focus_index else f.element.unselect)()  # type: ignore[attr-defined]

    def _move(self, step: int) -> None:
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
