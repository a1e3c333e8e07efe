"""`gmi results`: laterality session summaries for scripts and clinicians (text or --json)."""

from __future__ import annotations

import argparse
import json

from gmi.commands.args import add_common, bounded, open_database, profile_of
from gmi.core.stimuli import PARTS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("results", help="print laterality results",
                       description="Print a summary of recent laterality sessions: per side n, correct, accuracy "
                                   "and median reaction time (correct answers), misses, settings.")
    p.add_argument("--last", type=bounded(int, 1, 100000), default=10, metavar="N", help="how many sessions (default 10)")
    p.add_argument("--part", choices=PARTS, help="only this body part")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.report.laterality import recent_results

    db = open_database(args)
    profile = db.profile(profile_of(args), create=False)
    results = recent_results(db, profile.id, last=args.last, part=args.part)
    if args.json:
        print(json.dumps({"profile": profile.name, "sessions": [r.to_dict() for r in results]}, indent=2))
        return 0
    if not results:
        print(f"No laterality sessions yet for {profile.name}.")
        return 0
    for r in results:
        s = r.summary
        print(f"Session {r.session_id}  {r.started_at[:16].replace('T', ' ')}  {r.part}  {r.settings.mode.value}"
              f"  ({len(r.results)} answered, {r.status})")
        for name, c in (("left", s.left), ("right", s.right)):
            acc = "-" if c.accuracy is None else f"{c.accuracy:.0%}"
            rt = "-" if c.median_rt_ms is None else f"{c.median_rt_ms:.0f} ms"
            print(f"  {name:5}  n={c.n:3}  correct={c.correct:3}  accuracy={acc:>4}  median RT={rt:>8}  misses={c.misses}")
        for line in r.verdict().lines:
            print(f"  {line}")
    return 0
