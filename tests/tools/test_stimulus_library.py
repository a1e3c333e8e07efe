"""The committed stimulus library (stimuli/): manifest integrity, twins, balance, size, variety."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from gmi.core.stimuli import default_direction, load_manifest, mirrored_rotation, verify_library
from tools.stimrender.catalog import jobs_for, part_specs

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "stimuli"

REQUIRED = {
    "hands": ({"dorsal", "palmar", "thumb_side", "little_finger_side"},
              {"flat", "fist", "pointing", "thumb_up", "pinch", "spread", "ok_sign", "claw", "cupped", "holding_ball"}),
    "feet": ({"top", "sole", "inner", "outer"},
             {"neutral", "pointed", "pulled_up", "turned_in", "turned_out", "toes_curled"}),
    "back": ({"behind", "front"}, {"rotation_small", "rotation_medium", "rotation_large", "side_bend_small",
                                   "side_bend_medium", "side_bend_large"}),
    "neck": ({"front", "back"}, {"turn_small", "turn_medium", "turn_large", "tilt_small", "tilt_medium", "tilt_large"}),
    "shoulder": ({"front", "back"}, {"raised_forward", "raised_side", "behind_back", "across_body", "hand_on_head"}),
    "knee": ({"front", "side"}, {"bent", "straight", "crossed", "kneeling", "step_up"}),
}


@pytest.fixture(scope="module")
def library():
    return load_manifest(LIBRARY)


def test_library_verifies_clean(library):
    assert verify_library(library) == []


def test_every_row_is_consistent_with_its_twin_and_direction(library):
    ids = library.by_id()
    for s in library.stimuli:
        twin = ids[s.twin]
        assert twin.side != s.side and twin.file != s.file
        assert twin.rotation_deg == mirrored_rotation(s.rotation_deg)
        assert s.direction == default_direction(s.side, s.rotation_deg)
        assert s.source == "rendered" and s.file.endswith(".webp")


def test_parts_views_postures_levels_and_rotations_are_complete(library):
    present = set(library.parts())
    for part in present:
        views, postures = REQUIRED[part]
        rows = [s for s in library.stimuli if s.part == part]
        assert views <= {s.view for s in rows}, part
        assert postures <= {s.posture for s in rows}, part
        assert set(library.levels(part)) == {1, 2, 3}, part
        expected_rot = set(range(0, 360, 45)) if part in ("hands", "feet") else {0}
        assert expected_rot <= set(library.rotations(part)), part
    assert {"hands", "feet"} <= present


def test_sides_balanced_per_part_view_posture_rotation_and_level(library):
    counts = Counter((s.part, s.view, s.posture, s.rotation_deg, s.level, s.side) for s in library.stimuli)
    for (part, view, posture, rot, level, side), n in counts.items():
        other = "left" if side == "right" else "right"
        assert counts[(part, view, posture, rot, level, other)] == n


def test_variety_of_skin_build_and_background(library):
    by_part = defaultdict(list)
    for s in library.stimuli:
        by_part[s.part].append(s)
    for part, rows in by_part.items():
        assert len({s.skin for s in rows}) >= 3, part
        assert len({s.build for s in rows}) >= 2, part
        for level in (1, 2, 3):
            assert len({s.background for s in rows if s.level == level}) >= 2, (part, level)
        for view in {s.view for s in rows}:
            skins = Counter(s.skin for s in rows if s.view == view and s.rotation_deg == 0 and s.side == "right")
            assert len(skins) >= 2, (part, view)


def test_manifest_names_exactly_the_files_on_disk_and_the_set_is_small(library):
    named = {s.file for s in library.stimuli}
    on_disk = {str(p.relative_to(LIBRARY)) for p in LIBRARY.rglob("*") if p.is_file() and p.name != "manifest.tsv"}
    assert named == on_disk
    total = sum(p.stat().st_size for p in LIBRARY.rglob("*") if p.is_file())
    assert total < 40 * 1024 * 1024


def test_manifest_matches_the_generator_catalogue(library):
    """Every job the generator knows is in the manifest (with both sides), and nothing else is."""
    specs = part_specs()
    expected = set()
    for part in library.parts():
        for job in jobs_for(specs[part]):
            expected |= {job.file("right"), job.file("left")}
    assert expected == {s.file for s in library.stimuli}


def test_images_are_512_squares_that_pygame_loads_and_left_is_the_mirror_of_right(library):
    import pygame
    from PIL import Image

    pairs = sorted({(s.file, library.by_id()[s.twin].file) for s in library.stimuli if s.side == "right"})
    for right, left in pairs[::9]:     # a spread-out sample keeps this quick
        a = np.asarray(Image.open(LIBRARY / right).convert("RGB"), dtype=np.int16)
        b = np.asarray(Image.open(LIBRARY / left).convert("RGB"), dtype=np.int16)
        assert a.shape == (512, 512, 3)
        assert np.abs(a[:, ::-1] - b).mean() < 1.5, (right, left)   # lossy coding: equal up to noise
        assert np.abs(a - b).mean() > 2.0, (right, left)            # ...and really a different picture
        assert pygame.image.load(str(LIBRARY / right)).get_size() == (512, 512)
