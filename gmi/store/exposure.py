"""Exposure persistence: installed plans, sessions, one row per repetition and rating when it happens,
and the saved progression decision.

Sessions use the generic ``sessions`` table (kind = 'exposure'); ``settings_json`` holds the plan id,
item, level and targets. The position in a plan is the latest saved decision whose item is still in the
current plan; with none, the plan's start.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gmi.core.errors import GmiError
from gmi.core.exposure import ExposureSession, Record
from gmi.core.plans import Plan, QuotaRule, parse_plan
from gmi.core.progression import Action, Decision, SessionOutcome, decide, start_decision
from gmi.store.db import Database, utc_now

KIND = "exposure"


@dataclass(frozen=True)
class InstalledPlan:
    id: int
    profile_id: int
    file_name: str
    sha256: str
    patient: str
    author: str
    installed_at: str
    text: str

    def plan(self) -> Plan:
        """The plan as validated today (an install is only accepted when valid)."""
        return parse_plan(self.text, self.file_name)


def install_plan(db: Database, profile_id: int, plan: Plan) -> int:
    cur = db.conn.execute(
        "INSERT INTO exposure_plans (profile_id, file_name, plan_text, sha256, patient, author, installed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (profile_id, Path(plan.path).name, plan.text, plan.sha256, plan.patient, plan.author, utc_now()))
    return int(cur.lastrowid)  # type: ignore[arg-type]


def _installed(row: Any) -> InstalledPlan:
    return InstalledPlan(row["id"], row["profile_id"], row["file_name"], row["sha256"], row["patient"],
                         row["author"], row["installed_at"], row["plan_text"])


def plan_history(db: Database, profile_id: int) -> list[InstalledPlan]:
    """Every plan installed for the profile, oldest first."""
    rows = db.conn.execute("SELECT * FROM exposure_plans WHERE profile_id = ? ORDER BY installed_at, id",
                           (profile_id,)).fetchall()
    return [_installed(r) for r in rows]


def current_plan(db: Database, profile_id: int) -> InstalledPlan | None:
    row = db.conn.execute("SELECT * FROM exposure_plans WHERE profile_id = ? ORDER BY installed_at DESC, id DESC"
                          " LIMIT 1", (profile_id,)).fetchone()
    return _installed(row) if row else None


def require_current_plan(db: Database, profile_id: int, profile_name: str) -> InstalledPlan:
    installed = current_plan(db, profile_id)
    if installed is None:
        raise GmiError("E-PLAN-NONE", f"No exposure plan is installed for {profile_name!r}.",
                       fix=f"ask your physiotherapist for a plan file, then run "
                           f"`gmi plan install FILE --profile {profile_name}`")
    return installed


def start_session(db: Database, profile_id: int, plan_id: int, session: ExposureSession, *, app_version: str,
                  input_method: str | None = None, simulated: bool = False) -> int:
    settings = {"plan_id": plan_id, **session.settings()}
    return db.start_session(profile_id, KIND, settings=settings, input_method=input_method,
                            app_version=app_version, simulated=simulated)


class RecordWriter:
    """The session's sink: writes each record the moment the session produces it."""

    def __init__(self, db: Database, session_id: int, plan_id: int) -> None:
        self.db = db
        self.session_id = session_id
        self.plan_id = plan_id

    def __call__(self, record: Record) -> None:
        getattr(self, f"_{record.kind}")(record)

    def _rating(self, record: Record) -> None:
        value = record.data["value"]
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        text = None if number is not None else str(value)
        self.db.conn.execute(
            "INSERT INTO exposure_ratings (session_id, name, phase, value_num, value_text, t_s, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.session_id, record.data["name"], record.data["phase"], number, text, record.t_s, utc_now()))

    def _repetition(self, record: Record) -> None:
        d = record.data
        self.db.conn.execute(
            "INSERT OR REPLACE INTO exposure_reps (session_id, rep_index, set_index, rep_in_set, source, peak_deg,"
            " target_reached, hold_s, duration_s, t_s, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.session_id, d["rep_index"], d["set"], d["rep_in_set"], d["source"], d["peak_deg"],
             int(d["target_reached"]), d["hold_s"], d["duration_s"], record.t_s, utc_now()))

    def _event(self, record: Record) -> None:
        data = {k: v for k, v in record.data.items() if k != "name"}
        self.db.conn.execute(
            "INSERT INTO exposure_events (session_id, name, data_json, t_s, recorded_at) VALUES (?, ?, ?, ?, ?)",
            (self.session_id, record.data["name"], json.dumps(data, sort_keys=True), record.t_s, utc_now()))
        if record.data["name"] == "stopped_by_pain":
            self.db.update_session(self.session_id, status="stopped")

    def _decision(self, record: Record) -> None:
        d = record.data
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO exposure_decisions (session_id, plan_id, action, item, item_index, level,"
                " reps_target, reason, comparison, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.session_id, self.plan_id, d["action"], d["item"], d["item_index"], d["level"],
                 d["reps_target"], d["reason"], d["comparison"], utc_now()))
            status = conn.execute("SELECT status FROM sessions WHERE id = ?", (self.session_id,)).fetchone()[0]
            conn.execute("UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                         ("stopped" if status == "stopped" else "completed", utc_now(), self.session_id))


def session_rows(db: Database, session_id: int) -> dict[str, list[Any]]:
    """Everything recorded for one exposure session (for reports and tests)."""
    q = db.conn.execute
    return {
        "reps": q("SELECT * FROM exposure_reps WHERE session_id = ? ORDER BY rep_index", (session_id,)).fetchall(),
        "ratings": q("SELECT * FROM exposure_ratings WHERE session_id = ? ORDER BY id", (session_id,)).fetchall(),
        "events": q("SELECT * FROM exposure_events WHERE session_id = ? ORDER BY id", (session_id,)).fetchall(),
        "decision": q("SELECT * FROM exposure_decisions WHERE session_id = ?", (session_id,)).fetchall(),
    }


def item_history(db: Database, profile_id: int, item_name: str) -> list[SessionOutcome]:
    """Outcomes of every exposure session of an item (any plan version), oldest first, rebuilt from the rows
    written during the sessions (so an interrupted session still counts for what it recorded)."""
    outcomes = []
    for session in db.sessions(profile_id, KIND):
        settings = json.loads(session["settings_json"] or "{}")
        if settings.get("item") != item_name:
            continue
        sid = session["id"]
        reps = db.conn.execute("SELECT COUNT(*), COALESCE(SUM(target_reached), 0) FROM exposure_reps"
                               " WHERE session_id = ?", (sid,)).fetchone()
        ratings = {r["name"]: r["value_num"] for r in db.conn.execute(
            "SELECT name, value_num FROM exposure_ratings WHERE session_id = ? AND name IN ('pain_before',"
            " 'pain_after') ORDER BY id", (sid,))}
        stopped = db.conn.execute("SELECT 1 FROM exposure_events WHERE session_id = ? AND name = 'stopped_by_pain'",
                                  (sid,)).fetchone() is not None
        decided = db.conn.execute("SELECT 1 FROM exposure_decisions WHERE session_id = ?", (sid,)).fetchone()
        targets = settings.get("targets", {})
        outcomes.append(SessionOutcome(
            date=_local_date(session["started_at"]), level=int(settings.get("level", 1)),
            reps_target=int(targets.get("total_reps", 0)), reps_done=int(reps[0]), reps_at_target=int(reps[1]),
            pain_before=_int(ratings.get("pain_before")), pain_after=_int(ratings.get("pain_after")),
            stopped_by_pain=stopped, completed=decided is not None))
    return outcomes


def next_decision(db: Database, profile_id: int, plan: Plan, today: dt.date | None = None) -> Decision:
    """Where the next session starts: the latest saved decision that still fits the plan, else the start.
    A quota is time-contingent, so for a quota item it is worked out again for ``today``."""
    rows = db.conn.execute(
        "SELECT d.* FROM exposure_decisions d JOIN sessions s ON s.id = d.session_id WHERE s.profile_id = ?"
        " ORDER BY d.decided_at DESC, d.id DESC", (profile_id,)).fetchall()
    for row in rows:
        index = next((i for i, item in enumerate(plan.items) if item.name == row["item"]), None)
        if index is None:
            continue     # that item was taken out of the plan: look further back
        item = plan.items[index]
        level = min(max(int(row["level"]), 1), len(item.levels))
        if isinstance(item.progression, QuotaRule):
            return decide(plan, index, level, item_history(db, profile_id, item.name), today or dt.date.today())
        return Decision(Action(row["action"]), index, item.name, level, row["reps_target"], row["reason"])
    return start_decision(plan)


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _local_date(iso: str) -> dt.date:
    return dt.datetime.fromisoformat(iso).astimezone().date()
