"""The programme's records: stage events, and each profile's history reduced for the stage rules."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone, tzinfo

from gmi.core.laterality import TrialResult
from gmi.core.programme import STAGES, PracticeSession, Programme, StageEvent, StageStatus, advance, evaluate
from gmi.store.db import Database


def add_event(db: Database, profile_id: int, event: StageEvent) -> None:
    db.conn.execute(
        "INSERT INTO programme_events (profile_id, part, kind, from_stage, to_stage, by, reason, details_json, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (profile_id, event.part, event.kind, event.from_stage, event.to_stage, event.by, event.reason,
         json.dumps(event.details, sort_keys=True, default=str), event.at.isoformat()))


def events(db: Database, profile_id: int, part: str | None = None) -> list[StageEvent]:
    sql = "SELECT * FROM programme_events WHERE profile_id = ?"
    args: list[object] = [profile_id]
    if part:
        sql += " AND part = ?"
        args.append(part)
    rows = db.conn.execute(sql + " ORDER BY at, id", args).fetchall()
    return [StageEvent(datetime.fromisoformat(r["at"]), r["part"], r["kind"], r["from_stage"], r["to_stage"], r["by"],
                       r["reason"], json.loads(r["details_json"] or "{}")) for r in rows]


def practice_history(db: Database, profile_id: int, part: str, *, local: tzinfo | None = None) -> list[PracticeSession]:
    """Every laterality, imagery and mirror session of ``part``, with days in the patient's local time."""
    out: list[PracticeSession] = []
    rows = db.conn.execute(
        f"SELECT * FROM sessions WHERE profile_id = ? AND kind IN ({', '.join('?' for _ in STAGES)})"
        " ORDER BY started_at, id", (profile_id, *STAGES)).fetchall()
    for row in rows:
        settings = json.loads(row["settings_json"] or "{}")
        started = datetime.fromisoformat(row["started_at"])
        day = _local_day(started, local)
        completed = row["status"] == "completed"
        if row["kind"] == "laterality":
            trials = db.conn.execute(
                "SELECT side, view, rotation_deg, direction, response, rt_ms FROM laterality_trials"
                " WHERE session_id = ? AND part = ? ORDER BY trial_index", (row["id"], part)).fetchall()
            if not trials:
                continue
            results = tuple(TrialResult(t["side"], t["view"], t["rotation_deg"], t["direction"], t["response"],
                                        t["rt_ms"]) for t in trials)
            out.append(PracticeSession("laterality", part, started, day, completed, _minutes(row), len(results),
                                       row["input_method"], trials=results))
            continue
        if settings.get("part") != part:
            continue
        steps = db.conn.execute("SELECT COUNT(*) AS n, COALESCE(SUM(active_s), 0) AS active FROM guided_steps"
                                " WHERE session_id = ?", (row["id"],)).fetchone()
        ratings = {r["name"]: r["value"] for r in db.conn.execute(
            "SELECT name, value FROM session_ratings WHERE session_id = ?", (row["id"],))}
        symptoms = tuple(r["symptom"] for r in db.conn.execute(
            "SELECT symptom FROM session_symptoms WHERE session_id = ? ORDER BY at_s", (row["id"],)))
        out.append(PracticeSession(row["kind"], part, started, day, completed, _minutes(row), int(steps["n"]),
                                   row["input_method"], vividness=ratings.get("vividness"),
                                   pain=ratings.get("pain_nrs"), symptoms=symptoms))
    return out


def _local_day(moment: datetime, local: tzinfo | None) -> date:
    return moment.astimezone(local).date()


def _minutes(row) -> float:
    """Session length: the runner's elapsed time (pauses excluded) if recorded, else wall time."""
    timing = json.loads(row["timing_json"] or "{}")
    if "elapsed_s" in timing:
        return round(float(timing["elapsed_s"]) / 60, 2)
    if row["ended_at"]:
        span = datetime.fromisoformat(row["ended_at"]) - datetime.fromisoformat(row["started_at"])
        return round(span.total_seconds() / 60, 2)
    return 0.0


def stage_status(db: Database, profile_id: int, programme: Programme, part: str, today: date, *,
                 open_next: bool = True) -> tuple[StageStatus, StageEvent | None]:
    """Where the patient stands today. With ``open_next``, criteria that hold open the next stage: the
    advance is recorded (by gmi) and the status of the new stage is returned with the event."""
    history = practice_history(db, profile_id, part)
    status = evaluate(programme, part, history, events(db, profile_id, part), today)
    moved = advance(status, datetime.now(timezone.utc)) if open_next else None
    if moved is None:
        return status, None
    add_event(db, profile_id, moved)
    return evaluate(programme, part, history, events(db, profile_id, part), today), moved
