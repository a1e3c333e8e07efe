"""Progression decisions: what the next exposure session of an item should be, and why, in plain words.

Pure functions over the outcomes of past sessions (oldest first). Two rules, chosen per plan or item:

- ``advance``: after N sessions in a row at the current level that reached the target with pain rising by
  at most X points, move up a level (past the last level: the next item, by fear). A rise of more than Y
  points after a session steps back a level. The plan's stop rules (pain above a threshold during the
  session, or a rise of more than N points afterwards) lead to "hold" or "step back" as the plan says.
- ``quota`` (graded activity, time-contingent): baseline sessions first (as many repetitions as
  comfortable), then a quota of start% of the baseline mean, raised by a fixed % of baseline each week
  whatever the pain, up to the goal (the level's repetitions × sets). A session stopped by a stop rule
  holds (or steps back) the quota once.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from gmi.core.plans import AdvanceRule, Item, Plan, QuotaRule, StopRules


class Action(Enum):
    ADVANCE = "advance"        # up a level, or on to the next item
    HOLD = "hold"              # same level again
    STEP_BACK = "step_back"    # one level easier
    BASELINE = "baseline"      # quota rule: still measuring the baseline
    QUOTA = "quota"            # quota rule: the next quota
    COMPLETE = "complete"      # last level of the last item reached


@dataclass(frozen=True)
class SessionOutcome:
    """What happened in one exposure session of an item (built by the exposure session or the store)."""

    date: dt.date
    level: int                    # 1-based level done
    reps_target: int              # repetitions planned for the whole session (all sets)
    reps_done: int
    reps_at_target: int           # repetitions that reached the angle/hold target (tap mode: all done)
    pain_before: int | None       # NRS before starting
    pain_after: int | None        # NRS afterwards
    stopped_by_pain: bool = False
    completed: bool = True        # False: left before the after-ratings (window closed, power cut)

    @property
    def pain_rise(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def at_target(self) -> bool:
        return not self.stopped_by_pain and self.reps_target > 0 and self.reps_at_target >= self.reps_target


@dataclass(frozen=True)
class Decision:
    action: Action
    item_index: int               # into plan.items (exposure order)
    item: str
    level: int                    # 1-based level for the next session
    reps_target: int | None       # quota: total repetitions next time; None: the level's reps × sets
    reason: str


def points(n: int) -> str:
    return f"{n} point" if abs(n) == 1 else f"{n} points"


def _sessions(n: int) -> str:
    return f"{n} session" if n == 1 else f"{n} sessions"


def relevant(history: Sequence[SessionOutcome]) -> list[SessionOutcome]:
    """Sessions that count: finished ones, and ones a stop rule ended. Abandoned sessions say nothing."""
    return [o for o in history if o.completed or o.stopped_by_pain]


def decide(plan: Plan, item_index: int, level: int, history: Sequence[SessionOutcome],
           today: dt.date) -> Decision:
    """The next session for ``plan.items[item_index]`` at ``level``, given that item's outcomes (oldest first)."""
    item = plan.items[item_index]
    rule = item.progression
    if isinstance(rule, QuotaRule):
        return _decide_quota(plan, item_index, rule, plan.stop, relevant(history), today)
    return _decide_advance(plan, item_index, level, rule, plan.stop, relevant(history))


def start_decision(plan: Plan) -> Decision:
    """Where a plan starts when nothing has been done yet."""
    index, level = plan.start()
    item = plan.items[index]
    if isinstance(item.progression, QuotaRule):
        return _baseline(item, index, 0, item.progression)
    return Decision(Action.HOLD, index, item.name, level, None,
                    f'First session of this plan: "{item.name}", level {level}.')


def _moved(plan: Plan, item_index: int, level: int, action: Action, why: str) -> Decision:
    """Apply an action to a position; explains where it lands."""
    item = plan.items[item_index]
    if action is Action.ADVANCE:
        if level < len(item.levels):
            return Decision(action, item_index, item.name, level + 1, None, f"{why}: next time, level {level + 1}.")
        if item_index + 1 < len(plan.items):
            nxt = plan.items[item_index + 1]
            first = nxt.start_level if not isinstance(nxt.progression, QuotaRule) else 1
            return Decision(action, item_index + 1, nxt.name, first, None,
                            f'{why}, and that was the last level of "{item.name}". '
                            f'Next time: "{nxt.name}", level {first}.')
        return Decision(Action.COMPLETE, item_index, item.name, level, None,
                        f"{why}, and that was the last level of the whole plan. Well done. "
                        "Keep it up at this level and talk to your physiotherapist about what comes next.")
    if action is Action.STEP_BACK:
        if level > 1:
            return Decision(action, item_index, item.name, level - 1, None,
                            f"{why}: next time, level {level - 1}, one step easier.")
        return Decision(Action.HOLD, item_index, item.name, level, None,
                        f"{why}. This is already the easiest level of this item, so next time: level {level} "
                        "again. If this keeps happening, talk to your physiotherapist.")
    return Decision(Action.HOLD, item_index, item.name, level, None, f"{why}: next time, level {level} again.")


def _stop_action(stop: StopRules) -> Action:
    return Action.STEP_BACK if stop.then == "step_back" else Action.HOLD


def _decide_advance(plan: Plan, item_index: int, level: int, rule: AdvanceRule, stop: StopRules,
                    history: list[SessionOutcome]) -> Decision:
    at_level: list[SessionOutcome] = []
    for outcome in reversed(history):       # the current run of sessions at this level
        if outcome.level != level:
            break
        at_level.insert(0, outcome)
    if not at_level:
        return _moved(plan, item_index, level, Action.HOLD, f"No session at level {level} yet")
    last = at_level[-1]
    rise = last.pain_rise
    if last.stopped_by_pain:
        return _moved(plan, item_index, level, _stop_action(stop),
                      f"The last session stopped because pain went above {stop.pain_above}/10")
    if rise is not None and rise > rule.step_back_rise:
        return _moved(plan, item_index, level, Action.STEP_BACK,
                      f"Pain rose by {points(rise)} after the last session (from {last.pain_before} to "
                      f"{last.pain_after}), more than the {rule.step_back_rise} your plan allows")
    if rise is not None and stop.rise_above is not None and rise > stop.rise_above:
        return _moved(plan, item_index, level, _stop_action(stop),
                      f"Pain rose by {points(rise)} after the last session (from {last.pain_before} to "
                      f"{last.pain_after}), more than the {stop.rise_above} your plan's stop rule allows")
    n = rule.sessions_at_target
    window = at_level[-n:]
    good = [o for o in window if o.at_target and o.pain_rise is not None and o.pain_rise <= rule.max_pain_rise]
    reached = sum(o.at_target for o in window)
    if len(good) == n:
        worst = max(o.pain_rise for o in good)  # type: ignore[type-var]
        pain = "pain did not rise" if worst <= 0 else f"pain rose by at most {points(worst)}"
        return _moved(plan, item_index, level, Action.ADVANCE,
                      f"You reached the target in {n} of the last {_sessions(n)} and {pain}")
    if len(window) == 1:
        what = f"You {'reached' if reached else 'did not reach'} the target in your last session"
    else:
        what = f"You reached the target in {reached} of the last {_sessions(len(window))}"
    if not last.at_target and not last.stopped_by_pain and last.reps_target:
        what += f" ({last.reps_at_target} of {last.reps_target} repetitions reached it last time)"
    too_painful = sum(o.at_target and o.pain_rise is not None and o.pain_rise > rule.max_pain_rise for o in window)
    unrated = sum(o.at_target and o.pain_rise is None for o in window)
    if too_painful:
        what += f", and pain rose by more than {points(rule.max_pain_rise)}" + \
            (f" in {too_painful} of them" if len(window) > 1 else "")
    if unrated:
        what += "; the pain ratings are missing" + (f" for {unrated} of them" if len(window) > 1 else "")
    need = (f"{_sessions(n)} in a row at target, with pain rising by at most {points(rule.max_pain_rise)}, "
            "move you on")
    decision = _moved(plan, item_index, level, Action.HOLD, what)
    return Decision(decision.action, decision.item_index, decision.item, decision.level, None,
                    f"{decision.reason} ({need}.)")


def _baseline(item: Item, item_index: int, done: int, rule: QuotaRule) -> Decision:
    goal = item.levels[0].total_reps
    return Decision(Action.BASELINE, item_index, item.name, 1, None,
                    f"Baseline session {done + 1} of {rule.baseline_sessions}: do as many repetitions as you "
                    f"comfortably can, up to {goal}, and stop when you would normally stop. These sessions "
                    "set your starting quota.")


def quota_for(baseline_mean: float, rule: QuotaRule, week: int, goal: int) -> int:
    """The time-contingent quota in week ``week`` (0 = the first week after the baseline)."""
    pct = rule.start_pct + max(week, 0) * rule.weekly_increase_pct
    return min(goal, max(1, math.floor(baseline_mean * pct / 100 + 0.5)))


def _decide_quota(plan: Plan, item_index: int, rule: QuotaRule, stop: StopRules,
                  history: list[SessionOutcome], today: dt.date) -> Decision:
    item = plan.items[item_index]
    goal = item.levels[0].total_reps
    b = rule.baseline_sessions
    if len(history) < b:
        return _baseline(item, item_index, len(history), rule)
    baseline = history[:b]
    mean = sum(o.reps_done for o in baseline) / b
    after = history[b:]
    if after:
        last = after[-1]
        if last.reps_target >= goal and last.reps_done >= goal and not last.stopped_by_pain:
            return _moved(plan, item_index, len(item.levels), Action.ADVANCE,
                          f"You did your goal of {goal} repetitions")
        rise = last.pain_rise
        stopped = last.stopped_by_pain or (rise is not None and stop.rise_above is not None
                                           and rise > stop.rise_above)
        if stopped:
            why = (f"The last session stopped because pain went above {stop.pain_above}/10"
                   if last.stopped_by_pain else
                   f"Pain rose by {points(rise or 0)} after the last session, more than the "
                   f"{stop.rise_above} your plan's stop rule allows")
            if stop.then == "step_back":
                target = max(1, math.floor(last.reps_target - mean * rule.weekly_increase_pct / 100 + 0.5))
                return Decision(Action.STEP_BACK, item_index, item.name, 1, target,
                                f"{why}: next time, {target} repetitions, one weekly step lower.")
            return Decision(Action.HOLD, item_index, item.name, 1, last.reps_target,
                            f"{why}: next time, {last.reps_target} repetitions again.")
    week = (today - baseline[-1].date).days // 7
    quota = quota_for(mean, rule, week, goal)
    pct = rule.start_pct + max(week, 0) * rule.weekly_increase_pct
    reason = (f"Your baseline average was {mean:.1f} repetitions. Week {max(week, 0) + 1} of your quota: "
              f"{pct:g}% of baseline")
    if quota >= goal:
        reason += f", which reaches your goal: next time, {goal} repetitions."
    else:
        reason += f": next time, {quota} repetitions."
    reason += " Do exactly this number, however you feel on the day: the quota, not pain, decides when to stop."
    return Decision(Action.QUOTA, item_index, item.name, 1, quota, reason)
