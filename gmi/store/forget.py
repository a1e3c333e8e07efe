"""Forgetting a profile: every row of it in the database and in the upgrade backups, its own files, and no
trace left in the database's free pages.

Rows are found by their columns rather than by a list of tables: every table with a ``profile_id`` or a
``session_id`` column is cleared for the profile, children first, so a table added by a later migration is
covered the day it appears (the foreign-key cascades would also catch most of them).
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from gmi.core.errors import GmiError
from gmi.store.db import Database


@dataclass
class ForgetReport:
    profile: str
    rows: dict[str, int] = field(default_factory=dict)      # table → rows deleted from the live database
    files: list[Path] = field(default_factory=list)         # files and folders removed
    backups_cleaned: list[Path] = field(default_factory=list)
    kept_aside: list[Path] = field(default_factory=list)    # damaged databases gmi cannot open to clean

    def describe(self) -> str:
        rows = ", ".join(f"{n} from {t}" for t, n in sorted(self.rows.items()) if n) or "no rows"
        lines = [f"Profile {self.profile!r} is forgotten: {rows}."]
        if self.files:
            lines.append("Removed: " + ", ".join(str(p) for p in self.files) + ".")
        if self.backups_cleaned:
            lines.append("Also removed from the backups: " + ", ".join(p.name for p in self.backups_cleaned) + ".")
        lines.append("The database was compacted, so the deleted data is not left in its free space.")
        if self.kept_aside:
            lines.append("These damaged databases, kept aside earlier, cannot be cleaned and may still hold this "
                         "profile's data; delete them if nobody needs them: "
                         + ", ".join(str(p) for p in self.kept_aside) + ".")
        lines.append("Files you exported yourself (reports, tables) are wherever you saved them; delete those "
                     "yourself if needed.")
        return "\n".join(lines)


def linked_tables(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """(tables with a session_id column, tables with a profile_id column), sessions and profiles excluded."""
    by_session, by_profile = [], []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        if table in ("sessions", "profiles"):
            continue
        if "session_id" in columns:
            by_session.append(table)
        elif "profile_id" in columns:
            by_profile.append(table)
    return by_session, by_profile


def remaining_rows(conn: sqlite3.Connection, profile_id: int, session_ids: list[int]) -> dict[str, int]:
    """Rows that still belong to the profile, per table (empty when it is completely forgotten)."""
    left: dict[str, int] = {}
    by_session, by_profile = linked_tables(conn)
    marks = ",".join("?" * len(session_ids))
    for table in by_session:
        if session_ids:
            n = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE session_id IN ({marks})', session_ids).fetchone()[0]
            if n:
                left[table] = n
    for table in by_profile + ["sessions"]:
        n = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE profile_id = ?', (profile_id,)).fetchone()[0]
        if n:
            left[table] = n
    if conn.execute("SELECT COUNT(*) FROM profiles WHERE id = ?", (profile_id,)).fetchone()[0]:
        left["profiles"] = 1
    return left


def delete_profile_rows(conn: sqlite3.Connection, name: str) -> dict[str, int]:
    """Delete every row of the profile called ``name`` in one transaction; returns rows deleted per table."""
    row = conn.execute("SELECT id FROM profiles WHERE name = ?", (name,)).fetchone()
    if row is None:
        return {}
    profile_id = row[0]
    session_ids = [r[0] for r in conn.execute("SELECT id FROM sessions WHERE profile_id = ?", (profile_id,))]
    by_session, by_profile = linked_tables(conn)
    marks = ",".join("?" * len(session_ids))
    counts: dict[str, int] = {}
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")      # freed pages are overwritten, not just marked free
    conn.execute("BEGIN IMMEDIATE")
    try:
        if session_ids:
            for table in by_session:              # children of sessions first (e.g. decisions before plans)
                counts[table] = conn.execute(f'DELETE FROM "{table}" WHERE session_id IN ({marks})',
                                             session_ids).rowcount
        counts["sessions"] = conn.execute("DELETE FROM sessions WHERE profile_id = ?", (profile_id,)).rowcount
        for table in by_profile:
            counts[table] = conn.execute(f'DELETE FROM "{table}" WHERE profile_id = ?', (profile_id,)).rowcount
        counts["profiles"] = conn.execute("DELETE FROM profiles WHERE id = ?", (profile_id,)).rowcount
        left = remaining_rows(conn, profile_id, session_ids)
        if left:
            raise GmiError("E-FORGET-INCOMPLETE", f"Some data of {name!r} could not be removed ({left}); nothing "
                           "was deleted.", fix="report this to the gmi project")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return counts


def compact(conn: sqlite3.Connection) -> None:
    """Rewrite the database without free pages, then empty the write-ahead log into it."""
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def forget_profile(db: Database, data_dir: Path, name: str, *, is_default: bool = False) -> ForgetReport:
    """Remove the profile ``name`` completely (``is_default``: it is the profile used when none is named).
    GmiError if there is no such profile."""
    profile = db.profile(name, create=False)
    report = ForgetReport(profile.name)
    report.rows = delete_profile_rows(db.conn, profile.name)
    compact(db.conn)
    report.files = remove_profile_files(data_dir, profile.name, is_default=is_default)
    for backup in sorted(data_dir.glob(f"{db.path.name}.before-*.bak")):
        try:
            conn = sqlite3.connect(backup, isolation_level=None)
            try:
                if delete_profile_rows(conn, profile.name):
                    compact(conn)
                    report.backups_cleaned.append(backup)
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            report.kept_aside.append(backup)
    report.kept_aside += sorted(data_dir.glob(f"{db.path.name}.corrupt-*"))
    return report


def remove_profile_files(data_dir: Path, name: str, *, is_default: bool = False) -> list[Path]:
    """The profile's own photos, and crash reports written while it was in use."""
    from gmi.store.photos import photos_dir

    removed: list[Path] = []
    folder = photos_dir(data_dir, name)
    if folder.exists():
        shutil.rmtree(folder)
        removed.append(folder)
    for log in sorted((data_dir / "logs").glob("gmi-crash-*.txt")):
        try:
            head = log.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
        except OSError:
            continue
        named = f"'profile': {name!r}" in head
        unnamed_default = is_default and "'profile':" not in head      # run without --profile
        if named or unnamed_default:
            log.unlink()
            removed.append(log)
    return removed
