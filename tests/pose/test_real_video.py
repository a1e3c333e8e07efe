"""Real inference on real video: the Sports2D demo crop (two shoulder abductions), see conftest.py."""

import threading
from pathlib import Path

import numpy as np
import pytest

from gmi.core.movements import MOVEMENTS
from gmi.pose.pipeline import PosePipeline
from gmi.pose.sources import FrameSource, StreamEnd, VideoFileSource

pytestmark = pytest.mark.slow
RECORDING = Path(__file__).parents[1] / "core" / "data" / "sports2d_demo_crop_landmarks.npz"
ABDUCTION = MOVEMENTS["shoulder_abduction"]


def test_analyze_counts_two_abductions_above_150_degrees(pose_media, tmp_path):
    from gmi.commands.analyze import analyze_video

    result = analyze_video(pose_media.clip, ABDUCTION, "both", 150.0, pose_model=str(pose_media.model),
                           data_dir=tmp_path)
    assert result["frames"] == 100 and result["frames_with_pose"] == 100
    assert result["summary"]["repetitions"] == 2
    assert all(p > 150 for p in result["summary"]["peak_deg"])
    assert result["summary"]["target_reached"] == 2
    assert result["video_end"]["reason"] == "ended"


def test_fresh_inference_matches_the_recorded_landmarks(pose_media):
    """Guards the committed recording (used by the fast core tests) against drifting from reality."""
    import cv2

    from gmi.pose.landmarker import Landmarker

    recorded = np.load(RECORDING)["poses"]
    with VideoFileSource(pose_media.clip) as source, Landmarker(pose_media.model) as landmarker:
        fresh = []
        while (frame := source.read()) is not None:
            fresh.append(landmarker.detect(cv2.cvtColor(frame.bgr, cv2.COLOR_BGR2RGB), frame.t_s))
    assert len(fresh) == len(recorded) and all(p is not None for p in fresh)
    px = np.array([p.pixels() for p in fresh])
    recorded_px = recorded[:, :, :2] * [640, 480]
    body = slice(11, 29)
    assert np.median(np.abs(px[:, body] - recorded_px[:, body])) < 3.0


def test_pipeline_runs_the_clip_off_the_calling_thread(pose_media):
    pipeline = PosePipeline(VideoFileSource(pose_media.clip), pose_media.model, ABDUCTION)
    assert pipeline.latest().frames == 0 and pipeline.latest().preview is None
    with pipeline:
        seen = set()
        while not (snapshot := pipeline.latest()).ended:
            seen.add(snapshot.frame_index)
            threading.Event().wait(0.01)
        final = pipeline.wait(10)
    assert len(seen) > 3  # the caller saw the stream progress while it ran
    assert final.error is None and final.frames == 100 and final.frame_index == 99
    assert final.rep_count == 2 and all(r.peak_deg > 150 for r in final.reps)
    assert final.preview.shape == (480, 640, 3) and not final.preview.flags.writeable
    assert final.landmarks_px.shape == (33, 2) and final.visibility.shape == (33,)
    assert final.target_band == (150.0, 180.0) and final.gauge == (0.0, 180.0)
    assert all(not t.is_alive() for t in pipeline._threads)


def test_pipeline_preview_is_downscaled_and_stop_joins_mid_stream(pose_media):
    pipeline = PosePipeline(VideoFileSource(pose_media.clip, realtime=True), pose_media.model, ABDUCTION,
                            preview_width=320)
    pipeline.start()
    while pipeline.latest().frames < 5:
        threading.Event().wait(0.01)
    pipeline.stop()
    snapshot = pipeline.latest()
    assert all(not t.is_alive() for t in pipeline._threads)
    assert snapshot.preview.shape == (240, 320, 3) and snapshot.preview_scale == 0.5
    assert snapshot.frames < 100  # stopped, not run to the end
    assert np.nanmax(snapshot.landmarks_px[:, 0]) > 320  # landmarks stay in source pixels


class LosingSource(FrameSource):
    """The clip, but the 'camera' is lost after 50 frames. Not marked live, so that no frame is dropped
    (a live source keeps only the newest frame) and the count is the same on any machine."""

    def __init__(self, clip):
        super().__init__()
        self.inner = VideoFileSource(clip)
        self.size, self.fps = self.inner.size, self.inner.fps

    def read(self):
        frame = self.inner.read()
        if frame is None or frame.index >= 50:
            self.end = StreamEnd("lost", "Camera 0 stopped sending pictures (test).")
            return None
        return frame

    def close(self):
        self.inner.close()


def test_lost_camera_ends_the_stream_with_a_message_and_keeps_the_repetitions(pose_media):
    with PosePipeline(LosingSource(pose_media.clip), pose_media.model, ABDUCTION) as pipeline:
        final = pipeline.wait(30)
    assert final.ended and final.error == "Camera 0 stopped sending pictures (test)."
    assert final.rep_count == 1  # the first abduction finished before the loss


def test_bad_model_is_refused_before_any_thread_starts(pose_media, tmp_path):
    from gmi.core.errors import GmiError

    bad = tmp_path / "bad.task"
    bad.write_text("nope")
    source = VideoFileSource(pose_media.clip)
    with pytest.raises(GmiError):
        PosePipeline(source, bad, ABDUCTION).start()
    assert source.read() is None  # the pipeline closed the source it was given


def test_mirrored_preview_is_the_picture_flipped_and_landmarks_are_not(pose_media):
    finals = []
    for mirror in (False, True):
        with PosePipeline(VideoFileSource(pose_media.clip), pose_media.model, ABDUCTION, overlay=False,
                          mirror_preview=mirror) as pipeline:
            finals.append(pipeline.wait(30))
    plain, mirrored = finals
    assert np.array_equal(mirrored.preview, plain.preview[:, ::-1])
    assert np.allclose(mirrored.landmarks_px, plain.landmarks_px)
