"""Laterality results read back from the database: one session, or a profile's recent sessions.

The results screen, `gmi results` and the exports all use these, so every place shows the same numbers.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from gmi.core.laterality import DrillSettings, Summary, TrialResult, Verdict, judge_against_norm, summarize
from gmi.core.norms import norm_for
from gmi.store.db import Database


@dataclass(frozen=True)
class SessionResult:
    session_id: int
    started_at: str
    status: str
    settings: DrillSettings
    raw_settings: dict[str, Any]
    seed: int | None
    input_method: str | None
    timing: dict[str, Any]
    results: tuple[TrialResult, ...]
    summary: Summary

    @property
    def part(self) -> str:
        return self.settings.part

    def verdict(self) -> Verdict:
        return judge_against_norm(self.summary, norm_for(self.part), self.settings)

    def to_dict(self) -> dict[str, Any]:
        s = self.summary.to_dict()
        return {"session_id": self.session_id, "started_at": self.started_at, "status": self.status,
                "part": self.part, "mode": self.settings.mode.value, "trials_answered": len(self.results),
                "left": s["left"], "right": s["right"], "overall": s["overall"],
                "lr_rt_diff_ms": s["lr_rt_diff_ms"], "lr_accuracy_diff_pts": s["lr_accuracy_diff_pts"],
                "misses": s["overall"]["misses"], "by_rotation": s["by_rotation"], "by_direction": s["by_direction"],
                "seed": self.seed, "input_method": self.input_method, "timing": self.timing,
                "settings": self.raw_settings}


def _result_of(db: Database, row: sqlite3.Row) -> SessionResult:
    raw = json.loads(row["settings_json"] or "{}")
    trials = db.laterality_trials(row["id"])
    results = tuple(TrialResult(t["side"], t["view"], t["rotation_deg"], t["direction"], t["response"], t["rt_ms"])
                    for t in trials)
    return SessionResult(row["id"], row["started_at"], row["status"], DrillSettings.from_dict(raw), raw, row["seed"],
                         row["input_method"], json.loads(row["timing_json"] or "{}"), results, summarize(results))


def session_result(db: Database, session_id: int) -> SessionResult:
    row = db.conn.execute("SELECT * FROM sessions WHERE id = ? AND kind = 'laterality'", (session_id,)).fetchone()
    if row is None:
        raise KeyError(session_id)
    return _result_of(db, row)


def recent_results(db: Database, profile_id: int, last: int | None = None, part: str | None = None) -> list[SessionResult]:
    """Oldest first; sessions with no answered trial are left out. Only the ``last`` sessions are read (the
    home screen asks for one every frame, whatever the length of the history)."""
    sql = ("SELECT s.* FROM sessions s WHERE s.profile_id = ? AND s.kind = 'laterality'"
           " AND EXISTS (SELECT 1 FROM laterality_trials t WHERE t.session_id = s.id)")
    args: list[Any] = [profile_id]
    if part is not None:
        sql += " AND COALESCE(json_extract(s.settings_json, '$.part'), 'hands') = ?"   # the drill's default part
        args.append(part)
    sql += " ORDER BY s.started_at DESC, s.id DESC"
    if last:
        sql += " LIMIT ?"
        args.append(last)
    rows = db.conn.execute(sql, args).fetchall()
    return [_result_of(db, r) for r in reversed(rows)]
