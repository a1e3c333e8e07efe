"""Frame sources behind one interface: a webcam (by index) or a video file.

Opening problems (no camera, camera busy, missing or unreadable video) raise GmiError with a way on.
Once frames flow, the end of a video or a camera that stops is not an exception: ``read()`` returns
None and ``end`` says what happened, so a session can save what it has and offer camera-free mode.

Which camera: ``$GMI_CAMERA`` if set (an override, for testing with a recording), else the profile's
camera setting, else camera 0 (see :func:`camera_spec`).
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gmi.core.errors import GmiError
from gmi.pose.deps import quiet_native_stderr, require_cv2

CAMERA_FREE = "camera-free mode (a tap per repetition) works without a camera"
CAMERA_ENV = "GMI_CAMERA"
CAMERA_WARMUP_FRAMES = 10   # the first pictures of many webcams are dark while their exposure settles


def camera_spec(preferred: str | None = None) -> str:
    """The camera to open: ``$GMI_CAMERA`` (overrides), else ``preferred`` (the profile's setting), else "0"."""
    return (os.environ.get(CAMERA_ENV) or "").strip() or (preferred or "").strip() or "0"


def describe_spec(spec: str) -> str:
    """A camera setting in words: 'camera 0 (the first)', 'video clip.mp4'."""
    if spec.isdigit():
        return f"camera {spec}" + (" (the first)" if spec == "0" else "")
    return f"video {Path(spec).name}"


@dataclass(frozen=True)
class Frame:
    bgr: np.ndarray   # H x W x 3, uint8, as opencv delivers it
    t_s: float        # seconds since the source started (video: position in the file)
    index: int


@dataclass(frozen=True)
class StreamEnd:
    reason: str       # "ended" (a video's last frame) | "lost" (the camera stopped, a damaged file)
    message: str


class FrameSource:
    """Common interface: ``read()`` → Frame or None; ``end``; ``close()``; usable as a context manager."""

    live = False
    description = ""
    fps = 30.0
    size = (0, 0)

    def __init__(self) -> None:
        self.end: StreamEnd | None = None
        self._capture = None
        self._pending: np.ndarray | None = None
        self._index = 0

    def read(self) -> Frame | None:
        if self._capture is None:
            return None
        if self._pending is not None:
            bgr, self._pending = self._pending, None
        else:
            bgr = self._grab()
            if bgr is None:
                return None
        frame = Frame(bgr, self._time_of(self._index), self._index)
        self._index += 1
        self._pace(frame)
        return frame

    def _opened(self, capture, first: np.ndarray, fps: float) -> None:
        self._capture = capture
        self._pending = first  # the frame read to prove the source works is the first one delivered
        self.fps = fps
        self.size = (first.shape[1], first.shape[0])

    def _grab(self) -> np.ndarray | None:
        """The next picture, or None at the end (after setting ``end``)."""
        raise NotImplementedError

    def _time_of(self, index: int) -> float:
        raise NotImplementedError

    def _pace(self, frame: Frame) -> None:
        """Hook: wait before handing the frame on (a recording played as if live)."""

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def __enter__(self) -> "FrameSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _finish(self, reason: str, message: str) -> None:
        self.end = StreamEnd(reason, message)
        self.close()


class VideoFileSource(FrameSource):
    """Frames of a video file, time-stamped by their position in the file (so analysis of a recording
    does not depend on how fast this computer is). ``realtime`` paces reading at the video's own rate,
    for showing a recording as if it were a camera."""

    def __init__(self, path: str | os.PathLike[str], *, realtime: bool = False) -> None:
        super().__init__()
        cv2 = require_cv2()
        self.path = Path(path)
        self.realtime = realtime
        self.description = f"video {self.path.name}"
        fix = "check the file name; gmi reads common video files (mp4, avi, mov, webm, mkv)"
        if not self.path.is_file():
            raise GmiError("E-VIDEO-MISSING", f"The video {self.path} does not exist.", fix=fix)
        with quiet_native_stderr():
            capture = cv2.VideoCapture(str(self.path))
            ok, first = capture.read() if capture.isOpened() else (False, None)
        if not ok:
            capture.release()
            raise GmiError("E-VIDEO-UNREADABLE", f"{self.path} cannot be read as a video (not a video, an "
                           "unsupported format, or a damaged file).",
                           fix="try the original recording, or convert it to mp4 with another program")
        fps = capture.get(cv2.CAP_PROP_FPS)
        self._opened(capture, first, fps if fps and math.isfinite(fps) and 1 <= fps <= 1000 else 30.0)
        count = capture.get(cv2.CAP_PROP_FRAME_COUNT)
        self.frame_count = int(count) if count and math.isfinite(count) and count > 0 else None
        self._started = time.perf_counter()

    def _grab(self) -> np.ndarray | None:
        ok, bgr = self._capture.read()
        if not ok:
            self._end_of_file()
            return None
        return bgr

    def _time_of(self, index: int) -> float:
        return index / self.fps

    def _pace(self, frame: Frame) -> None:
        if self.realtime:
            delay = self._started + frame.t_s - time.perf_counter()
            if delay > 0:
                time.sleep(delay)

    def seek(self, index: int) -> None:
        """Go to frame ``index``: the next ``read()`` returns it (None, with ``end`` set, past the last)."""
        if self._capture is None:
            return
        self._pending = None
        self._capture.set(require_cv2().CAP_PROP_POS_FRAMES, index)
        self._index = index

    def _end_of_file(self) -> None:
        read = self._index
        # Containers round their frame count; only a clear shortfall means the rest is unreadable.
        if self.frame_count is not None and read < self.frame_count - max(2, self.frame_count // 100):
            self._finish("lost", f"The video stopped after {read} of {self.frame_count} frames; the rest "
                         "could not be read (the file may be damaged or cut short).")
        else:
            self._finish("ended", f"The video ended after {read} frames.")


class CameraSource(FrameSource):
    """A webcam by index (0 = the first camera), time-stamped by the clock when each frame arrives."""

    live = True
    OPEN_WAIT_S = 3.0   # a camera may take a moment to deliver its first picture
    LOST_AFTER_S = 1.0  # no picture for this long mid-session: the camera is gone

    def __init__(self, index: int = 0, *, width: int = 640, height: int = 480, fps: float = 30.0,
                 instead: str = CAMERA_FREE) -> None:
        super().__init__()
        cv2 = require_cv2()
        self.index = index
        self.description = f"camera {index}"
        with quiet_native_stderr():
            capture = cv2.VideoCapture(index)
            opened = capture.isOpened()
        if not opened:
            capture.release()
            raise GmiError("E-NO-CAMERA", f"No camera was found at number {index}.",
                           fix=f"connect a webcam, or try another camera number (0 is the first); {instead}")
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        capture.set(cv2.CAP_PROP_FPS, fps)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest picture, not a queue of stale ones
        deadline = time.perf_counter() + self.OPEN_WAIT_S
        ok, first = capture.read()
        while not ok and time.perf_counter() < deadline:
            time.sleep(0.05)
            ok, first = capture.read()
        if not ok:
            capture.release()
            raise GmiError("E-CAMERA-BUSY", f"Camera {index} is there but sends no pictures; another program "
                           "may be using it.", fix=f"close other programs that use the camera (video calls, "
                           f"browsers) and try again; {instead}")
        got = capture.get(cv2.CAP_PROP_FPS)
        self._opened(capture, first, got if got and math.isfinite(got) and got > 0 else fps)
        self._t0 = time.perf_counter()

    def _grab(self) -> np.ndarray | None:
        since = time.perf_counter()
        ok, bgr = self._capture.read()
        while not ok:
            if time.perf_counter() - since > self.LOST_AFTER_S:
                self._finish("lost", f"Camera {self.index} stopped sending pictures (unplugged, or taken "
                             f"by another program). Everything measured so far is kept.")
                return None
            time.sleep(0.02)
            ok, bgr = self._capture.read()
        return bgr

    def _time_of(self, index: int) -> float:
        return time.perf_counter() - self._t0


def open_source(spec: str | int, *, realtime: bool = False, instead: str = CAMERA_FREE) -> FrameSource:
    """A camera number ("0", 1) or a video file path. ``instead`` ends the fix of a camera that cannot be
    used: what works without one, where the source is opened."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        return CameraSource(int(spec), instead=instead)
    return VideoFileSource(Path(spec).expanduser(), realtime=realtime)


def read_one_frame(spec: str, frame_index: int = 0, *, instead: str = CAMERA_FREE) -> np.ndarray:
    """One BGR picture: a camera's after it has settled, or frame ``frame_index`` of a video."""
    with open_source(spec, instead=instead) as source:
        if source.live:
            frame = None
            for _ in range(CAMERA_WARMUP_FRAMES):
                frame = source.read() or frame
        else:
            assert isinstance(source, VideoFileSource)
            count = source.frame_count
            if count is not None and frame_index >= count:
                raise GmiError("E-VIDEO-FRAME", f"{spec} has {count} frames; frame {frame_index} does not exist.",
                               fix=f"use a frame number from 0 to {count - 1}")
            if frame_index:
                source.seek(frame_index)
            frame = source.read()
        if frame is None and source.live:
            raise GmiError("E-CAMERA-BUSY", f"{source.description.capitalize()} stopped before giving a picture.",
                           fix=f"close other programs that use the camera and try again; {instead}")
        if frame is None:
            raise GmiError("E-VIDEO-FRAME", f"{spec} has no frame {frame_index}.",
                           fix="use a smaller frame number (0 is the first)")
        return frame.bgr
