"""The GMI programme: three stages in order, a daily dose for each, and criteria for moving on.

Stages (clinical.md, "GMI protocol"): left/right recognition → imagined movements → mirror therapy, about
two weeks each; the order matters and is enforced by default; after a flare the patient may step back, and
left/right recognition is checked again. A mirror can only stand in for a limb, so for the back and the
neck the programme ends with imagined movements.

A physiotherapist sets the programme in the ``[programme]`` table of a plan file (see
:func:`validate_programme`); without a plan :func:`default_programme` gives one for the chosen part. Every
number not set by the plan is a default and is shown with its source, or as a project default where no
published number exists.

Everything here is pure: histories and events come in as plain records (built by gmi/store/programme.py),
decisions come out as new events for the store to write.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from gmi.core.errors import GmiError, ProblemList
from gmi.core.laterality import TrialResult, summarize
from gmi.core.norms import DEFAULT_LR_ACCURACY_THRESHOLD_PTS, DEFAULT_LR_RT_THRESHOLD_MS, norm_for
from gmi.core.postures import MIRROR_PARTS
from gmi.core.stimuli import PARTS
from gmi.core.tomlcheck import Checker, Table, TomlSource, load_toml

STAGES: tuple[str, ...] = ("laterality", "imagery", "mirror")
STAGE_LABELS: dict[str, str] = {"laterality": "Left/right recognition", "imagery": "Imagined movements",
                                "mirror": "Mirror therapy"}
EVENT_KINDS: tuple[str, ...] = ("start", "advance", "step_back", "override", "flare")
AFFECTED_SIDES: tuple[str, ...] = ("left", "right", "both")

PROJECT_DEFAULT = "project default (no published number; your physiotherapist can change it)"
NOI_STABLE = "NOI guidance: stable for at least a week"
EPF_MIRROR = "European Pain Federation: 5–10 minutes a session, several sessions a day"
LR_DEFAULT = "default threshold (no published cut-off; your physiotherapist can change it)"


# -- the programme ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """A number of the programme with where it came from."""

    value: float
    source: str            # "plan" when the physiotherapist set it, else the default's source

    @property
    def is_default(self) -> bool:
        return self.source != "plan"


@dataclass(frozen=True)
class StageSettings:
    stage: str
    sessions_per_day: Value
    per_session: Value                 # amount of one session
    unit: str                          # "images" | "minutes"
    criteria: dict[str, Value]         # key → threshold (see CRITERIA)
    stable_days: Value


@dataclass(frozen=True)
class CriterionSpec:
    label: str
    better: str            # "higher" | "lower"
    unit: str
    low: float
    high: float


CRITERIA: dict[str, dict[str, CriterionSpec]] = {
    "laterality": {
        "accuracy_min_pct": CriterionSpec("Accuracy", "higher", "%", 50, 100),
        "rt_max_s": CriterionSpec("Reaction time", "lower", "s", 0.5, 60),
        "lr_rt_diff_max_s": CriterionSpec("Left–right time gap", "lower", "s", 0.05, 10),
        "lr_accuracy_diff_max_pts": CriterionSpec("Left–right accuracy gap", "lower", "points", 1, 50),
    },
    "imagery": {
        "vividness_min": CriterionSpec("Vividness (1–5)", "higher", "", 1, 5),
    },
    "mirror": {},
}
DOSE_UNITS: dict[str, tuple[str, ...]] = {"laterality": ("images", "minutes"), "imagery": ("minutes", "images"),
                                          "mirror": ("minutes",)}
DOSE_RANGES = {"sessions_per_day": (1, 24), "images_per_session": (10, 200), "minutes_per_session": (1, 60),
               "stable_days": (1, 60)}


def _defaults(stage: str, part: str) -> tuple[dict[str, Value], Value, Value, str, Value]:
    """Criteria, sessions a day, amount per session, its unit and stable days, each with its source."""
    if stage == "laterality":
        norm = norm_for(part)
        assert norm is not None
        rt_source = f"{norm.source}: {norm.rt_mean_s:g} s" + (f" ± {norm.rt_sd_s:g} s" if norm.rt_sd_s else "") + \
            " (upper end of the normal range)"
        criteria = {
            "accuracy_min_pct": Value(round(100 * norm.accuracy_min), f"{norm.source}: 80% or more"),
            "rt_max_s": Value(round(norm.rt_upper_s, 2), rt_source),
            "lr_rt_diff_max_s": Value(DEFAULT_LR_RT_THRESHOLD_MS / 1000, LR_DEFAULT),
            "lr_accuracy_diff_max_pts": Value(DEFAULT_LR_ACCURACY_THRESHOLD_PTS, LR_DEFAULT),
        }
        return criteria, Value(3, PROJECT_DEFAULT), Value(40, PROJECT_DEFAULT), "images", Value(7, NOI_STABLE)
    if stage == "imagery":
        return ({"vividness_min": Value(3, PROJECT_DEFAULT)}, Value(3, PROJECT_DEFAULT), Value(5, PROJECT_DEFAULT),
                "minutes", Value(7, PROJECT_DEFAULT))
    return {}, Value(4, EPF_MIRROR), Value(5, EPF_MIRROR), "minutes", Value(7, PROJECT_DEFAULT)


def stages_for(part: str) -> tuple[str, ...]:
    return STAGES if part in MIRROR_PARTS else STAGES[:2]


@dataclass(frozen=True)
class Programme:
    parts: tuple[str, ...]
    affected_side: str | None
    enforce_order: bool
    start_stage: str
    overrides: dict[str, dict[str, float]] = field(default_factory=dict)   # stage → key → value from the plan
    source: str = "default"            # the plan file, or "default"

    def stages(self, part: str) -> tuple[str, ...]:
        return stages_for(part)

    def settings(self, part: str, stage: str) -> StageSettings:
        criteria, per_day, per_session, unit, stable = _defaults(stage, part)
        set_here = self.overrides.get(stage, {})

        def pick(key: str, default: Value) -> Value:
            return Value(set_here[key], "plan") if key in set_here else default

        if "images_per_session" in set_here:
            unit, per_session = "images", Value(set_here["images_per_session"], "plan")
        elif "minutes_per_session" in set_here:
            unit, per_session = "minutes", Value(set_here["minutes_per_session"], "plan")
        return StageSettings(stage, pick("sessions_per_day", per_day), per_session, unit,
                             {k: pick(k, v) for k, v in criteria.items()}, pick("stable_days", stable))


def default_programme(part: str, affected_side: str | None = None) -> Programme:
    """The programme for someone without a plan: all stages for the part, order enforced, default doses."""
    if part not in PARTS:
        raise ValueError(f"unknown body part {part!r}")
    return Programme((part,), affected_side if affected_side in AFFECTED_SIDES else None, True, "laterality")


PROGRAMME_KEYS = ("parts", "affected_side", "enforce_order", "start_stage", *STAGES)


def validate_programme(raw_table: Any, file: str, text: str, problems: ProblemList) -> Programme | None:
    """Check a ``[programme]`` table taken out of a plan file (``text`` gives the lines); problems go into
    ``problems``. Returns the programme, or None when it has problems."""
    checker = Checker(TomlSource(file, text, {"programme": raw_table}), problems)
    table = checker.root.table("programme")
    return check_programme_table(table) if table is not None else None


def check_programme_table(table: Table) -> Programme | None:
    """The plan loader's hook (``gmi.core.plans.PROGRAMME_VALIDATOR``): check the ``[programme]`` table,
    recording problems on its checker; the programme, or None when it has problems."""
    problems = table.checker.problems
    before = len(problems.problems)
    table.unknown_keys(PROGRAMME_KEYS, hint="see plans/ for a complete example")
    parts = table.list_of("parts", "choice", required=True, min_items=1, max_items=len(PARTS), options=PARTS,
                          unique=True)
    affected = table.choice("affected_side", AFFECTED_SIDES)
    enforce = table.boolean("enforce_order", default=True)
    start = table.choice("start_stage", STAGES, default="laterality")
    limb_only = parts is not None and any(p not in MIRROR_PARTS for p in parts)
    if limb_only and start == "mirror":
        table.problem("start_stage", "a mirror can only stand in for a limb", found='"mirror"',
                      allowed='"laterality", "imagery"', fix="start the back or the neck with laterality or imagery")
    overrides: dict[str, dict[str, float]] = {}
    for stage in STAGES:
        sub = table.table(stage)
        if sub is None:
            continue
        if stage == "mirror" and limb_only:
            sub.problem(None, "a mirror can only stand in for a limb", found=", ".join(p for p in parts or ()
                                                                                     if p not in MIRROR_PARTS),
                        allowed=", ".join(MIRROR_PARTS),
                        fix="remove [programme.mirror], or give the limbs a plan of their own")
        overrides[stage] = _stage_overrides(sub, stage)
    if len(problems.problems) > before or parts is None:
        return None
    return Programme(tuple(parts), affected, bool(enforce), start or "laterality", overrides,
                     table.checker.source.path)


def load_programme(path: Path | str) -> Programme:
    """The ``[programme]`` of a plan file on its own (for `gmi programme --plan`); GmiError E-PROGRAMME.
    The plan's other tables are checked by the plan loader, not here."""
    source = load_toml(path, what="plan")
    checker = Checker(source)
    table = checker.root.table("programme", required=True)
    programme = check_programme_table(table) if table is not None else None
    checker.raise_if_any("E-PROGRAMME", f"The GMI programme in {source.path} has errors.",
                         fix="correct the lines named above; plans/programme-hands.toml is a complete example")
    assert programme is not None
    return programme


def programme_for(part: str, plan: str | None = None, affected_side: str | None = None) -> tuple[Programme, str]:
    """The plan's programme when it covers ``part``, else the default one, with a message saying why."""
    if plan:
        try:
            programme = load_programme(plan)
        except GmiError as exc:
            return default_programme(part, affected_side), \
                f"Your plan could not be read ({exc.message}); the default programme is shown."
        if part in programme.parts:
            return programme, ""
        return default_programme(part, affected_side), \
            f"Your plan covers {', '.join(programme.parts)}; {part} follows the default programme."
    return default_programme(part, affected_side), ""


def _stage_overrides(sub: Table, stage: str) -> dict[str, float]:
    dose_keys = [f"{u}_per_session" for u in DOSE_UNITS[stage]]
    sub.unknown_keys(("sessions_per_day", *dose_keys, "stable_days", *CRITERIA[stage]),
                     hint=f"settings of the {STAGE_LABELS[stage].lower()} stage")
    out: dict[str, float] = {}
    for key in ("sessions_per_day", *dose_keys, "stable_days"):
        low, high = DOSE_RANGES[key]
        unit = "minutes" if key.startswith("minutes") else "images" if key.startswith("images") else \
            "days" if key == "stable_days" else ""
        value = sub.integer(key, low, high, unit=unit) if key != "minutes_per_session" \
            else sub.number(key, low, high, unit=unit)
        if value is not None:
            out[key] = value
    given = sorted((k for k in dose_keys if sub.has(k)), key=lambda k: sub.line_of(k) or 0)
    if len(given) > 1:
        sub.problem(given[-1], "give the dose in minutes or in images, not both", found=", ".join(given),
                    allowed="one of " + ", ".join(dose_keys), fix=f"remove {given[-1]} or {given[0]}")
    for key, spec in CRITERIA[stage].items():
        value = sub.number(key, spec.low, spec.high, unit=spec.unit)
        if value is not None:
            out[key] = value
    return out


# -- what happened ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StageEvent:
    at: datetime
    part: str
    kind: str              # start | advance | step_back | override | flare
    from_stage: str | None
    to_stage: str | None   # None for a flare report
    by: str                # "patient", "gmi", or the clinician's name
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PracticeSession:
    """One session of any stage, reduced to what the programme needs."""

    stage: str
    part: str
    at: datetime
    day: date              # the patient's local calendar day
    completed: bool
    minutes: float
    images: int
    input_method: str | None = None
    trials: tuple[TrialResult, ...] = ()   # laterality only
    vividness: float | None = None          # imagery: 1–5
    pain: float | None = None               # NRS 0–10 after the session
    symptoms: tuple[str, ...] = ()           # mirror: pain / nausea / dizziness reported during it


# -- where the patient is -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CriterionStatus:
    key: str
    label: str
    target: float
    better: str            # higher | lower
    unit: str
    value: float | None    # on the latest practice day; None before any practice
    met: bool | None       # None before any practice
    closeness: float       # 0..1, for a progress bar
    source: str

    @property
    def is_default(self) -> bool:
        return self.source != "plan"

    def target_text(self) -> str:
        bound = "at least" if self.better == "higher" else "at most"
        return f"{bound} {_fmt(self.target)}{_unit(self.unit)}"

    def value_text(self) -> str:
        return "not yet measured" if self.value is None else f"{_fmt(self.value)}{_unit(self.unit)}"


@dataclass(frozen=True)
class DoseStatus:
    sessions_done: int
    sessions_per_day: int
    amount_done: float
    per_session: float
    unit: str

    @property
    def sessions_left(self) -> int:
        return max(0, self.sessions_per_day - self.sessions_done)

    @property
    def done(self) -> bool:
        return self.sessions_done >= self.sessions_per_day


@dataclass(frozen=True)
class StageStatus:
    part: str
    stage: str
    stages: tuple[str, ...]
    settings: StageSettings
    dose_today: DoseStatus
    criteria: tuple[CriterionStatus, ...]
    streak_days: int       # latest practice days in a row on which every criterion held
    ready: bool            # criteria held for stable_days: the next stage opens
    entered_at: datetime | None
    last_flare: datetime | None      # a flare reported since entering this stage
    open_stages: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def next_stage(self) -> str | None:
        i = self.stages.index(self.stage)
        return self.stages[i + 1] if i + 1 < len(self.stages) else None

    @property
    def previous_stage(self) -> str | None:
        i = self.stages.index(self.stage)
        return self.stages[i - 1] if i > 0 else None

    @property
    def stable_days(self) -> int:
        return int(self.settings.stable_days.value)


def _fmt(x: float) -> str:
    return f"{x:.1f}" if abs(x - round(x)) > 1e-9 else f"{x:.0f}"


def _unit(unit: str) -> str:
    return "" if not unit else unit if unit == "%" else f" {unit}"


def _part_events(events: Iterable[StageEvent], part: str) -> list[StageEvent]:
    return sorted((e for e in events if e.part == part), key=lambda e: e.at)


def current_stage(programme: Programme, part: str, events: Iterable[StageEvent]) -> tuple[str, datetime | None]:
    """The stage the patient is in and when they entered it (None: from the start of their history)."""
    stage, since = programme.start_stage, None
    for event in _part_events(events, part):
        if event.to_stage is not None:
            stage, since = event.to_stage, event.at
    stages = programme.stages(part)
    return (stage if stage in stages else stages[-1]), since


def evaluate(programme: Programme, part: str, sessions: Iterable[PracticeSession], events: Iterable[StageEvent],
             today: date) -> StageStatus:
    """Where the patient stands today: stage, today's dose, the criteria and how close they are."""
    events = _part_events(events, part)
    stage, entered = current_stage(programme, part, events)
    stages = programme.stages(part)
    settings = programme.settings(part, stage)
    flares = [e.at for e in events if e.kind == "flare" and (entered is None or e.at >= entered)]
    last_flare = flares[-1] if flares else None
    counting_from = last_flare or entered       # stability is re-earned after a flare
    mine = [s for s in sessions if s.part == part and s.stage == stage]
    window = [s for s in mine if counting_from is None or s.at >= counting_from]
    notes: list[str] = []
    if stage == "laterality":
        window, method_note = _same_input_method(window)
        if method_note:
            notes.append(method_note)
    days = _by_day(window)
    per_day = [(day, _day_values(stage, settings, day_sessions)) for day, day_sessions in days]
    per_day = [(day, values) for day, values in per_day if values is not None]
    criteria_met = [(day, _all_met(stage, settings, values)) for day, values in per_day]
    streak = 0
    for _, ok in reversed(criteria_met):
        if not ok:
            break
        streak += 1
    latest = per_day[-1][1] if per_day else None
    criteria = tuple(_criterion_status(key, value, latest) for key, value in settings.criteria.items())
    stable = int(settings.stable_days.value)
    stable_status = CriterionStatus("stable_days", "Good days in a row", stable, "higher", "days", float(streak),
                                    streak >= stable if per_day else None, min(1.0, streak / stable),
                                    settings.stable_days.source)
    today_sessions = [s for s in mine if s.day == today]
    dose = DoseStatus(sum(s.completed for s in today_sessions), int(settings.sessions_per_day.value),
                      round(sum(s.images if settings.unit == "images" else s.minutes for s in today_sessions), 1),
                      settings.per_session.value, settings.unit)
    ready = streak >= stable
    if last_flare is not None:
        notes.append(f"A flare was reported on {last_flare.date().isoformat()}. Going back a stage is fine; "
                     "left/right recognition is checked again after a flare.")
    if stage == "laterality" and settings.unit == "images":
        notes.append(f"A day counts once at least {int(settings.per_session.value)} images were answered.")
    if stage == stages[-1] and ready:
        notes.append("All stages done. Your physiotherapist may move on to graded movement exposure.")
    open_stages = stages[: stages.index(stage) + (2 if ready else 1)] if programme.enforce_order else stages
    return StageStatus(part, stage, stages, settings, dose, criteria + (stable_status,), streak, ready, entered,
                       last_flare, tuple(open_stages), tuple(notes))


def _same_input_method(sessions: list[PracticeSession]) -> tuple[list[PracticeSession], str | None]:
    """Reaction times depend on how answers are given: compare only sessions with the latest method."""
    if not sessions:
        return sessions, None
    method = max(sessions, key=lambda s: s.at).input_method
    same = [s for s in sessions if s.input_method == method]
    note = None
    if len(same) < len(sessions):
        note = f"Only sessions answered with {method or 'the same method'} are compared (answer method changes times)."
    return same, note


def _by_day(sessions: list[PracticeSession]) -> list[tuple[date, list[PracticeSession]]]:
    days: dict[date, list[PracticeSession]] = defaultdict(list)
    for s in sessions:
        days[s.day].append(s)
    return sorted(days.items())


def _day_values(stage: str, settings: StageSettings, sessions: list[PracticeSession]) -> dict[str, float] | None:
    """The day's measured values keyed like the criteria; None when the day does not count."""
    if stage == "laterality":
        trials = [t for s in sessions for t in s.trials]
        minimum = settings.per_session.value if settings.unit == "images" else 1
        if not trials or len(trials) < minimum:
            return None
        summary = summarize(trials)
        rt = summary.overall.median_rt_ms
        values = {"accuracy_pct": 100 * (summary.overall.accuracy or 0.0)}
        values["rt_s"] = rt / 1000 if rt is not None else float("inf")
        d_rt, d_acc = summary.lr_rt_diff_ms, summary.lr_accuracy_diff_pts
        values["lr_rt_diff_s"] = abs(d_rt) / 1000 if d_rt is not None else float("inf")
        values["lr_accuracy_diff_pts"] = abs(d_acc) if d_acc is not None else float("inf")
        return values
    values = {"sessions": float(sum(s.completed for s in sessions))}
    if stage == "imagery":
        ratings = [s.vividness for s in sessions if s.vividness is not None]
        values["vividness"] = statistics.fmean(ratings) if ratings else 0.0
    return values


# criterion key → measured value key
MEASURE = {"accuracy_min_pct": "accuracy_pct", "rt_max_s": "rt_s", "lr_rt_diff_max_s": "lr_rt_diff_s",
           "lr_accuracy_diff_max_pts": "lr_accuracy_diff_pts", "vividness_min": "vividness"}


def _all_met(stage: str, settings: StageSettings, values: dict[str, float]) -> bool:
    ok = all(_met(CRITERIA[stage][k], v.value, values[MEASURE[k]]) for k, v in settings.criteria.items())
    if stage != "laterality":   # practice stages: the day's dose must be done too
        ok = ok and values["sessions"] >= settings.sessions_per_day.value
    return ok


def _met(spec: CriterionSpec, target: float, value: float) -> bool:
    return value >= target if spec.better == "higher" else value <= target


def _criterion_status(key: str, setting: Value, latest: dict[str, float] | None) -> CriterionStatus:
    stage = next(s for s, specs in CRITERIA.items() if key in specs)
    spec = CRITERIA[stage][key]
    value = None if latest is None else latest[MEASURE[key]]
    if value is None:
        return CriterionStatus(key, spec.label, setting.value, spec.better, spec.unit, None, None, 0.0, setting.source)
    met = _met(spec, setting.value, value)
    if spec.better == "higher":
        closeness = value / setting.value if setting.value else 1.0
    else:
        closeness = setting.value / value if value > 0 else 1.0
    shown = None if value == float("inf") else round(value, 2)
    return CriterionStatus(key, spec.label, setting.value, spec.better, spec.unit, shown, met,
                           max(0.0, min(1.0, closeness)), setting.source)


# -- decisions (each returns the event to store) ------------------------------------------------------
def advance(status: StageStatus, now: datetime) -> StageEvent | None:
    """Move on when the criteria hold (None if they do not, or if this is the last stage)."""
    if not status.ready or status.next_stage is None:
        return None
    snapshot = {c.key: {"value": c.value, "target": c.target, "met": c.met} for c in status.criteria}
    return StageEvent(now, status.part, "advance", status.stage, status.next_stage, "gmi",
                      f"criteria held for {status.streak_days} practice days", {"criteria": snapshot})


def report_flare(status: StageStatus, now: datetime, note: str = "") -> StageEvent:
    """A flare reported by the patient: recorded; stability must be shown again from here."""
    return StageEvent(now, status.part, "flare", status.stage, None, "patient", note.strip())


def step_back(status: StageStatus, now: datetime, reason: str = "flare", by: str = "patient") -> StageEvent | None:
    """Go back one stage (after a flare, or whenever the current stage is too hard); None in the first stage."""
    if status.previous_stage is None:
        return None
    return StageEvent(now, status.part, "step_back", status.stage, status.previous_stage, by, reason.strip() or "flare")


def override(status: StageStatus, now: datetime, to_stage: str, by: str, why: str) -> StageEvent:
    """A clinician puts the patient in any stage; who and why are required and recorded."""
    if to_stage not in status.stages:
        raise ValueError(f"{to_stage!r} is not a stage of this programme ({', '.join(status.stages)})")
    if not by.strip() or not why.strip():
        raise ValueError("an override needs the clinician's name and a reason")
    return StageEvent(now, status.part, "override", status.stage, to_stage, by.strip(), why.strip())
