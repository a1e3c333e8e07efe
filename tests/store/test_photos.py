"""Importing the user's own photos: orientation, size, mirror twin, bad files skipped, nothing lost."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gmi.core.errors import GmiError
from gmi.core.stimuli import load_manifest, verify_library
from gmi.store import photos
from gmi.store.photos import import_photos, photo_library, photos_dir, profile_folder_name


def _photo(path: Path, size=(400, 300), colour=(200, 150, 120), marker=(30, 40, 200), fmt=None, exif=None):
    """A test 'photo': flat colour with a marker block in the top-left corner."""
    img = Image.new("RGB", size, colour)
    img.paste(marker, (0, 0, size[0] // 4, size[1] // 4))
    kwargs = {}
    if exif is not None:
        kwargs["exif"] = exif
    img.save(path, format=fmt, **kwargs)
    return path


def _pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def test_good_jpeg_and_png_become_twin_pairs_in_the_profile_folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _photo(src / "Open Hand.jpg")
    _photo(src / "fist.png", size=(300, 450))
    report = import_photos(src, tmp_path / "data", "Ann", "hands", "right")
    assert [name for name, _ in report.imported] == ["Open Hand.jpg", "fist.png"] and not report.failed
    lib = photo_library(tmp_path / "data", "Ann")
    assert lib is not None and lib.root == photos_dir(tmp_path / "data", "Ann")
    assert verify_library(lib) == []
    assert {s.posture for s in lib.stimuli} == {"open_hand", "fist"}
    assert len(lib.stimuli) == 2 * 2 * 8          # two photos, two sides, eight rotations
    assert {s.view for s in lib.stimuli} == {"photo"} and {s.level for s in lib.stimuli} == {1}
    assert {s.source for s in lib.stimuli} == {"photo"}
    assert lib.rotations("hands") == list(range(0, 360, 45))
    for s in lib.stimuli:
        if s.side == "right" and s.rotation_deg == 0:
            twin_file = lib.by_id()[s.twin].file
            right, left = _pixels(lib.path_of(s)), _pixels(lib.root / twin_file)
            assert right.shape == (512, 512, 3)
            assert np.abs(right[:, ::-1] - left).mean() < 2.0
    # stored in the data directory, not next to the originals
    assert not any(p.suffix == ".webp" for p in src.iterdir())


def test_exif_orientation_is_applied_before_fitting(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    exif = Image.Exif()
    exif[0x0112] = 6     # "rotate 90 degrees clockwise to display"
    _photo(src / "turned.jpg", size=(480, 320), exif=exif)
    import_photos(src, tmp_path / "data", "me", "hands", "left")
    lib = photo_library(tmp_path / "data", "me")
    stim = next(s for s in lib.stimuli if s.side == "left" and s.rotation_deg == 0)
    px = _pixels(lib.path_of(stim))
    # stored landscape 480x320, shown portrait: fitted to 341x512, so the padding is left and right...
    assert px[256, 40].tolist() == px[256, 471].tolist()          # padding (border colour) at both sides
    assert abs(int(px[256, 256, 2]) - 120) < 12                    # photo content in the middle
    # ...and the top-left marker of the stored image ends up at the top right after turning clockwise
    top_right = px[20, 330:400].mean(axis=0)
    top_left = px[20, 100:170].mean(axis=0)
    assert top_right[2] > 150 and top_left[2] < 150


@pytest.mark.parametrize("name,maker,reason", [
    ("notes.txt", lambda p: p.write_text("not a photo"), "not a JPEG or PNG"),
    ("broken.jpg", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 200), "damaged"),
    ("cut.png", lambda p: p.write_bytes(_png_bytes()[:3000]), "damaged or incomplete"),
    ("cut.jpg", lambda p: p.write_bytes(_jpeg_bytes()[:3000]), "damaged or incomplete"),
    ("anim.gif", lambda p: Image.new("RGB", (20, 20)).save(p, format="GIF"), "only JPEG and PNG"),
    ("empty.jpg", lambda p: p.write_bytes(b""), "empty"),
])
def test_bad_files_are_skipped_with_a_clear_reason(tmp_path, name, maker, reason):
    src = tmp_path / "in"
    src.mkdir()
    _photo(src / "a_good.jpg")
    maker(src / name)
    report = import_photos(src, tmp_path / "data", "me", "hands", "right")
    assert [n for n, _ in report.imported] == ["a_good.jpg"]
    assert len(report.failed) == 1 and report.failed[0][0] == name and reason in report.failed[0][1]
    assert verify_library(photo_library(tmp_path / "data", "me")) == []


def _noise(size=(200, 150)) -> Image.Image:
    rng = np.random.default_rng(1)
    return Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8))


def _png_bytes() -> bytes:
    buf = io.BytesIO()
    _noise().save(buf, format="PNG")
    return buf.getvalue()


def _jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    _noise().save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def test_huge_files_and_huge_images_are_refused_without_decoding(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    big = src / "big.jpg"
    with open(big, "wb") as handle:        # sparse: 41 MB on paper, nothing on disk
        handle.seek(41 * 1024 * 1024)
        handle.write(b"\0")
    Image.new("1", (8000, 7000)).save(src / "poster.png")     # 56 megapixels, tiny file
    report = import_photos(src, tmp_path / "data", "me", "feet", "left")
    reasons = dict(report.failed)
    assert "too large" in reasons["big.jpg"] and "40 MB" in reasons["big.jpg"]
    assert "too many pixels" in reasons["poster.png"] and "50" in reasons["poster.png"]
    assert photo_library(tmp_path / "data", "me") is None


def test_what_was_imported_survives_a_failure_later_in_the_folder(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    _photo(src / "1_first.jpg")
    _photo(src / "2_second.jpg", colour=(90, 60, 50))
    real_write = photos.atomic_write_bytes
    calls = {"n": 0}

    def failing_write(target, data, mode=0o600):
        calls["n"] += 1
        if calls["n"] == 4:      # first photo: right, left, manifest; the second photo's first file fails
            raise OSError(28, "No space left on device")
        real_write(target, data, mode)

    monkeypatch.setattr(photos, "atomic_write_bytes", failing_write)
    with pytest.raises(OSError):
        import_photos(src, tmp_path / "data", "me", "hands", "right")
    lib = photo_library(tmp_path / "data", "me")
    assert {s.posture for s in lib.stimuli} == {"1_first"}
    assert verify_library(lib) == []


def test_reimport_keeps_identical_photos_and_renames_different_ones(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _photo(src / "hand.jpg")
    import_photos(src, tmp_path / "data", "me", "hands", "right")
    again = import_photos(src, tmp_path / "data", "me", "hands", "right")
    assert again.unchanged == ["hand.jpg"] and not again.imported
    _photo(src / "hand.jpg", colour=(40, 90, 160))
    third = import_photos(src, tmp_path / "data", "me", "hands", "right")
    assert len(third.imported) == 1
    lib = photo_library(tmp_path / "data", "me")
    assert {s.posture for s in lib.stimuli} == {"hand", "hand_2"}
    assert verify_library(lib) == []


def test_profiles_are_kept_apart_and_odd_names_get_safe_folders(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _photo(src / "x.jpg")
    import_photos(src, tmp_path / "data", "../../etc", "hands", "right")
    folder = photos_dir(tmp_path / "data", "../../etc")
    assert folder.parent == tmp_path / "data" / "photos" and (folder / "manifest.tsv").is_file()
    assert photo_library(tmp_path / "data", "someone else") is None
    assert profile_folder_name("Ann") == "Ann"
    assert profile_folder_name("Ann B") != profile_folder_name("Ann_B")


def test_missing_source_and_unknown_part_are_user_errors(tmp_path):
    with pytest.raises(GmiError) as info:
        import_photos(tmp_path / "nowhere", tmp_path / "data", "me", "hands", "right")
    assert info.value.code == "E-PHOTO-SOURCE"
    (tmp_path / "empty").mkdir()
    with pytest.raises(GmiError) as info:
        import_photos(tmp_path / "empty", tmp_path / "data", "me", "hands", "right")
    assert info.value.code == "E-PHOTO-EMPTY"
    with pytest.raises(GmiError):
        import_photos(tmp_path, tmp_path / "data", "me", "elbow", "right")


def test_manifest_is_the_standard_format(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _photo(src / "a.png", fmt="PNG")
    import_photos(src, tmp_path / "data", "me", "knee", "right")
    lib = load_manifest(photos_dir(tmp_path / "data", "me"))
    ids = lib.by_id()
    for s in lib.stimuli:
        assert ids[s.twin].twin == s.id and s.id.startswith("photo_knee_")
