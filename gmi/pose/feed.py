"""Frames for the digital mirror: a webcam (by index) or a video file, opened with OpenCV on demand.

cv2 is imported only here and only when a camera or video is used, so camera-free use never loads it.
Opening problems raise GmiError with a way on (a mirror box needs no camera).
"""

from __future__ import annotations

import os
from pathlib import Path

from gmi.core.errors import GmiError

CAMERA_WARMUP_FRAMES = 10   # the first frames of many webcams are dark while exposure settles


def import_cv2():
    os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")   # cv2 prints warnings for a missing camera; we explain instead
    try:
        import cv2
    except ImportError:
        raise GmiError("E-CAMERA-STACK", "The camera features need OpenCV, which is not installed.",
                       fix="install the camera extra: pip install 'gmi[camera]' (or use --box: no camera needed)") \
            from None
    return cv2


def read_frame(source: str, frame_index: int = 0):
    """One BGR frame from a camera index or a video file; GmiError (never a traceback) otherwise."""
    feed = LiveFeed(source)
    try:
        if feed.is_camera:
            frame = None
            for _ in range(CAMERA_WARMUP_FRAMES):
                got = feed.read()
                if got is not None:
                    frame = got
            if frame is None:
                raise GmiError("E-CAMERA-NONE", f"The camera at index {source} gives no pictures.",
                               fix="close other programs using the camera, or try another --source")
            return frame
        if frame_index:
            feed.seek(frame_index)
        frame = feed.read()
        if frame is None:
            count = feed.frame_count()
            if frame_index and count and frame_index >= count:
                raise GmiError("E-VIDEO-FRAME", f"{source} has {count} frames; frame {frame_index} does not exist.",
                               fix=f"use --frame from 0 to {count - 1}")
            raise GmiError("E-VIDEO-UNREADABLE", f"No picture could be read from {source}.",
                           fix="the file may be damaged or in an unusual format; try another file")
        return frame
    finally:
        feed.close()


class LiveFeed:
    """Frames one after another (the live mirror); ``read()`` gives None once a video ends or a camera stops."""

    def __init__(self, source: str) -> None:
        cv2 = self._cv2 = import_cv2()
        self.is_camera = source.strip().isdigit()
        if not self.is_camera and not Path(source).expanduser().is_file():
            raise GmiError("E-VIDEO-MISSING", f"There is no video file at {source}.",
                           fix="check the file name, or give a camera number such as --source 0")
        self._cap = cv2.VideoCapture(int(source) if self.is_camera else str(Path(source).expanduser()))
        if not self._cap.isOpened():
            self._cap.release()
            if self.is_camera:
                raise GmiError("E-CAMERA-NONE", f"No camera answers at index {source}.",
                               fix="check that the camera is plugged in and not used by another program; try "
                                   "--source 1 for a second camera, or use a mirror box (gmi mirror --box: no "
                                   "camera needed)")
            raise GmiError("E-VIDEO-UNREADABLE", f"{source} cannot be read as a video.",
                           fix="use a common video file (mp4, avi, mkv) or convert it first")

    def seek(self, frame_index: int) -> None:
        self._cap.set(self._cv2.CAP_PROP_POS_FRAMES, frame_index)

    def frame_count(self) -> int:
        return int(self._cap.get(self._cv2.CAP_PROP_FRAME_COUNT) or 0)

    def read(self):
        if self._cap is None:
            return None
        ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
