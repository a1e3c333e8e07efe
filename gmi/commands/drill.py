"""`gmi drill`: start a laterality drill straight away (no menus) and end on the results screen."""

from __future__ import annotations

import argparse
from dataclasses import replace

from gmi.commands.args import add_common, bounded
from gmi.core.errors import GmiError
from gmi.core.laterality import TIME_LIMIT_RANGE_S, TRIALS_RANGE, Mode
from gmi.core.stimuli import PARTS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drill", help="start a left/right laterality drill now",
                       description="Start a left/right laterality drill straight away; it ends on the results screen.")
    p.add_argument("--part", choices=PARTS, help="body part (default: the profile's last choice)")
    p.add_argument("--trials", type=bounded(int, *TRIALS_RANGE), help="number of pictures, 10–100 (default 40)")
    p.add_argument("--time-limit", type=bounded(float, *TIME_LIMIT_RANGE_S, " s"), metavar="S",
                   help="seconds allowed per picture, 2–60 (default 5)")
    p.add_argument("--mode", choices=[m.value for m in Mode], help="training (feedback) or test (fixed, no feedback)")
    p.add_argument("--level", type=bounded(int, 1, 3), help="hardest picture level, 1–3")
    p.add_argument("--input", choices=("keys", "mouse", "dwell"), help="how answers are given")
    p.add_argument("--seed", type=bounded(int, 0, 2**31 - 1), help="trial order seed (recorded with the session)")
    p.add_argument("--fullscreen", action="store_true")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.ui.launch import run_scene

    def make_scene(ctx):
        from gmi.ui.scenes.drill import DrillScene, check_drill_can_run

        changes = {k: v for k, v in (("part", args.part), ("trials", args.trials), ("time_limit_s", args.time_limit),
                                     ("level", args.level)) if v is not None}
        if args.mode:
            changes["mode"] = Mode(args.mode)
        if args.part and args.part != ctx.drill.part:
            changes["views"] = ()
        ctx.drill = replace(ctx.drill, **changes).validate("command line")
        fixed = [f"--{o}" for o, v in (("trials", args.trials), ("time-limit", args.time_limit), ("level", args.level))
                 if v is not None]
        if ctx.drill.mode is Mode.TEST and fixed:
            raise GmiError("E-TEST-FIXED", f"Test mode uses fixed settings, so {', '.join(fixed)} would be ignored.",
                           fix="add --mode training to choose your own settings, or leave those options out.")
        if args.input:
            ctx.prefs.input_method = args.input
        library = check_drill_can_run(ctx)   # problems are reported here, before a window opens
        ctx.save()
        return DrillScene(seed=args.seed, library=library)

    return run_scene(args, make_scene)
