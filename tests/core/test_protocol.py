import pytest

from gmi.core.protocol import Finished, Phase, PhaseStarted, ProtocolRunner, StepCompleted, with_cut_to
from tests.clock import FakeClock




def two_step_protocol():
    return [
        Phase("watch", 10, "intro"),
        Phase("imagine", 8, "a", step_no=0, repetition=0, repetitions=2),
        Phase("rest", 4, "r", step_no=0, repetition=0, repetitions=2),
        Phase("imagine", 8, "a", step_no=0, repetition=1, repetitions=2),
        Phase("rest", 4, "r", step_no=0, repetition=1, repetitions=2),
        Phase("imagine", 5, "b", step_no=1),
    ]


def test_runner_walks_phases_on_the_clock_and_reports_each_step_when_it_ends():
    clock = FakeClock()
    runner = ProtocolRunner(two_step_protocol(), clock)
    assert runner.status().state == "ready" and runner.status().total_left_s == 39
    events = runner.start()
    assert events == [PhaseStarted(0, runner.phases[0], 0.0)]
    clock.advance(9.5)
    assert runner.update() == []
    st = runner.status()
    assert st.phase_index == 0 and st.phase_left_s == pytest.approx(0.5) and st.total_left_s == pytest.approx(29.5)
    assert st.step_no is None and st.step_count == 2
    clock.advance(0.5)
    assert [type(e) for e in runner.update()] == [PhaseStarted]
    clock.advance(24)  # through both repetitions of step 0
    events = runner.update()
    completed = [e for e in events if isinstance(e, StepCompleted)]
    assert completed == [StepCompleted(0, None, 10.0, 34.0, 16.0, 2, False)]
    assert runner.status().step_no == 1
    clock.advance(5)
    events = runner.update()
    assert events[-1] == Finished(39.0, False)
    assert events[0] == StepCompleted(1, None, 34.0, 39.0, 5.0, 1, False)
    assert runner.status().state == "finished" and runner.status().elapsed_s == 39


def test_a_late_update_catches_up_over_several_phases_with_exact_times():
    clock = FakeClock(0)
    runner = ProtocolRunner(two_step_protocol(), clock)
    runner.start()
    clock.advance(33)
    events = runner.update()
    starts = [e.at_s for e in events if isinstance(e, PhaseStarted)]
    assert starts == [10, 18, 22, 30]
    assert runner.status().phase_left_s == pytest.approx(1)


def test_pause_freezes_time_left_and_resume_continues_where_it_stopped():
    clock = FakeClock(0)
    runner = ProtocolRunner(two_step_protocol(), clock)
    runner.start()
    clock.advance(12)
    runner.update()
    runner.pause()
    before = runner.status()
    clock.advance(300)
    assert runner.update() == []
    during = runner.status()
    assert during.state == "paused" and during.phase_left_s == before.phase_left_s == 6
    runner.resume()
    clock.advance(5.9)
    assert runner.update() == []
    clock.advance(0.1)
    assert runner.update()[0].phase.kind == "rest"
    assert runner.status().paused_s == 300 and runner.status().elapsed_s == pytest.approx(18)


def test_skip_ends_the_phase_now_and_stop_reports_the_step_as_cut_short():
    clock = FakeClock(0)
    runner = ProtocolRunner(two_step_protocol(), clock)
    runner.start()
    runner.skip()           # the intro, at once
    clock.advance(3)
    runner.pause()
    clock.advance(50)
    events = runner.stop()
    assert events == [StepCompleted(0, None, 0.0, 3.0, 3.0, 0, True), Finished(3.0, True)]
    assert runner.stopped and runner.status().elapsed_s == 3
    assert runner.stop() == [] and runner.update() == []


def test_replace_remaining_swaps_the_future_and_keeps_the_end_time():
    clock = FakeClock(0)
    runner = ProtocolRunner(two_step_protocol(), clock)
    runner.start()
    clock.advance(14)
    runner.update()
    left = runner.status().total_left_s
    events = runner.replace_remaining([Phase("watch", left, "only watch")])
    assert isinstance(events[0], StepCompleted) and events[0].cut_short and events[0].active_s == 4
    assert runner.status().phase.text == "only watch" and runner.status().total_left_s == left
    clock.advance(left)
    assert isinstance(runner.update()[-1], Finished)


def test_with_cut_to_shortens_the_last_phase_and_marks_it():
    phases = two_step_protocol()
    cut = with_cut_to(phases, 20)
    assert [p.duration_s for p in cut] == [10, 8, 2]
    assert cut[-1].truncated and not cut[0].truncated
    clock = FakeClock(0)
    runner = ProtocolRunner(cut, clock)
    runner.start()
    clock.advance(20)
    events = runner.update()
    assert StepCompleted(0, None, 10.0, 20.0, 8.0, 1, True) in events


def test_empty_or_zero_length_protocols_are_refused():
    with pytest.raises(ValueError):
        ProtocolRunner([], FakeClock())
    with pytest.raises(ValueError):
        ProtocolRunner([Phase("rest", 0, "x")], FakeClock())
