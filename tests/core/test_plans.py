import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import gmi.core.plans as plans_mod
from gmi.core.errors import GmiError
from gmi.core.movements import MOVEMENT_NAMES, MOVEMENTS
from gmi.core.plans import AdvanceRule, QuotaRule, load_plan, parse_plan, summarize
from gmi.core.tomlcheck import Table

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "plans").glob("*.toml"))
INVALID = sorted((ROOT / "tests" / "data" / "plans" / "invalid").glob("*.toml"))

MINIMAL = '''\
patient = "P-1"
author = "A. Physio"
written = 2026-11-01

[[hierarchy]]
name = "Lift"
fear = 70
activity = "Lift a bag"
  [[hierarchy.levels]]
  reps = 3

[[hierarchy]]
name = "Bend"
fear = 40
movement = "trunk_forward_bend"
  [[hierarchy.levels]]
  target_deg = 30
  reps = 5
  [[hierarchy.levels]]
  target_deg = 45
  reps = 5
  sets = 2
  hold_s = 2.5
'''


# -- the examples ------------------------------------------------------------------------------------
def test_there_are_at_least_five_examples_covering_the_required_regions():
    names = " ".join(p.stem for p in EXAMPLES)
    assert len(EXAMPLES) >= 5
    for region in ("back", "neck", "shoulder", "knee", "camera-free"):
        assert region in names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_plan_is_valid_and_summarises(path):
    plan = load_plan(path)
    assert plan.items and [i.fear for i in plan.items] == sorted(i.fear for i in plan.items)
    text = summarize(plan, dt.date(2026, 11, 21))
    assert plan.patient in text and "exposure order" in text


def test_examples_cover_quota_camera_free_and_item_overrides():
    loaded = [load_plan(p) for p in EXAMPLES]
    assert any(isinstance(p.progression, QuotaRule) for p in loaded)
    assert any(all(not i.measured for i in p.items) for p in loaded)
    assert any(i.progression != p.progression for p in loaded for i in p.items)
    assert {i.movement for p in loaded for i in p.items if i.movement} >= {
        "trunk_forward_bend", "neck_rotation", "shoulder_flexion", "shoulder_abduction", "squat", "sit_to_stand"}


# -- parsing a valid plan ------------------------------------------------------------------------------
def test_minimal_plan_parses_with_defaults_and_fear_order():
    plan = parse_plan(MINIMAL, "m.toml")
    assert [i.name for i in plan.items] == ["Bend", "Lift"]          # sorted by fear
    bend = plan.items[0]
    assert bend.measured and bend.movement == "trunk_forward_bend" and bend.side is None
    assert bend.levels[1].total_reps == 10 and bend.levels[1].hold_s == 2.5 and bend.levels[1].number == 2
    assert bend.levels[0].sets == 1 and bend.levels[0].rest_s == 60      # defaults
    assert plan.stop.pain_above == 7 and plan.stop.then == "hold" and plan.stop.rise_above is None
    assert plan.progression == AdvanceRule(2, 1, 2)
    assert "hierarchy.levels.rest_s" in plan.defaults_used and "stop.pain_above" in plan.defaults_used
    assert plan.start() == (0, 1)
    assert len(plan.sha256) == 64 and plan.programme_raw is None


def test_every_default_is_labelled_with_its_source():
    for name, default in plans_mod.DEFAULTS.items():
        assert default.source, name
        assert default.published or "clinician-adjustable" in default.source
    assert not plans_mod.DEFAULTS["stop.pain_above"].published
    assert plans_mod.DEFAULTS["progression.baseline_sessions"].published


def test_summary_labels_defaults_and_flags_a_passed_review_date():
    plan = parse_plan(MINIMAL.replace("written = 2026-11-01", "written = 2026-11-01\nreview_by = 2026-11-10"))
    text = summarize(plan, dt.date(2026, 12, 1))
    assert "review date 2026-11-10 has passed" in text
    assert "clinician-adjustable default (no published source)" in text


def test_item_progression_overrides_only_what_it_sets():
    text = MINIMAL + '''
[progression]
rule = "advance"
sessions_at_target = 3
max_pain_rise = 0
step_back_rise = 4
'''
    text = text.replace('activity = "Lift a bag"', 'activity = "Lift a bag"\n  [hierarchy.progression]\n  sessions_at_target = 1')
    plan = parse_plan(text)
    lift, bend = plan.item("Lift"), plan.item("Bend")
    assert bend.progression == AdvanceRule(3, 0, 4)
    assert lift.progression == AdvanceRule(1, 0, 4)


def test_quota_rule_parses():
    text = MINIMAL.replace("  [[hierarchy.levels]]\n  target_deg = 45\n  reps = 5\n  sets = 2\n  hold_s = 2.5\n", "")
    plan = parse_plan(text + '\n[progression]\nrule = "quota"\nweekly_increase_pct = 12.5\n')
    assert plan.progression == QuotaRule(3, 75, 12.5)


def test_sided_movement_keeps_its_side():
    text = MINIMAL.replace('movement = "trunk_forward_bend"', 'movement = "neck_rotation"\nside = "right"')
    assert parse_plan(text).item("Bend").side == "right"


def test_sided_movements_are_movements():
    assert plans_mod.SIDED_MOVEMENTS <= set(MOVEMENT_NAMES)


def _with_target(movement: str, target: float) -> str:
    side = '\nside = "left"' if movement in plans_mod.SIDED_MOVEMENTS else ""
    text = MINIMAL.replace('movement = "trunk_forward_bend"', f'movement = "{movement}"{side}')
    return re.sub(r"target_deg = \d+", f"target_deg = {target}", text)


@pytest.mark.parametrize("name", MOVEMENT_NAMES)
def test_target_range_is_the_one_the_camera_scores(name):
    """One source of truth: the plan check allows exactly Movement.target_range (movements.toml)."""
    low, high = MOVEMENTS[name].target_range
    for target in (low, high):
        assert parse_plan(_with_target(name, target)).item("Bend").levels[0].target_deg == target
    for target in (low - 1, high + 1):
        with pytest.raises(GmiError) as err:
            parse_plan(_with_target(name, target))
        problem = err.value.problems[0]
        assert problem.field == "hierarchy[1].levels[0].target_deg"     # the second item in the file
        assert f"from {low:g} to {high:g}" in problem.allowed
        assert "cannot be told apart from resting" in problem.fix   # told why, not only the numbers


def test_documented_target_ranges_match_the_movement_library():
    doc = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")
    for name, movement in MOVEMENTS.items():
        row = re.search(rf"^\| `{name}` \|.*$", doc, re.M)
        assert row, name
        low, high = movement.target_range
        assert f"| {low:g}–{high:g} |" in row.group(0), (name, row.group(0))


# -- programme hook ---------------------------------------------------------------------------------
PROGRAMME = MINIMAL + '\n[programme]\nstage = "laterality"\nweeks = 2\n'


def test_programme_table_is_kept_raw_without_a_validator(monkeypatch):
    monkeypatch.setattr(plans_mod, "PROGRAMME_VALIDATOR", None)   # wired to gmi.core.programme by default
    plan = parse_plan(PROGRAMME, "p.toml")
    assert plan.programme_raw == {"stage": "laterality", "weeks": 2}
    assert plan.programme is None and plan.path == "p.toml"
    assert "GMI programme: present (not checked" in summarize(plan)


def test_programme_validator_hook_reports_with_lines(monkeypatch):
    def validator(table: Table):
        weeks = table.integer("weeks", 1, 1)
        table.unknown_keys(["weeks"])
        return {"weeks": weeks}

    monkeypatch.setattr(plans_mod, "PROGRAMME_VALIDATOR", validator)
    with pytest.raises(GmiError) as info:
        parse_plan(PROGRAMME, "p.toml")
    fields = {p.field: p.line for p in info.value.problems}
    assert fields == {"programme.weeks": 27, "programme.stage": 26}
    monkeypatch.setattr(plans_mod, "PROGRAMME_VALIDATOR", lambda table: "parsed")
    assert parse_plan(PROGRAMME).programme == "parsed"


# -- the invalid corpus ------------------------------------------------------------------------------
def expectations(path: Path) -> tuple[str, int | None]:
    text = path.read_text(encoding="utf-8")
    field = re.search(r"^# expect-field: ?(.*)$", text, re.M).group(1).strip()
    line = re.search(r"^# expect-line: (\d+)$", text, re.M)
    return field, int(line.group(1)) if line else None


def test_the_invalid_corpus_is_large_enough():
    assert len(INVALID) >= 25


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_plan_is_rejected_naming_the_field(path):
    field, line = expectations(path)
    with pytest.raises(GmiError) as info:
        load_plan(path)
    err = info.value
    assert err.problems, "every rejection lists its problems"
    for problem in err.problems:
        assert problem.file == str(path) and problem.fix and problem.message
    if not field:
        assert err.code == "E-TOML-SYNTAX"
        assert err.problems[0].line == line
        return
    assert err.code == "E-PLAN"
    named = {p.field: p for p in err.problems}
    assert field in named, [p.field for p in err.problems]
    problem = named[field]
    if line is not None:
        assert problem.line == line
    source_lines = path.read_text(encoding="utf-8").splitlines()
    if problem.line is not None:
        shown = source_lines[problem.line - 1]
        last_key = [part for part in re.split(r"[.\[\]]", field) if part and not part.isdigit()][-1]
        assert last_key in shown or "[[" in shown, (shown, field)
    else:
        assert "." not in field and "[" not in field   # only a missing top-level key has no line


def test_all_problems_are_reported_at_once():
    text = MINIMAL.replace("fear = 70", "fear = 170").replace("reps = 3", "reps = 0").replace(
        'author = "A. Physio"', 'autor = "A. Physio"')
    with pytest.raises(GmiError) as info:
        parse_plan(text)
    assert {p.field for p in info.value.problems} == {
        "hierarchy[0].fear", "hierarchy[0].levels[0].reps", "autor", "author"}
    assert "did you mean author" in next(p.fix for p in info.value.problems if p.field == "autor")


# -- property tests: mutated and malformed plans never crash --------------------------------------------
def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")   # TOML wants DEL escaped


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def to_toml(data: dict) -> str:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in data.items())


scalars = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(), st.text(max_size=12),
                    st.dates(), st.sampled_from(MOVEMENT_NAMES + ("left", "right", "both", "quota", "advance", "")))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=6)
keys = st.sampled_from(sorted(set(plans_mod.TOP_KEYS + plans_mod.ITEM_KEYS + plans_mod.LEVEL_KEYS
                                  + plans_mod.STOP_KEYS + plans_mod.QUOTA_KEYS + plans_mod.ADVANCE_KEYS))) | st.text(max_size=8)


def containers(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from containers(v, path + (k,))
    elif isinstance(node, list):
        yield path, node
        for i, v in enumerate(node):
            yield from containers(v, path + (i,))


@st.composite
def mutated_plans(draw):
    base = draw(st.sampled_from(EXAMPLES + [None]))
    import tomllib
    data = tomllib.loads(base.read_text(encoding="utf-8") if base else MINIMAL)
    for _ in range(draw(st.integers(1, 4))):
        spots = list(containers(data))
        _, spot = draw(st.sampled_from(spots))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(spot, dict):
            if spot and action in ("replace", "delete"):
                key = draw(st.sampled_from(sorted(spot)))
                if action == "delete":
                    del spot[key]
                else:
                    spot[key] = draw(values)
            else:
                spot[draw(keys)] = draw(values)
        elif isinstance(spot, list):
            if spot and action != "add":
                index = draw(st.integers(0, len(spot) - 1))
                if action == "delete":
                    del spot[index]
                else:
                    spot[index] = draw(values)
            else:
                spot.append(draw(values))
    return to_toml(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_plans())
def test_mutated_plans_give_a_plan_or_a_gmi_error_with_problems(text):
    try:
        plan = parse_plan(text, "fuzz.toml")
    except GmiError as exc:
        assert exc.problems and all(p.message and p.file == "fuzz.toml" for p in exc.problems)
        assert str(exc)
    else:
        assert plan.items and all(item.levels for item in plan.items)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EXAMPLES), st.data())
def test_damaged_plan_text_never_raises_anything_but_gmi_error(path, data):
    lines = path.read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["delete", "duplicate", "truncate", "insert"]))
        if how == "delete" and len(lines) > 1:
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        else:
            lines.insert(i, data.draw(st.text(alphabet=st.sampled_from(list('ab=[]{}."#1 _-')), max_size=15)))
    try:
        parse_plan("\n".join(lines), "damaged.toml")
    except GmiError as exc:
        assert exc.problems


def test_every_field_and_movement_is_documented():
    doc = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")
    for key in set(plans_mod.TOP_KEYS + plans_mod.ITEM_KEYS + plans_mod.LEVEL_KEYS + plans_mod.STOP_KEYS
                   + plans_mod.ADVANCE_KEYS + plans_mod.QUOTA_KEYS) | set(MOVEMENT_NAMES):
        assert f"`{key}`" in doc or f"[{key}]" in doc or f"`[{key}]`" in doc, key
    for name, default in plans_mod.DEFAULTS.items():
        assert str(default.value) in doc, name
