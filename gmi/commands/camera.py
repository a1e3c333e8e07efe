"""`gmi camera setup`: build the pose model into the data directory, once, with progress shown.

This is the only place gmi touches the network, and only because the user asked: pip fetches the
mediapipe 0.10.21 wheel (about 36 MB) from the package index, unless --wheel gives one already on disk.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gmi.commands.args import add_common, data_dir_of


def register(sub: argparse._SubParsersAction) -> None:
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
