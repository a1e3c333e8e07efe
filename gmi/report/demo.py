"""`gmi demo`: several weeks of clearly-marked example history, written through the real store functions.

Every session row has ``simulated = 1`` and every screen and export that shows it says "example data".
The history is what real use writes, because it is written by the same code: laterality trials with
``Database.add_laterality_trial``; exposure sessions by the real ``ExposureSession`` state machine (with a
simulated clock) and ``RecordWriter``, so progression decisions are the real ones; imagery and mirror
sessions by the real protocol runner and ``GuidedSessionLog``. Rows are stamped with the simulated time
(``store_clock``), so dates in the history are the pretended ones.

The course follows the GMI order (clinical.md): two weeks of left/right pictures, then imagined movements,
then mirror therapy; graded exposure every other day throughout.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable

from gmi import __version__
from gmi.core.errors import GmiError
from gmi.core.laterality import DrillSettings, Mode, design_trials
from gmi.core.stimuli import Stimulus, default_direction, mirrored_rotation
from gmi.report.patient_model import SimulatedPatient
from gmi.store.db import Database, Profile, store_clock
from gmi.store.history import simulated_counts

WEEKS_RANGE = (1, 52)
DEMO_PART = "shoulder"
DEMO_AFFECTED_SIDE = "right"
DEMO_AUTHOR = "Example physiotherapist (gmi demo)"
STAGE_DAYS = {14: ("laterality", "imagery"), 28: ("imagery", "mirror")}   # day index → stage change

# A plan written for the example patient: measured movements (so there are peak angles), then an activity.
DEMO_PLAN = """\
# Example exposure plan written by `gmi demo` (not for a real patient).
format = 1
patient = "{patient}"
author = "{author}"
title = "Example: right shoulder, reaching up"
written = {written}

[stop]
pain_above = 7

[progression]
rule = "advance"
sessions_at_target = 2
max_pain_rise = 2
step_back_rise = 3

[[hierarchy]]
name = "Raise the right arm forwards"
fear = 35
movement = "shoulder_flexion"
side = "right"

  [[hierarchy.levels]]
  target_deg = 90
  reps = 6
  sets = 2
  rest_s = 45

  [[hierarchy.levels]]
  target_deg = 120
  reps = 8
  sets = 2
  rest_s = 45

  [[hierarchy.levels]]
  target_deg = 150
  reps = 8
  sets = 2
  rest_s = 45

[[hierarchy]]
name = "Raise the right arm out to the side"
fear = 60
movement = "shoulder_abduction"
side = "right"

  [[hierarchy.levels]]
  target_deg = 80
  reps = 5
  sets = 2
  rest_s = 60

  [[hierarchy.levels]]
  target_deg = 110
  reps = 6
  sets = 2
  rest_s = 60

  [[hierarchy.levels]]
  target_deg = 140
  reps = 8
  sets = 2
  rest_s = 60

[[hierarchy]]
name = "Put a mug on the top kitchen shelf"
fear = 80
activity = "Lift a mug from the counter to the top shelf with the right hand and back"

  [[hierarchy.levels]]
  reps = 5
"""


@dataclass
class SimClock:
    """The pretended wall time (for row stamps) and a monotonic seconds clock (for the session machines)."""

    now: datetime

    def wall(self) -> datetime:
        return self.now

    def seconds(self) -> float:
        return self.now.timestamp()

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class DemoSummary:
    profile: str
    days: int
    first_day: date
    last_day: date
    sessions: dict[str, int] = field(default_factory=dict)
    laterality_trials: int = 0
    exposure_reps: int = 0
    stopped_early: int = 0
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in self.sessions.items() if n)
        out = (f"Example data for {self.profile!r}: {self.days} days ({self.first_day} to {self.last_day}), "
               f"{kinds} sessions, {self.laterality_trials} left/right answers, {self.exposure_reps} exposure "
               "repetitions. Every session is marked as example data (simulated).")
        return "\n".join([out, *self.notes])


def check_can_fill(db: Database, profile: Profile, force: bool) -> None:
    real, simulated = simulated_counts(db, profile.id)
    if real and not force:
        raise GmiError("E-DEMO-REAL-DATA",
                       f"The profile {profile.name!r} has {real} real session{'s' * (real != 1)}; example data "
                       "would be mixed into them.",
                       fix=f"use a new profile name (e.g. --profile {profile.name}-demo), or add --force to mix "
                           "them anyway (example sessions stay marked as example data).")
    if simulated and not force:
        raise GmiError("E-DEMO-AGAIN", f"The profile {profile.name!r} already has example data ({simulated} sessions).",
                       fix="open it as it is, use another profile name, or add --force to add more.")


def synthetic_pool(part: str) -> list[Stimulus]:
    """Stimulus records for example trials when the image library has no pictures of ``part``."""
    pool = []
    for side in ("left", "right"):
        other = "right" if side == "left" else "left"
        for view in ("front", "back"):
            for rot in (0, 45, 90, 135, 180, 225, 270, 315):
                pool.append(Stimulus(f"{part}-{side}-{view}-{rot}", part, side, view, "example", rot,
                                     default_direction(side, rot), 1, f"{part}-{other}-{view}-{mirrored_rotation(rot)}",
                                     "", "", source="example"))
    return pool


def stimulus_pool(part: str) -> list[Stimulus]:
    try:
        from gmi.core.stimuli import load_manifest
        from gmi.store.location import default_stimuli_dir

        pool = load_manifest(default_stimuli_dir()).select(part, None, None, 1)
    except (GmiError, OSError):
        pool = []
    sides = {s.side for s in pool}
    return pool if sides == {"left", "right"} else synthetic_pool(part)


class DemoWriter:
    def __init__(self, db: Database, profile: Profile, weeks: int, seed: int, today: date | None) -> None:
        self.db, self.profile = db, profile
        self.rng = random.Random(seed)
        self.patient = SimulatedPatient(affected_side=DEMO_AFFECTED_SIDE)
        self.days = weeks * 7
        last = (today or date.today()) - timedelta(days=1)
        self.first_day = last - timedelta(days=self.days - 1)
        self.clock = SimClock(self._at(self.first_day, 8, 0))
        self.summary = DemoSummary(profile.name, self.days, self.first_day, last,
                                   {k: 0 for k in ("laterality", "imagery", "mirror", "exposure")})
        self.pool = stimulus_pool(DEMO_PART)
        from gmi.report.dose import doses_for

        self.doses = doses_for(profile, DEMO_PART)

    @staticmethod
    def _at(day: date, hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute)).astimezone().astimezone(timezone.utc)

    def progress(self, index: int) -> float:
        return index / max(1, self.days - 1)

    def run(self) -> DemoSummary:
        # Example data can be made again at any time: no need to wait for the disk after every row.
        self.db.conn.execute("PRAGMA synchronous=OFF")
        try:
            with store_clock(self.clock.wall):
                plan_id = self.install_plan()
                for index in range(self.days):
                    day = self.first_day + timedelta(days=index)
                    if index in STAGE_DAYS:
                        self.clock.now = max(self.clock.now, self._at(day, 7, 0))
                        self.move_on(*STAGE_DAYS[index])
                    for hour, action in sorted(self.day_schedule(index), key=lambda x: x[0]):
                        self.clock.now = max(self.clock.now, self._at(day, hour, self.rng.randint(0, 40)))
                        action(index)
            self.remember(plan_id)
        finally:
            self.db.conn.execute("PRAGMA synchronous=FULL")
        return self.summary

    def day_schedule(self, index: int) -> list[tuple[int, Callable[[int], None]]]:
        """What the example patient does on day ``index``: the GMI stages in order, exposure every other day,
        and now and then a missed session (adherence is never perfect)."""
        week = index // 7
        out: list[tuple[int, Callable[[int], None]]] = []
        drills = 3 if week < 2 else 1
        out += [(8 + 5 * k, self.laterality) for k in range(drills) if self.rng.random() > 0.12]
        if week >= 2:
            out += [(9 + 4 * k, self.imagery) for k in range(3) if self.rng.random() > 0.15]
        if week >= 4:
            out += [(10 + 3 * k, self.mirror) for k in range(4) if self.rng.random() > 0.2]
        if index % 2 == 1 and self.rng.random() > 0.1:
            out.append((17, self.exposure))
        return out

    def move_on(self, from_stage: str, to_stage: str) -> None:
        """Record the stage change as the programme does when its criteria hold (here: on the demo's schedule)."""
        from gmi.core.programme import StageEvent
        from gmi.store.programme import add_event

        add_event(self.db, self.profile.id, StageEvent(self.clock.now, DEMO_PART, "advance", from_stage, to_stage, "gmi",
                                                       "example data: the demo moves on after two weeks"))

    # -- the plan ---------------------------------------------------------------------------------
    def install_plan(self) -> int | None:
        from gmi.core.plans import parse_plan
        from gmi.store.exposure import current_plan, install_plan

        if current_plan(self.db, self.profile.id) is not None:
            self.summary.notes.append("The exposure plan already installed was used for the example sessions.")
            return None
        text = DEMO_PLAN.format(patient=self.profile.name.replace('"', "'"), author=DEMO_AUTHOR,
                                written=(self.first_day - timedelta(days=1)).isoformat())
        return install_plan(self.db, self.profile.id, parse_plan(text, "example-plan.toml"))

    def remember(self, plan_id: int | None) -> None:
        """Note in the profile what gmi demo wrote, so screens and reports can say so."""
        profile = self.db.profile(self.profile.name)
        demo = dict(profile.settings.get("demo", {}))
        if plan_id is not None:
            demo["plan_ids"] = sorted({*demo.get("plan_ids", []), plan_id})
        demo["runs"] = [*demo.get("runs", []), {"days": self.days, "first_day": self.first_day.isoformat(),
                                                 "last_day": self.summary.last_day.isoformat()}]
        settings = dict(profile.settings)
        settings["demo"] = demo
        settings.setdefault("programme", {}).setdefault("affected_side", DEMO_AFFECTED_SIDE)
        settings.setdefault("drill", DrillSettings(part=DEMO_PART).to_dict())
        self.db.save_profile_settings(profile.id, settings)

    # -- laterality -------------------------------------------------------------------------------
    def laterality(self, index: int) -> None:
        db, rng = self.db, self.rng
        test = index % 7 == 6        # a weekly test: fixed settings, no feedback
        settings = DrillSettings(part=DEMO_PART, mode=Mode.TEST if test else Mode.TRAINING).effective()
        seed = rng.randrange(2**31)
        trials = design_trials(self.pool, settings.trials, seed)
        session_id = db.start_session(
            self.profile.id, "laterality", settings=settings.to_dict() | {"library": "example", "n_designed": len(trials)},
            seed=seed, input_method="keys", timing={"driver": "example", "refresh_hz": 60, "vsync": True},
            app_version=__version__, simulated=True)
        onset_ns = 0
        for i, stim in enumerate(trials):
            self.clock.advance(0.5)     # fixation
            onset_ns += 1_000_000_000
            response, rt_ms = self.patient.answer(rng, stim.side, stim.rotation_deg, stim.direction, self.progress(index))
            self.clock.advance((rt_ms or settings.time_limit_s * 1000) / 1000)
            db.add_laterality_trial(session_id, {
                "trial_index": i, "stimulus_id": stim.id, "part": stim.part, "side": stim.side, "view": stim.view,
                "posture": stim.posture, "rotation_deg": stim.rotation_deg, "direction": stim.direction,
                "level": stim.level, "response": response, "correct": int(response == stim.side),
                "rt_ms": rt_ms, "input_method": "keys" if response else None, "onset_ns": onset_ns})
            if not test:
                self.clock.advance(0.9)  # feedback
        db.update_session(session_id, status="completed", input_method="keys")
        self.summary.sessions["laterality"] += 1
        self.summary.laterality_trials += len(trials)

    # -- exposure ---------------------------------------------------------------------------------
    def exposure(self, index: int) -> None:
        from gmi.core.exposure import Mode as ExposureMode
        from gmi.core.exposure import RepResult, new_session
        from gmi.store import exposure as store

        db, rng, progress = self.db, self.rng, self.progress(index)
        installed = store.require_current_plan(db, self.profile.id, self.profile.name)
        plan = installed.plan()
        today = self.clock.now.astimezone().date()
        decision = store.next_decision(db, self.profile.id, plan, today)
        item = plan.items[decision.item_index]
        state: dict[str, Any] = {}

        def sink(record: Any) -> None:
            if "writer" not in state:
                sid = store.start_session(db, self.profile.id, installed.id, session, app_version=__version__,
                                          input_method="camera" if session.mode is ExposureMode.CAMERA else "keys",
                                          simulated=True)
                state["writer"] = store.RecordWriter(db, sid, installed.id)
            state["writer"](record)

        session = new_session(plan, decision, clock=self.clock.seconds, mode=ExposureMode.CAMERA, today=today,
                              sink=sink, history=store.item_history(db, self.profile.id, item.name))
        before = self.patient.ratings_before(rng, progress)
        for name, value in before.items():
            session.rate(name, value)
            self.clock.advance(4)
        session.rate("feared_outcome", "that the shoulder catches and the pain stays for days")
        session.start()
        target = session.targets.target_deg
        while session.phase.value == "during":
            rest = session.rest_remaining_s()
            if rest:
                self.clock.advance(rest)
                session.tick()
                continue
            self.clock.advance(rng.uniform(3, 5))
            if session.mode is ExposureMode.CAMERA and target is not None:
                first_target = item.levels[0].target_deg or target
                peak = self.patient.peak_deg(rng, target, first_target, progress)
                session.add_rep(RepResult(peak, peak >= target, 0.0, rng.uniform(2.5, 4.0)))
            else:
                session.tap()
            self.summary.exposure_reps += 1
        for name, value in self.patient.ratings_after(rng, progress, before).items():
            session.rate(name, value)
            self.clock.advance(4)
        session.finish()
        self.summary.sessions["exposure"] += 1

    # -- imagery and mirror -------------------------------------------------------------------------
    def imagery(self, index: int) -> None:
        self._guided("imagery", index)

    def mirror(self, index: int) -> None:
        self._guided("mirror", index)

    def _guided(self, kind: str, index: int) -> None:
        """One imagery or mirror session: the real protocol runner on the simulated clock, each completed
        step written by GuidedSessionLog; the patient sometimes stops early, and in a mirror session now and
        then reports a symptom (the rest becomes watch-only, as in the program)."""
        from gmi.core.imagery import imagery_phases, shipped_sequence
        from gmi.core.mirror_session import MirrorSession
        from gmi.core.protocol import Finished, ProtocolRunner, StepCompleted
        from gmi.store.imagery import GuidedSessionLog

        rng, progress = self.rng, self.progress(index)
        sequence = shipped_sequence(DEMO_PART, kind)
        mirror = None
        if kind == "imagery":
            mode = "eyes_open" if progress < 0.5 else rng.choice(("eyes_open", "eyes_closed"))
            runner = ProtocolRunner(imagery_phases(sequence, mode, DEMO_AFFECTED_SIDE), self.clock.seconds)
            log = GuidedSessionLog.start(self.db, self.profile.id, kind, sequence, mode=mode,
                                         affected_side=DEMO_AFFECTED_SIDE, simulated=True,
                                         extra={"sound": "example", "steps": len(sequence.steps)})
            planned_s = sequence.duration_s(mode)
        else:
            minutes = self.planned_minutes("mirror")
            mirror = MirrorSession.create(sequence, self.clock.seconds, setting="box", minutes=minutes,
                                          affected_side=DEMO_AFFECTED_SIDE)
            runner = mirror.runner
            log = GuidedSessionLog.start(self.db, self.profile.id, kind, sequence, affected_side=DEMO_AFFECTED_SIDE,
                                         simulated=True, extra={"setting": "box", "minutes": minutes, "sound": "example"})
            planned_s = minutes * 60
        stopped = False

        def dispatch(events: list[Any]) -> None:
            for event in events:
                if isinstance(event, StepCompleted):
                    log.step_done(event)
                elif isinstance(event, Finished):
                    log.finish(runner.status(), stopped=event.stopped)

        dispatch(runner.start())
        practised_s = self.patient.minutes(rng, planned_s / 60) * 60
        if mirror is not None and rng.random() < 0.08 * (1 - progress):
            self.clock.advance(practised_s / 2)
            dispatch(runner.update())
            _advice, events = mirror.report_symptom(rng.choice(("pain", "dizziness")))
            log.symptom(mirror.symptoms[-1].symptom, mirror.symptoms[-1].at_s)
            dispatch(events)
            self.clock.advance(practised_s / 2)
        else:
            self.clock.advance(practised_s)
        dispatch(runner.update())
        if runner.state != "finished":
            stopped = True
            dispatch(runner.stop())
        if kind == "imagery" and mode != "watch":
            log.rate("vividness", self.patient.vividness(rng, progress))
        log.rate("pain_nrs", self.patient.ratings_before(rng, progress)["pain_before"])
        self.summary.sessions[kind] += 1
        self.summary.stopped_early += int(stopped)

    def planned_minutes(self, stage: str) -> float:
        dose = self.doses.get(stage)
        return dose.per_session if dose is not None and dose.unit == "minutes" else 5.0


def fill_demo(db: Database, profile_name: str, weeks: int = 6, *, force: bool = False, seed: int = 2026,
              today: date | None = None) -> DemoSummary:
    if not WEEKS_RANGE[0] <= weeks <= WEEKS_RANGE[1]:
        raise GmiError("E-DEMO-WEEKS", f"--weeks must be from {WEEKS_RANGE[0]} to {WEEKS_RANGE[1]} (found {weeks}).",
                       fix="e.g. --weeks 6")
    profile = db.profile(profile_name)
    check_can_fill(db, profile, force)
    return DemoWriter(db, profile, weeks, seed, today).run()
