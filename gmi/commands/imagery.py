"""`gmi imagery`: imagined movements (GMI stage 2), or `--check FILE` to check a sequence file."""

from __future__ import annotations

import argparse

from gmi.commands.args import add_common
from gmi.core.imagery import MODE_LABELS, MODES
from gmi.core.stimuli import PARTS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("imagery", help="imagined movements (GMI stage 2); --check FILE checks a sequence file",
                       description="Open an imagined-movement session, or check a sequence file with --check.")
    p.add_argument("--part", choices=PARTS, help="body part (default: the one chosen on the home screen)")
    p.add_argument("--sequence", metavar="FILE", help="a sequence file (default: gmi's sequence for the part)")
    p.add_argument("--mode", choices=MODES, help="; ".join(f"{k}: {v.lower()}" for k, v in MODE_LABELS.items()))
    p.add_argument("--check", metavar="FILE", help="check an imagery or mirror sequence file, print a summary, stop")
    p.add_argument("--fullscreen", action="store_true")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.core.imagery import load_sequence

    if args.check:
        print(describe_sequence(load_sequence(args.check)))
        return 0
    sequence = load_sequence(args.sequence, kind="imagery") if args.sequence else None
    from gmi.ui.launch import run_scene
    from gmi.ui.scenes.imagery import ImageryScene

    return run_scene(args, lambda ctx: ImageryScene(sequence, mode=args.mode),
                     part=sequence.part if sequence else args.part)


def describe_sequence(sequence) -> str:
    """A summary a physiotherapist can read: steps, sides and durations (and pictures the library lacks)."""
    from gmi.core.errors import GmiError
    from gmi.core.imagery import format_duration, missing_images
    from gmi.core.stimuli import load_manifest
    from gmi.store.location import default_stimuli_dir

    lines = [f"{sequence.file}: {sequence.kind} sequence \"{sequence.name}\" for {sequence.part}, "
             f"{len(sequence.steps)} steps — OK"]
    if sequence.kind == "imagery":
        lines.append("  one pass: " + ", ".join(f"{m} {format_duration(sequence.duration_s(m))}" for m in MODES))
    else:
        lines.append(f"  session {sequence.minutes:g} min, watching first for {sequence.watch_s:g} s; one round of "
                     f"prompts {format_duration(sequence.duration_s())}")
    for k, step in enumerate(sequence.steps, 1):
        mode = f", {step.mode}" if step.mode else ""
        lines.append(f"  {k:2}. line {step.line}: {step.side} {step.view} {step.posture}: {step.active_s:g} s × "
                     f"{step.repetitions}, rest {step.rest_s:g} s{mode}")
    try:
        missing = missing_images(sequence, load_manifest(default_stimuli_dir()))
        if missing:
            lines.append("  pictures not in the library (the step is described in words): " + "; ".join(missing))
    except GmiError as exc:
        lines.append(f"  (pictures not checked: {exc.message})")
    return "\n".join(lines)
