"""A simulated patient for benchmarks, screenshots and tests: it watches a running DrillScene and, for each
new picture (a new stamped onset), calls ``act(stimulus, onset_ns)`` from its own thread — which usually
waits a little and posts a real key or mouse event with pygame.event.post, as a person's answer arrives."""

from __future__ import annotations

import threading
import time
from typing import Callable

import pygame


def post_key(key: int) -> int:
    """Post a real KEYDOWN; returns perf_counter_ns taken just before the post."""
    t = time.perf_counter_ns()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    return t


def answer_key(side: str) -> int:
    return pygame.K_LEFT if side == "left" else pygame.K_RIGHT


class SimulatedPatient(threading.Thread):
    def __init__(self, scene, act: Callable[[object, int], None]) -> None:
        super().__init__(daemon=True)
        self.scene, self.act = scene, act
        self.stop_event = threading.Event()

    def run(self) -> None:
        seen = 0
        while not self.stop_event.is_set():
            st = self.scene.state
            if st.phase == "stimulus" and st.onset_ns and st.onset_ns != seen:
                seen = st.onset_ns
                self.act(self.scene.trials[st.index], seen)
            time.sleep(0.0003)

    def __enter__(self) -> "SimulatedPatient":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.join()


def run_drill(app, scene, act: Callable[[object, int], None], until: Callable[[object], bool] | None = None,
              max_steps: int = 1_000_000) -> None:
    """Step ``app`` until ``until(scene)`` (default: the drill is done) while the patient answers."""
    until = until or (lambda sc: sc.state.phase == "done")
    with SimulatedPatient(scene, act):
        for _ in range(max_steps):
            if until(scene):
                return
            app.step(1 / 60)
    raise AssertionError("the drill did not reach the expected state")


def drill_bench(profile: str, trials: int):
    """For the drill benchmarks: an App on a throw-away data directory, drill settings of ``trials`` pictures
    (hands, 2 s each), and the picture library — a tiny generated one when this checkout has no rendered
    library (timing and bookkeeping do not depend on the pictures). Returns (app, settings, library)."""
    import os
    import tempfile
    from dataclasses import replace
    from pathlib import Path

    from gmi.core.laterality import DrillSettings
    from gmi.store.db import Database
    from gmi.ui.app import App, AppContext, open_window
    from gmi.ui.scenes.drill import load_library

    tmp = Path(tempfile.mkdtemp(prefix=f"gmi-{profile}-"))
    app = App(open_window(), AppContext.load(Database.open(tmp), profile, tmp))
    settings = replace(DrillSettings(), part="hands", trials=trials, time_limit_s=2.0)
    try:
        library = load_library(settings, tmp, profile)
    except Exception:
        from tests.conftest import write_tiny_library

        os.environ["GMI_STIMULI_DIR"] = str(write_tiny_library(tmp / "stimuli"))
        library = load_library(settings, tmp, profile)
    return app, settings, library
