"""The `gmi` command: no sub-command opens the program; sub-commands work headless.

Each sub-command lives in its own module under gmi/commands and registers itself; heavy libraries
(pygame_gui, cv2, mediapipe, matplotlib) are imported inside the commands that need them, so that
start-up stays fast and camera-free use never touches the camera stack.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from pathlib import Path

from gmi import __version__
from gmi.commands.args import add_common
from gmi.core.errors import GmiError

COMMAND_MODULES = (
    "gmi.commands.drill",
    "gmi.commands.results",
    "gmi.commands.plan",
    "gmi.commands.mirror",
    "gmi.commands.imagery",
    "gmi.commands.programme",
    "gmi.commands.analyze",
    "gmi.commands.camera",
    "gmi.commands.profiles",
    "gmi.commands.demo",
    "gmi.commands.export",
    "gmi.commands.stimuli",
    "gmi.commands.forget",
    "gmi.commands.selftest",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gmi",
        description="Graded motor imagery and graded movement exposure. Run without a command to open the program.",
    )
    parser.add_argument("--version", action="version", version=f"gmi {__version__}")
    add_common(parser)
    parser.add_argument("--fullscreen", action="store_true", help="open the program full screen")
    parser.set_defaults(func=_run_app)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _run_app(args: argparse.Namespace) -> int:
    from gmi.ui.app import run_app

    return run_app(args)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    old_umask = os.umask(0o077)   # every file and folder gmi writes (data, exports, logs) is the owner's alone
    try:
        return int(args.func(args) or 0)
    except GmiError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early: not a problem
        sys.stderr.close()
        return 0
    except Exception:  # last resort: never show a traceback; keep it for the developers
        log = _write_crash_log(args)
        print("gmi met an unexpected problem and stopped. Everything you answered so far is saved.\n"
              f"A report for the developers was written to {log}.", file=sys.stderr)
        return 1
    finally:
        os.umask(old_umask)


def _write_crash_log(args: argparse.Namespace) -> Path:
    import tempfile
    import time

    from gmi.store.location import resolve_data_dir

    text = f"gmi {__version__}\nargs: {vars(args)!r}\n\n{traceback.format_exc()}"
    for folder in (resolve_data_dir(getattr(args, "data_dir", None)) / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"gmi-crash-{time.strftime('%Y%m%d-%H%M%S')}.txt"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(nowhere: no writable folder)")


if __name__ == "__main__":
    sys.exit(main())
