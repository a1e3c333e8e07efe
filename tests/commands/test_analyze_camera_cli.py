import json
import sys

import numpy as np
import pytest

from gmi.cli import main
from gmi.core.movements import MOVEMENT_NAMES


@pytest.fixture
def small_video(tmp_path):
    cv2 = pytest.importorskip("cv2")
    path = tmp_path / "empty_room.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (160, 120))
    for _ in range(10):
        writer.write(np.full((120, 160, 3), 90, np.uint8))
    writer.release()
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_unknown_movement_lists_the_allowed_names(capsys, tmp_path):
    code, out, err = run(capsys, "analyze", "v.mp4", "--movement", "shoulder_abductoin", "--data-dir", str(tmp_path))
    assert code == 2 and "Traceback" not in err
    assert "--movement" in err and "shoulder_abductoin" in err
    assert all(name in err for name in MOVEMENT_NAMES)


def test_side_and_target_that_do_not_fit_the_movement(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", "v.mp4", "--movement", "bilateral_arm_raise", "--side", "left")
    assert code == 2 and "allowed: both" in err
    code, _, err = run(capsys, "analyze", "v.mp4", "--movement", "squat", "--target", "170")
    assert code == 2 and "allowed: 35–150°" in err


def test_missing_and_unreadable_video(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(tmp_path / "nowhere.mp4"), "--movement", "squat")
    assert code == 2 and "does not exist" in err and "[E-VIDEO-MISSING]" in err
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x01garbage" * 100)
    code, _, err = run(capsys, "analyze", str(junk), "--movement", "squat")
    assert code == 2 and "[E-VIDEO-UNREADABLE]" in err and "Traceback" not in err


def test_model_not_set_up_says_gmi_camera_setup(capsys, tmp_path, small_video):
    code, _, err = run(capsys, "analyze", str(small_video), "--movement", "squat", "--data-dir", str(tmp_path / "d"))
    assert code == 2 and "[E-MODEL-MISSING]" in err and "gmi camera setup" in err


def test_not_a_pose_model(capsys, tmp_path, small_video):
    code, _, err = run(capsys, "analyze", str(small_video), "--movement", "squat", "--pose-model", str(small_video))
    assert code == 2 and "[E-MODEL-INVALID]" in err and "is not a pose model" in err


def test_mediapipe_missing_says_how_to_install(capsys, tmp_path, small_video, monkeypatch):
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # import mediapipe now raises ImportError
    code, _, err = run(capsys, "analyze", str(small_video), "--movement", "squat", "--data-dir", str(tmp_path))
    assert code == 2 and "[E-NO-CAMERA-STACK]" in err and "pip install 'gmi[camera]'" in err


def test_opencv_missing_says_how_to_install(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)
    code, _, err = run(capsys, "analyze", "v.mp4", "--movement", "squat", "--data-dir", str(tmp_path))
    assert code == 2 and "opencv" in err and "gmi[camera]" in err


def test_camera_free_commands_do_not_import_the_camera_stack():
    import subprocess

    code = ("import sys; from gmi.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('cv2', 'mediapipe') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_camera_setup_with_a_wrong_wheel(capsys, tmp_path):
    code, _, err = run(capsys, "camera", "setup", "--wheel", str(tmp_path / "none.whl"), "--data-dir", str(tmp_path))
    assert code == 2 and "does not exist" in err
    not_a_wheel = tmp_path / "x.whl"
    not_a_wheel.write_text("no")
    code, _, err = run(capsys, "camera", "setup", "--wheel", str(not_a_wheel), "--data-dir", str(tmp_path))
    assert code == 2 and "[E-MODEL-WHEEL]" in err


@pytest.mark.slow
def test_camera_setup_then_analyze_end_to_end(capsys, tmp_path, pose_media):
    data = str(tmp_path / "data")
    code, out, _ = run(capsys, "camera", "setup", "--wheel", str(pose_media.mediapipe_wheel), "--data-dir", data)
    assert code == 0 and "Done. Pose model:" in out and "Checking that mediapipe loads the model" in out
    sha = out.split("sha256 ")[1].split()[0]
    code, out, _ = run(capsys, "camera", "setup", "--wheel", str(pose_media.mediapipe_wheel), "--data-dir", data)
    assert code == 0 and "already set up" in out and sha in out

    code, out, err = run(capsys, "analyze", str(pose_media.clip), "--movement", "shoulder_abduction", "--data-dir", data)
    assert code == 0, err
    assert "Summary: 2 repetitions" in out and "target reached in 2 of 2" in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert [row[0] for row in rows] == ["1", "2"]
    assert all(float(row[1].rstrip("°")) > 150 for row in rows)

    code, out, _ = run(capsys, "analyze", str(pose_media.clip), "--movement", "shoulder_abduction", "--side", "right",
                       "--target", "160", "--json", "--data-dir", data)
    result = json.loads(out)
    assert code == 0 and result["side"] == "right" and result["target_deg"] == 160
    assert result["summary"]["repetitions"] == 2 and all(p > 150 for p in result["summary"]["peak_deg"])
    assert result["model"]["sha256"] == sha
    assert [r["target_reached"] for r in result["repetitions"]] == [p >= 160 for p in result["summary"]["peak_deg"]]


@pytest.mark.slow
def test_analyze_with_an_explicit_model_and_no_data_dir_model(capsys, tmp_path, pose_media):
    code, out, _ = run(capsys, "analyze", str(pose_media.clip), "--movement", "bilateral_arm_raise", "--json",
                       "--pose-model", str(pose_media.model), "--data-dir", str(tmp_path / "empty"))
    assert code == 0 and json.loads(out)["summary"]["repetitions"] == 2


def test_text_report_for_either_way_movements_unfinished_and_damaged_videos():
    from gmi.commands.analyze import format_result

    rep = {"index": 1, "peak_deg": 31.24, "target_deg": 25.0, "target_reached": True, "hold_s": 1.5,
           "duration_s": 3.0, "t_start_s": 1.0, "t_peak_s": 2.0, "t_end_s": 4.0, "side": "left"}
    result = {"video": "/x/side.mp4", "movement_title": "Trunk side bend", "side_label": "either way",
              "view": "front", "frames": 300, "duration_s": 10.0, "target_deg": 25.0, "angle_definition": "Lean.",
              "direction_per_rep": True, "repetitions": [rep], "frames_with_pose": 290, "frames_measured": 280,
              "not_measured": {"Step back so I can see your hips": 10},
              "summary": {"repetitions": 1, "peak_deg": [31.2], "target_reached": 1, "holds_s": [1.5],
                          "longest_hold_s": 1.5, "unfinished_peak_deg": 18.0, "ignored_small_movements": 0,
                          "abandoned_pose_lost": 1},
              "video_end": {"reason": "lost", "message": "The video stopped after 300 of 400 frames."}}
    text = format_result(result)
    assert "    1   31.2°  yes      1.5 s     3.0 s      4.0 s  to the left" in text
    assert "Summary: 1 repetition; peak angles 31°; target reached in 1 of 1; longest hold 1.5 s." in text
    assert "not measured in 10 frames: Step back so I can see your hips" in text
    assert "ended during a movement (peak 18°)" in text and "1 movement(s) not counted" in text
    assert "Warning: The video stopped after 300 of 400 frames." in text
    result.update(repetitions=[], summary=dict(result["summary"], repetitions=0, peak_deg=[]))
    assert "Summary: no repetitions." in format_result(result)
