"""Shared fixtures: headless SDL, a tiny stimulus library, an app with a fresh database."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path

import pytest

from gmi.core.stimuli import default_direction, mirrored_rotation, sha256_of


def write_tiny_library(folder: Path, part: str = "hands", views=("dorsal", "palmar"),
                       rotations=(0, 90, 180, 270)) -> Path:
    """A small but valid library: one upright image per side and view, rows per rotation."""
    import pygame

    folder.mkdir(parents=True, exist_ok=True)
    rows = ["id\tpart\tside\tview\tposture\trotation_deg\tdirection\tlevel\ttwin\tfile\tsha256"]
    for view in views:
        for side in ("left", "right"):
            surf = pygame.Surface((64, 64))
            surf.fill((230, 230, 230))
            thumb_x = 8 if side == "right" else 44     # a crude 'thumb' so the two sides differ
            pygame.draw.rect(surf, (180, 120, 90), (20, 10, 24, 44))
            pygame.draw.rect(surf, (180, 120, 90), (thumb_x, 30, 12, 8))
            name = f"{part}_{side}_{view}.png"
            pygame.image.save(surf, str(folder / name))
            sha = sha256_of(folder / name)
            other = "left" if side == "right" else "right"
            for rot in rotations:
                rows.append("\t".join([f"{part}-{side}-{view}-{rot}", part, side, view, "flat", str(rot),
                                       default_direction(side, rot), "1",
                                       f"{part}-{other}-{view}-{mirrored_rotation(rot)}", name, sha]))
    (folder / "manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def tiny_library(tmp_path, monkeypatch):
    import pygame

    pygame.init()
    folder = write_tiny_library(tmp_path / "stimuli")
    monkeypatch.setenv("GMI_STIMULI_DIR", str(folder))
    return folder


@pytest.fixture
def app(tmp_path, tiny_library):
    """A real App on the dummy video driver with a fresh database."""
    import pygame

    from gmi.store.db import Database
    from gmi.ui.app import App, AppContext, open_window

    db = Database.open(tmp_path / "data")
    ctx = AppContext.load(db, "tester", tmp_path / "data")
    screen = open_window()
    application = App(screen, ctx)
    yield application
    application.quit()
    db.close()
    pygame.quit()
