"""`gmi forget --profile NAME`: remove everything gmi keeps about one profile, for good."""

from __future__ import annotations

import argparse
import sys

from gmi.commands.args import DEFAULT_PROFILE, add_common, data_dir_of, open_database, profile_of
from gmi.core.errors import GmiError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forget", help="remove all of one profile's data from this computer, for good",
                       description="Remove every session, answer, rating, plan, programme step, setting, photo and "
                                   "crash report of one profile, including from the upgrade backups, then compact "
                                   "the database so nothing is left in its free space. Other profiles are kept.")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation (for scripts)")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.store.forget import forget_profile

    name = profile_of(args)
    db = open_database(args)
    try:
        profile = db.profile(name, create=False)
        sessions = len(db.sessions(profile.id))
        if not args.yes:
            if not sys.stdin.isatty():
                raise GmiError("E-FORGET-CONFIRM", f"Forgetting {name!r} deletes {sessions} sessions for good; "
                               "gmi asks first, and there is no terminal to ask in.",
                               fix=f"add --yes to confirm: gmi forget --profile {name} --yes")
            print(f"This deletes everything gmi keeps about {name!r} ({sessions} sessions, plans, programme, "
                  "settings, photos) from this computer. It cannot be undone.")
            try:
                answer = input(f"Type the profile name ({name}) to confirm: ").strip()
            except EOFError:
                answer = ""
            if answer != name:
                print("Nothing was deleted.")
                return 1
        report = forget_profile(db, data_dir_of(args), profile.name, is_default=profile.name == DEFAULT_PROFILE)
    finally:
        db.close()
    print(report.describe())
    return 0
