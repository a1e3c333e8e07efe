import datetime as dt

import pytest

from gmi.core.errors import GmiError
from gmi.core.tomlcheck import Checker, describe, did_you_mean, field_name, load_toml, parse_toml

TEXT = '''\
# a comment
title = "Plan"           # line 2
written = 2025-03-01

[patient]
name = "P01"
"odd key" = 1
notes = """
fake = 1
"""
after = 2

[[hierarchy]]
name = "first"
fear = 30

  [[hierarchy.levels]]
  reps = 5

  [[hierarchy.levels]]
  reps = 8
  sets = [1, 2]

  [hierarchy.rule]
  kind = "hold"

[[hierarchy]]
name = "second"
levels = [{ reps = 2 }, { reps = 3 }]
inline = { a.b = 1 }
'''


def test_field_name_formats_keys_and_indices():
    assert field_name(("hierarchy", 2, "levels", 0, "target_deg")) == "hierarchy[2].levels[0].target_deg"
    assert field_name(("a b", 1)) == '"a b"[1]'
    assert field_name(()) == ""


def test_line_of_finds_keys_tables_and_array_items():
    src = parse_toml(TEXT, "p.toml")
    assert src.line_of(("title",)) == 2
    assert src.line_of(("written",)) == 3
    assert src.line_of(("patient",)) == 5
    assert src.line_of(("patient", "odd key")) == 7
    assert src.line_of(("patient", "after")) == 11          # the multi-line string did not confuse the scan
    assert src.line_of(("patient", "fake")) == 5            # not a key: falls back to its table
    assert src.line_of(("hierarchy", 0)) == 13
    assert src.line_of(("hierarchy", 0, "fear")) == 15
    assert src.line_of(("hierarchy", 0, "levels", 0, "reps")) == 18
    assert src.line_of(("hierarchy", 0, "levels", 1, "reps")) == 21
    assert src.line_of(("hierarchy", 0, "levels", 1, "sets", 1)) == 22   # list item → its key's line
    assert src.line_of(("hierarchy", 0, "rule", "kind")) == 25
    assert src.line_of(("hierarchy", 1, "name")) == 28
    assert src.line_of(("hierarchy", 1, "levels", 1, "reps")) == 29     # inline tables → their key
    assert src.line_of(("nothing",)) is None


def test_syntax_error_names_line_column_and_fix(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('a = 1\nname = Anna\n', encoding="utf-8")
    with pytest.raises(GmiError) as info:
        load_toml(path)
    err = info.value
    assert err.code == "E-TOML-SYNTAX"
    assert f"{path}:2:8" in err.message
    (problem,) = err.problems
    assert problem.line == 2 and problem.found == "name = Anna" and "double quotes" in problem.fix


def test_duplicate_key_gets_a_specific_fix():
    with pytest.raises(GmiError) as info:
        parse_toml("a = 1\na = 2\n", "x.toml")
    assert "appears twice" in info.value.problems[0].fix


def test_missing_directory_and_non_utf8_files(tmp_path):
    with pytest.raises(GmiError) as info:
        load_toml(tmp_path / "nope.toml", what="plan")
    assert info.value.code == "E-TOML-MISSING" and "plan" in info.value.message
    with pytest.raises(GmiError) as info:
        load_toml(tmp_path)
    assert info.value.code == "E-TOML-MISSING"
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'a = 1\nname = "J\xf6rg"\n')
    with pytest.raises(GmiError) as info:
        load_toml(bad)
    assert info.value.code == "E-TOML-ENCODING" and info.value.problems[0].line == 2


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeffa = 1\n".encode("utf-8"))
    assert load_toml(path).data == {"a": 1}


def check(text: str):
    checker = Checker(parse_toml(text, "t.toml"))
    return checker, checker.root


def only_problem(checker):
    assert len(checker.problems.problems) == 1, checker.problems.problems
    return checker.problems.problems[0]


def test_unknown_key_suggests_the_closest_known_key():
    checker, root = check('pateint = "x"\n')
    assert root.unknown_keys(["patient", "author"]) == ["pateint"]
    p = only_problem(checker)
    assert p.field == "pateint" and p.line == 1 and "did you mean patient" in p.fix
    checker, root = check('zzz = 1\n')
    root.unknown_keys(["patient"])
    assert "did you mean" not in only_problem(checker).fix


def test_required_string_missing_and_wrong_type():
    checker, root = check("[patient]\nid = 3\n")
    t = root.table("patient")
    assert t.string("name", required=True) is None
    p = only_problem(checker)
    assert p.field == "patient.name" and p.line == 1 and "[patient]" in p.fix
    assert t.string("id") is None
    assert checker.problems.problems[1].found == "3"


def test_string_empty_too_long_default_and_strip():
    checker, root = check('a = "  hi "\nb = ""\nc = "xxxxxx"\n')
    assert root.string("a") == "hi"
    assert root.string("b") is None
    assert root.string("c", max_len=5) is None
    assert root.string("d", default="dflt") == "dflt"
    assert [p.line for p in checker.problems.problems] == [2, 3]


@pytest.mark.parametrize("text,ok", [("x = 5", True), ("x = 0", True), ("x = 10", True), ("x = 11", False),
                                     ("x = -1", False), ("x = 5.5", False), ('x = "5"', False),
                                     ("x = true", False), ("x = nan", False)])
def test_integer_range(text, ok):
    checker, root = check(text + "\n")
    assert (root.integer("x", 0, 10) is not None) is ok
    assert bool(checker.problems) is not ok


def test_quoted_number_gets_remove_quotes_fix_and_float_gets_round_fix():
    checker, root = check('x = "5"\ny = 2.6\n')
    root.number("x", 0, 10)
    root.integer("y", 0, 10)
    first, second = checker.problems.problems
    assert "remove the quotes" in first.fix and "round" in second.fix


def test_number_accepts_int_and_float_and_defaults():
    checker, root = check("x = 2.5\ny = 3\n")
    assert root.number("x", 0, 5) == 2.5 and root.number("y", 0, 5) == 3
    assert root.number("z", 0, 5, default=1.5) == 1.5
    assert not checker.problems


def test_boolean_and_choice():
    checker, root = check('a = "true"\nb = true\nside = "lefft"\nc = 1\n')
    assert root.boolean("a") is None and "without quotes" in checker.problems.problems[0].fix
    assert root.boolean("b") is True
    assert root.choice("side", ["left", "right", "both"]) is None
    assert 'did you mean "left"' in checker.problems.problems[1].fix
    assert root.choice("c", ["x"]) is None
    assert root.choice("missing", ["x"], default="x") == "x"


@pytest.mark.parametrize("text,expected", [("d = 2025-03-01", dt.date(2025, 3, 1)),
                                           ('d = "2025-03-01"', dt.date(2025, 3, 1)),
                                           ('d = "2025-02-30"', None), ('d = "01/03/2025"', None),
                                           ("d = 2025-03-01T10:00:00", None), ("d = 10:00:00", None),
                                           ("d = 3", None)])
def test_dates(text, expected):
    checker, root = check(text + "\n")
    assert root.date("d") == expected
    assert bool(checker.problems) is (expected is None)


def test_date_bounds():
    checker, root = check("d = 1990-01-01\n")
    assert root.date("d", earliest=dt.date(2000, 1, 1)) is None
    assert only_problem(checker).allowed.startswith("from 2000-01-01")


def test_tables_and_list_of():
    text = TEXT + 'nums = [1, 200, "x"]\nwords = ["a", "a"]\n'
    checker, root = check(text.replace("inline = { a.b = 1 }\n", ""))
    items = root.tables("hierarchy", min_items=1)
    assert [t.path for t in items] == [("hierarchy", 0), ("hierarchy", 1)]
    levels = items[0].tables("levels")
    assert levels[1].list_of("sets", "integer", low=1, high=5) == [1, 2]
    assert not checker.problems
    second = items[1]
    assert second.list_of("nums", "integer", low=0, high=100) is None
    fields = [p.field for p in checker.problems.problems]
    assert fields == ["hierarchy[1].nums[1]", "hierarchy[1].nums[2]"]
    assert second.list_of("words", "string", unique=True) is None
    assert checker.problems.problems[-1].field == "hierarchy[1].words"
    assert items[1].tables("levels", max_items=1) and checker.problems.problems[-1].field == "hierarchy[1].levels"


def test_tables_rejects_non_tables():
    checker, root = check('items = [1, { a = 1 }]\nthing = 3\n')
    assert len(root.tables("items")) == 1
    assert root.table("thing") is None
    assert [p.field for p in checker.problems.problems] == ["items[0]", "thing"]
    assert root.tables("none", min_items=1) == []
    assert checker.problems.problems[-1].field == "none"


def test_list_of_choices_and_not_a_list():
    checker, root = check('sides = ["left", "rigth"]\nx = 3\n')
    assert root.list_of("sides", "choice", options=["left", "right"]) is None
    assert 'did you mean "right"' in checker.problems.problems[0].fix
    assert root.list_of("x", "number") is None
    assert checker.problems.problems[1].field == "x"


def test_raise_if_any_carries_every_problem():
    checker, root = check("a = 1\nb = 2\n")
    root.unknown_keys([])
    with pytest.raises(GmiError) as info:
        checker.raise_if_any("E-TEST", "bad")
    assert [p.field for p in info.value.problems] == ["a", "b"]
    assert [p.line for p in info.value.problems] == [1, 2]


def test_helpers():
    assert did_you_mean("Patient", ["patient"]) == "patient"
    assert did_you_mean("xyz", ["patient"]) is None
    assert describe('say "hi"') == '"say \\"hi\\""' and describe(True) == "true" and describe([1]) == "a list of 1"


from hypothesis import given, settings, strategies as st


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab=[]{}."\'#\n 1-_:,T')), max_size=80))
def test_any_text_parses_or_raises_gmi_error_and_line_lookup_never_fails(text):
    try:
        src = parse_toml(text, "fuzz.toml")
    except GmiError as exc:
        assert exc.code == "E-TOML-SYNTAX" and exc.problems
        return
    for key in src.data:
        line = src.line_of((key, 0, "x"))
        assert line is None or 1 <= line <= text.count("\n") + 1
