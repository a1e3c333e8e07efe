import io
import json
import subprocess
import zipfile

import pytest

from gmi.core.errors import GmiError
from gmi.pose import model as pose_model
from gmi.pose.model import (BUNDLE_DETECTOR, BUNDLE_LANDMARKS, MEMBER_ALIGNMENT, build_from_wheel, bundle_task,
                            check_pose_model, model_file, read_wheel_models, resolve_model, setup_model)

TFLITE = b"\x1c\x00\x00\x00TFL3" + bytes(64)  # the 8-byte TFLite header, enough for the file check


def _zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_bundle_is_stored_aligned_and_reproducible():
    data = bundle_task(TFLITE + b"a", TFLITE + b"bc")
    assert data == bundle_task(TFLITE + b"a", TFLITE + b"bc")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert [i.filename for i in z.infolist()] == [BUNDLE_DETECTOR, BUNDLE_LANDMARKS]
        for info in z.infolist():
            assert info.compress_type == zipfile.ZIP_STORED and info.date_time == (1980, 1, 1, 0, 0, 0)
            offset = info.header_offset + 30 + len(info.filename) + len(info.extra)
            assert offset % MEMBER_ALIGNMENT == 0
        assert z.read(BUNDLE_LANDMARKS) == TFLITE + b"bc"


@pytest.mark.parametrize("kind,message", [
    ("text", "is not a pose model"),
    ("other_zip", "lacks pose_detector.tflite"),
    ("deflated", "compressed"),
    ("not_tflite", "is not a TensorFlow Lite model"),
    ("missing", "does not exist"),
])
def test_files_that_are_not_pose_models_are_refused(tmp_path, kind, message):
    path = tmp_path / "model.task"
    if kind == "text":
        path.write_text("hello")
    elif kind == "other_zip":
        _zip(path, {"readme.txt": "x"})
    elif kind == "deflated":
        _zip(path, {BUNDLE_DETECTOR: TFLITE * 10, BUNDLE_LANDMARKS: TFLITE * 10}, zipfile.ZIP_DEFLATED)
    elif kind == "not_tflite":
        _zip(path, {BUNDLE_DETECTOR: TFLITE, BUNDLE_LANDMARKS: b"not a model at all"})
    with pytest.raises(GmiError) as info:
        check_pose_model(path)
    assert message in info.value.message
    assert info.value.code == ("E-MODEL-MISSING" if kind == "missing" else "E-MODEL-INVALID")
    assert "pose_landmarker" in info.value.fix


def test_missing_model_says_run_camera_setup(tmp_path):
    with pytest.raises(GmiError) as info:
        resolve_model(tmp_path)
    assert info.value.code == "E-MODEL-MISSING" and "gmi camera setup" in info.value.fix


def test_explicit_model_wins_over_the_built_one(tmp_path):
    explicit = tmp_path / "official.task"
    explicit.write_bytes(bundle_task(TFLITE, TFLITE))
    assert resolve_model(tmp_path / "no-data-here", explicit) == explicit


def test_download_failure_is_explained(tmp_path, monkeypatch):
    def failing_pip(command, **kwargs):
        assert command[1:4] == ["-m", "pip", "download"] and "mediapipe==0.10.21" in command
        return subprocess.CompletedProcess(command, 1, stdout="ERROR: Could not find a version\n")

    monkeypatch.setattr(pose_model.subprocess, "run", failing_pip)
    with pytest.raises(GmiError) as info:
        setup_model(tmp_path, progress=lambda text: None, echo_pip=False)
    assert info.value.code == "E-MODEL-DOWNLOAD" and "Could not find a version" in info.value.message
    assert "--wheel" in info.value.fix
    assert not model_file(tmp_path).exists()


def test_a_wheel_that_is_not_mediapipe_0_10_21_is_refused(tmp_path):
    wrong = _zip(tmp_path / "other.whl", {"pkg/__init__.py": ""})
    with pytest.raises(GmiError, match="does not contain the pose model file"):
        read_wheel_models(wrong)
    altered = _zip(tmp_path / "altered.whl", {name: TFLITE for name in pose_model.MEMBER_SHA256})
    with pytest.raises(GmiError, match="checksum differs"):
        read_wheel_models(altered)
    with pytest.raises(GmiError, match="does not exist"):
        setup_model(tmp_path / "data", tmp_path / "nowhere.whl", progress=lambda text: None)


@pytest.mark.slow
def test_build_from_the_real_wheel_is_byte_identical_and_recorded(pose_media, tmp_path):
    first = build_from_wheel(pose_media.mediapipe_wheel, progress=lambda text: None)
    assert first == build_from_wheel(pose_media.mediapipe_wheel, progress=lambda text: None)
    assert first == pose_media.model.read_bytes()
    info = setup_model(tmp_path, pose_media.mediapipe_wheel, progress=lambda text: None)
    assert info.built and info.path.read_bytes() == first
    record = json.loads(info.path.with_suffix(".json").read_text())
    assert record["sha256"] == info.sha256 and record["source"] == pose_media.mediapipe_wheel.name
    assert resolve_model(tmp_path) == info.path
    assert not setup_model(tmp_path, pose_media.mediapipe_wheel, progress=lambda text: None).built
    # the detector is copied as is; the landmark network gains a TFLite metadata buffer, nothing else
    with zipfile.ZipFile(info.path) as z:
        landmarks = z.read(BUNDLE_LANDMARKS)
        detector = z.read(BUNDLE_DETECTOR)
    original_detector, original_landmarks = read_wheel_models(pose_media.mediapipe_wheel)
    assert detector == original_detector
    assert b"TFLITE_METADATA" not in original_landmarks and b"TFLITE_METADATA" in landmarks
    assert abs(len(landmarks) - len(original_landmarks)) < 10_000


@pytest.mark.slow
def test_a_damaged_model_is_detected_and_rebuilt(pose_media, tmp_path):
    info = setup_model(tmp_path, pose_media.mediapipe_wheel, progress=lambda text: None)
    data = bytearray(info.path.read_bytes())
    data[-100] ^= 0xFF
    info.path.write_bytes(bytes(data))
    with pytest.raises(GmiError) as err:
        resolve_model(tmp_path)
    assert err.value.code == "E-MODEL-DAMAGED" and "--force" in err.value.fix
    messages = []
    rebuilt = setup_model(tmp_path, pose_media.mediapipe_wheel, progress=messages.append)
    assert rebuilt.built and any("damaged" in m for m in messages)
    assert resolve_model(tmp_path) == rebuilt.path


@pytest.mark.slow
def test_mediapipe_refusing_a_model_becomes_a_clear_error(pose_media, tmp_path):
    from gmi.pose.landmarker import Landmarker

    detector, landmarks = read_wheel_models(pose_media.mediapipe_wheel)
    no_metadata = tmp_path / "no_metadata.task"
    no_metadata.write_bytes(bundle_task(detector, landmarks))  # the step the shim exists for, left out
    with pytest.raises(GmiError) as info:
        with Landmarker(no_metadata):
            pass
    assert info.value.code == "E-MODEL-INVALID" and "NormalizationOptions" in info.value.message
