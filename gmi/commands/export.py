"""`gmi export`: a profile's data for the physiotherapist and for other tools.

Formats: tsv (trial-level files with JSON sidecars, BIDS-style names), json (everything in one document),
html (a self-contained report with charts), fhir (an HL7 FHIR R4 Bundle of Observations). See docs/export.md.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from gmi.commands.args import add_common, open_database, profile_of

FORMATS = ("tsv", "json", "html", "fhir")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-10-01") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a profile's data (tsv, json, html report, fhir)",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write into (created if missing)")
    p.add_argument("--since", type=iso_date, metavar="DATE", help="only sessions from this day on (YYYY-MM-DD, local time)")
    p.add_argument("--subject", metavar="ID", help="the pseudonym to name the exported files and the FHIR Patient with "
                                                   "(letters and digits; default: the profile name)")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.report.export import export_profile

    db = open_database(args)
    try:
        result = export_profile(db, profile_of(args), args.format, args.out, args.since, args.subject)
    finally:
        db.close()
    example = f", {result.example_sessions} of them example data (gmi demo)" if result.example_sessions else ""
    print(f"Exported {result.sessions} sessions{example} as {result.format} into {args.out}: "
          f"{len(result.files)} file{'s' * (len(result.files) != 1)}.")
    if len(result.files) <= 3:
        for path in result.files:
            print(f"  {path}")
    return 0
