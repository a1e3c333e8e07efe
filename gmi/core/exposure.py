"""One exposure session as a state machine: BEFORE → DURING → AFTER → DECISION.

BEFORE: pain now (NRS 0–10), expected pain (0–10), fear (0–100), the feared outcome in the patient's words.
DURING: sets of repetitions. A repetition arrives either from the camera pipeline as a :class:`RepResult`
or as a TAP (camera-free). With a hold target, a TAP in tap mode starts the hold timer and the repetition
counts when the hold is done (another TAP ends it early). Between sets a rest timer runs (a TAP skips it).
A pain report above the plan's stop threshold stops the session with advice.
AFTER: the worst pain while doing it, pain now, fear, and whether the feared outcome happened.
DECISION: the progression decision (gmi.core.progression), with the expected-versus-experienced
difference phrased plainly.

Time comes from an injected clock (seconds, monotonic). Every call that changes something returns the
:class:`Record` objects it produced, and hands each to ``sink`` at once, so the store can write every
repetition and rating when it happens. The UI polls :meth:`tick` to run the timers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Protocol, Sequence, runtime_checkable

from gmi.core.errors import GmiError
from gmi.core.plans import Item, Level, Plan
from gmi.core.progression import Action, Decision, SessionOutcome, decide, points


class Phase(Enum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    DECISION = "decision"


class Step(Enum):
    """Where DURING is."""

    MOVING = "moving"        # waiting for the next repetition
    HOLDING = "holding"      # tap mode: the hold timer runs
    RESTING = "resting"      # the rest timer between sets runs


class Mode(Enum):
    TAP = "tap"              # camera-free: one TAP per repetition
    CAMERA = "camera"        # repetitions come from the pose pipeline


# name → (phase asked in, low, high) for numbers; text and choice ratings have None bounds
RATINGS: dict[str, tuple[Phase, int | None, int | None]] = {
    "pain_before": (Phase.BEFORE, 0, 10),
    "expected_pain": (Phase.BEFORE, 0, 10),
    "fear_before": (Phase.BEFORE, 0, 100),
    "feared_outcome": (Phase.BEFORE, None, None),
    "pain_during": (Phase.DURING, 0, 10),
    "pain_experienced": (Phase.AFTER, 0, 10),
    "pain_after": (Phase.AFTER, 0, 10),
    "fear_after": (Phase.AFTER, 0, 100),
    "outcome_happened": (Phase.AFTER, None, None),
}
REQUIRED = {Phase.BEFORE: ("pain_before", "expected_pain", "fear_before"),
            Phase.AFTER: ("pain_experienced", "pain_after", "fear_after", "outcome_happened")}
OUTCOME_ANSWERS = ("yes", "partly", "no")
FEARED_OUTCOME_MAX = 300
FEAR_REAL_CHANGE = 20    # points on 0–100: a change > 20 is a real change (Leeuw et al. 2007)
PAIN_REAL_CHANGE = 2     # NRS points: the clinically important change (Farrar et al. 2001)


@dataclass(frozen=True)
class RepResult:
    """One repetition as the pose pipeline reports it."""

    peak_deg: float | None
    target_reached: bool
    hold_s: float
    duration_s: float


@dataclass(frozen=True)
class PoseSnapshot:
    """What the camera pipeline has for the exposure screen right now.

    ``frame`` is the preview to show (an RGB ``numpy.ndarray`` of shape (h, w, 3), uint8, skeleton already
    drawn on it) or None; ``reps`` are the repetitions finished since the previous snapshot (each handed
    out once); ``guidance`` is a short instruction ("step back so I can see your hips") or None;
    ``lost`` is True once the camera has stopped for good (the session carries on by tapping); ``hold_s`` is
    how long the current hold at the target has lasted, None while not holding."""

    angle_deg: float | None = None
    reps: tuple[RepResult, ...] = ()
    guidance: str | None = None
    frame: Any = None
    lost: bool = False
    hold_s: float | None = None


@runtime_checkable
class PoseFeed(Protocol):
    """The pose pipeline as the exposure session sees it (implemented in gmi/pose; it runs off the UI
    thread, so ``latest`` must return at once)."""

    def latest(self) -> PoseSnapshot | None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Record:
    """Something to write at once. ``kind``: rating | repetition | event | decision."""

    kind: str
    t_s: float                    # seconds since the session started
    data: dict[str, Any]


@dataclass(frozen=True)
class SessionTargets:
    """What this session asks for: the level's targets, or a quota split across the level's sets."""

    reps_per_set: tuple[int, ...]
    hold_s: float
    rest_s: float
    target_deg: float | None
    baseline: bool = False        # quota baseline: as many as comfortable, up to the total

    @property
    def total_reps(self) -> int:
        return sum(self.reps_per_set)

    def as_dict(self) -> dict[str, Any]:
        return {"reps_per_set": list(self.reps_per_set), "hold_s": self.hold_s, "rest_s": self.rest_s,
                "target_deg": self.target_deg, "baseline": self.baseline, "total_reps": self.total_reps}


def targets_for(level: Level, reps_total: int | None = None, baseline: bool = False) -> SessionTargets:
    """The level's targets; with ``reps_total`` (a quota), those repetitions split as evenly as possible
    over the level's sets (earlier sets take the extra ones)."""
    if reps_total is None:
        per_set = (level.reps,) * level.sets
    else:
        sets = max(1, min(level.sets, reps_total))
        base, extra = divmod(reps_total, sets)
        per_set = tuple(base + (1 if i < extra else 0) for i in range(sets))
    return SessionTargets(per_set, level.hold_s, level.rest_s, level.target_deg, baseline)


def targets_for_decision(plan: Plan, decision: Decision) -> SessionTargets:
    item = plan.items[decision.item_index]
    level = item.level(decision.level)
    return targets_for(level, decision.reps_target, baseline=decision.action is Action.BASELINE)


@dataclass(frozen=True)
class Comparison:
    """Expected versus experienced, in numbers and plain words."""

    expected_pain: int
    experienced_pain: int
    pain_difference: int          # experienced − expected (negative: less pain than feared)
    fear_before: int
    fear_after: int
    outcome_happened: str         # yes | partly | no
    feared_outcome: str
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def compare(expected_pain: int, experienced_pain: int, fear_before: int, fear_after: int,
            feared_outcome: str, outcome_happened: str) -> Comparison:
    diff = experienced_pain - expected_pain
    said: list[str] = []
    if diff <= -1:
        said.append(f"You expected pain of {expected_pain}/10; it was {experienced_pain}/10: "
                    f"{points(-diff)} less than you expected.")
    elif diff == 0:
        said.append(f"Your pain was what you expected: {experienced_pain}/10.")
    else:
        said.append(f"It hurt more than you expected: {experienced_pain}/10 instead of {expected_pain}/10. "
                    "That is worth knowing; tell your physiotherapist.")
    if abs(diff) >= PAIN_REAL_CHANGE:
        said[-1] += " That is a real difference."
    change = fear_after - fear_before
    if change < -FEAR_REAL_CHANGE:
        said.append(f"Your fear went down from {fear_before} to {fear_after}: a real change.")
    elif change > FEAR_REAL_CHANGE:
        said.append(f"Your fear went up from {fear_before} to {fear_after}.")
    else:
        said.append(f"Your fear was about the same ({fear_before} before, {fear_after} after).")
    feared = f'What you were afraid of ("{feared_outcome}")' if feared_outcome else "What you were afraid of"
    said.append({"no": f"{feared} did not happen.",
                 "partly": f"{feared} happened only in part.",
                 "yes": f"{feared} happened. Talk it over with your physiotherapist."}[outcome_happened])
    return Comparison(expected_pain, experienced_pain, diff, fear_before, fear_after, outcome_happened,
                      feared_outcome, tuple(said))


STOP_ADVICE = ("Stop moving for today. Rest in a position that is comfortable for you and breathe slowly. "
               "This happens, and it does not mean you are damaged. If the pain is severe, unusual, or "
               "does not settle, contact your physiotherapist or doctor.")


@dataclass
class ExposureSession:
    plan: Plan
    item_index: int
    level: int
    targets: SessionTargets
    clock: Callable[[], float]
    mode: Mode = Mode.TAP
    history: Sequence[SessionOutcome] = ()           # this item's earlier outcomes, oldest first
    today: dt.date = field(default_factory=dt.date.today)
    sink: Callable[[Record], None] | None = None

    phase: Phase = field(default=Phase.BEFORE, init=False)
    step: Step = field(default=Step.MOVING, init=False)
    ratings: dict[str, Any] = field(default_factory=dict, init=False)
    reps: list[dict[str, Any]] = field(default_factory=list, init=False)
    set_index: int = field(default=0, init=False)          # 0-based
    reps_in_set: int = field(default=0, init=False)
    stopped_by_pain: bool = field(default=False, init=False)
    ended_by: str | None = field(default=None, init=False)  # targets | patient | pain
    advice: str | None = field(default=None, init=False)
    decision: Decision | None = field(default=None, init=False)
    comparison: Comparison | None = field(default=None, init=False)
    paused: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._t0 = self.clock()
        self._mark = self._t0              # start of the current repetition
        self._hold_started: float | None = None
        self._rest_ends: float | None = None
        self._paused_at: float | None = None

    # -- basics -------------------------------------------------------------------------------------
    @property
    def item(self) -> Item:
        return self.plan.items[self.item_index]

    @property
    def now_s(self) -> float:
        return self.clock() - self._t0

    @property
    def sets(self) -> int:
        return len(self.targets.reps_per_set)

    @property
    def reps_this_set(self) -> int:
        return self.targets.reps_per_set[min(self.set_index, self.sets - 1)]

    @property
    def reps_done(self) -> int:
        return len(self.reps)

    @property
    def reps_at_target(self) -> int:
        return sum(1 for r in self.reps if r["target_reached"])

    def settings(self) -> dict[str, Any]:
        """What the session was asked to do (stored with the session)."""
        item = self.item
        return {"plan_sha256": self.plan.sha256, "item": item.name, "item_index": self.item_index,
                "level": self.level, "movement": item.movement, "activity": item.activity, "side": item.side,
                "mode": self.mode.value, "targets": self.targets.as_dict(),
                "rule": item.progression.kind, "stop_pain_above": self.plan.stop.pain_above}

    def _emit(self, kind: str, **data: Any) -> Record:
        record = Record(kind, round(self.now_s, 3), data)
        if self.sink is not None:
            self.sink(record)
        return record

    def _require(self, phase: Phase, what: str) -> None:
        if self.phase is not phase:
            raise GmiError("E-EXPOSURE-STATE", f"Cannot {what} now: the session is in {self.phase.value}.")

    # -- ratings ------------------------------------------------------------------------------------
    def rate(self, name: str, value: Any) -> list[Record]:
        """Record one rating at once. Numbers must be whole numbers in range; text is stripped."""
        if name not in RATINGS:
            raise GmiError("E-EXPOSURE-RATING", f"Unknown rating {name!r}.")
        phase, low, high = RATINGS[name]
        self._require(phase, f"record {name}")
        if low is not None:
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:  # type: ignore[operator]
                raise GmiError("E-EXPOSURE-RATING", f"{name} must be a whole number from {low} to {high} "
                                                    f"(found {value!r}).")
        elif name == "outcome_happened":
            if value not in OUTCOME_ANSWERS:
                raise GmiError("E-EXPOSURE-RATING", f"outcome_happened must be one of {OUTCOME_ANSWERS}.")
        else:
            value = str(value).strip()[:FEARED_OUTCOME_MAX]
        out = []
        if name != "pain_during":
            self.ratings[name] = value
        else:
            self.ratings.setdefault("pain_during", []).append(value)
        out.append(self._emit("rating", name=name, value=value, phase=phase.value))
        if name == "pain_during" and value > self.plan.stop.pain_above:
            out += self._stop_for_pain(value)
        return out

    def missing_ratings(self) -> list[str]:
        return [n for n in REQUIRED.get(self.phase, ()) if n not in self.ratings]

    # -- BEFORE → DURING ----------------------------------------------------------------------------
    def start(self) -> list[Record]:
        self._require(Phase.BEFORE, "start moving")
        missing = self.missing_ratings()
        if missing:
            raise GmiError("E-EXPOSURE-RATING", f"Please answer first: {', '.join(missing)}.")
        self.phase = Phase.DURING
        self.step = Step.MOVING
        self._mark = self.clock()
        return [self._emit("event", name="during", set=1)]

    # -- DURING -------------------------------------------------------------------------------------
    def tap(self) -> list[Record]:
        """Tap mode: a repetition done (or, with a hold target, the hold starts; a second tap ends it).
        During rest, a tap skips the rest."""
        self._require(Phase.DURING, "count a repetition")
        if self.paused:
            return []
        now = self.clock()
        if self.step is Step.RESTING:
            return self._next_set(skipped=True)
        if self.mode is Mode.CAMERA:
            return []     # repetitions come from the camera; a stray key must not double-count
        if self.step is Step.MOVING and self.targets.hold_s > 0:
            self.step = Step.HOLDING
            self._hold_started = now
            return [self._emit("event", name="hold_started", set=self.set_index + 1, rep=self.reps_in_set + 1)]
        if self.step is Step.HOLDING:
            held = now - (self._hold_started or now)
            return self._count(source="tap", peak_deg=None, target_reached=held >= self.targets.hold_s,
                               hold_s=held, duration_s=now - self._mark)
        return self._count(source="tap", peak_deg=None, target_reached=True, hold_s=0.0, duration_s=now - self._mark)

    def add_rep(self, rep: RepResult) -> list[Record]:
        """Camera mode: one repetition from the pose pipeline. During rest it starts the next set."""
        self._require(Phase.DURING, "count a repetition")
        if self.paused:
            return []
        out = self._next_set(skipped=True) if self.step is Step.RESTING else []
        return out + self._count(source="camera", peak_deg=rep.peak_deg, target_reached=rep.target_reached,
                                 hold_s=rep.hold_s, duration_s=rep.duration_s)

    def hold_remaining_s(self) -> float | None:
        if self.step is not Step.HOLDING or self._hold_started is None:
            return None
        now = self._paused_at if self.paused else self.clock()
        return max(0.0, self.targets.hold_s - (now - self._hold_started))

    def rest_remaining_s(self) -> float | None:
        if self.step is not Step.RESTING or self._rest_ends is None:
            return None
        now = self._paused_at if self.paused else self.clock()
        return max(0.0, self._rest_ends - now)

    def tick(self) -> list[Record]:
        """Run the timers: a finished hold counts its repetition, a finished rest starts the next set."""
        if self.phase is not Phase.DURING or self.paused:
            return []
        now = self.clock()
        if self.step is Step.HOLDING and self._hold_started is not None \
                and now - self._hold_started >= self.targets.hold_s:
            return self._count(source="tap", peak_deg=None, target_reached=True, hold_s=self.targets.hold_s,
                               duration_s=now - self._mark)
        if self.step is Step.RESTING and self._rest_ends is not None and now >= self._rest_ends:
            return self._next_set(skipped=False)
        return []

    def pause(self) -> list[Record]:
        if self.paused or self.phase is not Phase.DURING:
            return []
        self.paused = True
        self._paused_at = self.clock()
        return [self._emit("event", name="paused")]

    def resume(self) -> list[Record]:
        if not self.paused or self._paused_at is None:
            return []
        gap = self.clock() - self._paused_at
        for name in ("_hold_started", "_rest_ends"):
            if getattr(self, name) is not None:
                setattr(self, name, getattr(self, name) + gap)
        self._mark += gap
        self.paused = False
        self._paused_at = None
        return [self._emit("event", name="resumed", paused_s=round(gap, 3))]

    def switch_to_tap(self, why: str) -> list[Record]:
        """The camera is gone (or was never there): carry on by tapping; what was counted stays counted."""
        if self.mode is Mode.TAP:
            return []
        self.mode = Mode.TAP
        return [self._emit("event", name="camera_free", reason=why)]

    def finish_early(self) -> list[Record]:
        """The patient ends the moving part (always allowed; in a quota baseline this is the normal end)."""
        self._require(Phase.DURING, "finish")
        return self._end_during("patient")

    def _count(self, *, source: str, peak_deg: float | None, target_reached: bool, hold_s: float,
               duration_s: float) -> list[Record]:
        self.reps_in_set += 1
        rep = {"rep_index": len(self.reps) + 1, "set": self.set_index + 1, "rep_in_set": self.reps_in_set,
               "source": source, "peak_deg": None if peak_deg is None else round(float(peak_deg), 1),
               "target_reached": bool(target_reached), "hold_s": round(max(hold_s, 0.0), 3),
               "duration_s": round(max(duration_s, 0.0), 3)}
        self.reps.append(rep)
        self.step = Step.MOVING
        self._hold_started = None
        self._mark = self.clock()
        out = [self._emit("repetition", **rep)]
        if self.reps_in_set >= self.reps_this_set:
            out.append(self._emit("event", name="set_done", set=self.set_index + 1))
            if self.set_index + 1 >= self.sets:
                out += self._end_during("targets")
            elif self.targets.rest_s > 0:
                self.step = Step.RESTING
                self._rest_ends = self.clock() + self.targets.rest_s
                out.append(self._emit("event", name="rest_started", seconds=self.targets.rest_s))
            else:
                out += self._next_set(skipped=False)
        return out

    def _next_set(self, *, skipped: bool) -> list[Record]:
        self.set_index += 1
        self.reps_in_set = 0
        self.step = Step.MOVING
        self._rest_ends = None
        self._mark = self.clock()
        return [self._emit("event", name="rest_skipped" if skipped else "rest_done", set=self.set_index + 1)]

    def _stop_for_pain(self, nrs: int) -> list[Record]:
        self.stopped_by_pain = True
        self.advice = (f"Your pain went above {self.plan.stop.pain_above}/10, the limit your physiotherapist set. "
                       + STOP_ADVICE)
        return [self._emit("event", name="stopped_by_pain", pain=nrs, limit=self.plan.stop.pain_above)] \
            + self._end_during("pain")

    def _end_during(self, why: str) -> list[Record]:
        self.ended_by = why
        self.phase = Phase.AFTER
        self.step = Step.MOVING
        self._hold_started = self._rest_ends = None
        return [self._emit("event", name="after", ended_by=why, reps_done=self.reps_done,
                           reps_at_target=self.reps_at_target)]

    # -- AFTER → DECISION ---------------------------------------------------------------------------
    def outcome(self) -> SessionOutcome:
        return SessionOutcome(date=self.today, level=self.level, reps_target=self.targets.total_reps,
                              reps_done=self.reps_done, reps_at_target=self.reps_at_target,
                              pain_before=self.ratings.get("pain_before"), pain_after=self.ratings.get("pain_after"),
                              stopped_by_pain=self.stopped_by_pain, completed=self.phase is Phase.DECISION)

    def finish(self) -> list[Record]:
        """After the after-ratings: compare expected with experienced and decide the next session."""
        self._require(Phase.AFTER, "finish")
        missing = self.missing_ratings()
        if missing:
            raise GmiError("E-EXPOSURE-RATING", f"Please answer first: {', '.join(missing)}.")
        r = self.ratings
        self.comparison = compare(r["expected_pain"], r["pain_experienced"], r["fear_before"], r["fear_after"],
                                  r.get("feared_outcome", ""), r["outcome_happened"])
        self.phase = Phase.DECISION
        self.decision = decide(self.plan, self.item_index, self.level, [*self.history, self.outcome()], self.today)
        d = self.decision
        return [self._emit("decision", action=d.action.value, item=d.item, item_index=d.item_index,
                           level=d.level, reps_target=d.reps_target, reason=d.reason,
                           comparison=self.comparison.text, pain_difference=self.comparison.pain_difference)]


def new_session(plan: Plan, decision: Decision, *, clock: Callable[[], float], mode: Mode = Mode.TAP,
                history: Sequence[SessionOutcome] = (), today: dt.date | None = None,
                sink: Callable[[Record], None] | None = None) -> ExposureSession:
    """A session at the position a (saved) decision points to."""
    item = plan.items[decision.item_index]
    if mode is Mode.CAMERA and not item.measured:
        mode = Mode.TAP    # an activity is always logged by hand
    return ExposureSession(plan, decision.item_index, decision.level, targets_for_decision(plan, decision),
                           clock, mode, history, today or dt.date.today(), sink)


def sets_text(targets: SessionTargets) -> str:
    """'2 sets of 5' / '12 repetitions' / '3 sets: 4, 4, 3'."""
    per = targets.reps_per_set
    if targets.baseline:
        return f"as many as comfortable, up to {targets.total_reps}"
    if len(per) == 1:
        return f"{per[0]} repetition{'s' * (per[0] != 1)}"
    if len(set(per)) == 1:
        return f"{len(per)} sets of {per[0]}"
    return f"{len(per)} sets: {', '.join(map(str, per))}"

