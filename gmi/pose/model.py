"""The pose model: found, or built once offline from a package-registry wheel (reference/pose-model.md).

mediapipe >= 1.2 ships no model files and gmi never downloads anything while it runs. `gmi camera setup`
(an explicit step, with progress) takes the two TFLite networks out of the mediapipe 0.10.21 wheel — the
last release that bundled them — without installing that wheel, adds the input metadata the Tasks API
needs to the landmark network, and writes a byte-identical `.task` bundle into the data directory with
its sha256 recorded. An explicit model path (for example Google's official pose_landmarker_full.task)
always wins over the built one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import struct
import subprocess
import sys
import tempfile
import time
import types
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from gmi.core.errors import GmiError
from gmi.store.location import atomic_write_bytes, prepare_data_dir

MODEL_FILENAME = "pose_landmarker_gmi.task"
RECORD_SUFFIX = ".json"
WHEEL_REQUIREMENT = "mediapipe==0.10.21"
WHEEL_FILENAME = "mediapipe-0.10.21-cp311-cp311-manylinux_2_28_x86_64.whl"
WHEEL_SIZE_TEXT = "about 36 MB"
# Any platform's wheel holds the same two files; pip fetches this one from any Python on any system.
PIP_DOWNLOAD_ARGS = ("download", WHEEL_REQUIREMENT, "--no-deps", "--only-binary=:all:", "--python-version",
                     "3.11", "--platform", "manylinux_2_28_x86_64")
DETECTOR_MEMBER = "mediapipe/modules/pose_detection/pose_detection.tflite"
LANDMARKS_MEMBER = "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"
MEMBER_SHA256 = {
    DETECTOR_MEMBER: "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    LANDMARKS_MEMBER: "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
}
# Member names the PoseLandmarker graph looks up inside a .task bundle.
BUNDLE_DETECTOR = "pose_detector.tflite"
BUNDLE_LANDMARKS = "pose_landmarks_detector.tflite"
BUNDLE_DATE = (1980, 1, 1, 0, 0, 0)  # fixed member dates: the same inputs give the same bytes
MEMBER_ALIGNMENT = 64
ZIP_LOCAL_HEADER_SIZE = 30
ALIGN_EXTRA_ID, ALIGN_EXTRA_HEADER = 0xD935, 4  # the extra-field id Android's zipalign uses for padding
LANDMARK_OUTPUTS = 5                 # [1,195] landmarks, [1,1] presence, [1,256,256,1] mask, heatmap, world
SETUP_FIX = "run `gmi camera setup` once (it downloads about 36 MB), or pass --pose-model PATH to a pose_landmarker .task file"
INVALID_FIX = ("give the path of a pose_landmarker .task file (for example Google's pose_landmarker_full.task), "
               "or leave out --pose-model to use the model `gmi camera setup` builds")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    sha256: str
    size: int
    built: bool  # False when the model was already in place


def model_file(data_dir: Path) -> Path:
    return data_dir / "models" / MODEL_FILENAME


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_pose_model(path: Path) -> None:
    """Refuse, with a clear message, a file that cannot be a PoseLandmarker bundle."""
    if not path.is_file():
        raise GmiError("E-MODEL-MISSING", f"The pose model file {path} does not exist.",
                       fix=f"check the path; or {INVALID_FIX}")
    fix = INVALID_FIX
    try:
        with zipfile.ZipFile(path) as bundle:
            infos = {info.filename: info for info in bundle.infolist()}
            missing = [n for n in (BUNDLE_DETECTOR, BUNDLE_LANDMARKS) if n not in infos]
            if missing:
                raise GmiError("E-MODEL-INVALID", f"{path} is not a pose model: it lacks {', '.join(missing)} "
                               f"(it holds: {', '.join(sorted(infos)) or 'nothing'}).", fix=fix)
            for name in (BUNDLE_DETECTOR, BUNDLE_LANDMARKS):
                if infos[name].compress_type != zipfile.ZIP_STORED:
                    raise GmiError("E-MODEL-INVALID", f"{path} is compressed; mediapipe needs an uncompressed "
                                   "(stored) .task bundle.", fix=fix)
                with bundle.open(name) as member:
                    if member.read(8)[4:8] != b"TFL3":
                        raise GmiError("E-MODEL-INVALID", f"{path}: {name} is not a TensorFlow Lite model.", fix=fix)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GmiError("E-MODEL-INVALID", f"{path} is not a pose model (.task bundle): {exc}.", fix=fix) from None


def resolve_model(data_dir: Path, explicit: str | Path | None = None) -> Path:
    """The model to use: ``explicit`` if given (checked), else the one `gmi camera setup` built."""
    if explicit:
        path = Path(explicit).expanduser()
        check_pose_model(path)
        return path
    path = model_file(data_dir)
    if not path.is_file():
        raise GmiError("E-MODEL-MISSING", "The pose model is not set up yet (run `gmi camera setup` once), so "
                       "gmi cannot measure movement from a camera or video.", fix=SETUP_FIX)
    record = _read_record(path)
    actual = sha256_of(path.read_bytes())
    if record.get("sha256") != actual:
        raise GmiError("E-MODEL-DAMAGED", f"The pose model {path} does not match the checksum recorded when it "
                       "was built (the file was changed or damaged).", fix="run `gmi camera setup --force` to rebuild it")
    return path


def _read_record(path: Path) -> dict[str, object]:
    try:
        return json.loads(path.with_suffix(RECORD_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def download_wheel(dest: Path, progress: Progress, echo: bool = True) -> Path:
    """Fetch the mediapipe 0.10.21 wheel with pip (the package registry is the only network gmi uses,
    and only here, when the user asked for it)."""
    if importlib.util.find_spec("pip") is None:
        raise GmiError("E-MODEL-DOWNLOAD", "pip is not available in this Python, so gmi cannot fetch the model files.",
                       fix=f"download {WHEEL_FILENAME} from PyPI (project mediapipe, version 0.10.21) and run "
                           "`gmi camera setup --wheel PATH`")
    progress(f"Downloading {WHEEL_REQUIREMENT} ({WHEEL_SIZE_TEXT}, once) from the Python package index…")
    command = [sys.executable, "-m", "pip", *PIP_DOWNLOAD_ARGS, "-d", str(dest)]
    result = subprocess.run(command, stdout=None if echo else subprocess.PIPE,
                            stderr=None if echo else subprocess.STDOUT, text=True, check=False)
    wheels = sorted(dest.glob("mediapipe-0.10.21-*.whl"))
    if result.returncode != 0 or not wheels:
        tail = "" if echo else "\n" + "\n".join((result.stdout or "").strip().splitlines()[-3:])
        raise GmiError("E-MODEL-DOWNLOAD", f"Downloading {WHEEL_REQUIREMENT} failed (pip exit code "
                       f"{result.returncode}).{tail}",
                       fix="check the internet connection and try again, or download "
                           f"{WHEEL_FILENAME} on another computer and run `gmi camera setup --wheel PATH`")
    return wheels[0]


def read_wheel_models(wheel: Path) -> tuple[bytes, bytes]:
    """The pose detector and full landmark networks, read straight out of the wheel (never installed)."""
    fix = f"use the wheel {WHEEL_FILENAME} (mediapipe 0.10.21 from PyPI), or run `gmi camera setup` without --wheel"
    try:
        with zipfile.ZipFile(wheel) as archive:
            data = {name: archive.read(name) for name in MEMBER_SHA256}
    except KeyError as exc:
        raise GmiError("E-MODEL-WHEEL", f"{wheel} does not contain the pose model file {exc.args[0]}.", fix=fix) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise GmiError("E-MODEL-WHEEL", f"{wheel} cannot be read as a wheel: {exc}.", fix=fix) from None
    for name, expected in MEMBER_SHA256.items():
        if sha256_of(data[name]) != expected:
            raise GmiError("E-MODEL-WHEEL", f"{name} in {wheel} is not the file gmi expects (checksum differs).", fix=fix)
    return data[DETECTOR_MEMBER], data[LANDMARKS_MEMBER]


def _metadata_writer_module() -> types.ModuleType:
    """mediapipe's TFLite metadata writer.

    Shim: in mediapipe 1.2.x `metadata.py` imports a native module `_pywrap_metadata_version` that the
    wheel does not ship, so the import fails. Its only use is to report the minimum metadata parser
    version, so a stand-in returning "1.0.0" is registered just for the import and removed afterwards.
    If a future mediapipe ships the module, the real one is used.
    """
    writer_name = "mediapipe.tasks.python.metadata.metadata_writers.metadata_writer"
    try:
        return importlib.import_module(writer_name)
    except ModuleNotFoundError as exc:
        if "mediapipe.tasks.cc" not in str(exc):
            raise
    chain = ["mediapipe.tasks.cc", "mediapipe.tasks.cc.metadata", "mediapipe.tasks.cc.metadata.python",
             "mediapipe.tasks.cc.metadata.python._pywrap_metadata_version"]
    stubs = [types.ModuleType(name) for name in chain]
    for parent, child in zip(stubs, stubs[1:]):
        parent.__path__ = []  # type: ignore[attr-defined]  (a package, so the child import resolves)
        setattr(parent, child.__name__.rsplit(".", 1)[1], child)
    stubs[-1].GetMinimumMetadataParserVersion = lambda *args, **kwargs: "1.0.0"  # type: ignore[attr-defined]
    sys.modules.update({stub.__name__: stub for stub in stubs})
    try:
        return importlib.import_module(writer_name)
    finally:
        for name in chain:
            sys.modules.pop(name, None)


def add_landmark_metadata(landmark_model: bytes) -> bytes:
    """The landmark network with image-input metadata (normalisation mean 0, std 255: pixels to 0..1);
    its weights are unchanged. Without it mediapipe refuses the float32 input."""
    from gmi.pose.deps import require_mediapipe

    require_mediapipe()
    module = _metadata_writer_module()
    writer = module.MetadataWriter.create(bytearray(landmark_model))
    writer.add_general_info("pose_landmark_full", "BlazePose GHUM 3D full landmark model (mediapipe 0.10.21)")
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    for _ in range(LANDMARK_OUTPUTS):
        writer.add_feature_output()
    model, _json = writer.populate()
    del writer  # its temporary folder is removed now, not by a finaliser at interpreter exit
    return bytes(model)


def bundle_task(detector: bytes, landmarks: bytes) -> bytes:
    """An uncompressed zip (mediapipe memory-maps its members) with fixed dates, so that the build is
    reproducible, and each member's data aligned to 64 bytes (padding in a zipalign-style extra field)
    so that TFLite can use the weights in place instead of copying unaligned buffers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as bundle:
        for name, data in ((BUNDLE_DETECTOR, detector), (BUNDLE_LANDMARKS, landmarks)):
            info = zipfile.ZipInfo(name, date_time=BUNDLE_DATE)
            data_offset = buffer.tell() + ZIP_LOCAL_HEADER_SIZE + len(name.encode()) + ALIGN_EXTRA_HEADER
            padding = -data_offset % MEMBER_ALIGNMENT
            info.extra = struct.pack("<HH", ALIGN_EXTRA_ID, padding) + bytes(padding)
            bundle.writestr(info, data)
    return buffer.getvalue()


def build_from_wheel(wheel: Path, progress: Progress) -> bytes:
    progress(f"Reading the pose detector and landmark networks from {wheel.name}…")
    detector, landmarks = read_wheel_models(wheel)
    progress("Adding the landmark network's input description (weights unchanged)…")
    return bundle_task(detector, add_landmark_metadata(landmarks))


def setup_model(data_dir: Path, wheel: Path | None = None, *, force: bool = False,
                progress: Progress = print, echo_pip: bool = True) -> ModelInfo:
    """Build the model into ``data_dir`` (once): from ``wheel``, or a wheel fetched with pip."""
    target = model_file(data_dir)
    if target.is_file() and not force:
        try:
            resolve_model(data_dir)
            data = target.read_bytes()
            return ModelInfo(target, sha256_of(data), len(data), built=False)
        except GmiError:
            progress(f"The pose model in {target.parent} is damaged; rebuilding it.")
    prepare_data_dir(data_dir)
    with tempfile.TemporaryDirectory(prefix="gmi-wheel-") as tmp:
        if wheel is None:
            wheel = download_wheel(Path(tmp), progress, echo=echo_pip)
        elif not Path(wheel).is_file():
            raise GmiError("E-MODEL-WHEEL", f"The wheel {wheel} does not exist.",
                           fix="check the path, or run `gmi camera setup` without --wheel to download it")
        data = build_from_wheel(Path(wheel), progress)
        source = Path(wheel).name
    progress(f"Writing {target} ({len(data) / 1e6:.1f} MB)…")
    digest = sha256_of(data)
    atomic_write_bytes(target, data, mode=0o644)
    record = {"sha256": digest, "size": len(data), "source": source, "members": MEMBER_SHA256,
              "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    atomic_write_bytes(target.with_suffix(RECORD_SUFFIX), json.dumps(record, indent=2).encode(), mode=0o644)
    return ModelInfo(target, digest, len(data), built=True)
