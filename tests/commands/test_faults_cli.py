"""Faults through the real command line: a killed imagery sequence or exposure session loses nothing that was
answered or counted, and a database from an older gmi is upgraded with a backup kept.

The kill tests start a real `gmi` process whose helper thread plays the patient with posted key events (the
approach of tests/commands/test_drill_results_cli.py), watch the database from outside, SIGKILL the process
mid-session and then compare.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gmi.cli import main
from gmi.store.db import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]

HARNESS = textwrap.dedent("""
    # Plays the patient in a real `gmi` process: the keys in $GMI_TEST_KEYS one after another, then the key in
    # $GMI_TEST_REPEAT every 0.2 s until the process ends (or is killed).
    import json, os, sys, threading, time
    import pygame
    def press(name):
        code = pygame.key.key_code(name)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0))
    def play():
        while pygame.display.get_surface() is None:
            time.sleep(0.01)
        time.sleep(0.3)
        for name in json.loads(os.environ["GMI_TEST_KEYS"]):
            press(name)
            time.sleep(0.1)
        while True:
            press(os.environ["GMI_TEST_REPEAT"])
            time.sleep(0.2)
    threading.Thread(target=play, daemon=True).start()
    from gmi.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def env_for(keys: list[str], repeat: str) -> dict[str, str]:
    return os.environ | {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(ROOT),
                         "GMI_TEST_KEYS": json.dumps(keys), "GMI_TEST_REPEAT": repeat}


def read_only(db_path: Path, sql: str) -> list[tuple]:
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    except sqlite3.OperationalError:      # not created yet, or the table is not there yet
        return []


def kill_when(proc: subprocess.Popen, db_path: Path, queries: dict[str, str], enough) -> dict[str, list[tuple]]:
    """Poll the database until ``enough(seen)``, then SIGKILL the process; returns what was seen just before."""
    seen: dict[str, list[tuple]] = {name: [] for name in queries}
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not enough(seen):
            assert proc.poll() is None, f"gmi ended early with code {proc.returncode}"
            time.sleep(0.05)
            seen = {name: read_only(db_path, sql) for name, sql in queries.items()}
        assert enough(seen), f"the session did not get far enough: {seen}"
        seen = {name: read_only(db_path, sql) for name, sql in queries.items()}
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    return seen


def after_kill(db_path: Path, queries: dict[str, str]) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        con.close()


def long_sequence(path: Path, steps: int = 40) -> Path:
    step = ('[[steps]]\nview = "dorsal"\nposture = "flat"\ninstruction = "Imagine the hand lying flat."\n')
    path.write_text('[sequence]\nname = "long"\npart = "hands"\nimagine_s = 30\nrest_s = 0\nrepetitions = 1\n'
                    'mode = "eyes_open"\n\n' + "\n".join([step] * steps), encoding="utf-8")
    return path


@pytest.mark.slow
def test_sigkill_mid_imagery_sequence_keeps_every_finished_step(tmp_path):
    data = tmp_path / "data"
    assert main(["programme", "--data-dir", str(data), "--override", "imagery", "--by", "Test Physio",
                 "--why", "kill test"]) == 0
    queries = {"steps": "SELECT session_id, step_no, sequence_index, active_s, cut_short FROM guided_steps",
               "sessions": "SELECT id, kind FROM sessions"}
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, "imagery", "--sequence",
                             str(long_sequence(tmp_path / "long.toml")), "--data-dir", str(data)],
                            env=env_for(["return"], "return"), cwd=tmp_path)   # Enter: ready, next step now
    seen = kill_when(proc, data / "gmi.sqlite3", queries, lambda s: len(s["steps"]) >= 6)
    after = after_kill(data / "gmi.sqlite3", queries)
    assert set(seen["steps"]) <= set(after["steps"])
    assert len(after["steps"]) < 40                       # killed mid-sequence
    assert [r[1] for r in after["steps"]] == list(range(len(after["steps"])))   # no gap, in order
    assert after["sessions"] == [(after["steps"][0][0], "imagery")]


@pytest.mark.slow
def test_sigkill_mid_exposure_session_keeps_every_rating_and_repetition(tmp_path):
    data = tmp_path / "data"
    assert main(["plan", "install", str(ROOT / "plans" / "hand-wrist-camera-free.toml"), "--data-dir", str(data)]) == 0
    queries = {"reps": "SELECT session_id, rep_index, set_index, rep_in_set, source FROM exposure_reps",
               "ratings": "SELECT session_id, name, value_num, value_text FROM exposure_ratings",
               "events": "SELECT session_id, name FROM exposure_events"}
    # Begin; pain now 5, expected pain 5, fear 50 (Right picks the middle); no feared outcome typed; then taps.
    keys = ["return", "right", "return", "right", "return", "right", "return", "return"]
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, "exposure", "--camera-free", "--data-dir", str(data)],
                            env=env_for(keys, "space"), cwd=tmp_path)
    seen = kill_when(proc, data / "gmi.sqlite3", queries, lambda s: len(s["reps"]) >= 5)
    after = after_kill(data / "gmi.sqlite3", queries)
    for name in queries:
        assert set(seen[name]) <= set(after[name]), name
    assert {r[1] for r in after["ratings"]} >= {"pain_before", "expected_pain", "fear_before"}
    assert all(r[4] == "tap" for r in after["reps"]) and len(after["reps"]) < 12   # killed mid-session
    assert [r[1] for r in after["reps"]] == list(range(1, len(after["reps"]) + 1))   # counted from 1, no gap


def old_database(data: Path) -> Path:
    """A database as the first gmi release left it: only the first migration, with a profile and a drill."""
    data.mkdir(mode=0o700)
    path = data / "gmi.sqlite3"
    con = sqlite3.connect(path)
    name, sql = MIGRATIONS[0]
    con.executescript(sql)
    con.executescript(f"""
        CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT);
        INSERT INTO schema_migrations VALUES ('{name}', '2026-01-01T00:00:00+00:00');
        INSERT INTO profiles (id, name, created_at) VALUES (1, 'anna', '2026-01-01T00:00:00+00:00');
        INSERT INTO sessions (id, profile_id, kind, started_at, ended_at, status, settings_json, app_version)
            VALUES (1, 1, 'laterality', '2026-01-02T10:00:00+00:00', '2026-01-02T10:05:00+00:00', 'completed',
                    '{{"part": "hands", "trials": 10, "time_limit_s": 5.0, "mode": "training"}}', '0.0.1');
    """)
    for i in range(10):
        side = "left" if i % 2 else "right"
        con.execute("INSERT INTO laterality_trials (session_id, trial_index, stimulus_id, part, side, view, posture,"
                    " rotation_deg, direction, level, response, correct, rt_ms, input_method, onset_ns, answered_at)"
                    " VALUES (1, ?, ?, 'hands', ?, 'dorsal', 'flat', 0, 'none', 1, ?, 1, ?, 'keys', 0, ?)",
                    (i, f"hands-{side}-dorsal-0", side, side, 900.0 + 10 * i, "2026-01-02T10:01:00+00:00"))
    con.commit()
    con.close()
    return path


def test_older_database_is_migrated_by_the_real_cli_with_a_backup_kept(tmp_path):
    data = tmp_path / "data"
    path = old_database(data)
    run = subprocess.run([sys.executable, "-m", "gmi", "results", "--json", "--data-dir", str(data),
                          "--profile", "anna"], env=os.environ | {"PYTHONPATH": str(ROOT)}, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "upgraded to a newer format" in run.stderr and "Traceback" not in run.stderr
    sessions = json.loads(run.stdout)["sessions"]
    assert len(sessions) == 1 and sessions[0]["left"]["n"] + sessions[0]["right"]["n"] == 10
    backups = list(data.glob("gmi.sqlite3.before-*.bak"))
    assert [b.name for b in backups] == [f"gmi.sqlite3.before-{MIGRATIONS[1][0]}.bak"]
    assert oct(backups[0].stat().st_mode & 0o777) == "0o600"
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT name FROM schema_migrations").fetchall() == [(MIGRATIONS[0][0],)]
    assert old.execute("SELECT COUNT(*) FROM laterality_trials").fetchone()[0] == 10
    new = sqlite3.connect(path)
    assert new.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in new.execute("SELECT name FROM schema_migrations")} == {n for n, _ in MIGRATIONS}
    assert new.execute("SELECT COUNT(*) FROM laterality_trials").fetchone()[0] == 10
    again = subprocess.run([sys.executable, "-m", "gmi", "results", "--data-dir", str(data), "--profile", "anna"],
                           env=os.environ | {"PYTHONPATH": str(ROOT)}, cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
    assert again.returncode == 0 and "upgraded" not in again.stderr      # once only
    assert len(list(data.glob("*.bak"))) == 1


def test_a_corrupt_database_is_kept_aside_and_the_user_told_by_the_cli(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "gmi.sqlite3").write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    assert main(["programme", "--data-dir", str(data)]) == 0
    err = capsys.readouterr().err
    assert "could not be read" in err and "kept aside" in err
    assert len(list(data.glob("gmi.sqlite3.corrupt-*"))) == 1
    assert sqlite3.connect(data / "gmi.sqlite3").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
