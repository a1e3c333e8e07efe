"""`gmi forget --profile P`: no row, file or byte of the profile remains; other profiles are untouched."""

from __future__ import annotations

import io
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pygame
import pytest

from gmi.cli import main
from gmi.core.imagery import parse_sequence
from gmi.core.programme import StageEvent
from gmi.core.tomlcheck import parse_toml
from gmi.store.photos import photos_dir
from gmi.store.programme import add_event
from gmi.ui.app import AppContext
from gmi.ui.consent import remember_camera_consent
from gmi.ui.scenes.imagery import ImageryScene
from gmi.ui.scenes.mirror import MirrorScene
from gmi.ui.sound import Guide
from tests.clock import FakeClock
from tests.ui.test_drill import answer_all, correct_key, start_drill
from tests.ui.test_exposure_scene import HAND, answer_before, key, open_scene
from tests.ui.test_imagery_mirror_scenes import MIRROR, SHORT, advance

GONE, KEPT = "anna-forgetme", "bob-keepme"


def use_profile(app, name: str) -> None:
    app.quit()
    app.running = True
    app.ctx = AppContext.load(app.ctx.db, name, app.ctx.data_dir)


def populate(app, name: str) -> None:
    """A profile with something in every table: drill, exposure plan and session, imagery, mirror with a symptom,
    programme events, settings."""
    use_profile(app, name)
    remember_camera_consent(app.ctx, True)
    answer_all(app, start_drill(app, trials=10), correct_key)
    use_profile(app, name)
    scene, clock, _ = open_scene(app, HAND)
    answer_before(app, scene)
    for _ in range(3):
        clock.t += 2
        key(app, pygame.K_SPACE)
    use_profile(app, name)
    clock = FakeClock()
    app.push(ImageryScene(parse_sequence(parse_toml(SHORT, "s.toml")), mode="eyes_open", check_stage=False,
                          clock=clock, guide=Guide(sound=False)))
    key(app, pygame.K_RETURN)
    advance(app, clock, 20)
    key(app, pygame.K_RETURN)
    key(app, pygame.K_RETURN)                               # vividness and pain rated
    use_profile(app, name)
    clock = FakeClock()
    app.push(MirrorScene(setting="box", sequence=parse_sequence(parse_toml(MIRROR, "m.toml")), check_stage=False,
                         clock=clock, guide=Guide(sound=False)))
    key(app, pygame.K_RETURN)
    advance(app, clock, 12)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_RETURN)                               # pain reported
    use_profile(app, name)
    add_event(app.ctx.db, app.ctx.profile.id, StageEvent(datetime.now(timezone.utc), "hands", "flare", None, None,
                                                         "patient", reason=f"a flare of {name}"))


def rows_of(con: sqlite3.Connection, profile: str) -> dict[str, int]:
    """Rows per table that belong to ``profile`` (by profile_id or by one of its sessions)."""
    pid = con.execute("SELECT id FROM profiles WHERE name = ?", (profile,)).fetchone()
    if pid is None:
        pid = (-1,)
    sids = [r[0] for r in con.execute("SELECT id FROM sessions WHERE profile_id = ?", pid)] or [-1]
    out = {}
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cols = {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}
        if table == "profiles":
            n = con.execute("SELECT COUNT(*) FROM profiles WHERE id = ?", pid).fetchone()[0]
        elif "session_id" in cols:
            n = con.execute(f'SELECT COUNT(*) FROM "{table}" WHERE session_id IN ({",".join("?" * len(sids))})',
                            sids).fetchone()[0]
        elif "profile_id" in cols:
            n = con.execute(f'SELECT COUNT(*) FROM "{table}" WHERE profile_id = ?', pid).fetchone()[0]
        else:
            continue
        out[table] = n
    return out


def raw_bytes(data: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data.glob("gmi.sqlite3*") if p.is_file() and "corrupt" not in p.name)


@pytest.fixture
def two_profiles(app):
    populate(app, GONE)
    populate(app, KEPT)
    data = app.ctx.data_dir
    con = sqlite3.connect(data / "gmi.sqlite3")
    backup = data / "gmi.sqlite3.before-0400_test.bak"      # as an upgrade leaves it
    dest = sqlite3.connect(backup)
    con.backup(dest)
    dest.close()
    (data / "gmi.sqlite3.corrupt-20260101-000000").write_bytes(b"damaged")
    logs = data / "logs"
    logs.mkdir()
    for name in (GONE, KEPT):
        (logs / f"gmi-crash-{name}.txt").write_text(f"gmi 0.1\nargs: {{'profile': {name!r}}}\n\nTraceback ...")
    for name in (GONE, KEPT):
        folder = photos_dir(data, name)
        folder.mkdir(parents=True)
        (folder / "hand.webp").write_bytes(name.encode())
    yield data, con
    con.close()


def test_forget_removes_every_row_file_and_byte_of_one_profile_only(two_profiles, capsys):
    data, con = two_profiles
    gone_before, kept_before = rows_of(con, GONE), rows_of(con, KEPT)
    for table in ("sessions", "laterality_trials", "exposure_plans", "exposure_reps", "exposure_ratings",
                  "exposure_events", "guided_steps", "session_ratings", "session_symptoms", "programme_events"):
        assert gone_before[table] > 0 and kept_before[table] > 0, table        # something to forget everywhere
    assert GONE.encode() in raw_bytes(data)
    assert main(["forget", "--profile", GONE, "--yes", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "is forgotten" in out and "corrupt-20260101" in out and "compacted" in out
    assert set(rows_of(con, GONE).values()) == {0}
    assert rows_of(con, KEPT) == kept_before
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    raw = raw_bytes(data)
    assert GONE.encode() not in raw and KEPT.encode() in raw         # not even in free pages or the log
    backup = data / "gmi.sqlite3.before-0400_test.bak"
    assert GONE.encode() not in backup.read_bytes() and KEPT.encode() in backup.read_bytes()
    assert not (data / "logs" / f"gmi-crash-{GONE}.txt").exists()
    assert (data / "logs" / f"gmi-crash-{KEPT}.txt").exists()
    assert not photos_dir(data, GONE).exists() and photos_dir(data, KEPT).exists()
    assert main(["forget", "--profile", GONE, "--yes", "--data-dir", str(data)]) == 2   # nothing left to forget
    assert "no profile called" in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("typed,code", [("bob-keepme\n", 1), ("\n", 1), ("", 1), (f"{GONE}\n", 0)])
def test_on_a_terminal_the_name_must_be_typed(two_profiles, monkeypatch, capsys, typed, code):
    data, con = two_profiles
    monkeypatch.setattr("sys.stdin", Terminal(typed))
    assert main(["forget", "--profile", GONE, "--data-dir", str(data)]) == code
    out = capsys.readouterr().out
    assert "cannot be undone" in out
    assert (rows_of(con, GONE)["sessions"] == 0) is (code == 0)
    if code:
        assert "Nothing was deleted" in out


def test_without_a_terminal_it_needs_yes(two_profiles, monkeypatch, capsys):
    data, con = two_profiles
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{GONE}\n"))
    assert main(["forget", "--profile", GONE, "--data-dir", str(data)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert rows_of(con, GONE)["sessions"] > 0
