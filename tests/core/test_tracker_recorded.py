"""The tracker on landmarks recorded from a real video (tools/record_landmarks.py: the Sports2D demo crop,
a man raising both arms out to the sides twice; 100 frames at 30 fps, 640x480)."""

from pathlib import Path

import numpy as np
import pytest

from gmi.core.landmarks import pose_from_array
from gmi.core.movements import MOVEMENTS
from gmi.core.skeleton import LANDMARK_INDEX
from gmi.core.tracker import MovementTracker

RECORDING = Path(__file__).parent / "data" / "sports2d_demo_crop_landmarks.npz"


@pytest.fixture(scope="module")
def recording():
    data = np.load(RECORDING)
    return data["poses"].astype(float), data["t_s"], int(data["width"]), int(data["height"])


def replay(recording, movement="shoulder_abduction", side=None, alter=None):
    poses, times, width, height = recording
    tracker = MovementTracker(MOVEMENTS[movement], side)
    updates = []
    for i, (row, t) in enumerate(zip(poses, times)):
        row = row.copy()
        pose = None if np.isnan(row[0, 0]) else pose_from_array(t, width, height, row)
        if alter is not None:
            pose = alter(i, pose)
        updates.append(tracker.update(t, pose))
    tracker.detector.finish()
    return tracker, updates


def test_recording_is_what_it_claims(recording):
    poses, times, width, height = recording
    assert poses.shape == (100, 33, 8) and (width, height) == (640, 480)
    assert np.all(np.isfinite(poses[:, 0, 0]))  # pose found in every frame
    assert times[1] - times[0] == pytest.approx(1 / 30)


@pytest.mark.parametrize("side", ["both", "left", "right"])
def test_two_arm_raises_are_two_repetitions_above_150_degrees(recording, side):
    tracker, _ = replay(recording, side=side)
    peaks = [r.peak_deg for r in tracker.results]
    assert len(peaks) == 2, peaks
    assert all(150 < p < 175 for p in peaks)
    assert all(r.target_reached for r in tracker.results)
    assert all(0.6 < r.duration_s < 1.5 for r in tracker.results)
    first, second = tracker.results
    assert first.t_end_s < second.t_start_s


def test_smoothing_keeps_the_peaks_of_the_raw_angles(recording):
    from gmi.core.angles import measure_angle

    poses, times, width, height = recording
    raw = np.array([measure_angle(MOVEMENTS["shoulder_abduction"], "both",
                                  pose_from_array(t, width, height, row)).angle_deg or np.nan
                    for row, t in zip(poses, times)])
    tracker, _ = replay(recording)
    for result in tracker.results:
        window = raw[round(result.t_start_s * 30): round(result.t_end_s * 30) + 1]
        assert abs(result.peak_deg - np.nanmax(window)) < 3.0


def test_the_brief_left_right_swap_in_the_recording_is_repaired(recording):
    tracker, updates = replay(recording)
    assert tracker.smoother.swaps_undone >= 3
    left, right = LANDMARK_INDEX["left_shoulder"], LANDMARK_INDEX["right_shoulder"]
    # facing the camera, the person's left shoulder stays on the picture's right throughout the raises
    assert all(u.pose.image[left, 0] > u.pose.image[right, 0] for u in updates[:85])


def test_dropped_frames_and_jitter_do_not_change_the_count(recording):
    rng = np.random.default_rng(7)

    def damage(i, pose):
        if pose is None or i % 5 == 0:
            return None  # every fifth frame lost
        noisy = pose.image.copy()
        noisy[:, :2] += rng.normal(0, 1.5, (33, 2)) / [640, 480]  # 1.5 px of extra jitter
        return pose.with_coordinates(noisy, pose.world)

    tracker, _ = replay(recording, alter=damage)
    assert len(tracker.results) == 2 and all(r.peak_deg > 150 for r in tracker.results)


def test_hips_out_of_the_picture_stop_measurement_with_guidance(recording):
    def crop_hips(i, pose):
        image = pose.image.copy()
        for name in ("left_hip", "right_hip"):
            image[LANDMARK_INDEX[name], 1] = 1.05
        return pose.with_coordinates(image, pose.world)

    tracker, updates = replay(recording, alter=crop_hips)
    assert tracker.results == [] and tracker.frames_measured == 0
    assert updates[-1].shown_guidance.message == "Step back so I can see your hips"


def test_a_side_view_movement_asks_the_person_to_turn(recording):
    tracker, updates = replay(recording, movement="squat")
    assert tracker.results == []
    assert tracker.guidance_counts["Turn sideways to the camera"] > 80


def test_the_end_of_the_clip_where_he_turns_away_is_not_measured(recording):
    _, updates = replay(recording)
    assert all(u.angle_deg is not None for u in updates[40:60])
    assert updates[-1].guidance.code == "face_camera"
