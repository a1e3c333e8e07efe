"""`gmi profiles`: the profiles on this computer, with their sessions and the plan in use (who wrote it, when)."""

from __future__ import annotations

import argparse
import json

from gmi.commands.args import add_common, open_database


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profiles", help="list the profiles on this computer",
                       description="List every profile: its sessions (example data from gmi demo counted apart) and "
                                   "the exposure plan in use, with who wrote it and when.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.report.history import plan_info
    from gmi.store.history import simulated_counts

    db = open_database(args)
    try:
        out = []
        for profile in db.profiles():
            real, example = simulated_counts(db, profile.id)
            plan = plan_info(db, profile)
            out.append({"name": profile.name, "created_at": profile.created_at, "sessions": real,
                        "example_sessions": example,
                        "plan": None if plan is None else {
                            "title": plan.title, "author": plan.author,
                            "written": plan.written.isoformat() if plan.written else None,
                            "installed_at": plan.installed_at, "file_name": plan.file_name, "example": plan.example}})
    finally:
        db.close()
    if args.json:
        print(json.dumps({"profiles": out}, indent=2))
        return 0
    if not out:
        print("No profiles yet. One is made the first time gmi runs (`gmi --profile NAME`).")
        return 0
    for p in out:
        sessions = f"{p['sessions']} session{'s' * (p['sessions'] != 1)}"
        if p["example_sessions"]:
            sessions += f" + {p['example_sessions']} example (gmi demo)"
        print(f"{p['name']}  (since {p['created_at'][:10]}; {sessions})")
        plan = p["plan"]
        if plan is None:
            print("  no exposure plan")
        else:
            print(f"  plan: {plan['title'] or plan['file_name']}{' (example plan)' if plan['example'] else ''}")
            print(f"  written by {plan['author']} on {plan['written'] or 'no date given'}; "
                  f"installed {plan['installed_at'][:10]}")
    return 0
