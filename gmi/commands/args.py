"""Shared command-line pieces: common options and range-checked argument types (errors exit 2)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Callable

DEFAULT_PROFILE = "me"


def add_common(parser: argparse.ArgumentParser) -> None:
    """--data-dir and --profile, accepted before or after the sub-command."""
    parser.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="where gmi keeps its data (default: $GMI_DATA_DIR or the user data folder)")
    parser.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS,
                        help=f"whose data to use: a name or pseudonym (default: {DEFAULT_PROFILE})")


def data_dir_of(args: argparse.Namespace) -> Path:
    from gmi.store.location import resolve_data_dir

    return resolve_data_dir(getattr(args, "data_dir", None))


def profile_of(args: argparse.Namespace) -> str:
    return getattr(args, "profile", None) or DEFAULT_PROFILE


def bounded(kind: type, low: float, high: float, unit: str = "") -> Callable[[str], float]:
    """An argparse type that accepts ``kind`` values in [low, high] and explains the range otherwise."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}; use {what} from {low:g} to {high:g}{unit}")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range; use a value from {low:g} to {high:g}{unit}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


def open_database(args: argparse.Namespace):
    """Open (creating if needed) the database in the chosen data directory; raises GmiError if unusable."""
    from gmi.store.db import Database

    return Database.open(data_dir_of(args))


def camera_of(args: argparse.Namespace, given: str | None) -> str:
    """The camera a command uses: ``given`` (its own option), else $GMI_CAMERA, else the profile's camera
    (Settings; stored with the profile's prefs, see gmi.ui.app.Prefs.camera), else camera 0. Read without
    creating a profile or opening a window."""
    from gmi.core.errors import GmiError
    from gmi.pose.sources import CAMERA_ENV, camera_spec

    if given:
        return given
    from gmi.store.db import Database
    from gmi.store.location import DB_FILENAME

    preferred = None
    data_dir = data_dir_of(args)
    if not os.environ.get(CAMERA_ENV) and (data_dir / DB_FILENAME).is_file():
        try:
            db = Database.open(data_dir)
            try:
                preferred = db.profile(profile_of(args), create=False).settings.get("prefs", {}).get("camera")
            finally:
                db.close()
        except GmiError:   # no such profile yet, or an unusable data directory: the default camera
            pass
    return camera_spec(preferred if isinstance(preferred, str) else None)
