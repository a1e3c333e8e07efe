from pathlib import Path

import pytest

from gmi.core.errors import GmiError
from gmi.core.imagery import (VIVIDNESS_SCALE, ImageRef, find_image, format_duration, imagery_phases, load_sequence,
                              missing_images, parse_sequence, resolve_side, shipped_sequence)
from gmi.core.postures import MIRROR_PARTS, PART_POSTURES, PART_VIEWS
from gmi.core.protocol import Finished, PhaseStarted, ProtocolRunner, StepCompleted
from gmi.core.stimuli import PARTS, load_manifest
from gmi.core.tomlcheck import parse_toml
from tests.clock import FakeClock

BAD = Path(__file__).parent / "data" / "bad_sequences"




def sequence_from(text: str, kind: str | None = None):
    return parse_sequence(parse_toml(text, "seq.toml"), kind=kind)


SIMPLE = """
[sequence]
name = "two steps"
part = "hands"
imagine_s = 6
rest_s = 3
repetitions = 2

[[steps]]
view = "dorsal"
posture = "flat"
instruction = "Imagine a flat hand."

[[steps]]
side = "affected"
view = "palmar"
posture = "fist"
instruction = "Imagine a fist."
imagine_s = 10
repetitions = 1
mode = "eyes_closed"
look_s = 2
"""


def test_sequence_values_are_defaults_and_steps_override_them():
    seq = sequence_from(SIMPLE)
    first, second = seq.steps
    assert (first.active_s, first.rest_s, first.repetitions, first.mode, first.side) == (6, 3, 2, "eyes_open", "unaffected")
    assert (second.active_s, second.repetitions, second.mode, second.look_s) == (10, 1, "eyes_closed", 2)
    assert first.line == 9 and second.line == 14
    assert seq.duration_s() == (6 + 3) * 2 + 2 + 10 + 3


@pytest.mark.parametrize("affected,unaffected_is,affected_is", [("right", "left", "right"), ("left", "right", "left"),
                                                               (None, "left", "right"), ("both", "left", "right")])
def test_sides_are_resolved_for_the_patient(affected, unaffected_is, affected_is):
    assert resolve_side("unaffected", affected) == unaffected_is
    assert resolve_side("affected", affected) == affected_is
    assert resolve_side("left", affected) == "left"


def test_a_sequence_runs_to_time_with_an_injected_clock_and_reports_each_step():
    seq = sequence_from(SIMPLE)
    clock = FakeClock()
    runner = ProtocolRunner(imagery_phases(seq, affected_side="left"), clock)
    runner.start()
    kinds = [p.kind for p in runner.phases]
    assert kinds == ["imagine", "rest", "imagine", "rest", "look", "imagine", "rest"]
    assert runner.phases[-2].cue.speech.startswith("Close your eyes.") and runner.phases[-1].cue.tone == "end"
    assert runner.phases[0].payload.image == ImageRef("hands", "right", "dorsal", "flat")
    assert runner.phases[-1].payload.image == ImageRef("hands", "left", "palmar", "fist")
    seen: list = []
    for _ in range(33 * 4):   # a display polling four times a second
        clock.t += 0.25
        seen += runner.update()
    done = [e for e in seen if isinstance(e, StepCompleted)]
    assert [(d.step_no, d.started_at_s, d.ended_at_s, d.active_s, d.repetitions_done) for d in done] == \
        [(0, 0.0, 18.0, 12.0, 2), (1, 18.0, 33.0, 10.0, 1)]
    assert seen[-1] == Finished(33.0, False)
    assert sum(isinstance(e, PhaseStarted) for e in seen) == 6


def test_mode_override_turns_a_sequence_into_watch_only():
    phases = imagery_phases(sequence_from(SIMPLE), mode="watch")
    assert {p.kind for p in phases} == {"watch", "rest"}
    assert phases[0].text.startswith("Just watch the picture: a flat hand")


def bad_cases():
    for path in sorted(BAD.glob("*.toml")):
        line, field, fragment = (x.strip() for x in path.read_text().splitlines()[0].removeprefix("# expect:").split("|"))
        yield pytest.param(path, None if line == "None" else int(line), None if field == "None" else field, fragment,
                           id=path.stem)


@pytest.mark.parametrize("path,line,field,fragment", list(bad_cases()))
def test_each_bad_sequence_file_gets_one_precise_problem(path, line, field, fragment):
    with pytest.raises(GmiError) as info:
        load_sequence(path)
    err = info.value
    assert len(err.problems) == 1, str(err)
    problem = err.problems[0]
    assert problem.file == str(path)
    assert problem.line == line, str(err)
    assert problem.field == field, str(err)
    assert fragment in str(problem), str(err)
    assert problem.fix


def test_all_problems_of_a_file_are_reported_together():
    text = SIMPLE.replace('view = "dorsal"', 'view = "top"').replace("imagine_s = 10", "imagine_s = 500")
    with pytest.raises(GmiError) as info:
        sequence_from(text)
    fields = [p.field for p in info.value.problems]
    assert fields == ["steps[0].view", "steps[1].imagine_s"]


def test_asking_for_a_mirror_sequence_refuses_an_imagery_file():
    with pytest.raises(GmiError) as info:
        sequence_from(SIMPLE, kind="mirror")
    assert "plans/mirror/" in str(info.value)


def test_shipped_sequences_exist_for_every_part_and_start_away_from_the_painful_side():
    for part in PARTS:
        seq = shipped_sequence(part)
        assert seq.part == part and seq.kind == "imagery" and len(seq.steps) >= 6
        sides = [s.side for s in seq.steps]
        assert sides[:2] == ["unaffected", "unaffected"]            # start away from the painful side
        assert sides.index("affected") >= 2
        assert 120 <= seq.duration_s() <= 600                         # a few minutes, not an ordeal
        for step in seq.steps:
            assert step.view in PART_VIEWS[part] and step.posture in PART_POSTURES[part]
    for part in MIRROR_PARTS:
        seq = shipped_sequence(part, "mirror")
        assert seq.kind == "mirror" and seq.minutes == 5 and seq.watch_s > 0


def test_unknown_part_has_no_shipped_sequence():
    with pytest.raises(GmiError) as info:
        shipped_sequence("back", "mirror")
    assert info.value.code == "E-SEQUENCE-NONE"


def write_library(root: Path, rows: list[tuple[str, str, str, str, int, int]]) -> None:
    header = "id\tpart\tside\tview\tposture\trotation_deg\tdirection\tlevel\ttwin\tfile\tsha256"
    lines = [header]
    for i, (part, side, view, posture, rotation, level) in enumerate(rows):
        lines.append(f"s{i}\t{part}\t{side}\t{view}\t{posture}\t{rotation}\tnone\t{level}\ts{i}\tx{i}.png\t{'0' * 64}")
    (root / "manifest.tsv").write_text("\n".join(lines) + "\n")


def test_images_are_found_upright_with_the_plainest_background(tmp_path):
    write_library(tmp_path, [("hands", "left", "dorsal", "flat", 90, 1), ("hands", "left", "dorsal", "flat", 0, 2),
                             ("hands", "left", "dorsal", "flat", 0, 1), ("hands", "right", "dorsal", "flat", 0, 1)])
    library = load_manifest(tmp_path)
    found = find_image(library, ImageRef("hands", "left", "dorsal", "flat"))
    assert found.id == "s2"
    assert find_image(library, ImageRef("hands", "left", "palmar", "flat")) is None
    seq = sequence_from(SIMPLE)
    assert missing_images(seq, library) == ["hands left palmar fist", "hands right palmar fist"]


def test_ratings_scale_is_stated():
    assert VIVIDNESS_SCALE == (1, 5)
    assert format_duration(59.6) == "1 min" and format_duration(90) == "1 min 30 s" and format_duration(4) == "4 s"
    assert format_duration(257, coarse=True) == "5 min" and format_duration(59, coarse=True) == "59 s"
