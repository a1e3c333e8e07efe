"""Left/right laterality recognition: settings, trial design, response judging and scoring.

Pure: no pygame, no clock of its own. The drill scene stamps times with perf_counter_ns and passes them in.
"""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from typing import Any, Iterable, Sequence

from gmi.core.errors import GmiError, ProblemList, check_range
from gmi.core.intents import InputMethod, Intent, TimedIntent
from gmi.core.norms import (DEFAULT_LR_ACCURACY_THRESHOLD_PTS, DEFAULT_LR_RT_THRESHOLD_MS, LR_THRESHOLD_LABEL,
                            Norm)
from gmi.core.stimuli import PARTS, Stimulus

FIXATION_MS = 500
FEEDBACK_MS = 900
MAX_SAME_SIDE_RUN = 3
TRIALS_RANGE = (10, 100)
TIME_LIMIT_RANGE_S = (2.0, 60.0)


class Mode(str, Enum):
    TRAINING = "training"   # feedback after each answer; settings are the patient's own
    TEST = "test"           # fixed settings, no feedback: comparable over weeks (practice alone improves scores)


@dataclass(frozen=True)
class DrillSettings:
    part: str = "hands"
    trials: int = 40
    time_limit_s: float = 5.0
    views: tuple[str, ...] = ()          # empty: every view the library has
    rotations: tuple[int, ...] = ()      # empty: every rotation
    level: int = 1                       # hardest image level included (1 plain … 3 scenes / crops)
    mode: Mode = Mode.TRAINING
    source: str = "library"              # library | photos (the user's own imported photos)
    lr_rt_threshold_ms: float = DEFAULT_LR_RT_THRESHOLD_MS
    lr_accuracy_threshold_pts: float = DEFAULT_LR_ACCURACY_THRESHOLD_PTS

    def effective(self) -> "DrillSettings":
        """Test mode uses fixed settings so that results can be compared from week to week."""
        if self.mode is Mode.TEST:
            return replace(self, trials=40, time_limit_s=5.0, views=(), rotations=(), level=1, source="library")
        return self

    def validate(self, where: str = "settings") -> "DrillSettings":
        problems = ProblemList()
        if self.part not in PARTS:
            problems.add("unknown body part", file=where, field="part", found=repr(self.part),
                         allowed=", ".join(PARTS), fix="choose one of the body parts listed")
        check_range(self.trials, "trials", *TRIALS_RANGE, integer=True, problems=problems, file=where)
        check_range(self.time_limit_s, "time_limit_s", *TIME_LIMIT_RANGE_S, unit="s", problems=problems, file=where)
        check_range(self.level, "level", 1, 3, integer=True, problems=problems, file=where)
        if self.source not in ("library", "photos"):
            problems.add("unknown image source", file=where, field="source", found=repr(self.source),
                         allowed="library, photos", fix="use library or photos")
        for r in self.rotations:
            check_range(r, "rotations", 0, 359, integer=True, unit="°", problems=problems, file=where)
        check_range(self.lr_rt_threshold_ms, "lr_rt_threshold_ms", 50, 5000, unit="ms", problems=problems, file=where)
        check_range(self.lr_accuracy_threshold_pts, "lr_accuracy_threshold_pts", 1, 100, problems=problems, file=where)
        problems.raise_if_any("E-SETTINGS", "These drill settings cannot be used.",
                              fix="change the settings named above (Settings screen or command-line options).")
        return self

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["mode"] = self.mode.value
        d["views"], d["rotations"] = list(self.views), list(self.rotations)
        return d

    @classmethod
    def from_dict(cls, d: Any) -> "DrillSettings":
        """Rebuild saved settings; unknown keys (from other versions) are ignored, and a value that cannot be
        used falls back to its default while the others are kept (each field is checked on its own)."""
        base = cls()
        if not isinstance(d, dict):
            return base
        kw: dict[str, Any] = {}
        for name in base.__dataclass_fields__:
            if name not in d:
                continue
            try:
                value = _saved_value(name, d[name])
                replace(base, **{name: value}).validate()
            except (GmiError, ValueError, TypeError):
                continue
            kw[name] = value
        return replace(base, **kw)


def _saved_value(name: str, value: Any) -> Any:
    """A saved (JSON) value as the settings field holds it; ValueError/TypeError if it cannot be one."""
    if name == "mode":
        return Mode(value)
    if name in ("views", "rotations"):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{name} must be a list")
        return tuple(int(v) for v in value) if name == "rotations" else tuple(str(v) for v in value)
    return value


# -- trial design -------------------------------------------------------------------------------------
def design_trials(pool: Sequence[Stimulus], n: int, seed: int) -> list[Stimulus]:
    """Choose and order ``n`` stimuli: sides balanced (differ by at most one), rotations balanced within each
    side, never more than MAX_SAME_SIDE_RUN of one side in a row, no image twice in a row. Same seed, same list."""
    rng = random.Random(seed)
    by_side: dict[str, list[Stimulus]] = {"left": [], "right": []}
    for s in pool:
        by_side[s.side].append(s)
    missing = [side for side, items in by_side.items() if not items]
    if missing:
        raise GmiError("E-NO-STIMULI", f"There are no {' or '.join(missing)} images for these settings.",
                       fix="include more views, rotations or a higher image level, or choose another body part.")
    sides = ["left", "right"]
    rng.shuffle(sides)
    counts = {sides[0]: (n + 1) // 2, sides[1]: n // 2}
    chosen: list[Stimulus] = []
    for side in ("left", "right"):
        chosen += _balanced_by_rotation(by_side[side], counts[side], rng)
    return _order_with_run_limit(chosen, rng)


def _balanced_by_rotation(items: list[Stimulus], k: int, rng: random.Random) -> list[Stimulus]:
    by_rot: dict[int, list[Stimulus]] = defaultdict(list)
    for s in items:
        by_rot[s.rotation_deg].append(s)
    rotations = sorted(by_rot)
    per_rot = {r: k // len(rotations) for r in rotations}
    for r in rng.sample(rotations, k % len(rotations)):
        per_rot[r] += 1
    out: list[Stimulus] = []
    for r in rotations:
        candidates = by_rot[r][:]
        rng.shuffle(candidates)
        out += [candidates[i % len(candidates)] for i in range(per_rot[r])]
    return out


def _order_with_run_limit(items: list[Stimulus], rng: random.Random) -> list[Stimulus]:
    for _ in range(200):
        remaining = items[:]
        rng.shuffle(remaining)
        order: list[Stimulus] = []
        while remaining:
            run_side = order[-1].side if order else None
            run = 0
            for s in reversed(order):
                if s.side != run_side:
                    break
                run += 1
            options = [i for i, s in enumerate(remaining)
                       if not (s.side == run_side and run >= MAX_SAME_SIDE_RUN)
                       and not (order and s.file == order[-1].file and s.rotation_deg == order[-1].rotation_deg)]
            if not options:
                break
            # Prefer the side with more left to place, so the tail never piles up on one side.
            left_n = sum(1 for s in remaining if s.side == "left")
            right_n = len(remaining) - left_n
            wanted = "left" if left_n > right_n else "right" if right_n > left_n else None
            preferred = [i for i in options if remaining[i].side == wanted] if wanted else []
            pick = rng.choice(preferred if preferred and rng.random() < 0.5 else options)
            order.append(remaining.pop(pick))
        if not remaining:
            return order
    raise GmiError("E-DESIGN", "Could not order the trials without long runs of one side.",
                   fix="choose more images or more rotations.")


def max_run(sides: Iterable[str]) -> int:
    best = run = 0
    prev = None
    for s in sides:
        run = run + 1 if s == prev else 1
        best, prev = max(best, run), s
    return best


# -- responses ----------------------------------------------------------------------------------------
class OutcomeKind(str, Enum):
    WAITING = "waiting"
    ANSWER = "answer"
    MISS = "miss"
    PAUSE = "pause"
    QUIT = "quit"


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    response: str | None = None       # "left" | "right"
    rt_ms: float | None = None
    method: InputMethod | None = None


def judge(events: Iterable[TimedIntent], onset_ns: int, deadline_ns: int, now_ns: int) -> Outcome:
    """The first decisive event after onset wins: an answer before the deadline, or Esc/close. Otherwise a
    miss once the deadline has passed. Events before onset (keys held over from the last trial) are ignored."""
    for ev in sorted(events, key=lambda e: e.t_ns):
        if ev.t_ns < onset_ns:
            continue
        if ev.intent is Intent.QUIT:
            return Outcome(OutcomeKind.QUIT)
        if ev.intent is Intent.PAUSE:
            return Outcome(OutcomeKind.PAUSE)
        if ev.intent in (Intent.LEFT, Intent.RIGHT):
            if ev.t_ns > deadline_ns:
                return Outcome(OutcomeKind.MISS)
            return Outcome(OutcomeKind.ANSWER, ev.intent.value, (ev.t_ns - onset_ns) / 1e6, ev.method)
    return Outcome(OutcomeKind.MISS) if now_ns >= deadline_ns else Outcome(OutcomeKind.WAITING)


# -- scoring ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrialResult:
    side: str
    view: str
    rotation_deg: int
    direction: str
    response: str | None
    rt_ms: float | None

    @property
    def correct(self) -> bool:
        return self.response == self.side

    @classmethod
    def of(cls, stimulus: Stimulus, response: str | None, rt_ms: float | None) -> "TrialResult":
        return cls(stimulus.side, stimulus.view, stimulus.rotation_deg, stimulus.direction, response, rt_ms)


@dataclass(frozen=True)
class Cell:
    """Accuracy and median reaction time (correct answers only) of a group of trials."""

    n: int
    correct: int
    misses: int
    median_rt_ms: float | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None

    @classmethod
    def of(cls, results: Sequence[TrialResult]) -> "Cell":
        rts = [r.rt_ms for r in results if r.correct and r.rt_ms is not None]
        return cls(len(results), sum(r.correct for r in results), sum(r.response is None for r in results),
                   statistics.median(rts) if rts else None)


@dataclass(frozen=True)
class Summary:
    overall: Cell
    left: Cell
    right: Cell
    by_rotation: dict[int, Cell] = field(default_factory=dict)
    by_direction: dict[str, Cell] = field(default_factory=dict)

    @property
    def lr_rt_diff_ms(self) -> float | None:
        if self.left.median_rt_ms is None or self.right.median_rt_ms is None:
            return None
        return self.left.median_rt_ms - self.right.median_rt_ms

    @property
    def lr_accuracy_diff_pts(self) -> float | None:
        if self.left.accuracy is None or self.right.accuracy is None:
            return None
        return 100 * (self.left.accuracy - self.right.accuracy)

    def to_dict(self) -> dict[str, Any]:
        def cell(c: Cell) -> dict[str, Any]:
            return {"n": c.n, "correct": c.correct, "accuracy": c.accuracy, "misses": c.misses,
                    "median_rt_ms": c.median_rt_ms}
        return {"overall": cell(self.overall), "left": cell(self.left), "right": cell(self.right),
                "lr_rt_diff_ms": self.lr_rt_diff_ms, "lr_accuracy_diff_pts": self.lr_accuracy_diff_pts,
                "by_rotation": {str(k): cell(v) for k, v in self.by_rotation.items()},
                "by_direction": {k: cell(v) for k, v in self.by_direction.items()}}


def summarize(results: Sequence[TrialResult]) -> Summary:
    rot: dict[int, list[TrialResult]] = defaultdict(list)
    direc: dict[str, list[TrialResult]] = defaultdict(list)
    for r in results:
        rot[r.rotation_deg].append(r)
        direc[r.direction].append(r)
    return Summary(Cell.of(results), Cell.of([r for r in results if r.side == "left"]),
                   Cell.of([r for r in results if r.side == "right"]),
                   {k: Cell.of(v) for k, v in sorted(rot.items())},
                   {k: Cell.of(direc[k]) for k in ("medial", "lateral", "none") if k in direc})


# -- plain words --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    accuracy_ok: bool
    speed_ok: bool
    sides_even: bool
    lines: tuple[str, ...]


def judge_against_norm(summary: Summary, norm: Norm | None, settings: DrillSettings) -> Verdict:
    """Plain-language reading of a summary, for the results screen and `gmi results`."""
    lines: list[str] = []
    acc = summary.overall.accuracy or 0.0
    rt = summary.overall.median_rt_ms
    accuracy_ok = norm is not None and acc >= norm.accuracy_min
    speed_ok = norm is not None and rt is not None and rt / 1000 <= norm.rt_upper_s
    if norm is not None:
        lines.append(f"You were right {acc:.0%} of the time; the usual aim is {norm.accuracy_min:.0%} or more.")
        if rt is not None:
            lines.append(f"Your typical answer took {rt / 1000:.1f} s; for most people it is about "
                         f"{norm.rt_mean_s:.1f} s" + (", so you are within the usual range." if speed_ok else "."))
    d_rt, d_acc = summary.lr_rt_diff_ms, summary.lr_accuracy_diff_pts
    rt_uneven = d_rt is not None and abs(d_rt) > settings.lr_rt_threshold_ms
    acc_uneven = d_acc is not None and abs(d_acc) > settings.lr_accuracy_threshold_pts
    sides_even = not (rt_uneven or acc_uneven)
    if rt_uneven:
        lines.append(f"Pictures of the {'left' if d_rt > 0 else 'right'} side took you "  # type: ignore[operator]
                     f"{abs(d_rt) / 1000:.1f} s longer.")  # type: ignore[arg-type]
    if acc_uneven:
        lines.append(f"You were right {summary.left.accuracy:.0%} of the time on the left and "
                     f"{summary.right.accuracy:.0%} on the right.")
    if d_rt is not None or d_acc is not None:
        apart = ", ".join(p for p in (f"{abs(d_rt) / 1000:.1f} s" if d_rt is not None else "",
                                      f"{abs(d_acc):.0f} points" if d_acc is not None else "") if p)
        lines.append(f"Left and right were about even ({apart} apart)." if sides_even else
                     f"(Uneven means more than {settings.lr_rt_threshold_ms / 1000:.1f} s or "
                     f"{settings.lr_accuracy_threshold_pts:.0f} points apart: a {LR_THRESHOLD_LABEL}.)")
    return Verdict(accuracy_ok, speed_ok, sides_even, tuple(lines))
