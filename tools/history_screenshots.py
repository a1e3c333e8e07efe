"""Screenshots of the history and profiles screens with example data, for review.

Fills a throw-away data directory with `gmi demo` history, opens the real scenes in a real window (run it
under Xvfb: `DISPLAY=:N python tools/history_screenshots.py OUT`) and saves every history page as PNG.
Options: --scale 1.0–2.0 (text size), --high-contrast, --weeks N.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from gmi.report.demo import fill_demo  # noqa: E402
from gmi.store.db import Database  # noqa: E402
from gmi.ui.app import App, AppContext, open_window  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--high-contrast", action="store_true")
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="gmi-history-shots-"))
    db = Database.open(data)
    fill_demo(db, "example", args.weeks)
    ctx = AppContext.load(db, "example", data)
    ctx.prefs.text_scale = args.scale
    ctx.prefs.high_contrast = args.high_contrast
    w, h = (int(v) for v in args.size.split("x"))
    app = App(open_window(size=(w, h)), ctx)
    from gmi.ui.scenes.history import HistoryScene
    from gmi.ui.scenes.profiles import ProfilesScene

    tag = f"{int(args.scale * 100)}{'-hc' if args.high_contrast else ''}"
    scene = HistoryScene()
    app.push(scene)
    for i in range(len(scene.pages)):
        app.step(0.0)
        pygame.image.save(app.screen, str(args.out / f"history-{tag}-{i + 1:02d}.png"))
        scene.turn(1)
    app.pop()
    app.push(ProfilesScene())
    app.step(0.0)
    pygame.image.save(app.screen, str(args.out / f"profiles-{tag}.png"))
    print(f"history pages: {len(scene.pages)}; data loaded in {scene.load_ms:.0f} ms; saved to {args.out}")
    pygame.quit()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
