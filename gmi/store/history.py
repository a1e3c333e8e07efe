"""History queries: everything a profile did, aggregated in SQL so that years of daily use load at once.

Each query takes the profile id and an optional lower bound on the session start (ISO 8601, UTC) and returns
plain rows, oldest first. Per-session laterality figures (counts, median RT per side) are computed
in SQL once per session and kept in ``laterality_session_stats`` (migration 0400), so a screen that opens a
history of thousands of sessions reads a few rows per session, not every trial.
Days are the patient's local days (SQLite 'localtime', as ``datetime.astimezone()`` does).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from gmi.store.db import Database

GUIDED_KINDS = ("imagery", "mirror")

# Minutes of a session: the runner's elapsed time (pauses excluded) when it recorded one, else wall time.
SESSION_MINUTES_SQL = ("COALESCE(json_extract(s.timing_json, '$.elapsed_s'),"
                       " (julianday(s.ended_at) - julianday(s.started_at)) * 86400.0, 0) / 60.0")


def _since(since: str | None) -> str:
    return since or ""


def session_rows(db: Database, profile_id: int, since: str | None = None,
                 kinds: tuple[str, ...] | None = None) -> list[sqlite3.Row]:
    """Every session of the profile (all kinds unless ``kinds``), with its local day and minutes."""
    sql = (f"SELECT s.*, date(s.started_at, 'localtime') AS day, {SESSION_MINUTES_SQL} AS minutes"
           " FROM sessions s WHERE s.profile_id = ? AND s.started_at >= ?")
    args: list[Any] = [profile_id, _since(since)]
    if kinds:
        sql += f" AND s.kind IN ({', '.join('?' for _ in kinds)})"
        args += list(kinds)
    return db.conn.execute(sql + " ORDER BY s.started_at, s.id", args).fetchall()


def refresh_laterality_stats(db: Database, profile_id: int) -> int:
    """Compute the per-session, per-side figures of the profile's laterality sessions that have none yet
    (new sessions, or sessions written to since: the 0400 triggers forget their figures). Returns how many
    sessions were computed. The median is the middle value (mean of the two middle values for an even
    count), like ``statistics.median`` in gmi.core.laterality, so history and results screen agree.

    Counts come from two covering indexes in one pass each; each median is one seek into the partial index
    of correct answers ordered by time (LIMIT/OFFSET), far cheaper than a window function over every trial."""
    conn = db.conn
    with db.transaction():
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS stale_sessions (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.stale_sessions")
        stale = conn.execute("""
            INSERT INTO temp.stale_sessions
            SELECT s.id FROM sessions s WHERE s.profile_id = ? AND s.kind = 'laterality'
              AND NOT EXISTS (SELECT 1 FROM laterality_session_stats x WHERE x.session_id = s.id)""",
                             (profile_id,)).rowcount
        if not stale:
            return 0
        counts = conn.execute("""
            SELECT t.session_id, t.side, COUNT(*), SUM(t.correct), SUM(t.response IS NULL)
            FROM temp.stale_sessions s JOIN laterality_trials t ON t.session_id = s.id
            GROUP BY t.session_id, t.side""").fetchall()
        timed = {(sid, side): k for sid, side, k in conn.execute("""
            SELECT t.session_id, t.side, COUNT(*)
            FROM temp.stale_sessions s JOIN laterality_trials t INDEXED BY laterality_trials_correct_rt
                 ON t.session_id = s.id
            WHERE t.correct = 1 AND t.rt_ms IS NOT NULL GROUP BY t.session_id, t.side""")}
        middle = ("SELECT AVG(rt_ms) FROM (SELECT rt_ms FROM laterality_trials WHERE session_id = ? AND side = ?"
                  " AND correct = 1 AND rt_ms IS NOT NULL ORDER BY rt_ms LIMIT ? OFFSET ?)")
        rows = []
        for sid, side, n, correct, misses in counts:
            k = timed.get((sid, side), 0)
            median = conn.execute(middle, (sid, side, 2 - k % 2, (k - 1) // 2)).fetchone()[0] if k else None
            rows.append((sid, side, n, correct or 0, misses or 0, median))
        conn.executemany("INSERT INTO laterality_session_stats (session_id, side, n, correct, misses, median_rt_ms)"
                         " VALUES (?, ?, ?, ?, ?, ?)", rows)
    return int(stale)


def laterality_side_stats(db: Database, profile_id: int, since: str | None = None) -> list[sqlite3.Row]:
    """One row per laterality session and side (sessions with answered trials only): n, correct, misses,
    median RT of correct answers (ms), with the session's day, part, mode, input method and flags."""
    refresh_laterality_stats(db, profile_id)
    return db.conn.execute("""
        SELECT s.id AS session_id, s.started_at, date(s.started_at, 'localtime') AS day, s.status,
               s.input_method, s.simulated, json_extract(s.settings_json, '$.part') AS part,
               json_extract(s.settings_json, '$.mode') AS mode,
               x.side, x.n, x.correct, x.misses, x.median_rt_ms
        FROM sessions s JOIN laterality_session_stats x ON x.session_id = s.id
        WHERE s.profile_id = ? AND s.kind = 'laterality' AND s.started_at >= ?
        ORDER BY s.started_at, s.id, x.side
    """, (profile_id, _since(since))).fetchall()


def guided_minutes_by_day(db: Database, profile_id: int, since: str | None = None) -> list[sqlite3.Row]:
    """Imagery and mirror minutes and completed sessions per local day and kind."""
    return db.conn.execute(f"""
        SELECT date(s.started_at, 'localtime') AS day, s.kind, SUM({SESSION_MINUTES_SQL}) AS minutes,
               COUNT(*) AS sessions, SUM(s.status = 'completed') AS completed, MAX(s.simulated) AS simulated
        FROM sessions s WHERE s.profile_id = ? AND s.started_at >= ? AND s.kind IN ('imagery', 'mirror')
        GROUP BY day, s.kind ORDER BY day, s.kind
    """, (profile_id, _since(since))).fetchall()


def exposure_session_stats(db: Database, profile_id: int, since: str | None = None) -> list[sqlite3.Row]:
    """One row per exposure session: item, movement, level, target, peak angle, repetitions, pain ratings."""
    return db.conn.execute("""
        WITH s AS (
            SELECT id, started_at, date(started_at, 'localtime') AS day, status, simulated,
                   json_extract(settings_json, '$.item') AS item,
                   json_extract(settings_json, '$.movement') AS movement,
                   json_extract(settings_json, '$.side') AS side,
                   json_extract(settings_json, '$.level') AS level,
                   json_extract(settings_json, '$.targets.target_deg') AS target_deg,
                   json_extract(settings_json, '$.targets.total_reps') AS reps_target
            FROM sessions WHERE profile_id = ? AND kind = 'exposure' AND started_at >= ?),
        reps AS (
            SELECT r.session_id, COUNT(*) AS reps_done, SUM(r.target_reached) AS reps_at_target,
                   MAX(r.peak_deg) AS peak_deg
            FROM s JOIN exposure_reps r ON r.session_id = s.id GROUP BY r.session_id),
        ratings AS (
            SELECT g.session_id,
                   MAX(CASE WHEN g.name = 'pain_before' THEN g.value_num END) AS pain_before,
                   MAX(CASE WHEN g.name = 'expected_pain' THEN g.value_num END) AS expected_pain,
                   MAX(CASE WHEN g.name = 'pain_experienced' THEN g.value_num END) AS pain_experienced,
                   MAX(CASE WHEN g.name = 'pain_after' THEN g.value_num END) AS pain_after,
                   MAX(CASE WHEN g.name = 'fear_before' THEN g.value_num END) AS fear_before,
                   MAX(CASE WHEN g.name = 'fear_after' THEN g.value_num END) AS fear_after,
                   MAX(CASE WHEN g.name = 'outcome_happened' THEN g.value_text END) AS outcome_happened
            FROM s JOIN exposure_ratings g ON g.session_id = s.id GROUP BY g.session_id)
        SELECT s.id AS session_id, s.started_at, s.day, s.status, s.simulated, s.item, s.movement, s.side,
               s.level, s.target_deg, s.reps_target,
               COALESCE(reps.reps_done, 0) AS reps_done, COALESCE(reps.reps_at_target, 0) AS reps_at_target,
               reps.peak_deg, ratings.pain_before, ratings.expected_pain, ratings.pain_experienced,
               ratings.pain_after, ratings.fear_before, ratings.fear_after, ratings.outcome_happened
        FROM s LEFT JOIN reps ON reps.session_id = s.id LEFT JOIN ratings ON ratings.session_id = s.id
        ORDER BY s.started_at, s.id
    """, (profile_id, _since(since))).fetchall()


def sessions_done_by_day(db: Database, profile_id: int, since: str | None = None) -> list[sqlite3.Row]:
    """Completed sessions per local day and kind (adherence)."""
    return db.conn.execute("""
        SELECT date(started_at, 'localtime') AS day, kind, COUNT(*) AS started,
               SUM(status = 'completed') AS completed
        FROM sessions WHERE profile_id = ? AND started_at >= ? GROUP BY day, kind ORDER BY day, kind
    """, (profile_id, _since(since))).fetchall()


def simulated_counts(db: Database, profile_id: int) -> tuple[int, int]:
    """(real sessions, simulated sessions) of the profile."""
    row = db.conn.execute("SELECT COALESCE(SUM(simulated = 0), 0), COALESCE(SUM(simulated = 1), 0)"
                          " FROM sessions WHERE profile_id = ?", (profile_id,)).fetchone()
    return int(row[0]), int(row[1])


def has_table(db: Database, name: str) -> bool:
    return db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


# Tables whose rows belong to one session each, with their natural order (for exports).
SESSION_TABLES = {
    "laterality_trials": "trial_index",
    "exposure_reps": "rep_index",
    "exposure_ratings": "id",
    "exposure_events": "id",
    "exposure_decisions": "id",
    "guided_steps": "step_no",
    "session_ratings": "id",
    "session_symptoms": "at_s, id",
}


def profile_rows(db: Database, table: str, profile_id: int, since: str | None = None) -> list[sqlite3.Row]:
    """Every row of a per-session table for the profile's sessions (since ``since``), by session then order."""
    order = SESSION_TABLES[table]       # a fixed table name: never user text in the SQL
    order_sql = ", ".join(f"t.{c.strip()}" for c in order.split(","))
    return db.conn.execute(
        f"SELECT t.* FROM sessions s JOIN {table} t ON t.session_id = s.id"
        f" WHERE s.profile_id = ? AND s.started_at >= ? ORDER BY t.session_id, {order_sql}",
        (profile_id, _since(since))).fetchall()
