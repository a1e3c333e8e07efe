"""Real media and the real pose model for the pose tests, fetched once per session into a cache
(``$GMI_TEST_CACHE`` or ``~/.cache/gmi-test``) with pip; see tools/pose_media.py. Nothing is committed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PoseMedia:
    clip: Path            # 640x480, 100 frames: two shoulder abductions
    model: Path           # built by gmi's own `camera setup` code
    mediapipe_wheel: Path
    sports2d_wheel: Path
    cache: Path


@pytest.fixture(scope="session")
def pose_media() -> PoseMedia:
    from gmi.core.errors import GmiError
    from tools import pose_media

    try:
        from gmi.pose.deps import require_mediapipe

        require_mediapipe()
    except GmiError as exc:
        pytest.skip(f"the camera extra is not installed: {exc.message}")
    cache = pose_media.cache_dir()
    try:
        return PoseMedia(clip=pose_media.demo_clip(cache), model=pose_media.pose_model(cache),
                         mediapipe_wheel=pose_media.mediapipe_wheel(cache),
                         sports2d_wheel=pose_media.sports2d_wheel(cache), cache=cache)
    except pose_media.MediaUnavailable as exc:
        pytest.skip(f"package registry unreachable, real test media not available: {exc}")
