"""Large text (100–200 %) and high contrast: nothing cut off, every choice reachable by keyboard."""

from __future__ import annotations

import pygame
import pytest

from gmi.core.intents import Intent, TimedIntent
from gmi.ui.scenes.home import HomeScene
from gmi.ui.scenes.settings import SettingsScene


def labels_on_every_page(app, scene):
    """Walk the menu with the Down key alone; return every label seen and check each page's geometry."""
    seen, screen = [], app.screen.get_rect()
    for _ in range(60):
        for f in scene.focusables:
            el = f.element
            assert screen.contains(el.rect), f"{el.text!r} is off screen"
            width = scene.theme.font(26, True).size(el.text)[0]
            assert width <= el.rect.width - 8, f"{el.text!r} does not fit its button"
            seen.append(el.text)
        scene.handle(TimedIntent(0, Intent.DOWN))
    return set(seen)


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("high_contrast", [False, True])
@pytest.mark.parametrize("scene_cls,must_see", [
    (HomeScene, {"Settings (mode, answers, text, profile)", "My last results", "Quit"}),
    (SettingsScene, {"Back", "High contrast: off", "Text size: 100 %"}),
])
def test_menus_fit_and_every_row_is_reachable(app, scale, high_contrast, scene_cls, must_see):
    app.ctx.prefs.text_scale, app.ctx.prefs.high_contrast = scale, high_contrast
    scene = scene_cls()
    app.push(scene)
    app.step(1 / 60)
    seen = labels_on_every_page(app, scene)
    must = {m.replace("100 %", f"{round(scale * 100)} %").replace("off", "on" if high_contrast else "off") for m in must_see}
    assert must <= seen


def test_drill_instructions_fit_at_200_percent(app):
    from gmi.ui.scenes.drill import DrillScene

    app.ctx.prefs.text_scale = 2.0
    scene = DrillScene()
    app.push(scene)
    app.step(1 / 60)
    # The last line (how to start) is drawn in the accent colour: it must be on screen.
    surface = app.screen
    accent = app.ctx.theme.accent
    w, h = surface.get_size()
    rows_with_accent = [y for y in range(0, h, 2) if any(surface.get_at((x, y))[:3] == accent for x in range(0, w, 3))]
    assert rows_with_accent and max(rows_with_accent) < h - 10
