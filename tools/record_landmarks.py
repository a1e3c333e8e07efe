"""Record the raw (unsmoothed) landmarks of a video into an .npz file, for tests that replay real motion
without mediapipe.

    python tools/record_landmarks.py [VIDEO] [OUT.npz] [--model PATH]

Without arguments it records the Sports2D demo crop (tools/pose_media.py) into
tests/core/data/sports2d_demo_crop_landmarks.npz. The file holds derived figures only (landmark
coordinates), not the video: `poses` (frames, 33, 8: image x y z, world x y z, visibility, presence;
NaN rows where no pose was found), `t_s`, `width`, `height`, `source`, `model_sha256`.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmi.core.landmarks import pose_to_array  # noqa: E402
from gmi.core.skeleton import LANDMARK_COUNT  # noqa: E402

DEFAULT_OUT = ROOT / "tests" / "core" / "data" / "sports2d_demo_crop_landmarks.npz"


def record(video: Path, model: Path) -> dict[str, np.ndarray]:
    import cv2

    from gmi.pose.landmarker import Landmarker
    from gmi.pose.sources import VideoFileSource

    rows, times = [], []
    with VideoFileSource(video) as source, Landmarker(model) as landmarker:
        while (frame := source.read()) is not None:
            pose = landmarker.detect(cv2.cvtColor(frame.bgr, cv2.COLOR_BGR2RGB), frame.t_s)
            rows.append(pose_to_array(pose) if pose is not None else np.full((LANDMARK_COUNT, 8), np.nan))
            times.append(frame.t_s)
        width, height = source.size
    return {"poses": np.asarray(rows, dtype=np.float32), "t_s": np.asarray(times), "width": np.int32(width),
            "height": np.int32(height), "model_sha256": np.str_(hashlib.sha256(model.read_bytes()).hexdigest())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video", nargs="?")
    parser.add_argument("out", nargs="?", default=str(DEFAULT_OUT))
    parser.add_argument("--model")
    args = parser.parse_args()
    from tools import pose_media

    video = Path(args.video) if args.video else pose_media.demo_clip()
    model = Path(args.model) if args.model else pose_media.pose_model()
    data = record(video, model)
    source = video.name if args.video else (f"{pose_media.SPORTS2D_REQUIREMENT} {pose_media.SPORTS2D_DEMO}, first "
                                           f"{pose_media.CLIP_FRAMES} frames, crop x,x,y,y={pose_media.CLIP_CROP}, "
                                           f"resized to {pose_media.CLIP_SIZE}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, source=np.str_(source), **data)
    found = int(np.isfinite(data["poses"][:, 0, 0]).sum())
    print(f"{out}: {len(data['t_s'])} frames, pose in {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
