"""Launch-to-first-drawn-frame time of `python -m gmi`, and a check that cv2/mediapipe are not imported.

Each run starts a fresh process (dummy video driver) with GMI_BENCH_FIRST_FRAME=1, which draws the home
screen once, flips, prints a line and exits. Last line: `startup_s median=X` (target <= 1.0).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7


def main() -> None:
    data = tempfile.mkdtemp(prefix="gmi-startup-")
    env = os.environ | {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "GMI_BENCH_FIRST_FRAME": "1",
                        "PYTHONPATH": str(ROOT)}
    times, heavy = [], set()
    for i in range(RUNS):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "gmi", "--data-dir", data], stdout=subprocess.PIPE,
                                text=True, env=env, cwd=ROOT)
        first = None
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("first_frame") and first is None:
                first = time.perf_counter() - t0
            if line.startswith("modules"):
                heavy |= set(line.split()[1:])
        proc.wait()
        if first is None:
            raise SystemExit(f"run {i}: gmi exited with {proc.returncode} before drawing a frame")
        times.append(first)
        print(f"run {i + 1}: {first:.3f} s" + (" (first launch: creates the database)" if i == 0 else ""))
    print(f"heavy_modules_imported={','.join(sorted(heavy)) or 'none'}")
    print(f"startup_s median={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
