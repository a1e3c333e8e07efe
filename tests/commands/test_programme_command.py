from pathlib import Path

from gmi.cli import main
from gmi.store.db import Database
from gmi.store.programme import events

EXAMPLE = Path(__file__).parents[2] / "plans" / "programme" / "hands.toml"


def run(tmp_path, *args):
    return main(["--data-dir", str(tmp_path), "--profile", "anna", "programme", *args])


def test_status_override_flare_and_step_back_are_recorded(tmp_path, capsys):
    assert run(tmp_path) == 0
    out = capsys.readouterr().out
    assert "stage 1 of 3, left/right recognition" in out and "aim at most 2.5 s" in out and "default:" in out
    assert run(tmp_path, "--override", "mirror", "--by", "Dr Lee") == 2
    assert "E-OVERRIDE" in capsys.readouterr().err
    assert run(tmp_path, "--override", "mirror", "--by", "Dr Lee", "--why", "did stages 1-2 in clinic") == 0
    assert "Override recorded: mirror therapy, by Dr Lee" in capsys.readouterr().out
    assert run(tmp_path, "--flare", "after gardening", "--step-back") == 0
    out = capsys.readouterr().out
    assert "Back to imagined movements" in out and "stage 2 of 3" in out
    db = Database.open(tmp_path)
    recorded = [(e.kind, e.to_stage, e.by, e.reason) for e in events(db, db.profile("anna").id, "hands")]
    assert recorded == [("override", "mirror", "Dr Lee", "did stages 1-2 in clinic"),
                        ("flare", None, "patient", "after gardening"), ("step_back", "imagery", "patient", "flare")]


def test_a_plan_is_checked_before_it_is_remembered(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[programme]\nparts = [\"hands\"]\n\n[programme.laterality]\naccuracy_min_pct = 20\n")
    assert run(tmp_path, "--plan", str(bad)) == 2
    err = capsys.readouterr().err
    assert "bad.toml:5" in err and "accuracy_min_pct" in err and "E-PROGRAMME" in err
    assert run(tmp_path, "--plan", str(EXAMPLE), "--part", "feet") == 0
    out = capsys.readouterr().out
    assert "covers hands; feet follows the default programme" in out
    assert run(tmp_path) == 0
    assert f"programme: {EXAMPLE.resolve()}" in capsys.readouterr().out
