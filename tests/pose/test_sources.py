import numpy as np
import pytest

from gmi.core.errors import GmiError
from gmi.pose import sources
from gmi.pose.sources import CameraSource, VideoFileSource, open_source

cv2 = pytest.importorskip("cv2")


def write_video(path, frames=20, size=(160, 120), fourcc="MJPG", fps=30.0):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    for i in range(frames):
        image = np.full((size[1], size[0], 3), (i * 10) % 255, np.uint8)
        writer.write(image)
    writer.release()
    return path


def test_video_frames_are_timed_by_their_position_and_the_end_is_signalled(tmp_path):
    path = write_video(tmp_path / "v.avi", frames=20, fps=25.0)
    with VideoFileSource(path) as source:
        assert source.size == (160, 120) and source.fps == pytest.approx(25.0) and not source.live
        frames = []
        while (frame := source.read()) is not None:
            frames.append(frame)
        assert source.read() is None
    assert [f.index for f in frames] == list(range(20))
    assert frames[5].t_s == pytest.approx(0.2)
    assert frames[0].bgr.shape == (120, 160, 3)
    assert source.end.reason == "ended" and "20 frames" in source.end.message


def test_missing_and_unreadable_videos(tmp_path):
    with pytest.raises(GmiError) as info:
        VideoFileSource(tmp_path / "nowhere.mp4")
    assert info.value.code == "E-VIDEO-MISSING"
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video")
    with pytest.raises(GmiError) as info:
        VideoFileSource(text)
    assert info.value.code == "E-VIDEO-UNREADABLE" and "convert" in info.value.fix


def test_damaged_video_ends_early_and_says_so(tmp_path):
    path = write_video(tmp_path / "v.avi", frames=60)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])  # cut short: the header still promises 60 frames
    with VideoFileSource(path) as source:
        count = 0
        while source.read() is not None:
            count += 1
    assert count < 60
    assert source.end.reason == "lost" and "of 60 frames" in source.end.message


def test_open_source_picks_camera_or_file(tmp_path, monkeypatch):
    path = write_video(tmp_path / "v.avi")
    assert isinstance(open_source(str(path)), VideoFileSource)
    monkeypatch.setattr(sources, "CameraSource", lambda index, **kw: ("camera", index))
    assert open_source("2") == ("camera", 2)


class FakeCapture:
    """Stands in for cv2.VideoCapture(index): a camera that delivers ``good`` frames, then none."""

    def __init__(self, opened=True, good=3):
        self.opened, self.good, self.released = opened, good, False

    def isOpened(self):
        return self.opened

    def set(self, prop, value):
        return True

    def get(self, prop):
        return 30.0

    def read(self):
        if self.good > 0:
            self.good -= 1
            return True, np.zeros((480, 640, 3), np.uint8)
        return False, None

    def release(self):
        self.released = True


def _fake_cv2(monkeypatch, capture):
    monkeypatch.setattr(cv2, "VideoCapture", lambda index: capture)


def test_no_camera(monkeypatch):
    _fake_cv2(monkeypatch, FakeCapture(opened=False))
    with pytest.raises(GmiError) as info:
        CameraSource(0)
    assert info.value.code == "E-NO-CAMERA" and "camera-free" in info.value.fix


def test_busy_camera(monkeypatch):
    capture = FakeCapture(good=0)
    _fake_cv2(monkeypatch, capture)
    monkeypatch.setattr(CameraSource, "OPEN_WAIT_S", 0.1)
    with pytest.raises(GmiError) as info:
        CameraSource(0)
    assert info.value.code == "E-CAMERA-BUSY" and "another program" in info.value.message
    assert capture.released


def test_camera_lost_mid_stream_is_signalled_not_raised(monkeypatch):
    _fake_cv2(monkeypatch, FakeCapture(good=3))
    monkeypatch.setattr(CameraSource, "LOST_AFTER_S", 0.1)
    with CameraSource(0) as camera:
        assert camera.live and camera.size == (640, 480)
        frames = [camera.read() for _ in range(3)]
        assert all(f is not None for f in frames)
        assert frames[2].t_s >= frames[0].t_s
        assert camera.read() is None
    assert camera.end.reason == "lost" and "stopped sending pictures" in camera.end.message


def test_a_real_missing_camera_index(monkeypatch):
    with pytest.raises(GmiError) as info:
        CameraSource(97)  # no machine the tests run on has 98 cameras
    assert info.value.code in ("E-NO-CAMERA", "E-CAMERA-BUSY")
