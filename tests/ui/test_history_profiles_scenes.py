"""The history and profiles screens driven by posted events under the dummy video driver."""

from __future__ import annotations

from datetime import date

import pygame
import pytest

from gmi.report.demo import fill_demo
from gmi.store.exposure import install_plan
from gmi.ui.chart_view import MIN_PLOT_H, legend_rows
from gmi.ui.scenes.history import HistoryScene
from gmi.ui.scenes.profiles import ProfilesScene, profile_lines


def post_key(key):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def click(pos):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos, touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=pos, touch=False))


def count_colour(surface, rect, colour):
    sub = surface.subsurface(rect.clip(surface.get_rect()))
    return sum(1 for x in range(0, sub.get_width(), 2) for y in range(0, sub.get_height(), 2)
               if sub.get_at((x, y))[:3] == colour)


@pytest.fixture
def demo_app(app):
    fill_demo(app.ctx.db, app.ctx.profile.name, 6, today=date(2026, 11, 21))
    return app


def test_pages_turn_with_keys_and_the_mouse(demo_app):
    app = demo_app
    scene = HistoryScene()
    app.push(scene)
    app.step(0.0)
    titles = [p.title for p in scene.pages]
    assert titles[0].startswith("Left/right pictures") and titles[-1] == "Plan and prescribed practice"
    assert any(t.startswith("Movement:") for t in titles) and "Expected and experienced pain" in titles
    post_key(pygame.K_RIGHT)
    app.step(0.0)
    assert scene.index == 1
    post_key(pygame.K_LEFT)
    post_key(pygame.K_LEFT)
    app.step(0.0)
    assert scene.index == len(scene.pages) - 1                  # wraps round
    click(scene.buttons["next"].center)
    app.step(0.0)
    assert scene.index == 0
    click(scene.buttons["previous"].center)
    app.step(0.0)
    assert scene.index == len(scene.pages) - 1
    post_key(pygame.K_BACKSPACE)
    app.step(0.0)
    assert app.top is None or app.top is not scene


def test_the_chart_is_drawn_with_both_sides_and_the_example_banner(demo_app):
    app = demo_app
    scene = HistoryScene()
    app.push(scene)
    app.step(0.0)
    t = app.ctx.theme
    plot = scene.plot.move(0, scene.top)
    assert plot.height >= MIN_PLOT_H
    assert count_colour(app.screen, plot, t.left) > 50 and count_colour(app.screen, plot, t.right) > 50
    header = pygame.Rect(0, 0, app.screen.get_width(), scene.top)
    assert count_colour(app.screen, header, t.warn) > 50            # "Example data" banner


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_nothing_is_cut_off_at_200_percent_text(demo_app, size):
    app = demo_app
    app.ctx.prefs.text_scale = 2.0
    app._resize(*size)
    scene = HistoryScene()
    app.push(scene)
    w, h = app.screen.get_size()
    for _ in range(len(scene.pages)):
        app.step(0.0)
        for rect in scene.buttons.values():
            assert app.screen.get_rect().contains(rect)
        assert scene.top < h // 2, "the header leaves room for the page"
        page = scene.pages[scene.index]
        if page.chart is not None and not page.chart.empty:
            assert scene.plot is not None and scene.plot.height >= MIN_PLOT_H and scene.plot.right <= w
            inner = w - 2 * max(20, w // 40)
            font = app.ctx.theme.font(20)
            for row in legend_rows(page.chart, font, inner, max(18, app.ctx.theme.px(22))):
                assert sum(font.size(label)[0] for label, _, _ in row) < inner
        # scroll to the end: everything on the page can be reached
        for _ in range(60):
            post_key(pygame.K_DOWN)
        app.step(0.0)
        footer = app.ctx.theme.font(22, True).get_linesize() + 20
        assert scene.scroll == max(0, scene.body.get_height() - (h - scene.top - footer))
        post_key(pygame.K_RIGHT)
        app.step(0.0)
        assert scene.scroll == 0


def test_an_empty_history_explains_itself(app):
    scene = HistoryScene()
    app.push(scene)
    app.step(0.0)
    assert [p.title for p in scene.pages] == ["Plan and prescribed practice"]
    assert scene.history.empty


def test_profiles_switch_and_show_who_wrote_the_plan(demo_app):
    app = demo_app
    db = app.ctx.db
    other = db.profile("zoe")
    from tests.report.helpers import install_example_plan

    install_example_plan(db, other.id, author="M. Okafor, physiotherapist")
    scene = ProfilesScene()
    app.push(scene)
    app.step(0.0)
    names = [p.name for p in scene.rows]
    assert names == ["tester", "zoe"] and scene.focus_index == 0
    lines = profile_lines(app.ctx, other)
    assert any("Written by M. Okafor, physiotherapist on 2026-01-05" in line for line in lines)
    assert any("example sessions" in line for line in profile_lines(app.ctx, db.profile("tester")))
    post_key(pygame.K_DOWN)
    post_key(pygame.K_RETURN)
    app.step(0.0)
    assert app.ctx.profile.name == "zoe" and app.top is not scene


def test_a_new_profile_is_typed_in_and_chosen(app):
    scene = ProfilesScene()
    app.push(scene)
    app.step(0.0)
    new = next(i for i, f in enumerate(scene.focusables) if f.element.text == "New profile")
    for _ in range(new):
        post_key(pygame.K_DOWN)
    post_key(pygame.K_RETURN)
    app.step(0.0)
    assert scene.creating and scene.entry is not None and scene.entry.is_focused
    for ch in "P-07":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    post_key(pygame.K_BACKSPACE)          # typing, not "go back"
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="8"))
    app.step(0.0)
    assert scene.entry.get_text() == "P-08" and app.top is scene
    post_key(pygame.K_RETURN)
    for _ in range(3):
        app.step(0.0)
    assert app.ctx.profile.name == "P-08" and "P-08" in [p.name for p in app.ctx.db.profiles()]


def test_a_duplicate_name_is_explained(app):
    app.ctx.db.profile("zoe")
    scene = ProfilesScene()
    app.push(scene)
    scene.start_creating()
    scene.entry.set_text("zoe")
    scene.create()
    assert "already a profile called 'zoe'" in scene.problem and app.top is scene
    post_key(pygame.K_ESCAPE)             # Esc leaves the name field
    app.step(0.0)
    assert not scene.creating
