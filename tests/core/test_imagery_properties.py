"""Property tests: thousands of malformed imagery and mirror sequence files never crash gmi.

Each generated file either is a usable sequence (every step can be turned into timed phases) or raises GmiError
whose problems name the file and say what is wrong. Never a traceback, never another exception.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from gmi.core.errors import GmiError
from gmi.core.imagery import (KINDS, MODES, SEQUENCE_KEYS, SHIPPED_ROOT, SIDE_WORDS, STEP_KEYS, Sequence,
                              imagery_phases, load_sequence, parse_sequence)
from gmi.core.mirror_session import mirror_phases
from gmi.core.postures import PART_POSTURES, PART_VIEWS
from gmi.core.stimuli import PARTS
from gmi.core.tomlcheck import parse_toml
from tests.tomlfuzz import damage_lines, mutate, to_toml, values_from

SHIPPED = sorted(SHIPPED_ROOT.glob("imagery/*.toml")) + sorted(SHIPPED_ROOT.glob("mirror/*.toml"))
WORDS = tuple(sorted(set(PARTS + SIDE_WORDS + MODES + KINDS + sum(PART_VIEWS.values(), ())
                         + sum(PART_POSTURES.values(), ()) + ("", "both", "unknown"))))
values = values_from(WORDS)
keys = st.sampled_from(sorted(set(sum(SEQUENCE_KEYS.values(), ()) + sum(STEP_KEYS.values(), ())
                                  + ("sequence", "steps")))) | st.text(max_size=8)
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str, shown: str, kind: str | None = None) -> None:
    """The property: a runnable sequence, or a GmiError whose every problem names the file and the problem."""
    try:
        sequence = parse_sequence(parse_toml(text, shown), kind=kind)
    except GmiError as exc:
        assert exc.problems, str(exc)
        assert all(p.message and p.file == shown for p in exc.problems), str(exc)
        assert shown in str(exc)
        return
    assert_runnable(sequence)


def assert_runnable(sequence: Sequence) -> None:
    assert sequence.steps and sequence.kind in KINDS and sequence.part in PARTS
    phases = imagery_phases(sequence) if sequence.kind == "imagery" else mirror_phases(sequence)
    assert phases and all(math.isfinite(p.duration_s) and p.duration_s >= 0 for p in phases)
    for step in sequence.steps:
        assert step.view in PART_VIEWS[step.part] and step.posture in PART_POSTURES[step.part]
        assert 1 <= step.repetitions <= 20 and step.active_s > 0


def test_every_shipped_sequence_is_runnable():
    assert len(SHIPPED) >= 8
    for path in SHIPPED:
        assert_runnable(load_sequence(path))


@st.composite
def mutated_sequences(draw):
    path = draw(st.sampled_from(SHIPPED))
    return to_toml(mutate(draw, tomllib.loads(path.read_text(encoding="utf-8")), values, keys))


@settings(FAST, max_examples=1000)
@given(mutated_sequences(), st.sampled_from((None,) + KINDS))
def test_mutated_sequences_give_a_sequence_or_a_gmi_error_naming_the_problem(text, kind):
    check(text, "fuzz.toml", kind)


@settings(FAST, max_examples=600)
@given(st.sampled_from(SHIPPED), st.data())
def test_damaged_sequence_text_never_raises_anything_but_gmi_error(path, data):
    check(damage_lines(data, path.read_text(encoding="utf-8")), "damaged.toml")


@settings(FAST, max_examples=400)
@given(st.sampled_from(SHIPPED), st.binary(max_size=40), st.integers(0, 4000))
def test_bytes_spliced_into_a_sequence_file_are_reported(tmp_path_factory, path, junk, at):
    """Binary garbage (bad UTF-8, NUL bytes, a byte-order mark) read from disk through load_sequence."""
    raw = path.read_bytes()
    at = min(at, len(raw))
    target = Path(tmp_path_factory.mktemp("seq")) / "spliced.toml"
    target.write_bytes(raw[:at] + junk + raw[at:])
    try:
        sequence = load_sequence(target)
    except GmiError as exc:
        assert exc.problems and all(p.file == str(target) and p.message for p in exc.problems), str(exc)
    else:
        assert_runnable(sequence)
