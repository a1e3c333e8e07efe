"""`gmi drill` and `gmi results` from the command line: errors exit 2 with a clear message, kills lose nothing."""

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

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv,needle", [
    (["drill", "--part", "elbow"], "invalid choice"),
    (["drill", "--trials", "5"], "out of range; use a value from 10 to 100"),
    (["drill", "--trials", "many"], "is not a whole number"),
    (["drill", "--time-limit", "61"], "from 2 to 60 s"),
    (["results", "--last", "0"], "out of range"),
])
def test_options_out_of_range_exit_2(argv, needle, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert needle in capsys.readouterr().err


def test_unwritable_data_dir_exits_2_before_any_work(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["results", "--data-dir", str(blocker / "data")]) == 2
    err = capsys.readouterr().err
    assert "cannot write to its data directory" in err and "--data-dir" in err and "Traceback" not in err


def test_unknown_profile_is_explained(tmp_path, capsys):
    assert main(["results", "--data-dir", str(tmp_path), "--profile", "nobody"]) == 2
    assert "no profile called 'nobody'" in capsys.readouterr().err


def test_missing_stimuli_exit_2_before_a_window_opens(tmp_path, monkeypatch, capsys):
    import pygame

    monkeypatch.setenv("GMI_STIMULI_DIR", str(tmp_path / "missing"))
    code = main(["drill", "--data-dir", str(tmp_path / "d"), "--part", "hands", "--trials", "10"])
    err = capsys.readouterr().err
    assert code == 2 and "No stimulus manifest" in err and "render_stimuli" in err
    assert pygame.display.get_surface() is None


def test_corrupt_manifest_line_is_named(tmp_path, monkeypatch, capsys):
    from tests.conftest import write_tiny_library

    import pygame
    pygame.init()
    lib = write_tiny_library(tmp_path / "lib")
    text = (lib / "manifest.tsv").read_text().splitlines()
    text[3] = text[3].replace("\tright\t", "\tup\t").replace("\tleft\t", "\tup\t")
    (lib / "manifest.tsv").write_text("\n".join(text) + "\n")
    monkeypatch.setenv("GMI_STIMULI_DIR", str(lib))
    assert main(["drill", "--data-dir", str(tmp_path / "d"), "--trials", "10"]) == 2
    err = capsys.readouterr().err
    assert "manifest.tsv:4" in err and "side" in err and "allowed: left, right" in err


def test_results_json_after_a_drill(app, capsys):
    from tests.ui.test_drill import answer_all, correct_key, start_drill

    scene = start_drill(app, trials=12)
    answer_all(app, scene, correct_key)
    code = main(["results", "--data-dir", str(app.ctx.data_dir), "--profile", "tester", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    s = data["sessions"][-1]
    assert s["left"]["n"] + s["right"]["n"] == 12 and s["left"]["accuracy"] == 1.0
    assert s["left"]["median_rt_ms"] > 0 and s["seed"] == 123 and s["misses"] == 0
    assert s["settings"]["trials"] == 12 and s["input_method"] == "keys"
    assert main(["results", "--data-dir", str(app.ctx.data_dir), "--profile", "tester"]) == 0
    assert "accuracy=100%" in capsys.readouterr().out


HARNESS = textwrap.dedent("""
    # Plays the patient: presses Enter to start, then the right arrow every 0.2 s, into a real `gmi drill`.
    import os, sys, threading, time
    import pygame
    def press():
        while pygame.display.get_surface() is None:
            time.sleep(0.01)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="", scancode=0))
        while True:
            time.sleep(0.2)
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode="", scancode=0))
    threading.Thread(target=press, daemon=True).start()
    from gmi.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.slow
def test_sigkill_mid_drill_loses_no_answered_trial(tmp_path, tiny_library):
    data = tmp_path / "data"
    env = os.environ | {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, "drill", "--part", "hands", "--trials", "40",
                             "--time-limit", "2", "--data-dir", str(data)], env=env, cwd=ROOT)
    seen: list[tuple] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(seen) < 6:
            time.sleep(0.05)
            if (data / "gmi.sqlite3").exists():
                try:
                    con = sqlite3.connect(f"file:{data / 'gmi.sqlite3'}?mode=ro", uri=True)
                    seen = con.execute("SELECT trial_index, response, rt_ms FROM laterality_trials").fetchall()
                    con.close()
                except sqlite3.OperationalError:
                    pass
        assert len(seen) >= 6, "the drill did not record answers"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    con = sqlite3.connect(data / "gmi.sqlite3")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = con.execute("SELECT trial_index, response, rt_ms FROM laterality_trials").fetchall()
    assert set(seen) <= set(after)            # every answer seen before the kill survived it
    assert any(r[1] == "right" for r in after)
    status = con.execute("SELECT status FROM sessions").fetchone()[0]
    assert status == "running"                # killed: never closed, yet nothing lost


def test_test_mode_refuses_options_it_would_ignore(tmp_path, tiny_library, capsys):
    code = main(["drill", "--data-dir", str(tmp_path), "--mode", "test", "--trials", "20"])
    err = capsys.readouterr().err
    assert code == 2 and "--trials would be ignored" in err and "--mode training" in err


@pytest.mark.parametrize("key", ["up", "down", "space", "backspace", "tab", "return", "escape"])
def test_menu_keys_cannot_be_answer_keys(key):
    from gmi.core.errors import GmiError
    from gmi.ui.keymap import KeyMap

    with pytest.raises(GmiError) as info:
        KeyMap(key, "m")
    assert info.value.code == "E-KEY-RESERVED"
