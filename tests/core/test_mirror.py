import numpy as np
import pytest

from gmi.core.imagery import shipped_sequence
from gmi.core.mirror import LINE_MAX, LINE_MIN, FrameMirror, line_column, mirror_frame, source_columns
from gmi.core.mirror_session import MirrorSession, mirror_phases, setup_steps
from gmi.core.protocol import Finished, StepCompleted
from tests.clock import FakeClock


def random_frame(h=6, w=10, c=3, seed=1):
    return np.random.default_rng(seed).integers(0, 256, size=(h, w, c), dtype=np.uint8)


@pytest.mark.parametrize("keep", ["left", "right"])
@pytest.mark.parametrize("width", [9, 10, 64])
def test_centred_line_makes_each_side_the_flipped_other(keep, width):
    frame = random_frame(w=width)
    out = mirror_frame(frame, keep)
    b = line_column(width, 0.5)
    reach = min(b, width - b)
    left, right = out[:, b - reach:b], out[:, b:b + reach]
    assert np.array_equal(left, right[:, ::-1])
    kept = slice(0, b) if keep == "left" else slice(b, width)
    assert np.array_equal(out[:, kept], frame[:, kept])     # the kept side is untouched
    assert out.shape == frame.shape and out.dtype == frame.dtype
    assert not np.shares_memory(out, frame)


@pytest.mark.parametrize("keep,line", [("left", 0.3), ("left", 0.8), ("right", 0.3), ("right", 0.8)])
def test_off_centre_line_reflects_what_it_can_and_fills_the_rest(keep, line):
    frame = random_frame(w=20) | 1          # no zero pixels, so the fill is recognisable
    out = mirror_frame(frame, keep, line, fill=0)
    b = line_column(20, line)
    kept_width = b if keep == "left" else 20 - b
    for k in range(20):
        x_out = b + k if keep == "left" else b - 1 - k
        if not 0 <= x_out < 20:
            break
        x_in = b - 1 - k if keep == "left" else b + k
        if k < kept_width:
            assert np.array_equal(out[:, x_out], frame[:, x_in])
        else:
            assert not out[:, x_out].any()  # nothing to reflect there: flat fill, not a smear


def test_grey_frames_and_the_line_is_clamped_to_leave_a_column_each_side():
    frame = np.arange(12, dtype=np.uint8).reshape(2, 6)
    assert line_column(6, 0.0) == 1 and line_column(6, 1.0) == 5 and line_column(6, 0.5) == 3
    out = mirror_frame(frame, "right", 0.0)
    assert np.array_equal(out[:, 0], frame[:, 1])
    src, unreachable = source_columns(6, 3, "left")
    assert src.tolist() == [0, 1, 2, 2, 1, 0] and not unreachable.any()
    with pytest.raises(ValueError):
        mirror_frame(np.zeros((2, 1), np.uint8), "left")
    with pytest.raises(ValueError):
        mirror_frame(frame, "up")


def test_frame_mirror_follows_line_moves_and_side_swaps():
    frame = random_frame(w=16)
    mirror = FrameMirror("left", 0.5)
    first = mirror.apply(frame)
    mirror.swap_side()
    assert np.array_equal(mirror.apply(frame), mirror_frame(frame, "right", 0.5))
    mirror.move_line(-1.0)
    assert mirror.line == LINE_MIN
    mirror.move_line(+5.0)
    assert mirror.line == LINE_MAX
    assert not np.array_equal(first, mirror.apply(frame))
    assert np.array_equal(mirror.view(frame), mirror.apply(frame[:, ::-1]))




def test_mirror_session_starts_watch_only_then_prompts_and_ends_on_the_timer():
    seq = shipped_sequence("hands", "mirror")
    phases = mirror_phases(seq, minutes=5)
    assert phases[0].kind == "watch" and phases[0].step_no is None and phases[0].duration_s == 60
    assert phases[1].kind == "move" and phases[1].text.startswith(seq.steps[0].instruction)
    assert sum(p.duration_s for p in phases) == pytest.approx(300)
    # prompts go round again after the last step, numbered as new step occurrences
    assert {p.payload.index for p in phases if p.step_no is not None} == set(range(len(seq.steps)))
    assert max(p.step_no for p in phases if p.step_no is not None) >= len(seq.steps)
    assert mirror_phases(seq, minutes=10, watch_s=0)[0].kind == "move"


def test_a_reported_symptom_turns_the_rest_of_the_session_into_watching():
    seq = shipped_sequence("feet", "mirror")
    clock = FakeClock()
    session = MirrorSession.create(seq, clock, setting="box", minutes=5, affected_side="left")
    runner = session.runner
    runner.start()
    clock.t = 75.0
    runner.update()
    advice, events = session.report_symptom("dizziness")
    assert "Stop moving" in advice and "feet" in advice
    assert isinstance(events[0], StepCompleted) and events[0].cut_short
    status = runner.status()
    assert status.phase.kind == "watch" and status.total_left_s == pytest.approx(225)
    assert session.symptoms[0].symptom == "dizziness" and session.symptoms[0].at_s == 75
    advice2, events2 = session.report_symptom("nausea")   # already watching: recorded, nothing replaced
    assert events2 == [] and len(session.symptoms) == 2
    clock.t = 300.0
    assert isinstance(runner.update()[-1], Finished)
    with pytest.raises(ValueError):
        session.report_symptom("boredom")


def test_set_up_guides_name_the_sides():
    box = setup_steps("box", "hands", "right")
    assert "right hand inside the box" in box[1] and "left side" in box[0]
    assert "painful" in setup_steps("box", "knee", None)[1]
    assert "both hands" in setup_steps("camera", "hands", "left")[0]
