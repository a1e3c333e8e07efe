"""`gmi demo`: fill a profile with several weeks of example history, clearly marked as example data."""

from __future__ import annotations

import argparse

from gmi.commands.args import add_common, bounded, open_database, profile_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="fill a profile with example history (marked as example data)",
                       description="Write several weeks of simulated practice into a profile — left/right drills, "
                                   "imagined movements, mirror therapy, graded exposure with ratings — through the "
                                   "same code real sessions use, so a new user or a clinician can see what gmi shows. "
                                   "Every session is marked as example data. A profile with real sessions is refused "
                                   "unless --force.")
    p.add_argument("--weeks", type=bounded(int, 1, 52), default=6, metavar="N", help="weeks of history (1–52, default 6)")
    p.add_argument("--seed", type=bounded(int, 0, 2**31 - 1), default=2026, help="random seed (same seed, same history)")
    p.add_argument("--force", action="store_true", help="add example data even if the profile has real sessions")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.report.demo import fill_demo

    db = open_database(args)
    try:
        summary = fill_demo(db, profile_of(args), args.weeks, force=args.force, seed=args.seed)
    finally:
        db.close()
    print(summary.text())
    print(f"Open it with `gmi --profile {summary.profile}` (My progress over weeks), or export it with "
          f"`gmi export --profile {summary.profile} --format html --out DIR`.")
    return 0
