"""Open the window straight on one scene (for sub-commands such as `gmi imagery` and `gmi mirror`)."""

from __future__ import annotations

import argparse
from typing import Callable

from gmi.ui.app import App, AppContext, Scene


def run_scene(args: argparse.Namespace, make_scene: Callable[[AppContext], Scene], *, part: str | None = None) -> int:
    """Open the profile's database and a window, show ``make_scene(ctx)``; the window closes when it ends."""
    import pygame

    from gmi.commands.args import data_dir_of, profile_of
    from gmi.store.db import Database
    from gmi.ui.app import open_window

    db = Database.open(data_dir_of(args))
    try:
        ctx = AppContext.load(db, profile_of(args), data_dir_of(args))
        if part and part != ctx.drill.part:
            from dataclasses import replace

            ctx.drill = replace(ctx.drill, part=part, views=())
            ctx.save()
        scene = make_scene(ctx)
        screen = open_window(getattr(args, "fullscreen", False))
        try:
            app = App(screen, ctx)
            app.push(scene)
            return app.run()
        finally:
            pygame.quit()
    finally:
        db.close()
