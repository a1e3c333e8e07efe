"""The stimulus library: a manifest (TSV) describing every laterality image.

One manifest row is one stimulus as shown. Images are stored upright; the program applies the in-plane
rotation ``rotation_deg`` (clockwise, as displayed) when it shows them, so several rows share one file.
Every stimulus has a twin: the mirror image, i.e. the opposite side, same part, view, posture and level,
rotation mirrored (``(360 - r) % 360``) and therefore the same medial/lateral direction.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gmi.core.errors import GmiError, Problem, ProblemList

PARTS = ("hands", "feet", "back", "neck", "shoulder", "knee")
SIDES = ("left", "right")
DIRECTIONS = ("medial", "lateral", "none")
LEVELS = (1, 2, 3)  # 1 plain background; 2 textured background; 3 scene background or partial crop
MANIFEST_NAME = "manifest.tsv"
REQUIRED_COLUMNS = ("id", "part", "side", "view", "posture", "rotation_deg", "direction", "level", "twin",
                    "file", "sha256")
OPTIONAL_COLUMNS = ("skin", "build", "background", "source")


@dataclass(frozen=True)
class Stimulus:
    id: str
    part: str
    side: str
    view: str
    posture: str
    rotation_deg: int
    direction: str
    level: int
    twin: str
    file: str          # relative to the library folder
    sha256: str
    skin: str = ""
    build: str = ""
    background: str = ""
    source: str = ""   # "rendered" (project generator) or "photo" (the user's own)


def mirrored_rotation(rotation_deg: int) -> int:
    return (360 - rotation_deg) % 360


def default_direction(side: str, rotation_deg: int) -> str:
    """Medial = the distal end turns towards the body's midline. For a right limb shown upright that is an
    anticlockwise turn (rotations 181–359); for a left limb, clockwise (1–179). 0 and 180 are neither."""
    r = rotation_deg % 360
    if r in (0, 180):
        return "none"
    clockwise = r < 180
    return "lateral" if clockwise == (side == "right") else "medial"


@dataclass
class StimulusLibrary:
    root: Path
    stimuli: list[Stimulus]

    def by_id(self) -> dict[str, Stimulus]:
        return {s.id: s for s in self.stimuli}

    def parts(self) -> list[str]:
        present = {s.part for s in self.stimuli}
        return [p for p in PARTS if p in present]

    def views(self, part: str) -> list[str]:
        return sorted({s.view for s in self.stimuli if s.part == part})

    def rotations(self, part: str) -> list[int]:
        return sorted({s.rotation_deg for s in self.stimuli if s.part == part})

    def levels(self, part: str) -> list[int]:
        return sorted({s.level for s in self.stimuli if s.part == part})

    def select(self, part: str, views: tuple[str, ...] | None = None, rotations: tuple[int, ...] | None = None,
               level: int | None = None) -> list[Stimulus]:
        """Stimuli of one part matching the filters; ``level`` means that level and the easier ones."""
        return [s for s in self.stimuli if s.part == part
                and (not views or s.view in views)
                and (not rotations or s.rotation_deg in rotations)
                and (level is None or s.level <= level)]

    def path_of(self, stimulus: Stimulus) -> Path:
        return self.root / stimulus.file


def load_manifest(folder: Path | str) -> StimulusLibrary:
    """Read ``folder/manifest.tsv``; every malformed row is reported (file, line, field, fix) at once."""
    folder = Path(folder)
    path = folder / MANIFEST_NAME
    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GmiError("E-STIM-MISSING", f"No stimulus manifest at {shown}.",
                       fix="run `python tools/render_stimuli.py` to generate the library, or point gmi at a "
                           "folder that holds manifest.tsv.") from None
    except OSError as exc:
        raise GmiError("E-STIM-UNREADABLE", f"The stimulus manifest {shown} cannot be read ({exc}).",
                       fix="restore the file from the gmi repository (git checkout stimuli/).") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise GmiError("E-STIM-UNREADABLE", f"The stimulus manifest {shown} is not UTF-8 text.", problems=[
            Problem("not UTF-8 text", file=shown, line=raw[:exc.start].count(b"\n") + 1,
                    found=f"byte 0x{raw[exc.start]:02x}", fix="save it as UTF-8, or regenerate the library")]) from None
    problems = ProblemList()
    # Tab-separated without quoting: one line of the file is one row, so every problem names its real line.
    rows = [line.split("\t") for line in re.split(r"\r\n|\n|\r", text)]
    while rows and rows[-1] == [""]:
        rows.pop()
    if not rows:
        raise GmiError("E-STIM-EMPTY", f"The stimulus manifest {shown} is empty.", problems=[
            Problem("the file is empty", file=shown, line=1, allowed="a header line, then one line per stimulus",
                    fix="regenerate it with `python tools/render_stimuli.py`")])
    header = rows[0]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        raise GmiError("E-STIM-HEADER", f"The header of {shown} is not a gmi stimulus manifest.", problems=[
            Problem("wrong columns", file=shown, line=1, field="header",
                    found=f"missing {missing or 'none'}, unknown {unknown or 'none'}",
                    allowed=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
                    fix="regenerate the manifest with `python tools/render_stimuli.py`")])
    stimuli: list[Stimulus] = []
    seen: set[str] = set()
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.add("wrong number of columns", file=shown, line=line_no, found=str(len(row)),
                         allowed=f"{len(header)} tab-separated columns", fix="fix or remove this line")
            continue
        rec = dict(zip(header, (c.strip() for c in row)))
        stim = _parse_row(rec, shown, line_no, problems)
        if stim is None:
            continue
        if stim.id in seen:
            problems.add("duplicate id", file=shown, line=line_no, field="id", found=stim.id,
                         fix="every stimulus needs its own id")
            continue
        seen.add(stim.id)
        stimuli.append(stim)
    problems.raise_if_any("E-STIM-MANIFEST", f"The stimulus manifest {shown} has errors.",
                          fix="correct the lines named above, or regenerate the library.")
    return StimulusLibrary(folder, stimuli)


def _parse_row(rec: dict[str, str], file: str, line: int, problems: ProblemList) -> Stimulus | None:
    before = len(problems.problems)

    def choice(name: str, allowed: tuple[str, ...]) -> str:
        value = rec[name]
        if value not in allowed:
            problems.add(f"unknown {name}", file=file, line=line, field=name, found=repr(value),
                         allowed=", ".join(allowed), fix=f"use one of: {', '.join(allowed)}")
        return value

    def integer(name: str, low: int, high: int) -> int:
        try:
            value = int(rec[name])
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            problems.add(f"must be a whole number from {low} to {high}", file=file, line=line, field=name,
                         found=repr(rec[name]), allowed=f"{low}–{high}", fix=f"correct {name}")
        return value

    part = choice("part", PARTS)
    side = choice("side", SIDES)
    direction = choice("direction", DIRECTIONS)
    rotation = integer("rotation_deg", 0, 359)
    level = integer("level", 1, max(LEVELS))
    for name in ("id", "view", "posture", "twin", "file"):
        if not rec[name]:
            problems.add("must not be empty", file=file, line=line, field=name, fix=f"fill in {name}")
    sha = rec["sha256"].lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        problems.add("must be 64 hexadecimal digits", file=file, line=line, field="sha256", found=repr(rec["sha256"]),
                     fix="recompute it with `gmi stimuli check` or regenerate the library")
    if rec["file"].startswith(("/", "\\")) or ".." in Path(rec["file"]).parts:
        problems.add("must be a path inside the library folder", file=file, line=line, field="file",
                     found=repr(rec["file"]), fix="use a relative path such as hands/right_dorsal_flat.png")
    if len(problems.problems) > before:
        return None
    extra = {k: rec.get(k, "") for k in OPTIONAL_COLUMNS}
    return Stimulus(rec["id"], part, side, rec["view"], rec["posture"], rotation, direction, level, rec["twin"],
                    rec["file"], sha, **extra)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_library(library: StimulusLibrary, *, check_files: bool = True) -> list[Problem]:
    """Everything wrong with a loaded library: files missing or altered, twins missing or inconsistent,
    sides unbalanced per part/view/rotation. An empty list means the library is sound."""
    problems: list[Problem] = []
    where = str(library.root / MANIFEST_NAME)
    ids = library.by_id()
    if check_files:
        checked: dict[str, str | None] = {}
        reported: set[tuple[str, str]] = set()   # one problem per file (rows share files), not one per row
        for s in library.stimuli:
            if s.file not in checked:
                p = library.path_of(s)
                checked[s.file] = sha256_of(p) if p.is_file() else None
            if (s.file, s.sha256) in reported:
                continue
            reported.add((s.file, s.sha256))
            actual = checked[s.file]
            if actual is None:
                problems.append(Problem("image file is missing", file=where, field="file", found=s.file,
                                        fix="regenerate the library or restore the file"))
            elif actual != s.sha256:
                problems.append(Problem(f"image {s.file} does not match its sha256 (changed or damaged)",
                                        file=where, field="sha256", found=actual[:12] + "…",
                                        fix="regenerate the library or restore the file"))
    for s in library.stimuli:
        twin = ids.get(s.twin)
        if twin is None:
            problems.append(Problem(f"stimulus {s.id} has no twin", file=where, field="twin", found=s.twin,
                                    fix="add the mirrored opposite-side image"))
            continue
        expected = (s.part, s.view, s.posture, s.level, mirrored_rotation(s.rotation_deg), s.direction)
        actual_t = (twin.part, twin.view, twin.posture, twin.level, twin.rotation_deg, twin.direction)
        if twin.side == s.side or expected != actual_t or twin.twin != s.id:
            problems.append(Problem(f"twin {twin.id} of {s.id} is not its mirror image", file=where, field="twin",
                                    found=f"{twin.side} {actual_t}",
                                    allowed=f"opposite side with (part, view, posture, level, rotation, direction) = {expected}",
                                    fix="make twins point at each other and mirror side and rotation"))
    counts = Counter((s.part, s.view, s.rotation_deg, s.side) for s in library.stimuli)
    for (part, view, rot, side), n in sorted(counts.items()):
        other = "left" if side == "right" else "right"
        m = counts.get((part, view, rot, other), 0)
        if side == "left" and n != m:
            problems.append(Problem(f"sides unbalanced for {part}, view {view}, rotation {rot}°", file=where,
                                    found=f"{n} left, {m} right", fix="add images so both sides have as many"))
        elif side == "right" and m == 0:
            problems.append(Problem(f"sides unbalanced for {part}, view {view}, rotation {rot}°", file=where,
                                    found=f"0 left, {n} right", fix="add images so both sides have as many"))
    return problems
