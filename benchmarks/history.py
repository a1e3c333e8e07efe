"""History at scale: two years of daily use, then how long the history screen's data and the HTML export take.

Fills a fresh profile through the real schema (executemany in one transaction, for speed): every day
laterality drills (hundreds of thousands of trials in all), imagery and mirror sessions with their steps,
and an exposure session with repetitions and ratings. Then it times, on a fresh connection each time:
- history_load_ms: building the history screen's data (gmi.report.history.load_history), median of runs 2–5
  (the first run after the bulk fill also computes each session's laterality figures, which real use does a
  few sessions at a time; it is printed as history_first_load_ms);
- export_html_s: writing the HTML report with its charts (gmi export --format html), one run.

Usage: python benchmarks/history.py [--days 730] [--keep DIR]
Prints: history_load_ms=X export_html_s=Y (and the sizes and the other exports' times on the lines before).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gmi import __version__  # noqa: E402
from gmi.core.laterality import Mode  # noqa: E402
from gmi.core.stimuli import default_direction  # noqa: E402
from gmi.report.patient_model import SimulatedPatient  # noqa: E402
from gmi.store.db import Database  # noqa: E402
from gmi.store.history import has_table  # noqa: E402

PART = "shoulder"
LATERALITY_PER_DAY, TRIALS = 5, 60
IMAGERY_PER_DAY, MIRROR_PER_DAY = 3, 4
ROTATIONS = (0, 45, 90, 135, 180, 225, 270, 315)
VIEWS = ("front", "back")


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def fill(db: Database, profile_id: int, days: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    patient = SimulatedPatient()
    start = datetime.now(timezone.utc).replace(hour=7, minute=0, second=0, microsecond=0) - timedelta(days=days)
    guided = has_table(db, "guided_steps")
    counts = {"sessions": 0, "laterality_trials": 0, "guided_steps": 0, "exposure_reps": 0}
    conn = db.conn
    session_cols = ("profile_id", "kind", "started_at", "ended_at", "status", "settings_json", "seed", "input_method",
                    "timing_json", "app_version", "simulated")
    next_id = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM sessions").fetchone()[0] or 0) + 1
    sessions, trials, steps, reps, ratings = [], [], [], [], []
    for day in range(days):
        progress = day / max(1, days - 1)
        base = start + timedelta(days=day)
        for k in range(LATERALITY_PER_DAY):
            t0 = base + timedelta(hours=2 * k, minutes=rng.randint(0, 30))
            sid = next_id
            next_id += 1
            settings = {"part": PART, "trials": TRIALS, "time_limit_s": 5.0, "mode": Mode.TRAINING.value, "level": 1}
            t = t0
            for i in range(TRIALS):
                side, view, rot = rng.choice(("left", "right")), rng.choice(VIEWS), rng.choice(ROTATIONS)
                direction = default_direction(side, rot)
                response, rt = patient.answer(rng, side, rot, direction, progress)
                t += timedelta(seconds=2 + (rt or 5000) / 1000)
                trials.append((sid, i, f"{PART}-{side}-{view}-{rot}", PART, side, view, "raised", rot, direction, 1,
                               response, int(response == side), rt, "keys" if response else None, None, iso(t)))
            sessions.append((sid, profile_id, "laterality", iso(t0), iso(t), "completed", json.dumps(settings), day,
                             "keys", "{}", __version__, 1))
        for kind, per_day, minutes in (("imagery", IMAGERY_PER_DAY, 5.0), ("mirror", MIRROR_PER_DAY, 5.0)):
            for k in range(per_day):
                t0 = base + timedelta(hours=1 + 3 * k, minutes=rng.randint(0, 40))
                sid = next_id
                next_id += 1
                done = patient.minutes(rng, minutes)
                t1 = t0 + timedelta(minutes=done)
                settings = {"part": PART, "sequence": f"{PART} basics", "mode": "eyes_open" if kind == "imagery" else None}
                sessions.append((sid, profile_id, kind, iso(t0), iso(t1), "completed", json.dumps(settings), None,
                                 "keys", json.dumps({"elapsed_s": round(done * 60, 3), "paused_s": 0.0}), __version__, 1))
                if guided:
                    per_step = done * 60 / 6
                    for n in range(6):
                        steps.append((sid, n, n, PART, "left" if n % 2 else "right", "front", "raised",
                                       "eyes_open" if kind == "imagery" else None, n * per_step, (n + 1) * per_step,
                                       per_step, 3, 3, 0, iso(t1)))
        t0 = base + timedelta(hours=12)
        sid = next_id
        next_id += 1
        target = 90.0 + 60.0 * progress
        settings = {"item": "Raise the right arm forwards", "movement": "shoulder_flexion", "side": "right",
                    "level": 1 + int(progress * 2.99), "mode": "camera",
                    "targets": {"reps_per_set": [8, 8], "hold_s": 0, "rest_s": 60, "target_deg": target,
                                "baseline": False, "total_reps": 16}}
        sessions.append((sid, profile_id, "exposure", iso(t0), iso(t0 + timedelta(minutes=8)), "completed",
                         json.dumps(settings), None, "camera", "{}", __version__, 1))
        for i in range(16):
            peak = patient.peak_deg(rng, target, 92.0, progress)
            reps.append((sid, i, i // 8, i % 8, "camera", peak, int(peak >= target), 0.0, 2.5, 30.0 + 20 * i, iso(t0)))
        before = patient.ratings_before(rng, progress)
        after = patient.ratings_after(rng, progress, before)
        for name, value in (before | after).items():
            phase = "before" if name in before else "after"
            num = value if isinstance(value, int) else None
            ratings.append((sid, name, phase, num, None if num is not None else str(value), 0.0, iso(t0)))
    with db.transaction() as c:
        c.executemany(f"INSERT INTO sessions (id, {', '.join(session_cols)}) VALUES ({', '.join('?' * 12)})", sessions)
        c.executemany("INSERT INTO laterality_trials (session_id, trial_index, stimulus_id, part, side, view, posture,"
                      " rotation_deg, direction, level, response, correct, rt_ms, input_method, onset_ns, answered_at)"
                      f" VALUES ({', '.join('?' * 16)})", trials)
        if guided:
            c.executemany("INSERT INTO guided_steps (session_id, step_no, sequence_index, part, side, view, posture,"
                          " mode, started_s, ended_s, active_s, repetitions_done, repetitions, cut_short, completed_at)"
                          f" VALUES ({', '.join('?' * 15)})", steps)
        c.executemany("INSERT INTO exposure_reps (session_id, rep_index, set_index, rep_in_set, source, peak_deg,"
                      " target_reached, hold_s, duration_s, t_s, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      reps)
        c.executemany("INSERT INTO exposure_ratings (session_id, name, phase, value_num, value_text, t_s, recorded_at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)", ratings)
    counts.update(sessions=len(sessions), laterality_trials=len(trials), guided_steps=len(steps),
                  exposure_reps=len(reps))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--keep", metavar="DIR", help="use this data directory and keep it")
    args = parser.parse_args(argv)
    from gmi.report.history import load_history
    from gmi.report.export import export_profile

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gmi-bench-history-"))
    db = Database.open(folder / "data")
    profile = db.profile("bench-two-years")
    t = time.perf_counter()
    counts = fill(db, profile.id, args.days)
    db.conn.execute("ANALYZE")
    print(f"filled {args.days} days in {time.perf_counter() - t:.1f} s: " + " ".join(f"{k}={v}" for k, v in counts.items()))
    db.close()

    loads = []
    for _ in range(5):
        db = Database.open(folder / "data")     # a fresh connection, as when the screen is opened
        t = time.perf_counter()
        history = load_history(db, db.profile(profile.name, create=False))
        loads.append((time.perf_counter() - t) * 1000)
        db.close()
    print(f"history buckets: laterality={sum(len(s.buckets) for s in history.laterality)} "
          f"guided={len(history.guided)} exposure_sessions={len(history.exposure)}; runs_ms="
          + ",".join(f"{x:.0f}" for x in loads)
          + " (the first run also computes every session's laterality figures once: "
            f"history_first_load_ms={loads[0]:.0f})")

    timings = {}
    for fmt in ("html", "json", "tsv", "fhir"):
        db = Database.open(folder / "data")
        t = time.perf_counter()
        export_profile(db, profile.name, fmt, folder / f"export-{fmt}")
        timings[fmt] = time.perf_counter() - t
        db.close()
    print("exports_s " + " ".join(f"{k}={v:.2f}" for k, v in timings.items()))
    print(f"history_load_ms={statistics.median(loads[1:]):.0f} export_html_s={timings['html']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
