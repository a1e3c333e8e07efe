import pytest

from gmi.cli import main


def test_camera_check_reports_a_missing_camera_before_any_window(capsys, tmp_path):
    from gmi.pose.model import bundle_task

    pytest.importorskip("mediapipe")
    model = tmp_path / "model.task"
    model.write_bytes(bundle_task(b"\x1c\x00\x00\x00TFL3", b"\x1c\x00\x00\x00TFL3"))
    code = main(["camera", "check", "--movement", "squat", "--camera", "97", "--pose-model", str(model),
                 "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and ("[E-NO-CAMERA]" in err or "[E-CAMERA-BUSY]" in err)
    assert "camera-free" in err


def test_camera_check_without_a_model(capsys, tmp_path):
    pytest.importorskip("mediapipe")
    code = main(["camera", "check", "--movement", "squat", "--data-dir", str(tmp_path)])
    assert code == 2 and "gmi camera setup" in capsys.readouterr().err


@pytest.mark.slow
def test_camera_check_scene_plays_the_clip_and_leaves_cleanly(tmp_path, pose_media):
    import pygame

    from gmi.core.movements import MOVEMENTS
    from gmi.pose.pipeline import PosePipeline
    from gmi.pose.sources import VideoFileSource
    from gmi.store.db import Database
    from gmi.ui.app import App, AppContext, open_window
    from gmi.ui.scenes.camera_check import CameraCheckScene

    db = Database.open(tmp_path / "data")
    app = App(open_window(), AppContext.load(db, "tester", tmp_path / "data"))
    movement = MOVEMENTS["shoulder_abduction"]
    pipeline = PosePipeline(VideoFileSource(pose_media.clip), pose_media.model, movement, gauge_on_frame=False)
    scene = CameraCheckScene(pipeline, movement, "both")
    app.push(scene)
    try:
        for _ in range(2000):
            app.step(1 / 60)
            if pipeline.latest().ended:
                break
        app.step(1 / 60)
        assert pipeline.latest().rep_count == 2 and pipeline.latest().error is None
        # the picture was drawn into the window (not the plain background)
        assert len({app.screen.get_at((x, 400))[:3] for x in range(100, 700, 20)}) > 5
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="\x1b", scancode=41))
        app.step(1 / 60)
        assert app.top is not scene
        assert all(not t.is_alive() for t in pipeline._threads)
    finally:
        app.quit()
        db.close()
        pygame.quit()
