"""`gmi selftest` end to end under the dummy video driver: it measures the drill's own answer loop and the
app's frame loop, prints a verdict (or JSON), and Esc stops it."""

from __future__ import annotations

import json
import threading
import time

import pygame

import gmi.ui.scenes.drill as drill
from gmi.cli import main


def test_selftest_measures_the_drill_answer_loop_and_frames(monkeypatch, tmp_path, capsys):
    calls = []
    original = drill.DrillScene.wait_for_answer

    def spy(self, onset_ns, deadline_ns):
        calls.append(deadline_ns - onset_ns)
        return original(self, onset_ns, deadline_ns)

    monkeypatch.setattr(drill.DrillScene, "wait_for_answer", spy)
    code = main(["selftest", "--seconds", "1", "--json", "--data-dir", str(tmp_path)])
    report = json.loads(capsys.readouterr().out)
    assert calls and calls[0] >= 0.9e9                          # the drill's own wait loop, for about 1 s
    assert report["polls"] > 200 and report["frames"] >= 20 and report["poll_p99_ms"] > 0
    assert report["video_driver"] == "dummy" and report["real_screen"] is False
    assert code == 1 and report["trustworthy"] is False        # without a screen it cannot say yes
    assert not (tmp_path / "gmi.sqlite3").exists()              # the user's data directory is not touched


def test_selftest_in_words(tmp_path, capsys):
    main(["selftest", "--seconds", "1", "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert "Answers: gmi looked for a key press every" in out and "Screen:" in out and "frames took" in out


def test_esc_stops_the_selftest(tmp_path, capsys):
    def press_esc():
        while pygame.display.get_surface() is None:
            time.sleep(0.01)
        time.sleep(0.3)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=0))

    threading.Thread(target=press_esc, daemon=True).start()
    started = time.monotonic()
    assert main(["selftest", "--seconds", "10", "--data-dir", str(tmp_path)]) == 1
    assert time.monotonic() - started < 8
    assert "stopped before the end" in capsys.readouterr().out
