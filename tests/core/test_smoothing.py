import numpy as np
import pytest

from gmi.core.smoothing import LandmarkSmoother, OneEuroFilter, OneEuroSettings
from gmi.core.skeleton import LANDMARK_INDEX, MIRRORED
from tests.core.posefactory import arms_abducted, make_pose

T = np.arange(300) / 30.0


def filtered(signal, settings=OneEuroSettings(), times=T):
    f = OneEuroFilter(settings)
    return np.array([f(t, np.atleast_1d(x)) for t, x in zip(times, signal)])[:, 0]


def test_constant_input_passes_unchanged():
    assert np.allclose(filtered(np.full(300, 0.42)), 0.42)


def test_jitter_at_rest_is_reduced_and_fast_movement_is_followed():
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.003, 300)  # about 2 px on a 640 px frame
    assert filtered(noise)[30:].std() < 0.6 * noise.std()
    motion = 0.25 * np.sin(2 * np.pi * 0.5 * T)  # an arm raise: 0.25 frame widths at 0.5 Hz
    out = filtered(motion + noise)
    assert np.sqrt(np.mean((out - motion)[30:] ** 2)) < 0.01
    assert out[30:].max() > motion.max() - 0.01  # the peak is not shaved off


def test_missing_elements_keep_their_state_and_come_out_missing():
    f = OneEuroFilter()
    f(0.0, np.array([0.0, 0.0]))
    out = f(1 / 30, np.array([np.nan, 0.1]))
    assert np.isnan(out[0]) and 0 < out[1] < 0.1
    out = f(2 / 30, np.array([0.0, 0.1]))  # short gap: continues from its old state
    assert out[0] == pytest.approx(0.0)


def test_long_gap_starts_afresh():
    f = OneEuroFilter(OneEuroSettings(reset_after_s=0.5))
    f(0.0, np.array([0.0]))
    assert f(0.1, np.array([1.0]))[0] < 1.0   # smoothed
    assert f(1.0, np.array([5.0]))[0] == 5.0  # 0.9 s later: no sliding across the gap


def test_repeated_time_stamp_keeps_the_value():
    f = OneEuroFilter()
    f(0.0, np.array([0.0]))
    first = f(0.1, np.array([1.0]))[0]
    assert f(0.1, np.array([9.0]))[0] == first


def test_smoother_passes_missing_pose_and_keeps_visibility():
    smoother = LandmarkSmoother()
    assert smoother(None) is None
    pose = make_pose(visibility=0.7)
    out = smoother(pose)
    assert np.allclose(out.image, pose.image) and np.allclose(out.visibility, 0.7)


def _mirror(pose):
    order = list(MIRRORED)
    return type(pose)(pose.t_s, pose.width, pose.height, pose.image[order], pose.world[order],
                      pose.visibility[order], pose.presence[order])


def test_brief_left_right_swap_is_undone():
    smoother = LandmarkSmoother()
    poses = [make_pose(arms_abducted(90, 30), t_s=i / 30) for i in range(12)]
    for i in (5, 6, 7):  # the model swaps the sides for three frames
        poses[i] = _mirror(poses[i])
    outputs = [smoother(p) for p in poses]
    elbow = LANDMARK_INDEX["left_elbow"]
    assert smoother.swaps_undone == 3
    assert all(np.allclose(o.image[elbow], poses[0].image[elbow]) for o in outputs)


def test_lasting_swap_is_believed():
    smoother = LandmarkSmoother(OneEuroSettings(max_swap_s=0.2))
    poses = [make_pose(arms_abducted(90, 30), t_s=i / 30) for i in range(30)]
    poses[5:] = [_mirror(p) for p in poses[5:]]
    outputs = [smoother(p) for p in poses]
    elbow = LANDMARK_INDEX["left_elbow"]
    assert np.allclose(outputs[-1].image[elbow], poses[-1].image[elbow])
