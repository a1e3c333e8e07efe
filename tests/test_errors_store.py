import os
import sqlite3
import stat

import pytest

from gmi.core.errors import GmiError, ProblemList, check_range
from gmi.store.db import MIGRATIONS, Database
from gmi.store.location import atomic_write_bytes, prepare_data_dir


def test_problem_text_names_file_line_field_and_fix():
    problems = ProblemList()
    problems.add("must be positive", file="plan.toml", line=12, field="levels[0].reps", found="-1",
                 allowed="1–100", fix="set reps to 1 or more")
    with pytest.raises(GmiError) as info:
        problems.raise_if_any("E-PLAN", "The plan has errors.")
    text = str(info.value)
    assert "plan.toml:12" in text and "levels[0].reps" in text and "found -1" in text
    assert "allowed: 1–100" in text and "fix: set reps to 1 or more" in text and "[E-PLAN]" in text


@pytest.mark.parametrize("value,ok", [(2, True), (60, True), (1.9, False), (61, False), ("5", False), (True, False)])
def test_check_range(value, ok):
    problems = ProblemList()
    assert check_range(value, "time_limit_s", 2, 60, problems=problems) is ok
    assert bool(problems) is not ok


def test_database_creates_schema_with_owner_only_permissions(tmp_path):
    db = Database.open(tmp_path / "data")
    assert stat.S_IMODE(os.stat(tmp_path / "data").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(db.path).st_mode) == 0o600
    names = {r[0] for r in db.conn.execute("SELECT name FROM schema_migrations")}
    assert names == {n for n, _ in MIGRATIONS}
    assert db.integrity_ok()


def test_profiles_are_created_once_and_settings_round_trip(tmp_path):
    db = Database.open(tmp_path)
    a = db.profile("anna")
    assert db.profile("anna").id == a.id
    db.save_profile_settings(a.id, {"trials": 30})
    assert db.profile("anna").settings == {"trials": 30}
    with pytest.raises(GmiError):
        db.profile("nobody", create=False)


def test_older_database_is_backed_up_then_migrated(tmp_path, monkeypatch):
    import gmi.store.db as dbmod

    monkeypatch.setattr(dbmod, "MIGRATIONS", MIGRATIONS[:1])
    Database.open(tmp_path).profile("anna")
    monkeypatch.setattr(dbmod, "MIGRATIONS", MIGRATIONS[:1] + [("9999_test_extra", "CREATE TABLE extra (x INTEGER)")])
    db = Database.open(tmp_path)
    assert db.profile("anna", create=False).name == "anna"
    backups = list(tmp_path.glob("*.bak"))
    assert len(backups) == 1 and "upgraded" in db.notices[0]
    assert sqlite3.connect(backups[0]).execute("SELECT name FROM profiles").fetchone()[0] == "anna"


def test_corrupt_database_is_kept_aside_and_a_fresh_one_started(tmp_path):
    (tmp_path / "gmi.sqlite3").write_bytes(b"this is not a database" * 100)
    db = Database.open(tmp_path)
    assert db.integrity_ok()
    kept = list(tmp_path.glob("gmi.sqlite3.corrupt-*"))
    assert kept and kept[0].read_bytes().startswith(b"this is not")
    assert "kept aside" in db.notices[0]


def test_unwritable_data_dir_is_reported_before_any_work(tmp_path):
    if os.geteuid() == 0:
        target = tmp_path / "file-not-dir"
        target.write_text("x")
        bad = target / "sub"          # a directory below a file can never be created, even by root
    else:
        bad = tmp_path / "ro"
        bad.mkdir(mode=0o500)
    with pytest.raises(GmiError) as info:
        prepare_data_dir(bad)
    assert info.value.code == "E-DATA-DIR" and "--data-dir" in str(info.value)


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "x.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


@pytest.mark.parametrize("stored", ['{"prefs": {"text_scale": 2', "[1, 2]", "null"])
def test_unreadable_profile_settings_fall_back_to_defaults_with_a_notice(tmp_path, stored):
    db = Database.open(tmp_path)
    anna = db.profile("anna")
    db.conn.execute("UPDATE profiles SET settings_json = ? WHERE id = ?", (stored, anna.id))
    assert db.profile("anna").settings == {}
    assert [p.settings for p in db.profiles()] == [{}]
    assert len([n for n in db.notices if "anna" in n]) == 1      # said once, however often it is read
