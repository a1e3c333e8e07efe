"""`gmi plan check FILE...`, `gmi plan install FILE`, `gmi plan show`: exposure plans from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from gmi.commands.args import add_common, open_database, profile_of
from gmi.core.errors import GmiError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("plan", help="check, install or show an exposure plan",
                            description="Exposure plans are TOML files written by a physiotherapist "
                                        "(see docs/plans.md and the examples in plans/).")
    actions = parser.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    check = actions.add_parser("check", help="check plan files and summarise the valid ones")
    check.add_argument("files", nargs="+", metavar="FILE", help="plan files (.toml)")
    add_common(check)
    check.set_defaults(func=run_check)

    install = actions.add_parser("install", help="check a plan and make it the current plan of a profile")
    install.add_argument("file", metavar="FILE", help="the plan file (.toml)")
    add_common(install)
    install.set_defaults(func=run_install)

    show = actions.add_parser("show", help="show the current plan of a profile and where it stands")
    add_common(show)
    show.set_defaults(func=run_show)

    session = sub.add_parser("exposure", help="start the next exposure session of the current plan now",
                             description="Open the next exposure session of the profile's plan straight away.")
    session.add_argument("--camera-free", action="store_true",
                         help="log the session by tapping even if a camera is available")
    session.add_argument("--fullscreen", action="store_true")
    add_common(session)
    session.set_defaults(func=run_session)


def run_check(args: argparse.Namespace) -> int:
    """Every file is checked; all problems of every invalid file are printed; exit 2 if any is invalid."""
    from gmi.core.plans import load_plan, summarize

    failed = 0
    for n, name in enumerate(args.files):
        if n:
            print()
        try:
            plan = load_plan(name)
        except GmiError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
            continue
        print(summarize(plan, dt.date.today()))
    if failed:
        print(f"\n{failed} of {len(args.files)} plan file{'s' * (len(args.files) > 1)} "
              f"{'has' if failed == 1 else 'have'} problems.", file=sys.stderr)
        return 2
    return 0


def run_install(args: argparse.Namespace) -> int:
    from gmi.core.plans import load_plan, summarize
    from gmi.store.exposure import install_plan, next_decision

    plan = load_plan(args.file)          # an invalid plan raises before anything is written
    db = open_database(args)
    try:
        profile = db.profile(profile_of(args))
        install_plan(db, profile.id, plan)
        start = next_decision(db, profile.id, plan)
    finally:
        db.close()
    print(summarize(plan, dt.date.today()))
    print(f"\nInstalled for profile {profile.name!r}. Next exposure session: \"{start.item}\", level {start.level}.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from gmi.core.plans import summarize
    from gmi.store.exposure import next_decision, plan_history, require_current_plan

    db = open_database(args)
    try:
        profile = db.profile(profile_of(args), create=False)
        installed = require_current_plan(db, profile.id, profile.name)
        plan = installed.plan()
        decision = next_decision(db, profile.id, plan)
        installs = len(plan_history(db, profile.id))
    finally:
        db.close()
    print(summarize(plan, dt.date.today()))
    print(f"\nInstalled {installed.installed_at[:16].replace('T', ' ')} UTC from {installed.file_name} "
          f"(sha256 {installed.sha256[:12]}…; {installs} install{'s' * (installs > 1)} in total).")
    print(f"Next session: \"{decision.item}\", level {decision.level}. {decision.reason}")
    return 0


def run_session(args: argparse.Namespace) -> int:
    from gmi.store.exposure import require_current_plan
    from gmi.ui.launch import run_scene

    def make_scene(ctx):
        from gmi.ui.scenes.exposure import ExposureScene

        require_current_plan(ctx.db, ctx.profile.id, ctx.profile.name)   # say so before a window opens
        return ExposureScene(use_camera=not args.camera_free)

    return run_scene(args, make_scene)
