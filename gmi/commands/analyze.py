"""`gmi analyze VIDEO --movement NAME`: score the repetitions of a movement in a recorded video, headless.

A physiotherapist can score a patient's recording with exactly the tracker a live session uses: each
repetition with its peak angle, whether it reached the target, the hold and the duration, then a summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gmi.commands.args import add_common, bounded, data_dir_of


def register(sub: argparse._SubParsersAction) -> None:
    from gmi.core.movements import MOVEMENT_NAMES, SIDES

    parser = sub.add_parser(
        "analyze", help="count and measure the repetitions of a movement in a video (no window)",
        description="Count and measure the repetitions of one movement in a recorded video. Prints each "
                    "repetition (peak angle, target reached, hold, duration) and a summary.")
    parser.add_argument("video", metavar="VIDEO", help="the video file (mp4, avi, mov, webm, mkv)")
    parser.add_argument("--movement", required=True, metavar="NAME",
                        help=f"the movement to score: {', '.join(MOVEMENT_NAMES)}")
    parser.add_argument("--side", choices=SIDES, default=None,
                        help="which arm or side (or which way), default: the movement's own default")
    parser.add_argument("--target", type=bounded(float, 0, 180, "°"), metavar="DEG",
                        help="target angle in degrees (default: the movement's default target)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--pose-model", metavar="PATH",
                        help="use this pose_landmarker .task file instead of the one `gmi camera setup` built")
    add_common(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gmi.core.movements import get_movement, resolve_side, resolve_target

    movement = get_movement(args.movement, field="--movement")
    side = resolve_side(movement, args.side, field="--side")
    target = resolve_target(movement, args.target, field="--target")
    result = analyze_video(Path(args.video), movement, side, target, pose_model=args.pose_model,
                           data_dir=data_dir_of(args), progress=not args.json and sys.stderr.isatty())
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_result(result))
    return 0


def analyze_video(video: Path, movement, side: str, target_deg: float, *, pose_model: str | None,
                  data_dir: Path, progress: bool = False) -> dict[str, object]:
    """Run the movement tracker over every frame of ``video``; the result as plain data."""
    from gmi.core.tracker import MovementTracker
    from gmi.pose.deps import quiet_native_stderr, require_cv2, require_mediapipe
    from gmi.pose.landmarker import Landmarker
    from gmi.pose.model import resolve_model, sha256_of
    from gmi.pose.sources import VideoFileSource

    cv2 = require_cv2()
    with quiet_native_stderr() as terminal, VideoFileSource(video) as source:
        require_mediapipe()
        model = resolve_model(data_dir, pose_model)
        tracker = MovementTracker(movement, side, target_deg)
        with Landmarker(model) as landmarker:
            total = source.frame_count
            while (frame := source.read()) is not None:
                pose = landmarker.detect(cv2.cvtColor(frame.bgr, cv2.COLOR_BGR2RGB), frame.t_s)
                tracker.update(frame.t_s, pose)
                if progress and total and frame.index % 30 == 0:
                    print(f"\ranalysing… {100 * frame.index // total:3d}%", end="", file=terminal, flush=True)
        if progress and total:
            print("\r" + " " * 20 + "\r", end="", file=terminal, flush=True)
        end = source.end
        fps = source.fps
    unfinished_peak = tracker.detector.finish()
    reps = tracker.results
    duration = tracker.frames / fps if fps else 0.0
    return {
        "video": str(video),
        "movement": movement.name,
        "movement_title": movement.title,
        "view": movement.view,
        "side": side,
        "side_label": movement.side_label(side),
        "direction_per_rep": movement.side_rule == "direction" and side == "both",
        "target_deg": target_deg,
        "angle_definition": movement.angle,
        "frames": tracker.frames,
        "fps": round(fps, 3),
        "duration_s": round(duration, 3),
        "frames_with_pose": tracker.frames_with_pose,
        "frames_measured": tracker.frames_measured,
        "not_measured": dict(tracker.guidance_counts.most_common()),
        "video_end": None if end is None else {"reason": end.reason, "message": end.message},
        "repetitions": [r.as_dict() for r in reps],
        "summary": {
            "repetitions": len(reps),
            "peak_deg": [round(r.peak_deg, 1) for r in reps],
            "target_reached": sum(r.target_reached for r in reps),
            "holds_s": [round(r.hold_s, 2) for r in reps],
            "longest_hold_s": round(max((r.hold_s for r in reps), default=0.0), 2),
            "unfinished_peak_deg": None if unfinished_peak is None else round(unfinished_peak, 1),
            "ignored_small_movements": tracker.detector.ignored,
            "abandoned_pose_lost": tracker.detector.abandoned,
        },
        "model": {"path": str(model), "sha256": sha256_of(Path(model).read_bytes())},
    }


def format_result(result: dict) -> str:
    summary = result["summary"]
    lines = [f"{result['movement_title']}, {result['side_label']} ({result['view']} view) — "
             f"{Path(result['video']).name}: {result['frames']} frames, {result['duration_s']:.1f} s",
             f"Target {result['target_deg']:g}°. Angle: {result['angle_definition']}", ""]
    if result["repetitions"]:
        lines.append("  rep   peak   target   hold    duration   ends at")
        for rep in result["repetitions"]:
            side = f"  to the {rep['side']}" if result["direction_per_rep"] else ""
            lines.append(f"  {rep['index']:>3}  {rep['peak_deg']:5.1f}°  {'yes' if rep['target_reached'] else 'no ':<6}"
                         f"  {rep['hold_s']:4.1f} s   {rep['duration_s']:5.1f} s   {rep['t_end_s']:6.1f} s{side}")
        lines.append("")
    count = summary["repetitions"]
    peaks = ", ".join(f"{p:.0f}°" for p in summary["peak_deg"])
    if count:
        lines.append(f"Summary: {count} repetition{'s' if count != 1 else ''}; peak angles {peaks}; target reached "
                     f"in {summary['target_reached']} of {count}; longest hold {summary['longest_hold_s']:.1f} s.")
    else:
        lines.append("Summary: no repetitions.")
    lines.append(f"Pose found in {result['frames_with_pose']} of {result['frames']} frames; angle measured in "
                 f"{result['frames_measured']}.")
    for message, frames in result["not_measured"].items():
        lines.append(f"  not measured in {frames} frame{'s' if frames != 1 else ''}: {message}")
    if summary["unfinished_peak_deg"] is not None:
        lines.append(f"The video ended during a movement (peak {summary['unfinished_peak_deg']:.0f}°); it is not counted.")
    if summary["abandoned_pose_lost"]:
        lines.append(f"{summary['abandoned_pose_lost']} movement(s) not counted: the pose was lost part-way.")
    end = result["video_end"]
    if end and end["reason"] == "lost":
        lines.append(f"Warning: {end['message']}")
    return "\n".join(lines)

