"""Imagery and mirror sessions in the database: steps, ratings and symptoms, each written when it happens.

A session is a row of the generic sessions table (kind 'imagery' or 'mirror'); each completed step is one
row of guided_steps the moment the runner reports it, so a crash loses at most the step in progress.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from gmi import __version__
from gmi.core.imagery import PAIN_SCALE, VIVIDNESS_SCALE, Sequence, StepShown
from gmi.core.protocol import RunnerStatus, StepCompleted
from gmi.store.db import Database, utc_now

RATING_SCALES: dict[str, tuple[int, int]] = {"vividness": VIVIDNESS_SCALE, "pain_nrs": PAIN_SCALE}


@dataclass
class GuidedSessionLog:
    """Writes one imagery or mirror session as it goes."""

    db: Database
    session_id: int

    @classmethod
    def start(cls, db: Database, profile_id: int, kind: str, sequence: Sequence, *, mode: str | None = None,
              affected_side: str | None = None, extra: dict[str, Any] | None = None,
              input_method: str | None = None, simulated: bool = False,
              started_at: str | None = None) -> "GuidedSessionLog":
        if kind not in ("imagery", "mirror"):
            raise ValueError(f"kind must be imagery or mirror (found {kind!r})")
        settings = {"part": sequence.part, "sequence": sequence.name, "sequence_file": sequence.file,
                    "mode": mode, "affected_side": affected_side, **(extra or {})}
        session_id = db.start_session(profile_id, kind, settings=settings, input_method=input_method,
                                      app_version=__version__, simulated=simulated, started_at=started_at)
        return cls(db, session_id)

    def step_done(self, event: StepCompleted) -> None:
        shown = event.payload
        if not isinstance(shown, StepShown):
            raise TypeError("a completed step must carry the StepShown it was built with")
        cols = ("step_no", "sequence_index", "part", "side", "view", "posture", "mode", "started_s", "ended_s",
                "active_s", "repetitions_done", "repetitions", "cut_short", "completed_at")
        values = (event.step_no, shown.index, shown.image.part, shown.image.side, shown.image.view,
                  shown.image.posture, shown.mode, round(event.started_at_s, 3), round(event.ended_at_s, 3),
                  round(event.active_s, 3), event.repetitions_done, shown.step.repetitions, int(event.cut_short),
                  utc_now())
        self.db.conn.execute(f"INSERT OR REPLACE INTO guided_steps (session_id, {', '.join(cols)})"
                             f" VALUES (?, {', '.join('?' for _ in cols)})", (self.session_id, *values))

    def rate(self, name: str, value: float) -> None:
        low, high = RATING_SCALES[name]
        if not low <= value <= high:
            raise ValueError(f"{name} must be from {low} to {high} (found {value})")
        self.db.conn.execute("INSERT OR REPLACE INTO session_ratings (session_id, name, value, scale_min, scale_max,"
                             " rated_at) VALUES (?, ?, ?, ?, ?, ?)",
                             (self.session_id, name, value, low, high, utc_now()))

    def symptom(self, symptom: str, at_s: float) -> None:
        self.db.conn.execute("INSERT INTO session_symptoms (session_id, symptom, at_s, reported_at) VALUES (?, ?, ?, ?)",
                             (self.session_id, symptom, round(at_s, 3), utc_now()))

    def finish(self, status: RunnerStatus, *, stopped: bool, extra_timing: dict[str, Any] | None = None) -> None:
        timing = {"elapsed_s": round(status.elapsed_s, 3), "paused_s": round(status.paused_s, 3), **(extra_timing or {})}
        self.db.update_session(self.session_id, timing=timing, status="stopped" if stopped else "completed")


def guided_steps(db: Database, session_id: int) -> list[sqlite3.Row]:
    return db.conn.execute("SELECT * FROM guided_steps WHERE session_id = ? ORDER BY step_no",
                           (session_id,)).fetchall()


def session_ratings(db: Database, session_id: int) -> dict[str, float]:
    rows = db.conn.execute("SELECT name, value FROM session_ratings WHERE session_id = ?", (session_id,))
    return {r["name"]: r["value"] for r in rows}


def session_symptoms(db: Database, session_id: int) -> list[sqlite3.Row]:
    return db.conn.execute("SELECT * FROM session_symptoms WHERE session_id = ? ORDER BY at_s, id",
                           (session_id,)).fetchall()
