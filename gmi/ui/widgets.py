"""Small drawing helpers shared by the scenes: wrapped text that never runs off the screen, panels."""

from __future__ import annotations

import pygame

from gmi.ui.theme import Colour, Theme


def wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        words, line = para.split(" "), ""
        for word in words:
            trial = f"{line} {word}".strip()
            if font.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def draw_text(surface: pygame.Surface, text: str, font: pygame.font.Font, colour: Colour,
              pos: tuple[int, int], anchor: str = "topleft") -> pygame.Rect:
    img = font.render(text, True, colour)
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    return rect


def draw_paragraph(surface: pygame.Surface, text: str, font: pygame.font.Font, colour: Colour,
                   x: int, y: int, width: int, align: str = "left") -> int:
    """Draw wrapped text; returns the y below it."""
    for line in wrap(text, font, width):
        img = font.render(line, True, colour)
        rx = x + (width - img.get_width()) // 2 if align == "center" else x
        surface.blit(img, (rx, y))
        y += font.get_linesize()
    return y


def fit_font(theme: Theme, text: str, size: int, width: int, bold: bool = True,
             height: int | None = None) -> pygame.font.Font:
    """The largest font (at most ``size`` before scaling) in which ``text`` fits ``width`` (and ``height``)."""
    font = theme.font(size, bold)
    while (font.size(text)[0] > width or (height is not None and font.get_height() > height)) and size > 10:
        size -= 2
        font = theme.font(size, bold)
    return font


def panel(surface: pygame.Surface, rect: pygame.Rect, theme: Theme, border: Colour | None = None) -> None:
    pygame.draw.rect(surface, theme.panel, rect, border_radius=14)
    if border is not None or theme.name == "high-contrast":
        pygame.draw.rect(surface, border or theme.fg, rect, width=2, border_radius=14)


def answer_target(surface: pygame.Surface, rect: pygame.Rect, label: str, colour: Colour, theme: Theme,
                  progress: float = 0.0, highlight: bool = False, size: int = 40) -> None:
    """A large LEFT / RIGHT answer area for mouse, touch and dwell; ``progress`` fills it while dwelling."""
    pygame.draw.rect(surface, theme.panel, rect, border_radius=18)
    if progress > 0:
        fill = rect.copy()
        fill.width = max(1, int(rect.width * progress))
        pygame.draw.rect(surface, colour, fill, border_radius=18)
    pygame.draw.rect(surface, colour, rect, width=6 if highlight else 4, border_radius=18)
    font = fit_font(theme, label, size, rect.width - 20, height=rect.height - 8)
    draw_text(surface, label, font, theme.fg, rect.center, "center")


def draw_blocks(surface: pygame.Surface, theme: Theme, blocks: list[tuple[str, int, bool, Colour]],
                rect: pygame.Rect, align: str = "center", gap: int = 18) -> int:
    """Draw paragraphs (text, size, bold, colour) inside ``rect``. If they do not fit at the user's text size,
    the type is stepped down — never below 100 % — so that nothing is cut off. Returns the y below the text."""
    scale = theme.text_scale
    while True:
        t = theme.scaled(scale)
        height = sum(len(wrap(text, t.font(size, bold), rect.width)) * t.font(size, bold).get_linesize() + gap
                     for text, size, bold, _ in blocks) - gap
        if height <= rect.height or scale <= 1.0:
            break
        scale = max(1.0, scale - 0.1)
    y = rect.y
    for text, size, bold, colour in blocks:
        y = draw_paragraph(surface, text, t.font(size, bold), colour, rect.x, y, rect.width, align) + gap
    return y - gap
