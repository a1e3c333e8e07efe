"""Writing the library: image files for both sides, the manifest, and contact sheets."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import numpy as np

from gmi.core.stimuli import (MANIFEST_NAME, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, default_direction,
                              mirrored_rotation)

from .catalog import Job, PartSpec
from .picture import IMAGE_EXT, encode

COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
SIDES = ("right", "left")


def write_pair(out: Path, job: Job, pixels: np.ndarray) -> dict[str, str]:
    """Write the right picture and its exact mirror (the left twin); returns side -> sha256."""
    shas = {}
    for side in SIDES:
        data = encode(pixels if side == "right" else np.ascontiguousarray(np.fliplr(pixels)))
        path = out / job.file(side, IMAGE_EXT)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        shas[side] = hashlib.sha256(data).hexdigest()
    return shas


def manifest_rows(spec: PartSpec, job: Job, shas: dict[str, str]) -> list[dict[str, str]]:
    rows = []
    for side in SIDES:
        other = "left" if side == "right" else "right"
        for rot in spec.rotations:
            rows.append({
                "id": job.stimulus_id(side, rot), "part": job.part, "side": side, "view": job.view,
                "posture": job.posture, "rotation_deg": str(rot), "direction": default_direction(side, rot),
                "level": str(job.level), "twin": job.stimulus_id(other, mirrored_rotation(rot)),
                "file": job.file(side, IMAGE_EXT), "sha256": shas[side], "skin": job.skin, "build": job.build,
                "background": job.background, "source": "rendered"})
    return rows


def read_rows(out: Path) -> list[dict[str, str]]:
    path = out / MANIFEST_NAME
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def write_manifest(out: Path, rows: list[dict[str, str]]) -> None:
    order = {p: i for i, p in enumerate(("hands", "feet", "back", "neck", "shoulder", "knee"))}
    rows = sorted(rows, key=lambda r: (order.get(r["part"], 99), r["file"], int(r["rotation_deg"])))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), delimiter="\t", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: r.get(c, "") for c in COLUMNS})
    (out / MANIFEST_NAME).write_text(buf.getvalue(), encoding="utf-8")


def remove_stale(out: Path, part: str, keep: set[str]) -> int:
    """Delete images of ``part`` that the new manifest no longer names (a posture or level was dropped)."""
    folder = out / part
    removed = 0
    if folder.is_dir():
        for f in sorted(folder.iterdir()):
            rel = f"{part}/{f.name}"
            if f.is_file() and rel not in keep:
                f.unlink()
                removed += 1
    return removed


def contact_sheet(out: Path, rows: list[dict[str, str]], part: str, dest: Path, thumb: int = 170) -> Path | None:
    """One PNG per part: every upright right picture (and, in the last column of each view, a left twin
    for comparison), labelled view / posture / level."""
    from PIL import Image, ImageDraw

    files = []
    seen = set()
    for r in rows:
        if r["part"] != part or r["rotation_deg"] != "0" or r["side"] != "right" or r["file"] in seen:
            continue
        seen.add(r["file"])
        files.append((r["file"], f'{r["view"]} / {r["posture"]} / L{r["level"]}'))
    if not files:
        return None
    cols = 9
    label_h = 16
    rows_n = (len(files) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * thumb, rows_n * (thumb + label_h)), (40, 40, 40))
    draw = ImageDraw.Draw(sheet)
    for i, (f, label) in enumerate(files):
        r, c = divmod(i, cols)
        with Image.open(out / f) as im:
            sheet.paste(im.convert("RGB").resize((thumb, thumb), Image.LANCZOS), (c * thumb, r * (thumb + label_h)))
        draw.text((c * thumb + 3, r * (thumb + label_h) + thumb + 2), label, fill=(230, 230, 230))
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{part}.png"
    sheet.save(path)
    return path
