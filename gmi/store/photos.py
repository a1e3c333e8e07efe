"""The user's own photos as a stimulus library ("my photos"), kept in the data directory per profile.

``import_photos`` turns a folder of JPEG/PNG photos of one body part and side into laterality stimuli:
orientation fixed from EXIF, fitted and padded to 512 x 512, the mirrored opposite side created, each
picture pair and the manifest written atomically one photo at a time, so a bad or huge file later in the
folder never costs what was already imported. The library uses the same manifest format as the rendered
one (gmi/core/stimuli.py): source "photo", level 1, view "photo", posture from the file name, rotations
0-315 in 45 degree steps.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from gmi.core.errors import GmiError
from gmi.core.stimuli import (MANIFEST_NAME, OPTIONAL_COLUMNS, PARTS, REQUIRED_COLUMNS, SIDES, Stimulus,
                              StimulusLibrary, default_direction, load_manifest, mirrored_rotation)
from gmi.store.location import atomic_write_bytes, prepare_data_dir

PHOTOS_FOLDER = "photos"
SIZE = 512
ROTATIONS = tuple(range(0, 360, 45))
MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}   # MPO: JPEGs from some phone cameras
OUTPUT_EXT = "webp"
OUTPUT_QUALITY = 92


@dataclass
class ImportReport:
    imported: list[tuple[str, str]] = field(default_factory=list)   # (source file name, stored right/left file)
    unchanged: list[str] = field(default_factory=list)              # already imported, identical
    failed: list[tuple[str, str]] = field(default_factory=list)     # (source file name, reason)
    library_dir: Path | None = None


class PhotoRejected(Exception):
    """One photo cannot be used; the message says why in plain words."""


def profile_folder_name(profile: str) -> str:
    """A folder name for a profile: the name itself when it is safe, else a readable slug plus a short hash
    (so two different names never share a folder)."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", profile):
        return profile
    slug = re.sub(r"[^A-Za-z0-9]+", "-", profile).strip("-")[:40] or "profile"
    return f"{slug}-{hashlib.sha256(profile.encode('utf-8')).hexdigest()[:8]}"


def photos_dir(data_dir: Path, profile: str) -> Path:
    return Path(data_dir) / PHOTOS_FOLDER / profile_folder_name(profile)


def photo_library(data_dir: Path, profile: str) -> StimulusLibrary | None:
    """The profile's imported photos, or None when there are none yet. A damaged manifest raises GmiError."""
    folder = photos_dir(data_dir, profile)
    if not (folder / MANIFEST_NAME).is_file():
        return None
    library = load_manifest(folder)
    return library if library.stimuli else None


def posture_from_stem(stem: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")
    return name[:60] or "photo"


def normalise_photo(path: Path):
    """Open, check and normalise one photo; returns an RGB 512 x 512 PIL image or raises PhotoRejected."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PhotoRejected(f"cannot be read ({exc.strerror or exc})") from None
    if size > MAX_FILE_BYTES:
        raise PhotoRejected(f"is too large ({size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    if size == 0:
        raise PhotoRejected("is empty")
    try:
        with warnings.catch_warnings():
            # Pillow warns about very large images before we can refuse them ourselves
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(path)
        with im:
            if im.format not in ACCEPTED_FORMATS:
                raise PhotoRejected(f"is a {im.format or 'unknown'} image; only JPEG and PNG photos can be imported")
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(f"has too many pixels ({width} x {height} = {width * height / 1e6:.0f} "
                                    f"megapixels; the limit is {MAX_PIXELS // 1_000_000})")
            im.load()
            upright = ImageOps.exif_transpose(im)
            rgb = _flatten(upright)
    except PhotoRejected:
        raise
    except UnidentifiedImageError:
        raise PhotoRejected("is not a JPEG or PNG image (or is too damaged to tell)") from None
    except Image.DecompressionBombError:
        raise PhotoRejected(f"has too many pixels (the limit is {MAX_PIXELS // 1_000_000} megapixels)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoRejected(f"is damaged or incomplete and cannot be decoded ({exc})") from None
    return _fit_square(rgb)


def _flatten(im):
    """RGB, with any transparency laid over a light grey (as the rendered level-1 backdrop)."""
    from PIL import Image

    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        back = Image.new("RGBA", rgba.size, (219, 219, 217, 255))
        back.alpha_composite(rgba)
        return back.convert("RGB")
    return im.convert("RGB")


def _fit_square(im):
    """Fit the whole photo inside SIZE x SIZE (nothing cut off) and pad with its own border colour."""
    import numpy as np
    from PIL import Image

    w, h = im.size
    scale = SIZE / max(w, h)
    new = (max(1, round(w * scale)), max(1, round(h * scale)))
    fitted = im.resize(new, Image.LANCZOS)
    pixels = np.asarray(fitted)
    edge = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    colour = tuple(int(v) for v in np.median(edge, axis=0))
    square = Image.new("RGB", (SIZE, SIZE), colour)
    square.paste(fitted, ((SIZE - new[0]) // 2, (SIZE - new[1]) // 2))
    return square


def _encode(im) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="WEBP", quality=OUTPUT_QUALITY, method=4)
    return buf.getvalue()


def _rows_for(part: str, side: str, posture: str, files: dict[str, str], shas: dict[str, str]) -> list[dict[str, str]]:
    rows = []
    for s in (side, "left" if side == "right" else "right"):
        other = "left" if s == "right" else "right"
        for rot in ROTATIONS:
            rows.append({
                "id": _photo_id(part, s, posture, rot), "part": part, "side": s, "view": "photo", "posture": posture,
                "rotation_deg": str(rot), "direction": default_direction(s, rot), "level": "1",
                "twin": _photo_id(part, other, posture, mirrored_rotation(rot)), "file": files[s], "sha256": shas[s],
                "skin": "", "build": "", "background": "photo", "source": "photo"})
    return rows


def _photo_id(part: str, side: str, posture: str, rotation: int) -> str:
    return f"photo_{part}_{side}_{posture}_r{rotation:03d}"


def _row_of(s: Stimulus) -> dict[str, str]:
    return {"id": s.id, "part": s.part, "side": s.side, "view": s.view, "posture": s.posture,
            "rotation_deg": str(s.rotation_deg), "direction": s.direction, "level": str(s.level), "twin": s.twin,
            "file": s.file, "sha256": s.sha256, "skin": s.skin, "build": s.build, "background": s.background,
            "source": s.source}


def _manifest_bytes(rows: list[dict[str, str]]) -> bytes:
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    lines = ["\t".join(columns)]
    for r in sorted(rows, key=lambda r: (r["part"], r["file"], int(r["rotation_deg"]))):
        lines.append("\t".join(r.get(c, "") for c in columns))
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_photos(source: Path, data_dir: Path, profile: str, part: str, side: str,
                  progress=None) -> ImportReport:
    """Import every photo in ``source`` (a folder, or one file) as ``part``/``side``. Returns what was imported
    and what was skipped and why; raises GmiError only for problems that stop the whole import."""
    source = Path(source)
    if part not in PARTS:
        raise GmiError("E-PHOTO-PART", f"Unknown body part {part!r}.", fix=f"use one of: {', '.join(PARTS)}")
    if side not in SIDES:
        raise GmiError("E-PHOTO-SIDE", f"Unknown side {side!r}.", fix="use left or right: the side the photos show")
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
    elif source.is_file():
        files = [source]
    else:
        raise GmiError("E-PHOTO-SOURCE", f"There is no folder or file called {source}.",
                       fix="give the folder that holds the photos, e.g. `gmi stimuli import ~/Pictures/hands "
                           "--part hands --side right`.")
    if not files:
        raise GmiError("E-PHOTO-EMPTY", f"The folder {source} holds no files.",
                       fix="copy the JPEG or PNG photos into it, or give another folder.")
    prepare_data_dir(Path(data_dir))
    folder = photos_dir(data_dir, profile)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    existing = load_manifest(folder).stimuli if (folder / MANIFEST_NAME).is_file() else []
    rows = [_row_of(s) for s in existing]
    taken = {(r["part"], r["posture"]): r for r in rows}
    report = ImportReport(library_dir=folder)
    for path in files:
        try:
            image = normalise_photo(path)
        except PhotoRejected as exc:
            report.failed.append((path.name, str(exc)))
            if progress:
                progress(f"skipped {path.name}: it {exc}", False)
            continue
        from PIL import ImageOps

        data = {side: _encode(image)}
        data["left" if side == "right" else "right"] = _encode(ImageOps.mirror(image))
        shas = {s: hashlib.sha256(b).hexdigest() for s, b in data.items()}
        posture = posture_from_stem(path.stem)
        # the same name imported before: identical pictures are left alone, different ones get a new name
        n = 1
        base = posture
        while (part, posture) in taken:
            prior = [r for r in rows if r["part"] == part and r["posture"] == posture and r["side"] == side]
            if prior and prior[0]["sha256"] == shas[side]:
                break
            n += 1
            posture = f"{base}_{n}"
        if (part, posture) in taken:
            report.unchanged.append(path.name)
            if progress:
                progress(f"{path.name} was imported before (unchanged)", True)
            continue
        files_out = {s: f"{part}/{s}_{posture}.{OUTPUT_EXT}" for s in SIDES}
        for s in SIDES:
            atomic_write_bytes(folder / files_out[s], data[s])
        new_rows = _rows_for(part, side, posture, files_out, shas)
        rows += new_rows
        taken[(part, posture)] = new_rows[0]
        atomic_write_bytes(folder / MANIFEST_NAME, _manifest_bytes(rows))
        report.imported.append((path.name, files_out[side]))
        if progress:
            progress(f"imported {path.name} as {side} {part} \"{posture}\" (and its mirror image as the "
                     f"{'left' if side == 'right' else 'right'} twin)", True)
    return report
