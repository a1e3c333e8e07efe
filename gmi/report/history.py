"""A profile's history for the history screen and the reports: series ready to draw, at a readable density.

Everything comes from the aggregate queries in gmi/store/history.py. Long histories are grouped into
buckets (a day, a week or four weeks) so that no chart has more than MAX_POINTS points, however many years
are stored:
- laterality: accuracy pooled over the bucket's trials; median RT = the median of the sessions' medians;
- imagery and mirror: minutes per day (the bucket's minutes divided by its days);
- exposure: the highest peak angle of the bucket, against the target of its last session;
- pain: the mean expected and experienced pain of the bucket's exposure sessions;
- adherence: completed sessions against the prescribed number, per week (or four weeks).
Laterality is compared within one input method only (clinical.md): the series uses the method of the most
recent session, and says how many sessions with other methods it leaves out.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Sequence

from gmi.core.laterality import Cell
from gmi.core.norms import Norm, norm_for
from gmi.report.dose import Dose, doses_for
from gmi.store import history as q
from gmi.store.db import Database, Profile

MAX_POINTS = 120
BUCKET_CHOICES = (1, 7, 28)
KINDS = ("laterality", "imagery", "mirror", "exposure")
KIND_LABELS = {"laterality": "Left/right pictures", "imagery": "Imagined movements", "mirror": "Mirror therapy",
               "exposure": "Graded exposure"}
EXAMPLE_LABEL = "example data (made by gmi demo, not a real patient)"


def bucket_days(first: date, last: date, max_points: int = MAX_POINTS) -> int:
    """The shortest bucket (1, 7 or 28 days) that keeps the span within ``max_points`` points."""
    span = (last - first).days + 1
    for days in BUCKET_CHOICES:
        if span / days <= max_points:
            return days
    return BUCKET_CHOICES[-1]


def bucket_start(day: date, days: int, origin: date) -> date:
    """Days stay days; weeks start on Monday; four-week buckets count from the Monday of ``origin``."""
    if days == 1:
        return day
    monday = origin - timedelta(days=origin.weekday())
    return monday + timedelta(days=(day - monday).days // days * days)


# -- laterality (per side figures are gmi.core.laterality.Cell, as on the results screen) ------------------
@dataclass(frozen=True)
class LateralityBucket:
    start: date
    sessions: int
    left: Cell
    right: Cell
    simulated: bool

    def side(self, name: str) -> Cell:
        return self.left if name == "left" else self.right


@dataclass(frozen=True)
class LateralitySeries:
    part: str
    input_method: str
    norm: Norm | None
    bucket_days: int
    buckets: tuple[LateralityBucket, ...]
    left_out: int                  # sessions of this part answered with another input method


@dataclass(frozen=True)
class SessionSides:
    """One laterality session's figures per side (from the stats table)."""

    session_id: int
    started_at: str
    day: date
    part: str
    mode: str | None
    input_method: str
    status: str
    simulated: bool
    sides: dict[str, Cell]


def laterality_sessions(rows: Iterable[Any]) -> list[SessionSides]:
    out: dict[int, SessionSides] = {}
    for r in rows:
        s = out.get(r["session_id"])
        if s is None:
            s = out[r["session_id"]] = SessionSides(
                r["session_id"], r["started_at"], date.fromisoformat(r["day"]), r["part"] or "?", r["mode"],
                r["input_method"] or "unknown", r["status"], bool(r["simulated"]), {})
        s.sides[r["side"]] = Cell(r["n"], r["correct"] or 0, r["misses"] or 0, r["median_rt_ms"])
    return list(out.values())


def _pool(figures: Sequence[Cell]) -> Cell:
    rts = [f.median_rt_ms for f in figures if f.median_rt_ms is not None]
    return Cell(sum(f.n for f in figures), sum(f.correct for f in figures), sum(f.misses for f in figures),
                       statistics.median(rts) if rts else None)


def laterality_series(sessions: Sequence[SessionSides], max_points: int = MAX_POINTS) -> list[LateralitySeries]:
    """One series per body part, in the input method of the part's latest session."""
    by_part: dict[str, list[SessionSides]] = defaultdict(list)
    for s in sessions:
        by_part[s.part].append(s)
    out = []
    for part, items in by_part.items():
        method = items[-1].input_method
        kept = [s for s in items if s.input_method == method]
        days = bucket_days(kept[0].day, kept[-1].day, max_points)
        groups: dict[date, list[SessionSides]] = defaultdict(list)
        for s in kept:
            groups[bucket_start(s.day, days, kept[0].day)].append(s)
        empty = Cell(0, 0, 0, None)
        buckets = tuple(LateralityBucket(
            start, len(group),
            _pool([s.sides.get("left", empty) for s in group]), _pool([s.sides.get("right", empty) for s in group]),
            any(s.simulated for s in group)) for start, group in sorted(groups.items()))
        out.append(LateralitySeries(part, method, norm_for(part), days, buckets, len(items) - len(kept)))
    return sorted(out, key=lambda s: -len(s.buckets))


# -- imagery and mirror -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GuidedBucket:
    start: date
    days: int
    imagery_min_per_day: float
    mirror_min_per_day: float
    simulated: bool


def guided_series(rows: Iterable[Any], max_points: int = MAX_POINTS) -> tuple[int, list[GuidedBucket]]:
    per_day: dict[date, dict[str, float]] = defaultdict(lambda: {"imagery": 0.0, "mirror": 0.0})
    simulated: dict[date, bool] = defaultdict(bool)
    for r in rows:
        d = date.fromisoformat(r["day"])
        per_day[d][r["kind"]] += float(r["minutes"] or 0.0)
        simulated[d] |= bool(r["simulated"])
    if not per_day:
        return 1, []
    first, last = min(per_day), max(per_day)
    days = bucket_days(first, last, max_points)
    groups: dict[date, list[date]] = defaultdict(list)
    for d in per_day:
        groups[bucket_start(d, days, first)].append(d)
    out = []
    for start, members in sorted(groups.items()):
        span = (min(start + timedelta(days=days - 1), last) - max(start, first)).days + 1
        out.append(GuidedBucket(start, span, sum(per_day[d]["imagery"] for d in members) / span,
                                sum(per_day[d]["mirror"] for d in members) / span, any(simulated[d] for d in members)))
    return days, out


# -- exposure -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExposureSession:
    session_id: int
    started_at: str
    day: date
    status: str
    simulated: bool
    item: str
    movement: str | None
    side: str | None
    level: int | None
    target_deg: float | None
    reps_target: int | None
    reps_done: int
    reps_at_target: int
    peak_deg: float | None
    ratings: dict[str, Any] = field(default_factory=dict)

    @property
    def expected_pain(self) -> float | None:
        return self.ratings.get("expected_pain")

    @property
    def experienced_pain(self) -> float | None:
        return self.ratings.get("pain_experienced")


RATING_COLUMNS = ("pain_before", "expected_pain", "pain_experienced", "pain_after", "fear_before", "fear_after",
                  "outcome_happened")


def exposure_sessions(rows: Iterable[Any]) -> list[ExposureSession]:
    return [ExposureSession(r["session_id"], r["started_at"], date.fromisoformat(r["day"]), r["status"],
                            bool(r["simulated"]), r["item"] or "?", r["movement"], r["side"], r["level"],
                            r["target_deg"], r["reps_target"], r["reps_done"], r["reps_at_target"], r["peak_deg"],
                            {k: r[k] for k in RATING_COLUMNS if r[k] is not None}) for r in rows]


@dataclass(frozen=True)
class PeakPoint:
    start: date
    peak_deg: float
    target_deg: float | None
    sessions: int
    simulated: bool


def movement_key(s: ExposureSession) -> str:
    """Peaks are compared per movement and side (a left and a right shoulder are different joints)."""
    return f"{s.movement} ({s.side})" if s.side and s.side != "both" else f"{s.movement}"


def peak_series(sessions: Sequence[ExposureSession], max_points: int = MAX_POINTS) -> dict[str, list[PeakPoint]]:
    by_movement: dict[str, list[ExposureSession]] = defaultdict(list)
    for s in sessions:
        if s.movement and s.peak_deg is not None:
            by_movement[movement_key(s)].append(s)
    out = {}
    for key, items in by_movement.items():
        days = bucket_days(items[0].day, items[-1].day, max_points)
        groups: dict[date, list[ExposureSession]] = defaultdict(list)
        for s in items:
            groups[bucket_start(s.day, days, items[0].day)].append(s)
        out[key] = [PeakPoint(start, max(s.peak_deg for s in g), g[-1].target_deg, len(g),  # type: ignore[type-var]
                              any(s.simulated for s in g)) for start, g in sorted(groups.items())]
    return out


@dataclass(frozen=True)
class PainPoint:
    start: date
    expected: float
    experienced: float
    sessions: int
    simulated: bool


def pain_series(sessions: Sequence[ExposureSession], max_points: int = MAX_POINTS) -> list[PainPoint]:
    rated = [s for s in sessions if s.expected_pain is not None and s.experienced_pain is not None]
    if not rated:
        return []
    if len(rated) <= max_points:    # few enough: one point per session
        return [PainPoint(s.day, float(s.expected_pain), float(s.experienced_pain), 1, s.simulated)  # type: ignore[arg-type]
                for s in rated]
    days = bucket_days(rated[0].day, rated[-1].day, max_points)
    groups: dict[date, list[ExposureSession]] = defaultdict(list)
    for s in rated:
        groups[bucket_start(s.day, days, rated[0].day)].append(s)
    return [PainPoint(start, statistics.fmean(s.expected_pain for s in g),  # type: ignore[misc]
                      statistics.fmean(s.experienced_pain for s in g), len(g),  # type: ignore[misc]
                      any(s.simulated for s in g)) for start, g in sorted(groups.items())]


# -- adherence ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AdherenceBucket:
    start: date
    days: int
    done: dict[str, int]
    prescribed: dict[str, int]

    @property
    def done_within(self) -> int:
        """Completed sessions counted against the prescription: extra sessions of one kind do not make up
        for missing ones of another."""
        return sum(min(self.done.get(k, 0), want) for k, want in self.prescribed.items())

    @property
    def fraction(self) -> float | None:
        want = sum(self.prescribed.values())
        return self.done_within / want if want else None


def adherence_series(rows: Iterable[Any], doses: dict[str, Dose], stage_on: Callable[[date], str | None],
                     max_points: int = MAX_POINTS) -> list[AdherenceBucket]:
    """Per week: completed sessions against the prescribed number. Each day prescribes the dose of the GMI
    stage the patient was in that day (``stage_on``, from the programme's stage events), from the first GMI
    session on; graded exposure is prescribed from its first to its last session. Practice beyond the
    prescription (an earlier stage kept up) is not counted against it."""
    done: dict[str, Counter[date]] = defaultdict(Counter)
    for r in rows:
        done[r["kind"]][date.fromisoformat(r["day"])] += int(r["completed"] or 0)
    gmi_days = [d for k, c in done.items() if k != "exposure" for d in c]
    if not gmi_days and not done.get("exposure"):
        return []
    all_days = gmi_days + list(done.get("exposure", {}))
    first, last = min(all_days), max(all_days)
    gmi_first = min(gmi_days) if gmi_days else None
    exposure = (min(done["exposure"]), max(done["exposure"])) if done.get("exposure") else None
    days = max(7, bucket_days(first, last, max_points))
    out = []
    start = bucket_start(first, days, first)
    while start <= last:
        want: Counter[str] = Counter()
        got: Counter[str] = Counter()
        for offset in range(days):
            day = start + timedelta(days=offset)
            if day < first or day > last:
                continue
            prescribed = []
            if gmi_first is not None and day >= gmi_first:
                stage = stage_on(day)
                if stage in doses:
                    prescribed.append(stage)
            if exposure is not None and exposure[0] <= day <= exposure[1] and "exposure" in doses:
                prescribed.append("exposure")
            for kind in prescribed:
                want[kind] += doses[kind].sessions_per_day
                got[kind] += done[kind].get(day, 0)
        out.append(AdherenceBucket(start, days, {k: int(got[k]) for k in want},
                                   {k: int(v + 0.5) for k, v in want.items()}))   # half a session counts as one
        start += timedelta(days=days)
    return out


def stage_calendar(db: Database, profile: Profile, part: str) -> Callable[[date], str | None]:
    """Which GMI stage the patient was in on a given local day, from the programme's recorded stage events."""
    from gmi.core.programme import current_stage
    from gmi.report.dose import programme_of
    from gmi.store.programme import events

    programme, _note = programme_of(profile.settings, part)
    changes = [e for e in events(db, profile.id, part) if e.to_stage is not None]
    first_stage, _since = current_stage(programme, part, [])
    timeline = [(e.at.astimezone().date(), e.to_stage) for e in changes]

    def stage_on(day: date) -> str | None:
        stage: str | None = first_stage
        for when, to_stage in timeline:
            if when <= day:
                stage = to_stage
        return stage

    return stage_on


# -- plan ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanInfo:
    """Who wrote the exposure plan in use, and when (from the installed plan)."""

    plan_id: int
    title: str | None
    author: str
    written: date | None
    installed_at: str
    file_name: str
    patient: str
    items: tuple[str, ...]
    example: bool              # installed by gmi demo

    def describe(self) -> str:
        written = self.written.isoformat() if self.written else "date not given"
        text = f"{self.title or self.file_name} — written by {self.author} on {written}, installed {self.installed_at[:10]}"
        return text + (" (example plan)" if self.example else "")


def plan_info(db: Database, profile: Profile) -> PlanInfo | None:
    from gmi.store.exposure import current_plan

    installed = current_plan(db, profile.id)
    if installed is None:
        return None
    try:
        plan = installed.plan()
        title, written, items = plan.title, plan.written, tuple(i.name for i in plan.items)
    except Exception:       # a plan that no longer parses still shows who wrote it
        title, written, items = None, None, ()
    example = installed.id in profile.settings.get("demo", {}).get("plan_ids", [])
    return PlanInfo(installed.id, title, installed.author, written, installed.installed_at, installed.file_name,
                    installed.patient, items, example)


# -- all together -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class History:
    profile: str
    since: str | None
    built_at: str
    part: str
    laterality: list[LateralitySeries]
    guided_bucket_days: int
    guided: list[GuidedBucket]
    doses: dict[str, Dose]
    exposure: list[ExposureSession]
    peaks: dict[str, list[PeakPoint]]
    pain: list[PainPoint]
    adherence: list[AdherenceBucket]
    plan: PlanInfo | None
    real_sessions: int
    simulated_sessions: int

    @property
    def has_example_data(self) -> bool:
        return self.simulated_sessions > 0

    @property
    def empty(self) -> bool:
        return not (self.laterality or self.guided or self.exposure)


def main_part(profile: Profile, sessions: Sequence[SessionSides]) -> str:
    """The body part the history is about: the latest drill's, else the one chosen on the home screen."""
    from gmi.core.stimuli import PARTS

    part = sessions[-1].part if sessions else str(profile.settings.get("drill", {}).get("part", "hands"))
    return part if part in PARTS else "hands"


def load_history(db: Database, profile: Profile, since: str | None = None, max_points: int = MAX_POINTS) -> History:
    """Everything the history screen and the reports draw, for one profile only."""
    lat = laterality_sessions(q.laterality_side_stats(db, profile.id, since))
    exposure = exposure_sessions(q.exposure_session_stats(db, profile.id, since))
    part = main_part(profile, lat)
    doses = doses_for(profile, part)
    g_days, guided = guided_series(q.guided_minutes_by_day(db, profile.id, since), max_points)
    real, simulated = q.simulated_counts(db, profile.id)
    return History(profile.name, since, datetime.now().astimezone().isoformat(timespec="seconds"), part,
                   laterality_series(lat, max_points), g_days, guided, doses, exposure,
                   peak_series(exposure, max_points), pain_series(exposure, max_points),
                   adherence_series(q.sessions_done_by_day(db, profile.id, since), doses,
                                    stage_calendar(db, profile, part), max_points),
                   plan_info(db, profile), real, simulated)


