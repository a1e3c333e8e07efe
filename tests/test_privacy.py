"""Private by design: no network at run time, camera frames never written to disk, data files the owner's alone.

Network: every way Python opens a connection (socket creation, create_connection, DNS look-ups) is replaced by a
recorder that refuses; a drill, the app's menus, a video analysis with the real pose model and the exports then
run, and the recorder must stay empty.
"""

from __future__ import annotations

import os
import socket
import stat
import sys
import tempfile
from pathlib import Path

import pygame
import pytest

from gmi.cli import main
from tests.pose.conftest import pose_media  # noqa: F401  (the real clip and pose model)

ROOT = Path(__file__).resolve().parents[1]
IMAGE_OR_VIDEO = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".ppm", ".avi", ".mp4",
                  ".mkv", ".mov", ".webm", ".npy", ".npz", ".raw", ".yuv"}


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to use the network is recorded and refused."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what}{args!r}")
            raise NetworkAttempt(f"gmi tried to use the network: {what}{args!r}")
        return blocked

    class BlockedSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            attempts.append(f"socket.socket{args!r}")
            raise NetworkAttempt("gmi tried to create a socket")

    monkeypatch.setattr(socket, "socket", BlockedSocket)
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "socketpair", "fromfd"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    yield attempts
    assert attempts == [], attempts


def test_the_blocker_catches_what_it_should(no_network):
    import urllib.request

    with pytest.raises(Exception):
        urllib.request.urlopen("http://example.org", timeout=1)
    assert no_network and "getaddrinfo" in no_network[0] or "create_connection" in no_network[0]
    no_network.clear()


def test_a_drill_and_the_menus_make_no_network_attempt(no_network, app):
    from gmi.core.intents import Intent, TimedIntent
    from gmi.ui.scenes.home import HomeScene
    from tests.ui.test_drill import answer_all, correct_key, start_drill

    scene = start_drill(app, trials=10)
    answer_all(app, scene, correct_key)
    assert len(app.ctx.db.laterality_trials(scene.session_id)) == 10
    app.quit()
    app.running = True
    app.push(HomeScene())
    for label in ("Settings", "My last results"):            # open and leave a few screens
        home = app.top
        button = next(f for f in home.focusables if f.element.text.startswith(label))
        home._activate(button)
        app.step(1 / 60)
        app.top.handle(TimedIntent(0, Intent.BACK))
        app.step(1 / 60)
    assert isinstance(app.top, HomeScene)


@pytest.mark.slow
def test_video_analysis_with_the_real_pose_model_makes_no_network_attempt(pose_media, no_network, capsys):
    code = main(["analyze", str(pose_media.clip), "--movement", "shoulder_abduction", "--pose-model",
                 str(pose_media.model), "--json"])
    assert code == 0
    assert '"repetitions"' in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["tsv", "json", "html", "fhir"])
def test_exports_make_no_network_attempt_and_are_owner_only(no_network, app, tmp_path, capsys, fmt, open_umask):
    from tests.ui.test_drill import answer_all, correct_key, start_drill

    scene = start_drill(app, trials=10)
    answer_all(app, scene, correct_key)
    data = str(app.ctx.data_dir)
    out = tmp_path / "for-the-physio" / fmt
    assert main(["export", "--format", fmt, "--out", str(out), "--data-dir", data, "--profile", "tester"]) == 0
    assert "Exported 1 sessions" in capsys.readouterr().out
    files = assert_owner_only(tmp_path / "for-the-physio")
    assert len([p for p in files if p.is_file()]) >= 1
    assert main(["results", "--json", "--data-dir", data, "--profile", "tester"]) == 0


# -- camera frames never reach the disk --------------------------------------------------------------------------
def files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def watched_folders(app, tmp_path, monkeypatch):
    """The data directory, the working directory and the temporary directory, watched for new files."""
    cwd, tmp = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    folders = (app.ctx.data_dir, cwd, tmp)
    before = files_under(*folders)
    yield folders
    new = files_under(*folders) - before
    assert not [p for p in new if p.suffix.lower() in IMAGE_OR_VIDEO], new
    database = {"gmi.sqlite3", "gmi.sqlite3-wal", "gmi.sqlite3-shm"}
    assert {p.name for p in new} <= database, new     # nothing but the database itself was written


@pytest.mark.slow
def test_a_camera_exposure_session_writes_no_frame_to_disk(app, pose_media, watched_folders, monkeypatch):
    import time

    import gmi.ui.scenes.exposure as exposure_scene
    from gmi.pose.exposure_feed import camera_feed_factory
    from gmi.ui.consent import remember_camera_consent
    from tests.pose.test_exposure_feed import PLAN
    from tests.ui.test_exposure_scene import answer_before, open_scene

    plan = Path(tempfile.gettempdir()).parent / "abduction.toml"       # outside the watched folders
    plan.write_text(PLAN, encoding="utf-8")
    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY",
                        camera_feed_factory(Path(tempfile.mkdtemp(dir=plan.parent)), source=str(pose_media.clip),
                                            pose_model=str(pose_media.model)))
    remember_camera_consent(app.ctx, True)
    scene, clock, _ = open_scene(app, plan)
    assert scene.session.mode.value == "camera", scene.notice
    answer_before(app, scene)
    deadline = time.monotonic() + 60
    while scene.session.reps_done < 2 and time.monotonic() < deadline:   # the preview is drawn every frame
        clock.t += 1 / 60
        app.step(1 / 60)
        time.sleep(0.005)
    assert scene.session.reps_done == 2 and scene.snapshot.frame is not None


def test_a_camera_mirror_session_writes_no_frame_to_disk(app, watched_folders):
    from gmi.core.imagery import parse_sequence
    from gmi.core.tomlcheck import parse_toml
    from gmi.ui.consent import remember_camera_consent
    from gmi.ui.scenes.mirror import MirrorScene
    from gmi.ui.sound import Guide
    from tests.clock import FakeClock
    from tests.ui.test_imagery_mirror_scenes import MIRROR, SymmetricFeed, advance, key

    remember_camera_consent(app.ctx, True)
    clock = FakeClock()
    scene = MirrorScene(setting="camera", sequence=parse_sequence(parse_toml(MIRROR, "m.toml")),
                        feed_factory=SymmetricFeed, check_stage=False, clock=clock, guide=Guide(sound=False))
    app.push(scene)
    key(app, pygame.K_RETURN)
    advance(app, clock, 70)
    assert scene.state == "rating" and scene.frame_surface is not None


# -- owner-only files --------------------------------------------------------------------------------------------
def assert_owner_only(folder: Path) -> list[Path]:
    seen = []
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, f"{path} is {oct(mode)}"
        else:
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
        seen.append(path)
    return seen


@pytest.fixture
def open_umask():
    """A permissive umask, as on many systems: gmi must not rely on the user's own."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_database_logs_and_snapshots_are_owner_only(tmp_path, open_umask, monkeypatch, capsys):
    cv2 = pytest.importorskip("cv2")
    from tests.commands.test_mirror_command import write_video

    data = tmp_path / "data"
    assert main(["programme", "--data-dir", str(data)]) == 0
    video = write_video(tmp_path / "clip.avi")
    shot = tmp_path / "shots" / "new" / "mirror.png"
    assert main(["mirror", "--source", str(video), "--snapshot", str(shot), "--data-dir", str(data)]) == 0
    assert cv2.imread(str(shot)) is not None
    assert_owner_only(tmp_path / "shots")

    import gmi.commands.results as results

    def crash(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(results, "run", crash)
    assert main(["results", "--data-dir", str(data)]) == 1                # the crash log is written
    assert "report for the developers" in capsys.readouterr().err
    names = {p.name for p in assert_owner_only(data)}
    assert {"gmi.sqlite3", "logs"} <= names and any(n.startswith("gmi-crash-") for n in names)
    assert os.umask(0o022) == 0o022                                       # restored after main()


def test_imported_photos_are_owner_only(tmp_path, open_umask, capsys):
    from PIL import Image

    source = tmp_path / "from-the-physio"
    source.mkdir()
    Image.new("RGB", (300, 400), (180, 130, 100)).save(source / "my hand.jpg")
    data = tmp_path / "data"
    assert main(["stimuli", "import", str(source), "--part", "hands", "--side", "right", "--data-dir", str(data)]) == 0
    files = assert_owner_only(data)
    assert any(p.suffix == ".webp" for p in files) and any(p.name == "manifest.tsv" for p in files)


def test_the_pose_model_is_owner_only(tmp_path, open_umask, pose_media, capsys):
    data = tmp_path / "data"
    assert main(["camera", "setup", "--wheel", str(pose_media.mediapipe_wheel), "--data-dir", str(data)]) == 0
    files = assert_owner_only(data)
    assert any(p.suffix == ".task" for p in files)
