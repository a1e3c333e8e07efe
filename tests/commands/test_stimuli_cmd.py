"""`gmi stimuli check` and `gmi stimuli import`: exit codes and what they print."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from gmi.cli import main
from tests.conftest import write_tiny_library

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny(tmp_path):
    import pygame

    pygame.init()
    return write_tiny_library(tmp_path / "lib")


def test_check_a_sound_library_exits_0_with_a_summary(tiny, capsys):
    assert main(["stimuli", "check", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "16 stimuli in 4 image files" in out and "hands: dorsal 4L/4R · palmar 4L/4R" in out


def test_check_defaults_to_gmi_stimuli_dir(tiny, monkeypatch, capsys):
    monkeypatch.setenv("GMI_STIMULI_DIR", str(tiny))
    assert main(["stimuli", "check"]) == 0
    assert str(tiny) in capsys.readouterr().out


def test_check_reports_a_damaged_and_a_missing_file_once_each_and_exits_2(tiny, capsys):
    (tiny / "hands_right_dorsal.png").write_bytes(b"changed")
    (tiny / "hands_left_palmar.png").unlink()
    assert main(["stimuli", "check", str(tiny)]) == 2
    err = capsys.readouterr().err
    assert "2 problems found" in err
    assert err.count("hands_right_dorsal.png does not match its sha256") == 1
    assert err.count("image file is missing") == 1 and "How to fix" in err


def test_check_reports_a_missing_twin(tiny, capsys):
    lines = (tiny / "manifest.tsv").read_text().splitlines()
    kept = [ln for ln in lines if not ln.startswith("hands-left-palmar-90\t")]
    (tiny / "manifest.tsv").write_text("\n".join(kept) + "\n")
    assert main(["stimuli", "check", str(tiny)]) == 2
    err = capsys.readouterr().err
    assert "has no twin" in err and "sides unbalanced" in err


def test_check_without_a_manifest_is_a_clear_error(tmp_path, capsys):
    assert main(["stimuli", "check", str(tmp_path)]) == 2
    assert "No stimulus manifest" in capsys.readouterr().err


def test_check_of_the_shipped_library_passes(capsys):
    assert main(["stimuli", "check", str(ROOT / "stimuli")]) == 0
    assert "hands:" in capsys.readouterr().out


def test_import_then_check_photos(tmp_path, capsys):
    src = tmp_path / "photos"
    src.mkdir()
    Image.new("RGB", (300, 400), (180, 130, 100)).save(src / "my hand.jpg")
    data = tmp_path / "data"
    assert main(["stimuli", "import", str(src), "--part", "hands", "--side", "right", "--data-dir", str(data),
                 "--profile", "Ann"]) == 0
    out = capsys.readouterr().out
    assert 'imported my hand.jpg as right hands "my_hand"' in out and "1 imported" in out
    assert main(["stimuli", "check", "--photos", "--data-dir", str(data), "--profile", "Ann"]) == 0
    assert "hands: photo 8L/8R" in capsys.readouterr().out


def test_import_with_a_bad_file_exits_2_but_keeps_the_good_ones(tmp_path, capsys):
    src = tmp_path / "photos"
    src.mkdir()
    Image.new("RGB", (300, 400), (180, 130, 100)).save(src / "good.png")
    (src / "readme.txt").write_text("hello")
    data = tmp_path / "data"
    assert main(["stimuli", "import", str(src), "--part", "feet", "--side", "left", "--data-dir", str(data)]) == 2
    captured = capsys.readouterr()
    assert "skipped readme.txt: it is not a JPEG or PNG image" in captured.err
    assert "1 imported" in captured.out
    assert main(["stimuli", "check", "--photos", "--data-dir", str(data)]) == 0


def test_import_bad_arguments_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["stimuli", "import", str(tmp_path), "--part", "elbow", "--side", "right"])
    assert info.value.code == 2
    assert main(["stimuli", "import", str(tmp_path / "none"), "--part", "hands", "--side", "right",
                 "--data-dir", str(tmp_path / "d")]) == 2
    assert "There is no folder or file" in capsys.readouterr().err
    assert main(["stimuli", "check", "--photos", "--data-dir", str(tmp_path / "d")]) == 2
