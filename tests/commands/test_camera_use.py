"""`gmi camera use`: the profile's camera, used by the mirror snapshot; $GMI_CAMERA overrides it."""

import pytest

from gmi.cli import main
from tests.commands.test_mirror_command import write_video

cv2 = pytest.importorskip("cv2")


@pytest.fixture(autouse=True)
def no_override(monkeypatch):
    monkeypatch.delenv("GMI_CAMERA", raising=False)


def test_the_chosen_video_is_remembered_per_profile_and_used_by_the_snapshot(tmp_path, capsys, monkeypatch):
    data, video = str(tmp_path / "data"), write_video(tmp_path / "clip.avi")
    assert main(["camera", "use", "--data-dir", data, "--profile", "anna"]) == 0
    assert "anna uses camera 0" in capsys.readouterr().out                  # the default
    assert main(["camera", "use", str(video), "--data-dir", data, "--profile", "anna"]) == 0
    assert f"anna uses the video {video}" in capsys.readouterr().out
    out = tmp_path / "m.png"
    assert main(["mirror", "--snapshot", str(out), "--data-dir", data, "--profile", "anna"]) == 0
    assert cv2.imread(str(out)).shape == (48, 64, 3)                          # no --source: the profile's video
    assert main(["camera", "use", "--data-dir", data, "--profile", "ben"]) == 0
    assert "ben uses camera 0" in capsys.readouterr().out                    # another profile: its own
    monkeypatch.setenv("GMI_CAMERA", str(tmp_path / "elsewhere.mp4"))       # the override wins
    assert main(["mirror", "--snapshot", str(out), "--data-dir", data, "--profile", "anna"]) == 2
    assert "E-VIDEO-MISSING" in capsys.readouterr().err
    assert main(["camera", "use", "--data-dir", data, "--profile", "anna"]) == 0
    assert "GMI_CAMERA is set" in capsys.readouterr().out


def test_bad_choices_are_refused_and_nothing_is_saved(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["camera", "use", str(tmp_path / "none.mp4"), "--data-dir", data]) == 2
    assert "E-VIDEO-MISSING" in capsys.readouterr().err
    assert main(["camera", "use", "100", "--data-dir", data]) == 2
    assert "E-CAMERA-NUMBER" in capsys.readouterr().err
    assert main(["camera", "use", "2", "--data-dir", data]) == 0
    assert main(["camera", "use", "--data-dir", data]) == 0
    assert "uses camera 2" in capsys.readouterr().out
