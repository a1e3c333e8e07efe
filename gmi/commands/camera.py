"""`gmi camera setup|check|use`: build the pose model (once), check the camera and where to stand, choose
the profile's camera.

`setup` is the only place gmi touches the network, and only because the user asked: pip fetches the
mediapipe 0.10.21 wheel (about 36 MB) from the package index, unless --wheel gives one already on disk.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gmi.commands.args import add_common, bounded, camera_of, data_dir_of, profile_of


def register(sub: argparse._SubParsersAction) -> None:
    from gmi.core.movements import MOVEMENT_NAMES, SIDES

    parser = sub.add_parser("camera", help="set up the webcam pose model",
                            description="Camera and pose-model tasks.")
    actions = parser.add_subparsers(dest="camera_action", metavar="ACTION", required=True)
    setup = actions.add_parser(
        "setup", help="build the pose model once (downloads about 36 MB from the Python package index)",
        description="Build the pose model gmi uses to measure movement, into the data directory. Without "
                    "--wheel, pip downloads mediapipe 0.10.21 (about 36 MB, once) from the Python package "
                    "index; gmi takes the two model files out of it without installing it.")
    setup.add_argument("--wheel", metavar="PATH", help="use this mediapipe-0.10.21 wheel instead of downloading it")
    setup.add_argument("--force", action="store_true", help="rebuild even if the model is already set up")
    add_common(setup)
    setup.set_defaults(func=run_setup)

    check = actions.add_parser(
        "check", help="show the camera with the skeleton and angle for one movement (where to stand)",
        description="Open a window with the live camera (or a video), the skeleton, the angle on a gauge, "
                    "the repetitions and guidance for one movement, to check the set-up before a session.")
    check.add_argument("--movement", required=True, metavar="NAME", help=f"one of: {', '.join(MOVEMENT_NAMES)}")
    check.add_argument("--side", choices=SIDES, default=None)
    check.add_argument("--target", type=bounded(float, 0, 180, "°"), metavar="DEG")
    source = check.add_mutually_exclusive_group()
    source.add_argument("--camera", type=bounded(int, 0, 99), default=None, metavar="N",
                        help="camera number (default: the profile's camera, see `gmi camera use`; else 0)")
    source.add_argument("--video", metavar="PATH", help="play a video file instead of using a camera")
    check.add_argument("--pose-model", metavar="PATH", help="use this pose_landmarker .task file")
    check.add_argument("--fullscreen", action="store_true")
    add_common(check)
    check.set_defaults(func=run_check)

    use = actions.add_parser(
        "use", help="choose the camera for this profile (a number, or a video file played as if live)",
        description="Remember which camera this profile uses for exposure sessions, the mirror and the camera "
                    "check: a camera number (0 is the first) or a video file played as if it were the camera. "
                    "Without SOURCE, show the current one. $GMI_CAMERA, when set, overrides the choice.")
    use.add_argument("source", nargs="?", metavar="SOURCE", help="a camera number 0–99, or a video file")
    add_common(use)
    use.set_defaults(func=run_use)
    add_common(parser)


def run_setup(args: argparse.Namespace) -> int:
    from gmi.pose.deps import quiet_native_stderr
    from gmi.pose.landmarker import Landmarker
    from gmi.pose.model import setup_model

    data_dir = data_dir_of(args)
    wheel = Path(args.wheel).expanduser() if args.wheel else None
    steps = iter(range(1, 10))

    def progress(text: str) -> None:
        print(f"[{next(steps)}] {text}", flush=True)

    info = setup_model(data_dir, wheel, force=args.force, progress=progress)
    if not info.built:
        print(f"The pose model is already set up: {info.path}\n  sha256 {info.sha256}\n"
              "(use --force to rebuild it)")
        return 0
    progress("Checking that mediapipe loads the model…")
    with quiet_native_stderr(), Landmarker(info.path):
        pass
    print(f"Done. Pose model: {info.path} ({info.size / 1e6:.1f} MB)\n  sha256 {info.sha256}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Everything that can fail is checked before the window opens, so problems print here (exit 2)."""
    from gmi.core.movements import get_movement, resolve_side, resolve_target
    from gmi.pose.deps import quiet_native_stderr, require_mediapipe
    from gmi.pose.model import resolve_model
    from gmi.pose.pipeline import PosePipeline
    from gmi.pose.sources import CameraSource, VideoFileSource, open_source

    movement = get_movement(args.movement, field="--movement")
    side = resolve_side(movement, args.side, field="--side")
    target = resolve_target(movement, args.target, field="--target")
    require_mediapipe()
    model = resolve_model(data_dir_of(args), args.pose_model)
    if args.video:
        source = VideoFileSource(args.video, realtime=True)
    elif args.camera is not None:
        source = CameraSource(args.camera)
    else:
        source = open_source(camera_of(args, None), realtime=True)

    import pygame

    from gmi.store.db import Database
    from gmi.ui.app import App, AppContext, open_window
    from gmi.ui.scenes.camera_check import CameraCheckScene

    db = Database.open(data_dir_of(args))
    try:
        ctx = AppContext.load(db, profile_of(args), data_dir_of(args))
        pipeline = PosePipeline(source, model, movement, side, target, gauge_on_frame=False,
                                mirror_preview=source.live)
        with quiet_native_stderr():
            screen = open_window(args.fullscreen)
            app = App(screen, ctx)
            app.push(CameraCheckScene(pipeline, movement, side))
            return app.run()
    finally:
        source.close()
        pygame.quit()
        db.close()


def run_use(args: argparse.Namespace) -> int:
    """Save the camera in the profile's preferences (what Settings → Camera changes)."""
    import os

    from gmi.core.errors import GmiError, Problem
    from gmi.pose.sources import CAMERA_ENV, VideoFileSource
    from gmi.store.db import Database
    from gmi.ui.app import AppContext

    db = Database.open(data_dir_of(args))
    try:
        ctx = AppContext.load(db, profile_of(args), data_dir_of(args))
        spec = (args.source or "").strip()
        if spec:
            if spec.isdigit():
                if int(spec) > 99:
                    raise GmiError("E-CAMERA-NUMBER", f"There is no camera number {spec}.", problems=[
                        Problem("out of range", field="SOURCE", found=spec, allowed="0–99, or a video file",
                                fix="use 0 for the first camera, 1 for the second, ...")])
            else:
                path = Path(spec).expanduser().resolve()
                VideoFileSource(path).close()   # missing or unreadable: told now, not in a session
                spec = str(path)
            ctx.prefs.camera = spec
            ctx.save()
        chosen = ctx.prefs.camera
        what = f"camera {chosen}" if chosen.isdigit() else f"the video {chosen}"
        print(f"{ctx.profile.name} uses {what}" + ("." if spec else " (change it with `gmi camera use SOURCE`)."))
        override = os.environ.get(CAMERA_ENV)
        if override:
            print(f"${CAMERA_ENV} is set, so {override} is used instead while it stays set.")
        return 0
    finally:
        db.close()
