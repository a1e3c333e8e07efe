"""Colours, type and sizes. Calm, high contrast, colour-blind safe (Okabe–Ito palette), scalable 100–200 %."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pygame

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    name: str
    bg: Colour
    panel: Colour
    fg: Colour
    muted: Colour
    accent: Colour          # focus ring, primary buttons
    left: Colour            # left side in charts and targets (blue)
    right: Colour           # right side (orange): distinguishable with every common colour-vision deficiency
    good: Colour
    warn: Colour
    stimulus_bg: Colour     # behind laterality images
    text_scale: float = 1.0

    def px(self, size: int) -> int:
        """A type size in pixels at the user's text scale."""
        return max(8, round(size * self.text_scale))

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        return _font(self.px(size), bold)

    def scaled(self, text_scale: float) -> "Theme":
        return replace(self, text_scale=min(2.0, max(1.0, text_scale)))


# good and warn are Okabe–Ito's bluish green and vermillion, lightened to 4.5:1 (WCAG AA) as text on the
# panel colour; tests/ui/test_colours.py checks contrast and colour-blind separation of every pair.
CALM = Theme("calm", bg=(24, 28, 34), panel=(38, 44, 53), fg=(240, 242, 245), muted=(170, 178, 190),
             accent=(86, 180, 233), left=(86, 180, 233), right=(230, 159, 0), good=(20, 190, 140),
             warn=(240, 128, 50), stimulus_bg=(232, 234, 237))
HIGH_CONTRAST = Theme("high-contrast", bg=(0, 0, 0), panel=(0, 0, 0), fg=(255, 255, 255), muted=(255, 255, 255),
                      accent=(255, 221, 0), left=(0, 200, 255), right=(255, 170, 0), good=(0, 230, 160),
                      warn=(255, 120, 60), stimulus_bg=(255, 255, 255))


def theme_for(high_contrast: bool, text_scale: float) -> Theme:
    return (HIGH_CONTRAST if high_contrast else CALM).scaled(text_scale)


def font_file(bold: bool = False) -> Path | None:
    """Noto Sans as shipped with pygame_gui (found without importing pygame_gui: start-up stays fast)."""
    spec = importlib.util.find_spec("pygame_gui")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
    return path if path.is_file() else None


def reset_fonts() -> None:
    """Fonts die with pygame.font.quit(); forget cached ones whenever a new window opens."""
    _font.cache_clear()


@lru_cache(maxsize=64)
def _font(px: int, bold: bool) -> pygame.font.Font:
    path = font_file(bold)
    return pygame.font.Font(str(path) if path else None, px)


BUTTON_TYPE = 26     # size (at 100 %) of the bold type on menu buttons


def gui_theme(theme: Theme) -> dict:
    """A pygame_gui theme dictionary matching ``theme`` (menus and forms)."""
    def hexc(c: Colour) -> str:
        return "#{:02x}{:02x}{:02x}".format(*c)

    font = {"name": "noto_sans", "size": str(theme.px(BUTTON_TYPE)), "bold": "1"}
    misc = {"shape": "rounded_rectangle", "shape_corner_radius": "12", "border_width": "3"}
    # pygame_gui reads only colours from "defaults": fonts and shapes go on each element type.
    return {
        "defaults": {
            "colours": {"normal_bg": hexc(theme.panel), "hovered_bg": hexc(_mix(theme.panel, theme.accent, 0.25)),
                        "selected_bg": hexc(_mix(theme.panel, theme.accent, 0.45)),
                        "active_bg": hexc(theme.accent), "normal_text": hexc(theme.fg),
                        "hovered_text": hexc(theme.fg), "selected_text": hexc(theme.fg), "active_text": hexc(theme.bg),
                        "normal_border": hexc(theme.muted), "hovered_border": hexc(theme.accent),
                        "selected_border": hexc(theme.accent), "dark_bg": hexc(theme.bg),
                        "text_cursor": hexc(theme.fg)},
        },
        "button": {"font": font, "misc": misc},
        "text_entry_line": {"font": font, "misc": misc},
        "label": {"font": font, "colours": {"dark_bg": "#00000000", "normal_text": hexc(theme.fg)}},
        "#title": {"font": {"name": "noto_sans", "size": str(theme.px(44)), "bold": "1"}},
        "#muted": {"colours": {"normal_text": hexc(theme.muted)},
                   "font": {"name": "noto_sans", "size": str(theme.px(22)), "bold": "0"}},
    }


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]
