"""Real test media and the pose model for tests, the benchmark and tools — fetched, never committed.

Everything comes from the package registry with pip (reference/pose-model.md) into a cache directory
(``$GMI_TEST_CACHE`` or ``~/.cache/gmi-test``), once:
- the pose model, built by gmi's own `camera setup` code from the mediapipe 0.10.21 wheel;
- a webcam-like clip: the first 100 frames of Sports2D's demo video (BSD-3-Clause, in the sports2d 0.8.34
  wheel), cropped to x 220..1020, y 0..600 and resized to 640x480: one man raising both arms out to the
  sides twice (shoulder abduction about 4° → 160° → 7°, two repetitions).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

CLIP_NAME = "sports2d_demo_crop_640x480.mp4"
CLIP_FRAMES = 100
CLIP_CROP = (220, 1020, 0, 600)  # x0, x1, y0, y1 in the 1768x994 original
CLIP_SIZE = (640, 480)
SPORTS2D_REQUIREMENT = "sports2d==0.8.34"
SPORTS2D_DEMO = "Sports2D/Demo/demo.mp4"


class MediaUnavailable(Exception):
    """The package registry could not be reached (tests skip with this reason)."""


def cache_dir() -> Path:
    path = Path(os.environ.get("GMI_TEST_CACHE") or Path.home() / ".cache" / "gmi-test")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pip_download(args: list[str], dest: Path, pattern: str) -> Path:
    """pip download unless a matching file is already in ``dest``."""
    found = sorted(dest.glob(pattern))
    if found:
        return found[0]
    result = subprocess.run([sys.executable, "-m", "pip", "download", *args, "-d", str(dest)],
                            capture_output=True, text=True, check=False)
    found = sorted(dest.glob(pattern))
    if result.returncode != 0 or not found:
        tail = " ".join((result.stdout + result.stderr).strip().splitlines()[-2:])
        raise MediaUnavailable(f"could not download {args[0]} from the package registry: {tail}")
    return found[0]


def mediapipe_wheel(cache: Path | None = None) -> Path:
    """Fetched with gmi's own `camera setup` download code, so a fresh cache also tests that path."""
    from gmi.core.errors import GmiError
    from gmi.pose.model import download_wheel

    cache = cache or cache_dir()
    found = sorted(cache.glob("mediapipe-0.10.21-*.whl"))
    if found:
        return found[0]
    try:
        return download_wheel(cache, progress=lambda text: None, echo=False)
    except GmiError as exc:
        raise MediaUnavailable(str(exc)) from None


def sports2d_wheel(cache: Path | None = None) -> Path:
    return _pip_download([SPORTS2D_REQUIREMENT, "--no-deps"], cache or cache_dir(), "sports2d-0.8.34-*.whl")


def pose_model(cache: Path | None = None) -> Path:
    """The model built exactly as `gmi camera setup --wheel` builds it, in a data directory in the cache.
    Rebuilt on every call (about a second) so that a change to the builder is never hidden by a stale file."""
    from gmi.pose.model import setup_model

    cache = cache or cache_dir()
    info = setup_model(cache / "gmi-data", mediapipe_wheel(cache), force=True, progress=lambda text: None)
    return info.path


def demo_clip(cache: Path | None = None) -> Path:
    cache = cache or cache_dir()
    clip = cache / CLIP_NAME
    if clip.is_file():
        return clip
    import cv2

    source = cache / "sports2d_demo.mp4"
    with zipfile.ZipFile(sports2d_wheel(cache)) as wheel:
        source.write_bytes(wheel.read(SPORTS2D_DEMO))
    capture = cv2.VideoCapture(str(source))
    partial = clip.with_suffix(".partial.mp4")
    writer = cv2.VideoWriter(str(partial), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, CLIP_SIZE)
    x0, x1, y0, y1 = CLIP_CROP
    written = 0
    while written < CLIP_FRAMES:
        ok, frame = capture.read()
        if not ok:
            break
        writer.write(cv2.resize(frame[y0:y1, x0:x1], CLIP_SIZE, interpolation=cv2.INTER_AREA))
        written += 1
    writer.release()
    capture.release()
    if written != CLIP_FRAMES:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"{SPORTS2D_DEMO} gave only {written} frames")
    os.replace(partial, clip)
    return clip
