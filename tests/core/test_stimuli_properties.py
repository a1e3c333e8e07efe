"""Property tests: thousands of malformed stimulus manifests never crash gmi.

A damaged manifest.tsv (cells, rows, header or raw bytes) either loads as a library whose every row is valid, or
raises GmiError whose problems name the manifest, the line and the problem. Never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from gmi.core.errors import GmiError
from gmi.core.stimuli import (DIRECTIONS, LEVELS, MANIFEST_NAME, OPTIONAL_COLUMNS, PARTS, REQUIRED_COLUMNS, SIDES,
                              default_direction, load_manifest, mirrored_rotation, verify_library)

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
COLUMNS = REQUIRED_COLUMNS + ("skin", "source")


def valid_rows() -> list[list[str]]:
    rows = [list(COLUMNS)]
    for view in ("dorsal", "palmar"):
        for side in SIDES:
            other = "left" if side == "right" else "right"
            for rot in (0, 90, 180, 270):
                rows.append([f"hands-{side}-{view}-{rot}", "hands", side, view, "flat", str(rot),
                             default_direction(side, rot), "1", f"hands-{other}-{view}-{mirrored_rotation(rot)}",
                             f"hands/{side}_{view}.png", "ab" * 32, "medium", "rendered"])
    return rows


VALID = valid_rows()
CELL_NOISE = st.one_of(st.text(max_size=10), st.sampled_from(["", " ", "\t", '"', '"quoted', "-1", "360", "4", "0",
                                                              "1e3", "../x.png", "/abs.png", "nan", "LEFT",
                                                              *PARTS, *SIDES, *DIRECTIONS, *COLUMNS]))


@st.composite
def damaged_manifests(draw) -> str:
    rows = [list(r) for r in VALID]
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cell", "cell", "cell", "header", "drop_row", "dup_row", "cut_row",
                                    "add_cell", "insert_line", "drop_column"]))
        i = draw(st.integers(0, len(rows) - 1))
        row = rows[i]
        if how == "cell" and row:
            row[draw(st.integers(0, len(row) - 1))] = draw(CELL_NOISE)
        elif how == "header" and rows[0]:     # an earlier cut may have emptied the header row
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(CELL_NOISE)
        elif how == "drop_row" and len(rows) > 1:
            del rows[i]
        elif how == "dup_row":
            rows.insert(i, list(row))
        elif how == "cut_row":
            rows[i] = row[: draw(st.integers(0, len(row)))]
        elif how == "add_cell":
            row.append(draw(CELL_NOISE))
        elif how == "insert_line":
            rows.insert(i, draw(st.text(max_size=30)).split("\t"))
        elif how == "drop_column" and rows[0]:
            column = draw(st.integers(0, len(rows[0]) - 1))
            for r in rows:
                if column < len(r):
                    del r[column]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join("\t".join(r) for r in rows) + newline


def check(folder: Path) -> None:
    shown = str(folder / MANIFEST_NAME)
    try:
        library = load_manifest(folder)
    except GmiError as exc:
        assert exc.problems, str(exc)
        assert all(p.message and p.file == shown for p in exc.problems), str(exc)
        assert all(p.line is not None and p.line >= 1 for p in exc.problems), str(exc)
        return
    for s in library.stimuli:
        assert s.part in PARTS and s.side in SIDES and s.direction in DIRECTIONS and s.level in LEVELS
        assert 0 <= s.rotation_deg <= 359 and s.id and s.file and ".." not in Path(s.file).parts
        assert set(s.__dict__) >= set(REQUIRED_COLUMNS) and all(isinstance(getattr(s, c), str)
                                                                for c in OPTIONAL_COLUMNS)
    for problem in verify_library(library, check_files=True):   # the image files are absent: reported, not raised
        assert problem.message and problem.file == shown


def test_the_undamaged_manifest_loads():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / MANIFEST_NAME).write_text("\n".join("\t".join(r) for r in VALID) + "\n", encoding="utf-8")
        library = load_manifest(tmp)
        assert len(library.stimuli) == len(VALID) - 1
        assert all(p.message == "image file is missing" for p in verify_library(library))


@settings(FAST, max_examples=1500)
@given(damaged_manifests())
def test_damaged_manifests_load_or_raise_gmi_error_naming_line_and_field(tmp_path, text):
    (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8", newline="")
    check(tmp_path)


@settings(FAST, max_examples=500)
@given(st.binary(max_size=40), st.integers(0, 3000), st.booleans())
def test_bytes_spliced_into_the_manifest_are_reported(tmp_path, junk, at, alone):
    raw = ("\n".join("\t".join(r) for r in VALID) + "\n").encode("utf-8")
    at = min(at, len(raw))
    (tmp_path / MANIFEST_NAME).write_bytes(junk if alone else raw[:at] + junk + raw[at:])
    check(tmp_path)


def test_a_stray_quote_is_reported_on_its_own_line_and_does_not_swallow_the_rows_after_it(tmp_path):
    rows = [list(r) for r in VALID]
    rows[3][1] = '"hands'
    (tmp_path / MANIFEST_NAME).write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    try:
        load_manifest(tmp_path)
    except GmiError as exc:
        assert [(p.line, p.field) for p in exc.problems] == [(4, "part")]
        assert "'\"hands'" in str(exc)
    else:
        raise AssertionError("a quoted part must be reported")


def test_invalid_utf8_names_the_line(tmp_path):
    text = "\n".join("\t".join(r) for r in VALID).encode("utf-8")
    lines = text.split(b"\n")
    lines[5] = lines[5].replace(b"flat", b"fl\xe4t")
    (tmp_path / MANIFEST_NAME).write_bytes(b"\n".join(lines))
    try:
        load_manifest(tmp_path)
    except GmiError as exc:
        assert exc.problems[0].line == 6 and "UTF-8" in str(exc) and "0xe4" in str(exc)
    else:
        raise AssertionError("bad UTF-8 must be reported")
