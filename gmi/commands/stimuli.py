"""`gmi stimuli`: check an image library, or import the user's own photos as "my photos"."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from gmi.commands.args import add_common, data_dir_of, profile_of
from gmi.core.stimuli import PARTS, SIDES

MAX_SHOWN = 40   # a damaged library can have thousands of problems; the first ones say enough


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stimuli", help="check the image library or import your own photos",
                       description="Check a laterality image library, or import your own photos of a body part.")
    actions = p.add_subparsers(dest="stimuli_action", metavar="ACTION", required=True)

    check = actions.add_parser(
        "check", help="verify a library: files, checksums, twins, balance",
        description="Verify a stimulus library: every file present and matching its sha256, every picture's "
                    "mirrored twin present, left and right balanced per part, view and rotation. Exit code 2 if "
                    "anything is wrong. Default: the library shipped with gmi ($GMI_STIMULI_DIR overrides it).")
    check.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="folder holding manifest.tsv")
    check.add_argument("--photos", action="store_true", help="check your imported photos instead (see --profile)")
    add_common(check)
    check.set_defaults(func=run_check)

    imp = actions.add_parser(
        "import", help="import your own photos (JPEG/PNG) of one body part and side",
        description="Import photos (JPEG or PNG) of one body part and side, e.g. a physiotherapist's photos of "
                    "your own right hand. Each is turned upright (EXIF), fitted to 512 x 512, and mirrored to make "
                    "the other side. They are stored in the data directory, never in the gmi folder, and offered "
                    "in the drill as 'my photos'. Files that are not photos, damaged or too large are skipped "
                    "with a message; exit code 2 if any was skipped.")
    imp.add_argument("source", type=Path, metavar="DIR", help="folder with the photos (or a single photo)")
    imp.add_argument("--part", required=True, choices=PARTS, help="the body part the photos show")
    imp.add_argument("--side", required=True, choices=SIDES, help="the side the photos show (the mirror images "
                                                                    "become the other side)")
    add_common(imp)
    imp.set_defaults(func=run_import)


def run_check(args: argparse.Namespace) -> int:
    from gmi.core.errors import GmiError
    from gmi.core.stimuli import load_manifest, verify_library
    from gmi.store.location import default_stimuli_dir

    if args.photos:
        from gmi.store.photos import photos_dir

        folder = args.folder or photos_dir(data_dir_of(args), profile_of(args))
        if not (folder / "manifest.tsv").is_file():
            raise GmiError("E-NO-PHOTOS", f"There are no imported photos for {profile_of(args)} ({folder}).",
                           fix="import some with `gmi stimuli import DIR --part hands --side right`.")
    else:
        folder = args.folder or default_stimuli_dir()
    library = load_manifest(folder)
    problems = verify_library(library)
    if problems:
        print(f"{folder}: {len(problems)} problem{'s' if len(problems) != 1 else ''} found:", file=sys.stderr)
        for p in problems[:MAX_SHOWN]:
            print(f"  - {p}".replace("\n", "\n    "), file=sys.stderr)
        if len(problems) > MAX_SHOWN:
            print(f"  ... and {len(problems) - MAX_SHOWN} more like these.", file=sys.stderr)
        print("How to fix: regenerate the library with `python tools/render_stimuli.py` (or re-import your photos), "
              "or restore the files from the gmi repository.", file=sys.stderr)
        return 2
    files = {s.file for s in library.stimuli}
    print(f"{folder}: {len(library.stimuli)} stimuli in {len(files)} image files; all present and intact, "
          "every picture has its mirrored twin, left and right balanced.")
    for line in summary_lines(library):
        print(line)
    return 0


def summary_lines(library) -> list[str]:
    """One line per part: how many stimuli per view and side, and the rotations and levels present."""
    counts = Counter((s.part, s.view, s.side) for s in library.stimuli)
    lines = []
    for part in library.parts():
        views = " · ".join(f"{v} {counts[(part, v, 'left')]}L/{counts[(part, v, 'right')]}R" for v in library.views(part))
        rots = ",".join(str(r) for r in library.rotations(part))
        levels = ",".join(str(lv) for lv in library.levels(part))
        lines.append(f"  {part}: {views}  (rotations {rots}; levels {levels})")
    return lines


def run_import(args: argparse.Namespace) -> int:
    from gmi.store.photos import import_photos

    report = import_photos(args.source, data_dir_of(args), profile_of(args), args.part, args.side,
                           progress=lambda line, ok: print(line, file=sys.stdout if ok else sys.stderr, flush=True))
    print(f"{len(report.imported)} imported, {len(report.unchanged)} already there, {len(report.failed)} skipped; "
          f"your photos are in {report.library_dir}.")
    if report.failed:
        print(f"{len(report.failed)} file{'s were' if len(report.failed) != 1 else ' was'} skipped (see above). "
              "Use JPEG or PNG photos under 40 MB and 50 megapixels.", file=sys.stderr)
        return 2
    return 0
