from pathlib import Path

from gmi.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(str(p) for p in (ROOT / "plans").glob("*.toml"))
INVALID = ROOT / "tests" / "data" / "plans" / "invalid"


def test_check_valid_plans_exits_0_and_summarises(capsys):
    assert main(["plan", "check", *EXAMPLES]) == 0
    out = capsys.readouterr().out
    assert out.count("valid plan for") == len(EXAMPLES)


def test_check_reports_every_problem_of_every_invalid_file_and_exits_2(capsys):
    bad = [str(INVALID / "typo-item-key.toml"), str(INVALID / "malformed-header.toml")]
    assert main(["plan", "check", EXAMPLES[0], *bad]) == 2
    captured = capsys.readouterr()
    assert "valid plan for" in captured.out
    assert "typo-item-key.toml:8: hierarchy[0].feer" in captured.err and "did you mean fear" in captured.err
    assert "hierarchy[0].fear: is required but missing" in captured.err
    assert "malformed-header.toml:7:12" in captured.err
    assert "2 of 3 plan files have problems" in captured.err
    assert "Traceback" not in captured.err


def test_check_missing_file_exits_2(capsys, tmp_path):
    assert main(["plan", "check", str(tmp_path / "nope.toml")]) == 2
    assert "There is no plan file" in capsys.readouterr().err


def test_install_and_show(capsys, tmp_path):
    data = str(tmp_path / "data")
    assert main(["plan", "install", EXAMPLES[0], "--profile", "anna", "--data-dir", data]) == 0
    assert "Installed for profile 'anna'" in capsys.readouterr().out
    assert main(["plan", "show", "--profile", "anna", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert "Next session:" in out and "1 install in total" in out


def test_install_invalid_writes_nothing_and_exits_2(capsys, tmp_path):
    data = tmp_path / "data"
    assert main(["plan", "install", str(INVALID / "fear-out-of-range.toml"), "--data-dir", str(data)]) == 2
    assert "hierarchy[0].fear" in capsys.readouterr().err
    assert not data.exists()


def test_show_without_a_plan_exits_2(capsys, tmp_path):
    data = str(tmp_path / "data")
    assert main(["plan", "show", "--profile", "nobody", "--data-dir", data]) == 2
    assert main(["plan", "install", EXAMPLES[0], "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["plan", "show", "--profile", "me", "--data-dir", data]) == 0
    assert main(["plan", "show", "--profile", "zed", "--data-dir", data]) == 2
    assert "no profile called" in capsys.readouterr().err
