"""`gmi programme`: where a patient stands in the GMI programme; flares, going back, clinician overrides.

Without options it prints the current stage, today's dose and each criterion with how close it is and where
its number comes from. Criteria that hold open the next stage (recorded, as on the home screen).
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from gmi.commands.args import add_common, open_database, profile_of
from gmi.core.errors import GmiError
from gmi.core.programme import AFFECTED_SIDES, STAGE_LABELS, STAGES, override, report_flare, step_back
from gmi.core.stimuli import PARTS

SETTINGS_KEY = "programme"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("programme", help="the GMI programme: stage, dose, criteria; flare, step back, override",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("--part", choices=PARTS, help="body part (default: the one chosen on the home screen)")
    p.add_argument("--plan", metavar="FILE", help="use the [programme] of this plan file from now on (checked first)")
    p.add_argument("--no-plan", action="store_true", help="forget the plan: use the default programme")
    p.add_argument("--affected-side", choices=AFFECTED_SIDES, help="the painful side (imagery starts on the other)")
    p.add_argument("--flare", metavar="NOTE", nargs="?", const="", help="record a flare (an optional note)")
    p.add_argument("--step-back", action="store_true", help="go back one stage (after a flare, or when it is too hard)")
    p.add_argument("--override", metavar="STAGE", choices=STAGES,
                   help=f"clinician: put the patient in a stage ({', '.join(STAGES)}); needs --by and --why")
    p.add_argument("--by", metavar="NAME", help="who decides the override (recorded)")
    p.add_argument("--why", metavar="TEXT", help="the reason for an override or a step back (recorded)")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gmi.core.programme import load_programme, programme_for
    from gmi.store.programme import add_event, stage_status

    if args.override and not ((args.by or "").strip() and (args.why or "").strip()):
        raise GmiError("E-OVERRIDE", "A clinician override needs the clinician's name and a reason.",
                       fix='add --by "Your Name" --why "the reason", e.g. --why "laterality normal in clinic"')
    if args.plan and args.no_plan:
        raise GmiError("E-PROGRAMME-ARGS", "--plan and --no-plan cannot be used together.", fix="choose one")
    db = open_database(args)
    try:
        profile = db.profile(profile_of(args))
        saved = dict(profile.settings.get(SETTINGS_KEY, {}))
        if args.plan:
            load_programme(args.plan)                        # a bad plan is refused before it is remembered
            saved["plan"] = str(Path(args.plan).expanduser().resolve())
        if args.no_plan:
            saved["plan"] = None
        if args.affected_side:
            saved["affected_side"] = args.affected_side
        if saved != profile.settings.get(SETTINGS_KEY, {}):
            db.save_profile_settings(profile.id, {**profile.settings, SETTINGS_KEY: saved})
        part = args.part or profile.settings.get("drill", {}).get("part") or "hands"
        programme, message = programme_for(part, saved.get("plan"), saved.get("affected_side"))
        today = datetime.now().astimezone().date()
        now = datetime.now(timezone.utc)
        status, moved = stage_status(db, profile.id, programme, part, today)
        lines = [message] if message else []
        if moved is not None:
            lines.append(f"The criteria held: {STAGE_LABELS[moved.to_stage].lower()} is now open.")
        event = None
        if args.flare is not None:
            event = report_flare(status, now, args.flare)
        if args.step_back:
            if event is not None:
                add_event(db, profile.id, event)
                status, _ = stage_status(db, profile.id, programme, part, today, open_next=False)
            event = step_back(status, now, args.why or "flare")
            if event is None:
                lines.append("Already in the first stage: there is no stage to go back to.")
        if args.override:
            event = override(status, now, args.override, args.by, args.why)
        if event is not None:
            add_event(db, profile.id, event)
            lines.append(_describe(event))
            status, _ = stage_status(db, profile.id, programme, part, today, open_next=False)
        print("\n".join(lines + [format_status(status, programme.source)]))
        return 0
    finally:
        db.close()


def _describe(event) -> str:
    if event.kind == "flare":
        return "Flare recorded. Going back a stage is fine (--step-back); the days in a row start again."
    if event.kind == "step_back":
        return f"Back to {STAGE_LABELS[event.to_stage].lower()} (recorded)."
    return f"Override recorded: {STAGE_LABELS[event.to_stage].lower()}, by {event.by}: {event.reason}."


def format_status(status, source: str) -> str:
    stage_no = status.stages.index(status.stage) + 1
    dose = status.dose_today
    lines = [f"{status.part}: stage {stage_no} of {len(status.stages)}, {STAGE_LABELS[status.stage].lower()}"
             f" (programme: {'default' if source == 'default' else source})",
             f"  today: {dose.sessions_done} of {dose.sessions_per_day} sessions done, {dose.sessions_left} left "
             f"({dose.per_session:g} {dose.unit} a session; {dose.amount_done:g} {dose.unit} so far)",
             "  to move on:" if status.next_stage else "  to finish:"]
    for c in status.criteria:
        mark = "ok " if c.met else "-- " if c.met is None else "no "
        source_text = "plan" if not c.is_default else f"default: {c.source}"
        lines.append(f"    {mark}{c.label}: {c.value_text()} (aim {c.target_text()}; {round(100 * c.closeness)}% of the "
                     f"way) [{source_text}]")
    if status.ready and status.next_stage is None:
        lines.append("  all criteria hold.")
    lines += [f"  note: {n}" for n in status.notes]
    return "\n".join(lines)
