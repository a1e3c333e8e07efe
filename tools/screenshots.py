"""Screenshots of gmi's screens for review and for the README.

Runs the real scenes in a real window (use Xvfb: `xvfb-run -s "-screen 0 1280x800x24" python tools/screenshots.py OUT`)
with a throw-away data directory, plays a short drill with a simulated patient, and saves each screen as PNG.
Options: --scale 1.0–2.0 (text size), --high-contrast, --part PART, --size WxH.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from gmi.core.laterality import DrillSettings  # noqa: E402
from gmi.store.db import Database  # noqa: E402
from gmi.ui.app import App, AppContext, open_window  # noqa: E402
from tools.simpatient import answer_key, post_key, run_drill  # noqa: E402


def play_drill(app: App, settings: DrillSettings, seed: int, accuracy: float, rt_s: float) -> int:
    from gmi.ui.scenes.drill import DrillScene

    rng = random.Random(seed)
    scene = DrillScene(settings, seed=seed, fixation_ms=1, feedback_ms=0, skip_ready=True, on_done=lambda sid: app.pop())
    app.push(scene)
    def patient(stim, onset: int) -> None:
        time.sleep(max(0.05, rng.gauss(rt_s, rt_s / 4)) * (1.25 if stim.side == "left" else 1.0))
        right = rng.random() < accuracy
        post_key(answer_key(stim.side if right else ("left" if stim.side == "right" else "right")))

    run_drill(app, scene, patient)
    return scene.session_id  # type: ignore[return-value]


def shot(app: App, name: str, out: Path) -> None:
    app.top.draw(app.screen)  # type: ignore[union-attr]
    pygame.display.flip()
    pygame.image.save(app.screen, str(out / f"{name}.png"))
    print(out / f"{name}.png")


def shots_app(doc: str | None = None) -> tuple[argparse.Namespace, App]:
    """The options every screenshot script takes, and an app on a throw-away data directory with that look."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--high-contrast", action="store_true")
    ap.add_argument("--part", default="hands")
    ap.add_argument("--size", default="1280x800")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="gmi-shots-"))
    ctx = AppContext.load(Database.open(data), "Anna", data)
    ctx.prefs.text_scale, ctx.prefs.high_contrast = args.scale, args.high_contrast
    ctx.save()
    w, h = (int(v) for v in args.size.split("x"))
    return args, App(open_window(size=(w, h)), ctx)


def main() -> None:
    args, app = shots_app()
    ctx = app.ctx
    ctx.drill = replace(ctx.drill, part=args.part, trials=24)
    ctx.save()
    from gmi.ui.scenes.drill import DrillScene
    from gmi.ui.scenes.home import HomeScene
    from gmi.ui.scenes.results import ResultsScene
    from gmi.ui.scenes.settings import SettingsScene

    suffix = ("-hc" if args.high_contrast else "") + (f"-{round(args.scale * 100)}" if args.scale != 1.0 else "")
    # A few weeks of practice so that the trend has something to show.
    for i, (acc, rt) in enumerate([(0.7, 2.6), (0.75, 2.3), (0.8, 2.1), (0.85, 1.9)]):
        play_drill(app, ctx.drill, seed=i, accuracy=acc, rt_s=rt / 10)   # fast simulated answers
    home = HomeScene()
    app.push(home)
    app.step(1 / 60)
    shot(app, f"home{suffix}", args.out)
    app.push(SettingsScene())
    app.step(1 / 60)
    shot(app, f"settings{suffix}", args.out)
    app.pop()
    drill = DrillScene(ctx.drill, seed=42)
    app.push(drill)
    app.step(1 / 60)
    shot(app, f"drill-ready{suffix}", args.out)
    drill._start()
    drill.state.phase = "stimulus"
    drill.state.index = drill.queue[0]
    shot(app, f"drill-picture{suffix}", args.out)
    drill.state.phase = "feedback"
    from gmi.core.laterality import Outcome, OutcomeKind

    drill.state.last_outcome = Outcome(OutcomeKind.ANSWER, drill.trials[drill.state.index].side, 900.0)
    shot(app, f"drill-feedback{suffix}", args.out)
    drill.state.phase = "paused"
    shot(app, f"drill-paused{suffix}", args.out)
    app.pop()
    sid = play_drill(app, ctx.drill, seed=9, accuracy=0.88, rt_s=0.17)
    app.push(ResultsScene(sid))
    app.step(1 / 60)
    shot(app, f"results{suffix}", args.out)
    if os.environ.get("GMI_SHOTS_SCROLL"):
        app.top.scroll = 10_000  # type: ignore[union-attr]
        shot(app, f"results-bottom{suffix}", args.out)
    pygame.quit()


if __name__ == "__main__":
    main()
