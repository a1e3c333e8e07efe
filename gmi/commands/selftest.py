"""`gmi selftest`: are reaction times trustworthy on this computer? Measures the drill's answer loop and the
screen's frame pacing in a small window and says so in plain words (exit code 0 yes, 1 no)."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from gmi.commands.args import add_common, bounded, data_dir_of, profile_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("selftest", help="check whether reaction times measured on this computer are trustworthy",
                       description="Open a small window for a few seconds, measure how often the drill looks for "
                                   "answers and how evenly the screen is redrawn, and say whether reaction times "
                                   "measured here can be trusted, and what to close or change if not. Exit code 0: "
                                   "trustworthy; 1: not (or stopped).")
    p.add_argument("--seconds", type=bounded(float, 1, 10, " s"), default=2.0, metavar="S",
                   help="how long each of the two measurements runs, 1–10 (default 2)")
    p.add_argument("--json", action="store_true", help="print the measurements and the verdict as JSON")
    p.add_argument("--fullscreen", action="store_true", help="measure full screen, as the drill runs then")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")   # stdout is the result (JSON with --json)
    import pygame

    from gmi.core.timing_check import judge_timing
    from gmi.ui.app import App
    from gmi.ui.scenes.selftest import SelftestScene

    screen = _open_any_window(args.fullscreen)
    driver = pygame.display.get_driver()
    refresh_hz = float(pygame.display.get_current_refresh_rate() or 0)
    vsync = bool(getattr(pygame.display, "is_vsync", lambda: False)())
    with tempfile.TemporaryDirectory(prefix="gmi-selftest-") as tmp:   # the user's data is not touched
        ctx = _context(args, Path(tmp))
        try:
            app = App(screen, ctx)
            scene = SelftestScene(args.seconds)
            app.push(scene)
            app.run()
        finally:
            ctx.db.close()
            pygame.quit()
    if scene.phase != "done":
        print("The check was stopped before the end; nothing was judged. Run gmi selftest again and leave it "
              "running for a few seconds.")
        return 1
    report = judge_timing(scene.poll_gaps_us, scene.frame_intervals_ms(), refresh_hz=refresh_hz, vsync=vsync,
                          video_driver=driver, real_screen=driver not in ("dummy", "offscreen"))
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.text())
    return 0 if report.trustworthy else 1


def _open_any_window(fullscreen: bool):
    """The real screen; without one (no display), SDL's dummy driver, so that the answer loop is still measured."""
    import pygame

    from gmi.ui.app import open_window

    try:
        return open_window(fullscreen)
    except pygame.error:
        pygame.display.quit()
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        return open_window(fullscreen)


def _context(args: argparse.Namespace, tmp: Path):
    """A throw-away profile with the look (text size, contrast) of the user's own profile, if it exists."""
    from gmi.store.db import Database
    from gmi.store.location import DB_FILENAME
    from gmi.ui.app import AppContext, Prefs

    prefs = Prefs()
    if (data_dir_of(args) / DB_FILENAME).is_file():
        from gmi.core.errors import GmiError

        try:
            db = Database.open(data_dir_of(args))
            try:
                prefs = Prefs.from_dict(db.profile(profile_of(args), create=False).settings.get("prefs", {}))
            finally:
                db.close()
        except GmiError:       # no such profile: the standard look
            pass
    ctx = AppContext.load(Database.open(tmp), "selftest", tmp)
    ctx.prefs = prefs
    return ctx
