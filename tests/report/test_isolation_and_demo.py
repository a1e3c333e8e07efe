"""One profile never sees another's data; `gmi demo` writes marked example data through the real store."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gmi.cli import main
from gmi.core.errors import GmiError
from gmi.report.demo import fill_demo
from gmi.report.export import export_profile
from gmi.report.history import load_history
from gmi.report.laterality import recent_results
from gmi.report.tsv import read_tsv
from gmi.store import history as q
from gmi.store.db import Database
from gmi.store.exposure import current_plan

from tests.report.helpers import add_drill, add_exposure, install_example_plan


@pytest.fixture
def two(tmp_path):
    """Profile 'anna' with example data, profile 'ben' with two real sessions of his own."""
    db = Database.open(tmp_path / "data")
    fill_demo(db, "anna", 3, today=date(2026, 11, 21))
    ben = db.profile("ben")
    add_drill(db, ben.id, "2026-11-10", [("left", "left", 4321.0), ("right", "right", 4444.0)], part="feet")
    plan_id = install_example_plan(db, ben.id, author="Ben's physio")
    add_exposure(db, ben.id, plan_id, "2026-11-11", [61.5], 60.0, expected=9, experienced=8)
    yield db
    db.close()


def test_history_and_results_see_only_their_own_profile(two):
    anna, ben = two.profile("anna"), two.profile("ben")
    hb = load_history(two, ben)
    assert [s.part for s in hb.laterality] == ["feet"] and len(hb.exposure) == 1
    assert hb.simulated_sessions == 0 and hb.real_sessions == 2 and hb.plan.author == "Ben's physio"
    ha = load_history(two, anna)
    assert {s.part for s in ha.laterality} == {"shoulder"} and ha.real_sessions == 0
    assert all(s.peak_deg != 61.5 for s in ha.exposure) and ha.plan.example
    assert [r.part for r in recent_results(two, ben.id)] == ["feet"]
    assert all(r.part == "shoulder" for r in recent_results(two, anna.id))
    assert {r["session_id"] for r in q.laterality_side_stats(two, ben.id)}.isdisjoint(
        r["session_id"] for r in q.laterality_side_stats(two, anna.id))


@pytest.mark.parametrize("fmt", ["tsv", "json", "html", "fhir"])
def test_every_export_format_holds_only_its_profile(two, tmp_path, fmt):
    result = export_profile(two, "ben", fmt, tmp_path)
    text = "\n".join(p.read_text(encoding="utf-8") for p in result.files)
    assert result.sessions == 2 and result.example_sessions == 0
    assert "4321" in text or fmt in ("html", "fhir")        # ben's own numbers are there
    for other in ("anna", "shoulder_flexion (right)", "example data (made by gmi demo", "simulated\": true"):
        assert other not in text, (fmt, other)
    if fmt == "json":
        doc = json.loads(text)
        assert [s["kind"] for s in doc["sessions"]] == ["laterality", "exposure"]
        assert [p["author"] for p in doc["plans"]] == ["Ben's physio"]


def test_demo_is_marked_and_written_by_the_real_store(two):
    anna = two.profile("anna")
    kinds = dict(two.conn.execute("SELECT kind, COUNT(*) FROM sessions WHERE profile_id = ? GROUP BY kind",
                                  (anna.id,)).fetchall())
    assert set(kinds) == {"laterality", "imagery", "exposure"}       # 3 weeks: mirror starts in week 5
    assert two.conn.execute("SELECT MIN(simulated) FROM sessions WHERE profile_id = ?", (anna.id,)).fetchone()[0] == 1
    # exposure sessions went through the state machine: decisions and ratings were written as they happened
    decided = two.conn.execute("SELECT COUNT(*) FROM exposure_decisions d JOIN sessions s ON s.id = d.session_id"
                               " WHERE s.profile_id = ?", (anna.id,)).fetchone()[0]
    assert decided == kinds["exposure"]
    steps = two.conn.execute("SELECT COUNT(*) FROM guided_steps g JOIN sessions s ON s.id = g.session_id"
                             " WHERE s.profile_id = ?", (anna.id,)).fetchone()[0]
    assert steps > 0
    events = two.conn.execute("SELECT kind, from_stage, to_stage FROM programme_events WHERE profile_id = ?",
                              (anna.id,)).fetchall()
    assert [tuple(e) for e in events] == [("advance", "laterality", "imagery")]
    # dates are the pretended ones, and improving: accuracy on the affected (right) side rises
    h = load_history(two, anna)
    (series,) = h.laterality
    assert series.buckets[0].start == date(2026, 10, 31)
    first, last = series.buckets[:4], series.buckets[-4:]
    mean = lambda bs, side: sum(b.side(side).accuracy for b in bs) / len(bs)  # noqa: E731
    assert mean(last, "right") > mean(first, "right")
    assert current_plan(two, anna.id).author == "Example physiotherapist (gmi demo)"


def test_demo_is_deterministic_for_a_seed(tmp_path):
    dumps = []
    for k in range(2):
        db = Database.open(tmp_path / f"d{k}")
        fill_demo(db, "x", 1, seed=5, today=date(2026, 5, 1))
        dumps.append(db.conn.execute("SELECT side, response, rt_ms FROM laterality_trials ORDER BY id").fetchall())
        db.close()
    assert [tuple(r) for r in dumps[0]] == [tuple(r) for r in dumps[1]] and dumps[0]


def test_demo_refuses_real_data_unless_forced(two):
    with pytest.raises(GmiError) as err:
        fill_demo(two, "ben", 1)
    assert err.value.code == "E-DEMO-REAL-DATA"
    assert q.simulated_counts(two, two.profile("ben").id) == (2, 0)      # nothing was written
    with pytest.raises(GmiError) as err:
        fill_demo(two, "anna", 1)
    assert err.value.code == "E-DEMO-AGAIN"
    summary = fill_demo(two, "ben", 1, force=True)
    real, example = q.simulated_counts(two, two.profile("ben").id)
    assert real == 2 and example == sum(summary.sessions.values()) > 0
    assert current_plan(two, two.profile("ben").id).author == "Ben's physio"   # his plan was not replaced
    assert "already installed" in summary.text()


def test_demo_profiles_and_export_commands(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "demo", "--profile", "cli", "--weeks", "1"]) == 0
    assert "example data" in capsys.readouterr().out.lower()
    assert main(["--data-dir", data, "demo", "--profile", "cli", "--weeks", "1"]) == 2
    assert "E-DEMO-AGAIN" in capsys.readouterr().err
    assert main(["--data-dir", data, "profiles"]) == 0
    out = capsys.readouterr().out
    assert "cli" in out and "Example physiotherapist (gmi demo)" in out and "example" in out
    assert main(["--data-dir", data, "profiles", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["profiles"]
    assert listed[0]["example_sessions"] > 0 and listed[0]["plan"]["author"].startswith("Example")
    out_dir = tmp_path / "out"
    assert main(["--data-dir", data, "export", "--profile", "cli", "--format", "tsv", "--out", str(out_dir)]) == 0
    header, rows = read_tsv(out_dir / "sub-cli" / "sub-cli_sessions.tsv")
    assert rows and "session_id" in header


def run_cli(argv: list[str]) -> int:
    """Exit code of `gmi ARGV`, whether argparse exits (SystemExit) or main returns."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize("argv, message", [
    (["export", "--profile", "cli", "--format", "pdf", "--out", "X"], "invalid choice"),
    (["export", "--profile", "cli", "--format", "json"], "required"),
    (["export", "--profile", "cli", "--format", "json", "--out", "X", "--since", "yesterday"], "is not a date"),
    (["export", "--profile", "nobody", "--format", "json", "--out", "X"], "E-PROFILE-UNKNOWN"),
    (["demo", "--weeks", "0"], "out of range"),
])
def test_bad_options_exit_2_with_a_clear_message(tmp_path, capsys, argv, message):
    argv = [a.replace("X", str(tmp_path / "x")) for a in argv]
    assert run_cli(["--data-dir", str(tmp_path / "data"), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
