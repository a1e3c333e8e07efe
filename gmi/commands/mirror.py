"""`gmi mirror`: the digital mirror (GMI stage 3).

With ``--snapshot OUT.png`` one mirrored frame from a camera or a video file is saved without opening a
window (to check a set-up, and for tests). Without it the mirror session opens in the program window;
``--box`` opens the camera-free guide for a physical mirror box instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gmi.commands.args import add_common, bounded, camera_of
from gmi.core.errors import GmiError, Problem
from gmi.core.mirror import KEEP_SIDES, LINE_MAX, LINE_MIN, WITHOUT_CAMERA, FrameMirror

SNAPSHOT_TYPES = (".png", ".jpg", ".jpeg")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mirror", help="mirror therapy: webcam mirror, mirror-box guide, or one mirrored snapshot",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("--source", metavar="CAMERA_INDEX|VIDEO", default=None,
                   help="a camera number (0 is the first camera) or a video file (default: $GMI_CAMERA, else "
                        "the camera chosen in Settings, else 0)")
    p.add_argument("--keep", choices=KEEP_SIDES, default=None,
                   help="which half of the picture is real; the other half shows its reflection "
                        "(default: the side that does not hurt, else left)")
    p.add_argument("--line", metavar="X", default="0.5",
                   help=f"where the mirror line is: a fraction of the width from {LINE_MIN} to {LINE_MAX} "
                        "(default 0.5), or a pixel column such as 320px")
    p.add_argument("--frame", metavar="N", type=bounded(int, 0, 10_000_000), default=0,
                   help="for a video: which frame to mirror (default: the first)")
    p.add_argument("--snapshot", metavar="OUT.png",
                   help="save one mirrored frame here, as the live mirror shows it (flipped like a looking-glass, "
                        "then one half reflected), and stop: no window")
    p.add_argument("--box", action="store_true", help="no camera: guide a session with a physical mirror box")
    p.add_argument("--part", choices=("hands", "feet", "shoulder", "knee"), default=None,
                   help="which limb (default: the programme's part)")
    p.add_argument("--minutes", type=bounded(float, 1, 30, " min"), default=None,
                   help="session length (default: the programme's dose, usually 5)")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.snapshot:
        if args.box:
            raise GmiError("E-MIRROR-ARGS", "--box and --snapshot cannot be used together.",
                           fix="a mirror box needs no camera: leave out --snapshot, or leave out --box")
        out = save_snapshot(camera_of(args, args.source), args.keep or "left", args.line, Path(args.snapshot),
                            frame_index=args.frame)
        print(f"Saved a mirrored frame to {out}")
        return 0
    return run_live(args)


def run_live(args: argparse.Namespace) -> int:
    """The mirror session in the window. The camera is opened first, so a missing one is told here."""
    from gmi.core.imagery import shipped_sequence
    from gmi.ui.launch import run_scene
    from gmi.ui.scenes.mirror import MirrorScene

    sequence = shipped_sequence(args.part, "mirror") if args.part else None
    line = parse_line(args.line)
    if args.box:
        return run_scene(args, lambda ctx: MirrorScene(setting="box", sequence=sequence, minutes=args.minutes),
                         part=args.part)
    from gmi.pose.sources import camera_spec
    from gmi.ui.scenes.mirror import open_mirror_source

    def make_scene(ctx):
        source = args.source or camera_spec(ctx.prefs.camera)
        feed = open_mirror_source(source)   # before the window opens: a missing camera is told here
        return MirrorScene(setting="camera", sequence=sequence, minutes=args.minutes, feed_factory=lambda: feed,
                           source=source, keep=args.keep, line=line if line > 0 else 0.5)

    return run_scene(args, make_scene, part=args.part)


# -- the snapshot -------------------------------------------------------------------------------------
def parse_line(text: str, width: int | None = None) -> float:
    """``0.4`` (fraction of the width) or ``320px`` (a pixel column, checked against ``width``)."""
    raw = text.strip().lower()
    try:
        if raw.endswith("px"):
            column = int(raw[:-2])
            if width is None:
                return -1.0  # checked again once the frame size is known
            if not 1 <= column <= width - 1:
                raise _line_error(text, f"a pixel column from 1 to {width - 1} (this picture is {width} wide)")
            return column / width
        value = float(raw)
    except ValueError:
        raise _line_error(text, f"a fraction from {LINE_MIN} to {LINE_MAX}, or a pixel column like 320px") from None
    if not LINE_MIN <= value <= LINE_MAX:
        raise _line_error(text, f"a fraction from {LINE_MIN} to {LINE_MAX} of the width (0.5 is the middle)")
    return value


def _line_error(found: str, allowed: str) -> GmiError:
    return GmiError("E-MIRROR-LINE", "The mirror line is not usable.", problems=[
        Problem("not a usable position", field="--line", found=repr(found), allowed=allowed,
                fix="use --line 0.5 for the middle, or a pixel column such as --line 320px")])


def save_snapshot(source: str, keep: str, line: str, out: Path, *, frame_index: int = 0) -> Path:
    if out.suffix.lower() not in SNAPSHOT_TYPES:
        raise GmiError("E-SNAPSHOT-TYPE", f"A snapshot is saved as PNG or JPEG, not {out.suffix or 'no extension'}.",
                       fix=f"end the file name with {' or '.join(SNAPSHOT_TYPES)}, e.g. mirror.png")
    parse_line(line)            # a bad --line fails before the camera is touched
    from gmi.pose.deps import require_cv2
    from gmi.pose.sources import read_one_frame

    frame = read_one_frame(source, frame_index, instead=WITHOUT_CAMERA)
    fraction = parse_line(line, frame.shape[1])
    mirrored = FrameMirror(keep, fraction).view(frame)  # type: ignore[arg-type]   # as the live mirror shows it
    cv2 = require_cv2()
    ok, encoded = cv2.imencode(out.suffix.lower(), mirrored)
    if not ok:
        raise GmiError("E-SNAPSHOT-WRITE", f"The snapshot could not be encoded as {out.suffix}.", fix="use .png")
    from gmi.store.location import atomic_write_bytes

    try:
        atomic_write_bytes(out, encoded.tobytes(), mode=0o600)
    except OSError as exc:
        raise GmiError("E-SNAPSHOT-WRITE", f"The snapshot cannot be written to {out} ({exc.strerror or exc}).",
                       fix="choose a folder you can write to") from None
    return out
