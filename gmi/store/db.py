"""SQLite persistence: one database file per data directory, WAL, written when things happen.

Migrations are named and append-only. A database from an older gmi is backed up before it is migrated
forward; a database that is not readable is moved aside (never deleted) and a fresh one is started.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from gmi.core.errors import GmiError
from gmi.store.location import DB_FILENAME, prepare_data_dir

# (name, SQL). Append only: never edit or reorder a migration that has shipped.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_profiles_sessions_laterality", """
        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            settings_json TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,               -- laterality | imagery | mirror | exposure
            started_at TEXT NOT NULL,         -- ISO 8601, UTC
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',  -- running | completed | stopped
            settings_json TEXT NOT NULL DEFAULT '{}',
            seed INTEGER,
            input_method TEXT,
            timing_json TEXT NOT NULL DEFAULT '{}',
            app_version TEXT NOT NULL,
            simulated INTEGER NOT NULL DEFAULT 0   -- 1 for `gmi demo` history
        );
        CREATE INDEX sessions_by_profile ON sessions(profile_id, kind, started_at);
        CREATE TABLE laterality_trials (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            trial_index INTEGER NOT NULL,
            stimulus_id TEXT NOT NULL,
            part TEXT NOT NULL,
            side TEXT NOT NULL,
            view TEXT NOT NULL,
            posture TEXT NOT NULL,
            rotation_deg INTEGER NOT NULL,
            direction TEXT NOT NULL,
            level INTEGER NOT NULL,
            response TEXT,                    -- left | right | NULL for a miss
            correct INTEGER NOT NULL,
            rt_ms REAL,
            input_method TEXT,                -- keys | mouse | touch | dwell (how this answer was given)
            onset_ns INTEGER,
            answered_at TEXT NOT NULL,
            UNIQUE (session_id, trial_index)
        );
    """),
    ("0200_exposure_plans_sessions", """
        CREATE TABLE exposure_plans (             -- every install is kept: the latest is the current plan
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            file_name TEXT NOT NULL,
            plan_text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            patient TEXT NOT NULL,
            author TEXT NOT NULL,
            installed_at TEXT NOT NULL
        );
        CREATE INDEX exposure_plans_by_profile ON exposure_plans(profile_id, installed_at);
        CREATE TABLE exposure_reps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            rep_index INTEGER NOT NULL,
            set_index INTEGER NOT NULL,
            rep_in_set INTEGER NOT NULL,
            source TEXT NOT NULL,                 -- tap | camera
            peak_deg REAL,
            target_reached INTEGER NOT NULL,
            hold_s REAL NOT NULL,
            duration_s REAL NOT NULL,
            t_s REAL NOT NULL,                    -- seconds since the session started
            recorded_at TEXT NOT NULL,
            UNIQUE (session_id, rep_index)
        );
        CREATE TABLE exposure_ratings (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,                   -- pain_before | expected_pain | fear_before | ...
            phase TEXT NOT NULL,
            value_num REAL,
            value_text TEXT,
            t_s REAL NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX exposure_ratings_by_session ON exposure_ratings(session_id);
        CREATE TABLE exposure_events (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,                   -- during | hold_started | set_done | rest_started | stopped_by_pain | after | ...
            data_json TEXT NOT NULL DEFAULT '{}',
            t_s REAL NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX exposure_events_by_session ON exposure_events(session_id);
        CREATE TABLE exposure_decisions (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
            plan_id INTEGER NOT NULL REFERENCES exposure_plans(id),
            action TEXT NOT NULL,                 -- advance | hold | step_back | baseline | quota | complete
            item TEXT NOT NULL,                   -- the next session's item and level
            item_index INTEGER NOT NULL,
            level INTEGER NOT NULL,
            reps_target INTEGER,
            reason TEXT NOT NULL,
            comparison TEXT,
            decided_at TEXT NOT NULL
        );
    """),
    ("0300_imagery_mirror_programme", """
        CREATE TABLE guided_steps (            -- one row per step of an imagery or mirror session, when it ends
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            step_no INTEGER NOT NULL,          -- occurrence in the session, 0-based (mirror rounds repeat steps)
            sequence_index INTEGER NOT NULL,   -- position of the step in its sequence file
            part TEXT NOT NULL,
            side TEXT NOT NULL,                -- left | right (resolved for the patient)
            view TEXT NOT NULL,
            posture TEXT NOT NULL,
            mode TEXT,                         -- watch | eyes_open | eyes_closed, NULL for mirror
            started_s REAL NOT NULL,           -- seconds since the session began (pauses included)
            ended_s REAL NOT NULL,
            active_s REAL NOT NULL,            -- watching / imagining / moving time, pauses excluded
            repetitions_done INTEGER NOT NULL,
            repetitions INTEGER NOT NULL,
            cut_short INTEGER NOT NULL,        -- 1 if stopped or ended by the session timer
            completed_at TEXT NOT NULL,
            UNIQUE (session_id, step_no)
        );
        CREATE TABLE session_ratings (         -- ratings given after a session (vividness, pain)
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,                -- vividness | pain_nrs
            value REAL NOT NULL,
            scale_min REAL NOT NULL,
            scale_max REAL NOT NULL,
            rated_at TEXT NOT NULL,
            UNIQUE (session_id, name)
        );
        CREATE TABLE session_symptoms (        -- pain, nausea or dizziness reported during a mirror session
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            symptom TEXT NOT NULL,
            at_s REAL NOT NULL,
            reported_at TEXT NOT NULL
        );
        CREATE TABLE programme_events (        -- stage changes, flares and clinician overrides
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            part TEXT NOT NULL,
            kind TEXT NOT NULL,                -- start | advance | step_back | override | flare
            from_stage TEXT,
            to_stage TEXT,
            by TEXT NOT NULL,                  -- patient | gmi | the clinician's name
            reason TEXT NOT NULL DEFAULT '',
            details_json TEXT NOT NULL DEFAULT '{}',
            at TEXT NOT NULL
        );
        CREATE INDEX programme_events_by_profile ON programme_events(profile_id, part, at);
    """),
    ("0400_history_stats", """
        -- History and exports at scale (years of daily use). Counts per session and side come from the first
        -- index alone; medians of correct answers walk the second (partial) index in order, without a sort.
        CREATE INDEX laterality_trials_by_session_side ON laterality_trials(session_id, side, correct, response);
        CREATE INDEX laterality_trials_correct_rt ON laterality_trials(session_id, side, rt_ms)
            WHERE correct = 1 AND rt_ms IS NOT NULL;
        CREATE INDEX sessions_by_profile_time ON sessions(profile_id, started_at);
        CREATE INDEX exposure_reps_by_session_peak ON exposure_reps(session_id, peak_deg, target_reached);
        -- Per-session, per-side laterality figures, computed once (gmi/store/history.py) and forgotten by the
        -- triggers below whenever a trial of that session is written, changed or removed.
        CREATE TABLE laterality_session_stats (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            side TEXT NOT NULL,
            n INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            misses INTEGER NOT NULL,
            median_rt_ms REAL,
            PRIMARY KEY (session_id, side)
        ) WITHOUT ROWID;
        CREATE TRIGGER laterality_stats_stale_on_insert AFTER INSERT ON laterality_trials BEGIN
            DELETE FROM laterality_session_stats WHERE session_id = NEW.session_id;
        END;
        CREATE TRIGGER laterality_stats_stale_on_update AFTER UPDATE ON laterality_trials BEGIN
            DELETE FROM laterality_session_stats WHERE session_id IN (OLD.session_id, NEW.session_id);
        END;
        CREATE TRIGGER laterality_stats_stale_on_delete AFTER DELETE ON laterality_trials BEGIN
            DELETE FROM laterality_session_stats WHERE session_id = OLD.session_id;
        END;
    """),
]

# Where row time stamps come from: the wall clock, or a simulated clock while `gmi demo` writes a history.
_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("gmi_store_clock", default=None)


def utc_now() -> str:
    clock = _clock.get()
    moment = clock() if clock is not None else datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


@contextmanager
def store_clock(clock: Callable[[], datetime]) -> Iterator[None]:
    """Stamp every row written inside the block with ``clock()`` (an aware datetime) instead of now:
    simulated history then carries the dates it pretends to have, through the ordinary store functions."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    created_at: str
    settings: dict[str, Any]


class Database:
    """A connection to one gmi database. Every write commits at once (autocommit + explicit txns)."""

    def __init__(self, path: Path, *, notices: list[str] | None = None) -> None:
        self.path = path
        self.notices: list[str] = notices if notices is not None else []
        self.conn = self._connect_checked()
        self._migrate()
        self._restrict_permissions()

    @classmethod
    def open(cls, data_dir: Path) -> "Database":
        prepare_data_dir(data_dir)
        return cls(data_dir / DB_FILENAME)

    # -- opening, repair, migration -------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")   # an answered trial survives a crash or power cut
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _connect_checked(self) -> sqlite3.Connection:
        existed = self.path.exists() and self.path.stat().st_size > 0
        try:
            conn = self._connect()
            if existed:
                ok = conn.execute("PRAGMA quick_check").fetchone()[0]
                if ok != "ok":
                    raise sqlite3.DatabaseError(ok)
            return conn
        except sqlite3.DatabaseError as exc:
            try:
                conn.close()  # type: ignore[possibly-undefined]
            except Exception:
                pass
            kept = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    os.replace(src, Path(str(kept) + suffix))
            self.notices.append(
                f"Your gmi database could not be read ({exc}). It was kept aside as {kept.name} in "
                f"{self.path.parent} and a fresh database was started. Your physiotherapist or the gmi "
                "project may be able to recover data from the kept file."
            )
            return self._connect()

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        applied = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        pending = [(n, sql) for n, sql in MIGRATIONS if n not in applied]
        if not pending:
            return
        if applied:
            backup = self.path.with_name(f"{self.path.name}.before-{pending[0][0]}.bak")
            dest = sqlite3.connect(backup)
            with dest:
                self.conn.backup(dest)
            dest.close()
            os.chmod(backup, 0o600)
            self.notices.append(f"Your data was upgraded to a newer format; a backup is in {backup.name}.")
        for name, sql in pending:
            with self.transaction():
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, utc_now()))

    def _restrict_permissions(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                try:
                    os.chmod(p, 0o600)
                except OSError:
                    pass

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # -- profiles -------------------------------------------------------------------------------
    def profile(self, name: str, *, create: bool = True) -> Profile:
        name = name.strip()
        if not name or len(name) > 64:
            raise GmiError("E-PROFILE-NAME", f"A profile name must have 1 to 64 characters (found {name!r}).",
                           fix="use a first name or a pseudonym, e.g. --profile anna")
        row = self.conn.execute("SELECT * FROM profiles WHERE name = ?", (name,)).fetchone()
        if row is None:
            if not create:
                raise GmiError("E-PROFILE-UNKNOWN", f"There is no profile called {name!r}.",
                               fix="check the spelling; `gmi profiles` lists the profiles on this computer.")
            self.conn.execute("INSERT INTO profiles (name, created_at) VALUES (?, ?)", (name, utc_now()))
            row = self.conn.execute("SELECT * FROM profiles WHERE name = ?", (name,)).fetchone()
        return _profile(row)

    def profiles(self) -> list[Profile]:
        return [_profile(r) for r in self.conn.execute("SELECT * FROM profiles ORDER BY name")]

    def save_profile_settings(self, profile_id: int, settings: dict[str, Any]) -> None:
        self.conn.execute("UPDATE profiles SET settings_json = ? WHERE id = ?",
                          (json.dumps(settings, sort_keys=True), profile_id))

    # -- sessions -------------------------------------------------------------------------------
    def start_session(self, profile_id: int, kind: str, *, settings: dict[str, Any], seed: int | None = None,
                      input_method: str | None = None, timing: dict[str, Any] | None = None,
                      app_version: str, simulated: bool = False, started_at: str | None = None) -> int:
        cur = self.conn.execute(
            "INSERT INTO sessions (profile_id, kind, started_at, settings_json, seed, input_method, timing_json,"
            " app_version, simulated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (profile_id, kind, started_at or utc_now(), json.dumps(settings, sort_keys=True), seed, input_method,
             json.dumps(timing or {}, sort_keys=True), app_version, int(simulated)))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def update_session(self, session_id: int, *, timing: dict[str, Any] | None = None,
                       input_method: str | None = None, status: str | None = None,
                       ended_at: str | None = None) -> None:
        sets, args = [], []
        if timing is not None:
            sets.append("timing_json = ?"); args.append(json.dumps(timing, sort_keys=True))
        if input_method is not None:
            sets.append("input_method = ?"); args.append(input_method)
        if status is not None:
            sets.append("status = ?"); args.append(status)
            if ended_at is None and status != "running":
                ended_at = utc_now()
        if ended_at is not None:
            sets.append("ended_at = ?"); args.append(ended_at)
        if sets:
            self.conn.execute(f"UPDATE sessions SET {', '.join(sets)} WHERE id = ?", (*args, session_id))

    def sessions(self, profile_id: int, kind: str | None = None, last: int | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM sessions WHERE profile_id = ?"
        args: list[Any] = [profile_id]
        if kind:
            sql += " AND kind = ?"; args.append(kind)
        sql += " ORDER BY started_at DESC, id DESC"
        if last:
            sql += " LIMIT ?"; args.append(last)
        rows = self.conn.execute(sql, args).fetchall()
        return list(reversed(rows))

    # -- laterality -----------------------------------------------------------------------------
    def add_laterality_trial(self, session_id: int, row: dict[str, Any]) -> None:
        """Write one answered (or missed) trial at once; a crash after this loses nothing of it."""
        cols = ("trial_index", "stimulus_id", "part", "side", "view", "posture", "rotation_deg", "direction",
                "level", "response", "correct", "rt_ms", "input_method", "onset_ns")
        self.conn.execute(
            f"INSERT OR REPLACE INTO laterality_trials (session_id, {', '.join(cols)}, answered_at)"
            f" VALUES (?, {', '.join('?' for _ in cols)}, ?)",
            (session_id, *(row[c] for c in cols), utc_now()))

    def laterality_trials(self, session_id: int) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM laterality_trials WHERE session_id = ? ORDER BY trial_index",
                                 (session_id,)).fetchall()


def _profile(row: sqlite3.Row) -> Profile:
    return Profile(row["id"], row["name"], row["created_at"], json.loads(row["settings_json"] or "{}"))


def _split_sql(script: str) -> list[str]:
    """Statements of a migration; a trigger's body (BEGIN ... END) stays whole."""
    statements, buffer = [], ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n;"):
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip(" \n;"):
        statements.append(buffer.strip())
    return statements
