"""The camera panel drawn from constructed pose snapshots (no camera, no mediapipe), checked on pixels."""

from dataclasses import replace

import numpy as np
import pygame
import pytest

from gmi.core.reps import RepResult
from gmi.pose.pipeline import PoseSnapshot
from gmi.ui.camera_view import CameraView
from gmi.ui.theme import CALM, theme_for
from tests.ui.spy import spy_text

RED = (250, 10, 10)


def snapshot(**changes) -> PoseSnapshot:
    preview = np.zeros((240, 320, 3), np.uint8)
    preview[:, :160] = RED  # left half red
    preview.flags.writeable = False
    base = PoseSnapshot(frame_index=3, t_s=0.1, preview=preview, preview_scale=0.5, image_size=(640, 480),
                        landmarks_px=None, visibility=None, measured=(), angle_deg=120.0, target_deg=150.0,
                        target_band=(150.0, 180.0), gauge=(0.0, 180.0), rep_count=2, in_hold=False, hold_s=0.0,
                        reps=(), guidance="", ended=False, error=None, fps=30.0, frames=4)
    return replace(base, **changes)


class Feed:
    def __init__(self, snap):
        self.snap = snap

    def latest(self):
        return self.snap


@pytest.fixture
def screen():
    pygame.display.init()
    pygame.font.init()
    from gmi.ui.theme import reset_fonts

    reset_fonts()
    surface = pygame.Surface((1200, 700))
    yield surface
    pygame.quit()


def _render(screen, snap, theme=CALM):
    screen.fill((1, 2, 3))
    view = CameraView(Feed(snap), "Shoulder abduction")
    view.draw(screen, pygame.Rect(0, 0, 1200, 700), theme)
    return view


def _texts(monkeypatch):
    import gmi.ui.camera_view as module

    return spy_text(monkeypatch, module)


def test_picture_is_shown(screen):
    _render(screen, snapshot())
    assert screen.get_at((180, 350))[:3] == RED  # the red left half of the picture, left on screen


def test_figures_gauge_and_target(screen, monkeypatch):
    drawn = _texts(monkeypatch)
    last = RepResult(2, 156.4, 150.0, True, 0.7, 1.1, 1.0, 1.5, 2.1)
    _render(screen, snapshot(reps=(last,)))
    assert "120°" in drawn and "target 150°" in drawn and "2" in drawn
    assert "156°, held 0.7 s" in drawn and "target reached" in drawn
    # the target band (green) sits at the right end of the dial, the needle is not green below target
    assert any(screen.get_at((x, y))[:3] == CALM.good for x in range(1100, 1190) for y in range(40, 260))


def test_hold_in_progress(screen, monkeypatch):
    drawn = _texts(monkeypatch)
    _render(screen, snapshot(angle_deg=152.0, in_hold=True, hold_s=1.25))
    assert "Holding" in drawn and "1.2 s" in drawn


def test_guidance_error_ended_and_starting(screen, monkeypatch):
    import gmi.ui.camera_view as module

    paragraphs = spy_text(monkeypatch, module, "draw_paragraph")
    drawn = _texts(monkeypatch)
    _render(screen, snapshot(guidance="Step back so I can see your hips"))
    assert "Step back so I can see your hips" in paragraphs
    _render(screen, snapshot(error="Camera 0 stopped sending pictures.", ended=True))
    assert any("Everything measured so far is kept" in p for p in paragraphs)
    _render(screen, snapshot(ended=True))
    assert "The video has ended." in paragraphs
    _render(screen, snapshot(preview=None, frame_index=-1))
    assert "Starting the camera…" in drawn


def test_large_text_in_a_small_panel_keeps_the_figures(screen, monkeypatch):
    drawn = _texts(monkeypatch)
    CameraView(Feed(snapshot(angle_deg=None))).draw(screen, pygame.Rect(0, 0, 900, 320), theme_for(True, 2.0))
    assert "—  (target 150°)" in drawn and "Repetitions: 2" in " ".join(drawn)   # a figure may wrap
