import pytest

from gmi.core.timing_check import ASSUMED_REFRESH_HZ, judge_timing, percentile

FAST_POLLS = [250.0] * 990 + [900.0] * 10          # µs: 99 % within 0.25 ms, the rest under 1 ms
STEADY_FRAMES = [16.7] * 120                        # ms at 60 Hz


def judge(polls=FAST_POLLS, frames=STEADY_FRAMES, **kw):
    return judge_timing(polls, frames, **({"refresh_hz": 60.0, "vsync": True, "video_driver": "x11"} | kw))


def test_percentile_is_nearest_rank():
    assert percentile([1, 2, 3, 4], 50) == 2 and percentile([1, 2, 3, 4], 99) == 4
    assert percentile(list(range(1, 101)), 99) == 99 and percentile([5], 99) == 5


def test_fast_polling_and_steady_frames_are_trustworthy():
    r = judge()
    assert r.trustworthy and r.lines[0].endswith("are trustworthy.")
    assert r.poll_p99_ms == pytest.approx(0.25) and r.poll_max_ms == pytest.approx(0.9) and r.late_frames == 0
    assert "99 times in 100 within 0.25 ms" in r.text()


def test_slow_polling_is_not_trustworthy_and_says_what_to_close():
    r = judge(polls=[250.0] * 980 + [4000.0] * 20)
    assert not r.trustworthy and r.poll_p99_ms == pytest.approx(4.0)
    assert "NOT trustworthy" in r.lines[0] and "Close programs" in r.text() and "power mode" in r.text()


def test_one_frame_over_one_and_a_half_periods_is_a_late_frame():
    r = judge(frames=STEADY_FRAMES + [25.1])
    assert not r.trustworthy and r.late_frames == 1 and "missed frames" in r.text() and "F11" in r.text()
    assert judge(frames=STEADY_FRAMES + [24.9]).trustworthy


def test_refresh_rate_unknown_is_assumed_and_said():
    r = judge(refresh_hz=0)
    assert r.refresh_hz == ASSUMED_REFRESH_HZ and not r.refresh_reported and "assumed" in r.text()
    assert judge(refresh_hz=144.0, frames=[6.9] * 100).trustworthy
    assert not judge(refresh_hz=144.0, frames=[16.7] * 100).trustworthy     # a 144 Hz screen at 60 fps is late


def test_vsync_off_and_no_screen_are_explained():
    assert "Vsync is off" in judge(vsync=False).text()
    r = judge(video_driver="dummy", real_screen=False)
    assert not r.trustworthy and "could not be checked" in r.lines[0] and "desktop" in r.text()


def test_nothing_measured_is_an_error_not_a_verdict():
    with pytest.raises(ValueError):
        judge(polls=[])
