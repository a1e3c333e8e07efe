"""The data gmi ships fits together: every imagery and mirror step finds its picture in the shipped library."""

from pathlib import Path

import pytest

from gmi.core.imagery import load_sequence, missing_images
from gmi.core.stimuli import load_manifest

ROOT = Path(__file__).resolve().parents[1]
SEQUENCES = sorted((ROOT / "plans" / "imagery").glob("*.toml")) + sorted((ROOT / "plans" / "mirror").glob("*.toml"))


@pytest.mark.parametrize("path", SEQUENCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_step_has_its_picture(path):
    library = load_manifest(ROOT / "stimuli")
    sequence = load_sequence(path, kind=path.parent.name)
    assert sequence.steps
    assert missing_images(sequence, library) == []


def test_every_part_has_an_imagery_sequence():
    library = load_manifest(ROOT / "stimuli")
    assert {p.stem for p in (ROOT / "plans" / "imagery").glob("*.toml")} == set(library.parts())
