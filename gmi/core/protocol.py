"""A protocol is a list of timed phases; a runner walks through it on an injected clock.

As in Stytra, the protocol knows nothing about drawing and the display knows nothing about timing: a
scene asks the runner where it is (phase, step n of m, time left) and draws that; the runner reports
what happened since it was last asked (a phase began, a step was completed, the protocol ended) so that
sound cues are played and each completed step is written to the database when it happens.

Times are seconds from a monotonic clock (``time.monotonic`` in the program, a fake in tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Literal

PhaseKind = Literal["look", "watch", "imagine", "move", "rest"]
ACTIVE_KINDS = ("watch", "imagine", "move")  # the phases that count as practice time
Tone = Literal["begin", "end"]


@dataclass(frozen=True)
class Cue:
    """What to play when a phase begins: a tone, and words to speak if a speech engine exists."""

    tone: Tone | None = None
    speech: str | None = None


@dataclass(frozen=True)
class Phase:
    kind: PhaseKind
    duration_s: float
    text: str                      # what the screen says during the phase
    step_no: int | None = None     # which step occurrence (0-based) this phase belongs to; None: not a step
    repetition: int = 0            # 0-based repetition within the step
    repetitions: int = 1
    cue: Cue | None = None
    payload: object = None         # what the display needs (the step: image reference, mode)
    truncated: bool = False        # shortened to end a session on time


@dataclass(frozen=True)
class PhaseStarted:
    index: int
    phase: Phase
    at_s: float


@dataclass(frozen=True)
class StepCompleted:
    """A step's last phase ended. ``active_s`` counts only the watch/imagine/move time, pauses excluded."""

    step_no: int
    payload: object
    started_at_s: float
    ended_at_s: float
    active_s: float
    repetitions_done: int
    cut_short: bool                # ended by stop() or by the end of a session timer, not by itself


@dataclass(frozen=True)
class Finished:
    at_s: float
    stopped: bool                  # True if the user stopped before the end


RunnerEvent = PhaseStarted | StepCompleted | Finished
State = Literal["ready", "running", "paused", "finished"]


@dataclass(frozen=True)
class RunnerStatus:
    state: State
    phase_index: int
    phase: Phase | None
    step_no: int | None            # 0-based; shown as step_no + 1
    step_count: int
    phase_left_s: float
    total_left_s: float
    elapsed_s: float               # running time, pauses excluded
    paused_s: float


@dataclass
class _StepTally:
    started_at_s: float
    active_s: float = 0.0
    repetitions_done: int = 0


@dataclass
class ProtocolRunner:
    phases: list[Phase]
    clock: Callable[[], float]
    state: State = "ready"
    stopped: bool = False
    _index: int = 0
    _phase_start: float = 0.0      # clock time the current phase began, shifted forward by pauses
    _paused_at: float | None = None
    _paused_total: float = 0.0
    _started_at: float = 0.0
    _tally: _StepTally | None = None
    _finished_elapsed: float = 0.0
    _pending: list[RunnerEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.phases:
            raise ValueError("a protocol needs at least one phase")
        if any(p.duration_s <= 0 for p in self.phases):
            raise ValueError("every phase needs a positive duration")

    # -- control ------------------------------------------------------------------------------
    def start(self) -> list[RunnerEvent]:
        if self.state != "ready":
            return []
        now = self.clock()
        self._started_at = now
        self.state = "running"
        self._enter(0, now)
        return self._drain()

    def pause(self) -> None:
        if self.state == "running":
            self._paused_at = self.clock()
            self.state = "paused"

    def resume(self) -> None:
        if self.state == "paused" and self._paused_at is not None:
            gap = self.clock() - self._paused_at
            self._paused_total += gap
            self._phase_start += gap
            self._paused_at = None
            self.state = "running"

    def toggle_pause(self) -> None:
        self.resume() if self.state == "paused" else self.pause()

    def skip(self) -> list[RunnerEvent]:
        """End the current phase now (the user is ready earlier than the timer)."""
        if self.state != "running":
            return []
        now = self.clock()
        self._leave(now, full=True)
        self._advance(now)
        return self._drain()

    def stop(self) -> list[RunnerEvent]:
        """End the whole protocol now; the current step is reported as cut short."""
        if self.state in ("ready", "finished"):
            return []
        now = self._now()
        self._paused_at = None
        self._leave(now, full=False, cut=True)
        self.stopped = True
        self._finish(now)
        return self._drain()

    def replace_remaining(self, phases: list[Phase]) -> list[RunnerEvent]:
        """Swap everything after the current moment for ``phases`` (e.g. watch only after a symptom)."""
        if self.state not in ("running", "paused") or not phases:
            return []
        now = self._now()
        self._leave(now, full=False, cut=True)
        self.phases = self.phases[: self._index + 1] + list(phases)
        self._enter(self._index + 1, now)
        return self._drain()

    # -- progress -----------------------------------------------------------------------------
    def update(self) -> list[RunnerEvent]:
        """Catch up with the clock: leave every phase whose time is over (several if called late)."""
        if self.state != "running":
            return []
        now = self.clock()
        while self.state == "running" and now - self._phase_start >= self.phases[self._index].duration_s:
            end = self._phase_start + self.phases[self._index].duration_s
            self._leave(end, full=True)
            self._advance(end)
        return self._drain()

    def status(self) -> RunnerStatus:
        now = self._now()
        step_count = self.step_count()
        if self.state == "ready":
            total = sum(p.duration_s for p in self.phases)
            return RunnerStatus("ready", 0, self.phases[0], self.phases[0].step_no, step_count,
                                self.phases[0].duration_s, total, 0.0, 0.0)
        if self.state == "finished":
            return RunnerStatus("finished", len(self.phases), None, None, step_count, 0.0, 0.0,
                                self._finished_elapsed, self._paused_total)
        phase = self.phases[self._index]
        in_phase = min(max(now - self._phase_start, 0.0), phase.duration_s)
        later = sum(p.duration_s for p in self.phases[self._index + 1:])
        elapsed = now - self._started_at - self._paused_total
        return RunnerStatus(self.state, self._index, phase, phase.step_no, step_count, phase.duration_s - in_phase,
                            phase.duration_s - in_phase + later, elapsed, self._paused_total)

    def step_count(self) -> int:
        return len({p.step_no for p in self.phases if p.step_no is not None})

    # -- internals ----------------------------------------------------------------------------
    def _now(self) -> float:
        """The clock, frozen at the moment of pausing while paused."""
        return self._paused_at if self._paused_at is not None else self.clock()

    def _enter(self, index: int, at: float) -> None:
        self._index = index
        self._phase_start = at
        phase = self.phases[index]
        if phase.step_no is not None and self._tally is None:
            self._tally = _StepTally(at)
        self._pending.append(PhaseStarted(index, phase, at - self._started_at))

    def _leave(self, at: float, *, full: bool, cut: bool = False) -> None:
        """Account for the time spent in the current phase; report the step if this ends it."""
        phase = self.phases[self._index]
        if phase.step_no is None or self._tally is None:
            return
        spent = min(max(at - self._phase_start, 0.0), phase.duration_s)
        cut = cut or phase.truncated
        if phase.kind in ACTIVE_KINDS:
            self._tally.active_s += spent
            if full and not cut:
                self._tally.repetitions_done += 1
        following = self.phases[self._index + 1] if self._index + 1 < len(self.phases) else None
        if cut or following is None or following.step_no != phase.step_no:
            self._pending.append(StepCompleted(
                phase.step_no, phase.payload, self._tally.started_at_s - self._started_at, at - self._started_at,
                round(self._tally.active_s, 6), self._tally.repetitions_done, cut))
            self._tally = None

    def _advance(self, at: float) -> None:
        if self._index + 1 >= len(self.phases):
            self._finish(at)
        else:
            self._enter(self._index + 1, at)

    def _finish(self, at: float) -> None:
        self.state = "finished"
        self._finished_elapsed = at - self._started_at - self._paused_total
        self._pending.append(Finished(at - self._started_at, self.stopped))

    def _drain(self) -> list[RunnerEvent]:
        events, self._pending = self._pending, []
        return events


def with_cut_to(phases: list[Phase], total_s: float) -> list[Phase]:
    """The phases that fit in ``total_s`` seconds; the last one is shortened to end exactly on time."""
    kept: list[Phase] = []
    used = 0.0
    for phase in phases:
        if used >= total_s - 1e-9:
            break
        duration = min(phase.duration_s, total_s - used)
        kept.append(phase if duration == phase.duration_s else replace(phase, duration_s=duration, truncated=True))
        used += duration
    return kept
