"""Render gmi's stimulus library: `python tools/render_stimuli.py [--only PART] [--sheet DIR]`.

Deterministic (same code, same pixels, same bytes), numpy only, one CPU core. Writes the right-side
pictures and their mirrored left twins to stimuli/<part>/, then stimuli/manifest.tsv, and prints the render
time of every picture and the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gmi.core.stimuli import load_manifest, verify_library  # noqa: E402
from tools.stimrender.catalog import jobs_for, part_specs  # noqa: E402
from tools.stimrender.library import (contact_sheet, manifest_rows, read_rows, remove_stale,  # noqa: E402
                                      write_manifest, write_pair)
from tools.stimrender.picture import render_job  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    specs = part_specs()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "stimuli", help="library folder (default: stimuli/)")
    parser.add_argument("--only", action="append", choices=sorted(specs), metavar="PART",
                        help=f"render only this part (repeatable): {', '.join(specs)}")
    parser.add_argument("--sheet", type=Path, metavar="DIR", help="also write one contact sheet per part to DIR")
    parser.add_argument("--sheet-only", action="store_true", help="write contact sheets from the existing files")
    parser.add_argument("--limit", type=int, default=0, help="render only the first N pictures of each part "
                                                             "(for quick looks; the manifest is not written)")
    args = parser.parse_args(argv)
    parts = args.only or list(specs)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    times: list[float] = []
    started = time.perf_counter()
    if not args.sheet_only:
        rows = [r for r in read_rows(out) if r["part"] not in parts]
        for part in parts:
            spec = specs[part]
            jobs = jobs_for(spec)
            if args.limit:
                jobs = jobs[:args.limit]
            keep: set[str] = set()
            for k, job in enumerate(jobs, start=1):
                picture = render_job(job)
                shas = write_pair(out, job, picture.pixels)
                new_rows = manifest_rows(spec, job, shas)
                rows += new_rows
                keep |= {r["file"] for r in new_rows}
                times.append(picture.seconds)
                print(f"[{part} {k}/{len(jobs)}] {job.view} {job.posture} L{job.level}: {picture.seconds:.2f} s "
                      f"(median so far {statistics.median(times):.2f} s)", flush=True)
            if not args.limit:
                removed = remove_stale(out, part, keep)
                if removed:
                    print(f"removed {removed} stale files from {part}/")
        if not args.limit:
            write_manifest(out, rows)
    if args.sheet:
        rows = read_rows(out)
        for part in parts:
            path = contact_sheet(out, rows, part, args.sheet)
            if path:
                print(f"contact sheet: {path}")
    if not args.sheet_only and not args.limit:
        problems = verify_library(load_manifest(out))
        for p in problems:
            print(f"PROBLEM: {p}")
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        n_files = sum(1 for f in out.rglob("*") if f.is_file())
        if times:
            print(f"rendered {len(times)} pictures ({2 * len(times)} files with their mirrored twins) in "
                  f"{time.perf_counter() - started:.0f} s; median render time {statistics.median(times):.2f} s per "
                  f"picture; {out.name}/ holds {n_files} files, {size / 1e6:.1f} MB")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
