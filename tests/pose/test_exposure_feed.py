"""The pose pipeline as the exposure session's PoseFeed: errors that send the session to tapping, and a
real camera-mode session driven by the real clip."""

import time

import pytest

from gmi.core.errors import GmiError
from gmi.core.plans import Level
from gmi.core.reps import RepResult
from gmi.pose.exposure_feed import ExposurePoseFeed, camera_feed_factory, open_pose_feed

PLAN = """
format = 1
patient = "P-TEST"
author = "gmi tests"
title = "Both arms out to the sides"
written = 2026-11-16
review_by = 2027-01-11

[stop]
pain_above = 7

[progression]
rule = "advance"
sessions_at_target = 2
max_pain_rise = 2
step_back_rise = 3

[[hierarchy]]
name = "Raise both arms out to the sides"
fear = 30
movement = "shoulder_abduction"
side = "both"
instructions = "Face the camera and raise both arms out to the sides and up."

  [[hierarchy.levels]]
  target_deg = 150
  reps = 2
  sets = 1
  rest_s = 0

[[hierarchy]]
name = "Carry the shopping"
fear = 50
activity = "carry two bags of shopping up the stairs"

  [[hierarchy.levels]]
  reps = 1
"""


@pytest.fixture
def plan(tmp_path):
    from gmi.core.plans import load_plan

    path = tmp_path / "abduction.toml"
    path.write_text(PLAN, encoding="utf-8")
    return load_plan(str(path))


def test_activities_targets_and_a_missing_model_are_refused_clearly(plan, tmp_path):
    measured, activity = plan.items
    with pytest.raises(GmiError, match="not a measured movement"):
        open_pose_feed(activity, activity.level(1), tmp_path)
    low = Level(number=1, reps=5, sets=1, hold_s=0, rest_s=0, target_deg=20)
    with pytest.raises(GmiError) as info:
        open_pose_feed(measured, low, tmp_path)
    assert info.value.code == "E-TARGET"
    with pytest.raises(GmiError) as info:
        open_pose_feed(measured, measured.level(1), tmp_path)  # no model in this data directory
    assert info.value.code == "E-MODEL-MISSING" and "gmi camera setup" in info.value.message


class FakePipeline:
    def __init__(self):
        self.reps, self.started, self.stopped, self.ended = [], 0, False, False

    def start(self):
        self.started += 1

    def stop(self):
        self.stopped = True

    def latest(self):
        from types import SimpleNamespace

        return SimpleNamespace(reps=tuple(self.reps), angle_deg=42.0, guidance="", preview=None, ended=self.ended,
                               in_hold=False, hold_s=0.0)


def _rep(i, peak=155.0):
    return RepResult(i, peak, 150.0, peak >= 150, 0.5, 1.0, 0.0, 0.5, 1.0)


def test_only_repetitions_made_while_the_session_watches_are_handed_out():
    pipeline, t = FakePipeline(), [0.0]
    feed = ExposurePoseFeed(pipeline, clock=lambda: t[0])
    pipeline.reps = [_rep(1)]          # made before the session first looked (e.g. while answering questions)
    first = feed.latest()
    assert pipeline.started == 1 and first.reps == () and first.guidance is None and first.angle_deg == 42.0
    pipeline.reps.append(_rep(2, 140.0))
    t[0] += 1 / 60
    got = feed.latest().reps
    assert [(r.peak_deg, r.target_reached) for r in got] == [(140.0, False)]
    t[0] += 1 / 60
    assert feed.latest().reps == ()     # each repetition once
    pipeline.reps.append(_rep(3))       # made while a pause screen was up (no polling for 30 s)
    t[0] += 30
    assert feed.latest().reps == ()
    pipeline.reps.append(_rep(4))
    pipeline.ended = True
    t[0] += 1 / 60
    last = feed.latest()
    assert len(last.reps) == 1 and last.lost and pipeline.started == 1
    feed.close()
    assert pipeline.stopped


@pytest.mark.slow
def test_feed_hands_out_each_repetition_once_and_reports_the_end(plan, tmp_path, pose_media):
    item = plan.items[0]
    feed = camera_feed_factory(tmp_path, source=str(pose_media.clip), pose_model=str(pose_media.model))(
        item, item.level(1))
    reps, frames, deadline = [], 0, time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            snap = feed.latest()
            reps += snap.reps
            frames += snap.frame is not None
            if snap.lost:
                reps += feed.latest().reps  # nothing is handed out twice, even after the end
                break
            time.sleep(0.02)
    finally:
        feed.close()
    assert snap.lost and frames > 10
    assert len(reps) == 2 and all(r.peak_deg > 150 and r.target_reached for r in reps)
    assert snap.frame.shape == (480, 640, 3)
    assert all(not t.is_alive() for t in feed.pipeline._threads)


@pytest.mark.slow
def test_a_camera_exposure_session_counts_the_real_repetitions(app, tmp_path, pose_media, monkeypatch):
    import gmi.ui.scenes.exposure as exposure_scene
    from gmi.store import exposure as store
    from tests.ui.test_exposure_scene import answer_before, open_scene

    path = tmp_path / "abduction.toml"
    path.write_text(PLAN, encoding="utf-8")
    monkeypatch.setattr(exposure_scene, "POSE_FEED_FACTORY",
                        camera_feed_factory(tmp_path, source=str(pose_media.clip), pose_model=str(pose_media.model)))
    scene, clock, _ = open_scene(app, path)
    assert scene.session.mode.value == "camera", scene.notice
    answer_before(app, scene)
    deadline = time.monotonic() + 60
    while scene.session.reps_done < 2 and time.monotonic() < deadline:
        clock.t += 1 / 60
        app.step(1 / 60)
        time.sleep(0.005)
    rows = store.session_rows(app.ctx.db, scene.session_id)["reps"]
    assert [r["source"] for r in rows] == ["camera", "camera"]
    assert all(r["peak_deg"] > 150 and r["target_reached"] for r in rows)
