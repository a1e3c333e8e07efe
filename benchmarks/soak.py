"""Soak test: 5000 drill trials in one process, headless, with real posted key events.

Real DrillScenes (100 trials each, 1 ms fixation, no feedback) run one after another in one App, as a patient
doing many sessions without restarting gmi; a simulated patient (tools/simpatient.py) answers every picture a
few milliseconds after it appears. Memory is read from /proc/self/status (VmRSS) after the first drill (fonts,
pictures and SQLite warmed up) and at the end. Every posted answer must be a row in the database.
Last line: `rss_growth_mb=X trials_lost=Y` (targets: growth under 20 MB, nothing lost).
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from gmi.ui.scenes.drill import DrillScene  # noqa: E402
from tools.simpatient import answer_key, drill_bench, post_key, run_drill  # noqa: E402

TRIALS = int(os.environ.get("SOAK_TRIALS", "5000"))
TRIALS_PER_DRILL = 100


def rss_mb() -> float:
    """Resident memory now (VmRSS), in MB; the peak from getrusage where /proc is not available."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    app, settings, library = drill_bench("soak", TRIALS_PER_DRILL)
    db = app.ctx.db
    posted = 0
    lock = threading.Lock()

    def answer(stim, onset: int) -> None:
        nonlocal posted
        time.sleep(0.002)
        post_key(answer_key(stim.side))
        with lock:
            posted += 1

    rss_start = rss_mb()
    rss_warm = None
    sessions: list[int] = []
    started = time.perf_counter()
    drills = -(-TRIALS // TRIALS_PER_DRILL)
    for n in range(drills):
        scene = DrillScene(settings, seed=n, library=library, fixation_ms=1, feedback_ms=0, skip_ready=True,
                           on_done=lambda sid: app.pop())
        app.push(scene)
        run_drill(app, scene, answer)
        sessions.append(scene.session_id)
        if rss_warm is None:
            rss_warm = rss_mb()
    elapsed = time.perf_counter() - started
    rss_end = rss_mb()
    rows = sum(len(db.laterality_trials(sid)) for sid in sessions)
    answered = sum(1 for sid in sessions for r in db.laterality_trials(sid) if r["response"] is not None)
    ok = db.integrity_ok()
    print(f"trials={rows} answered={answered} posted={posted} sessions={len(sessions)} seconds={elapsed:.1f} "
          f"rss_start_mb={rss_start:.1f} rss_after_first_drill_mb={rss_warm:.1f} rss_end_mb={rss_end:.1f} "
          f"integrity={'ok' if ok else 'FAILED'}")
    print(f"rss_growth_mb={rss_end - rss_warm:.1f} trials_lost={posted - answered}")
    pygame.quit()
    db.close()


if __name__ == "__main__":
    main()
