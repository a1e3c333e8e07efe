"""Open the window straight on one scene (for sub-commands such as `gmi imagery` and `gmi mirror`)."""

from __future__ import annotations

import argparse
from typing import Callable

from gmi.ui.app import App, AppContext, Scene


def run_scene(args: argparse.Namespace, make_scene: Callable[[AppContext], Scene], *, part: str | None = None,
              first_frame_only: bool = False) -> int:
    """Open the profile's database and a window, show ``make_scene(ctx)``; the window closes when it ends.
    ``make_scene`` runs before the window opens, so the problems it raises reach the command line (exit 2).
    ``first_frame_only`` (start-up benchmark): draw one frame, print the time and the heavy modules, stop."""
    import sys
    import time

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
            if first_frame_only:
                app.step(0.0)
                print(f"first_frame {time.perf_counter():.6f}", flush=True)
                print("modules " + " ".join(m for m in ("cv2", "mediapipe", "matplotlib") if m in sys.modules),
                      flush=True)
                return 0
            return app.run()
        finally:
            pygame.quit()
    finally:
        db.close()
