import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

from gmi.cli import main
from gmi.core.mirror import line_column


def write_video(path, frames=5, size=(64, 48)):
    """A small synthetic video: left half a gradient, right half flat, each frame a little brighter."""
    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (w, h))
    assert writer.isOpened()
    for i in range(frames):
        frame = np.zeros((h, w, 3), np.uint8)
        frame[:, : w // 2] = np.linspace(0, 200, w // 2, dtype=np.uint8)[None, :, None]
        frame[:, w // 2:] = (20 + 40 * i, 90, 160)
        writer.write(frame)
    writer.release()
    return path


@pytest.mark.parametrize("keep", ["left", "right"])
def test_snapshot_of_a_video_frame_is_mirrored_across_the_line(tmp_path, keep, capsys):
    video = write_video(tmp_path / "clip.avi")
    out = tmp_path / "shots" / "mirror.png"
    assert main(["mirror", "--source", str(video), "--keep", keep, "--snapshot", str(out)]) == 0
    assert "Saved" in capsys.readouterr().out
    img = cv2.imread(str(out))
    assert img.shape == (48, 64, 3)
    b = line_column(64, 0.5)
    assert np.array_equal(img[:, :b], img[:, b:][:, ::-1])          # PNG is lossless: exact pixels
    seen = cv2.VideoCapture(str(video)).read()[1][:, ::-1]     # as in a looking-glass
    kept = slice(0, b) if keep == "left" else slice(b, 64)
    assert np.array_equal(img[:, kept], seen[:, kept])


def test_line_in_pixels_and_a_later_frame(tmp_path):
    video = write_video(tmp_path / "clip.avi")
    out = tmp_path / "m.png"
    assert main(["mirror", "--source", str(video), "--keep", "right", "--line", "40px", "--frame", "3",
                 "--snapshot", str(out)]) == 0
    img = cv2.imread(str(out))
    assert np.array_equal(img[:, 16:40], img[:, 40:64][:, ::-1])
    assert not img[:, :16].any()                                     # beyond the reflection: flat fill
    cap = cv2.VideoCapture(str(video))
    cap.set(cv2.CAP_PROP_POS_FRAMES, 3)
    assert np.array_equal(img[:, 40:], cap.read()[1][:, ::-1][:, 40:])


@pytest.mark.parametrize("args,code,words", [
    (["--line", "1.5"], "E-MIRROR-LINE", "0.05 to 0.95"),
    (["--line", "middle"], "E-MIRROR-LINE", "320px"),
    (["--line", "64px"], "E-MIRROR-LINE", "1 to 63"),
    (["--frame", "99"], "E-VIDEO-FRAME", "5 frames"),
])
def test_bad_options_exit_2_with_a_fix(tmp_path, capsys, args, code, words):
    video = write_video(tmp_path / "clip.avi")
    out = tmp_path / "m.png"
    assert main(["mirror", "--source", str(video), "--snapshot", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert code in err and words in err and "Traceback" not in err
    assert not out.exists()


def test_missing_unreadable_video_and_bad_snapshot_type(tmp_path, capsys):
    assert main(["mirror", "--source", str(tmp_path / "none.mp4"), "--snapshot", str(tmp_path / "a.png")]) == 2
    assert "E-VIDEO-MISSING" in capsys.readouterr().err
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video" * 50)
    assert main(["mirror", "--source", str(junk), "--snapshot", str(tmp_path / "a.png")]) == 2
    assert "E-VIDEO-UNREADABLE" in capsys.readouterr().err
    video = write_video(tmp_path / "clip.avi")
    assert main(["mirror", "--source", str(video), "--snapshot", str(tmp_path / "a.gif")]) == 2
    assert "E-SNAPSHOT-TYPE" in capsys.readouterr().err


def test_no_camera_at_an_index_is_explained(tmp_path, capsys):
    assert main(["mirror", "--source", "57", "--snapshot", str(tmp_path / "a.png")]) == 2
    err = capsys.readouterr().err
    assert "E-NO-CAMERA" in err and "--box" in err
