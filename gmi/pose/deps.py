"""The optional camera stack (opencv, mediapipe), imported only when a camera or video is used.

A missing package becomes a GmiError that says how to install it and that everything else works
without it; never an ImportError traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import ModuleType
from typing import Iterator, TextIO

from gmi.core.errors import GmiError

INSTALL_FIX = ("install the camera extra: pip install 'gmi[camera]' (mediapipe and opencv). Everything "
               "else in gmi, including camera-free exposure sessions, works without it.")


def _missing(package: str, exc: ImportError) -> GmiError:
    return GmiError("E-NO-CAMERA-STACK", f"{package} is not installed, so gmi cannot use a camera or "
                    f"analyse video ({exc}).", fix=INSTALL_FIX)


def require_cv2() -> ModuleType:
    try:
        import cv2
    except ImportError as exc:
        raise _missing("opencv (cv2)", exc) from None
    return cv2


def require_mediapipe(load: bool = True) -> ModuleType | None:
    """mediapipe, imported; with ``load=False`` only checked for (importing it takes about a second)."""
    if not load:
        import importlib.util

        if importlib.util.find_spec("mediapipe") is None:
            raise _missing("mediapipe", ImportError("No module named 'mediapipe'"))
        return None
    try:
        import mediapipe
        from mediapipe.tasks.python import vision  # noqa: F401  (the Tasks API gmi uses)
    except ImportError as exc:
        raise _missing("mediapipe", exc) from None
    return mediapipe


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[TextIO]:
    """Silence what opencv, ffmpeg and mediapipe print straight to file descriptor 2 (decoder warnings,
    TFLite and glog lines): in a terminal they would bury gmi's own messages. Used around opening a
    source and around headless analysis; Python exceptions still surface once the block ends. Yields a
    stream that still reaches the real stderr, for gmi's own progress output."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield sys.stderr
        return
    try:
        with open(os.devnull, "w") as devnull, os.fdopen(os.dup(saved), "w") as real_stderr:
            os.dup2(devnull.fileno(), 2)
            yield real_stderr
    finally:
        os.dup2(saved, 2)
        os.close(saved)
