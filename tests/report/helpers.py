"""Known histories written through the real store functions, for exact assertions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from gmi.core.exposure import Record
from gmi.core.plans import parse_plan
from gmi.report.demo import DEMO_PLAN
from gmi.store import exposure as store
from gmi.store.db import Database, store_clock


def at(day: str, hour: int = 10) -> datetime:
    """Noon-ish local time on ``day`` (YYYY-MM-DD), as an aware UTC datetime."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").astimezone().astimezone(timezone.utc)


def add_drill(db: Database, profile_id: int, day: str, trials: list[tuple[str, str | None, float | None]], *,
              part: str = "hands", method: str = "keys", simulated: bool = False, hour: int = 10) -> int:
    """A laterality session on ``day``; trials are (side, response, rt_ms)."""
    with store_clock(lambda: at(day, hour)):
        sid = db.start_session(profile_id, "laterality", settings={"part": part, "mode": "training"},
                               input_method=method, app_version="test", simulated=simulated)
        for i, (side, response, rt) in enumerate(trials):
            db.add_laterality_trial(sid, {
                "trial_index": i, "stimulus_id": f"{part}-{side}-{i}", "part": part, "side": side, "view": "dorsal",
                "posture": "flat", "rotation_deg": 90 * (i % 4), "direction": "none", "level": 1,
                "response": response, "correct": int(response == side), "rt_ms": rt,
                "input_method": method if response else None, "onset_ns": 1_000_000_000 * (i + 1)})
        db.update_session(sid, status="completed")
    return sid


def install_example_plan(db: Database, profile_id: int, author: str = "Dr Test") -> int:
    text = DEMO_PLAN.format(patient="P-1", author=author, written="2026-01-05")
    return store.install_plan(db, profile_id, parse_plan(text, "test-plan.toml"))


def add_exposure(db: Database, profile_id: int, plan_id: int, day: str, peaks: list[float], target: float,
                 expected: int, experienced: int, *, simulated: bool = False) -> int:
    """An exposure session written by RecordWriter, as the exposure scene writes one."""
    settings = {"plan_id": plan_id, "item": "Raise the right arm forwards", "movement": "shoulder_flexion",
                "side": "right", "level": 1, "mode": "camera",
                "targets": {"reps_per_set": [len(peaks)], "hold_s": 0, "rest_s": 0, "target_deg": target,
                            "baseline": False, "total_reps": len(peaks)}}
    with store_clock(lambda: at(day, 17)):
        sid = db.start_session(profile_id, "exposure", settings=settings, input_method="camera", app_version="test",
                               simulated=simulated)
        w = store.RecordWriter(db, sid, plan_id)
        for name, value in (("pain_before", 3), ("expected_pain", expected), ("fear_before", 50)):
            w(Record("rating", 0.0, {"name": name, "phase": "before", "value": value}))
        for i, peak in enumerate(peaks, start=1):
            w(Record("repetition", float(i), {"rep_index": i, "set": 1, "rep_in_set": i, "source": "camera",
                                              "peak_deg": peak, "target_reached": peak >= target, "hold_s": 0.0,
                                              "duration_s": 2.0}))
        for name, value in (("pain_experienced", experienced), ("pain_after", 3), ("fear_after", 30),
                            ("outcome_happened", "no")):
            w(Record("rating", 30.0, {"name": name, "phase": "after", "value": value}))
        db.update_session(sid, status="completed")
    return sid


def days_from(start: str, n: int) -> list[str]:
    first = datetime.fromisoformat(start).date()
    return [(first + timedelta(days=k)).isoformat() for k in range(n)]
