"""The GMI programme on the home screen: current stage, today's dose done and left, the criteria and how
close they are; and the way into imagined movements and mirror therapy.

The home screen calls :func:`draw_programme_panel` for its side panel and adds :func:`programme_entries`
to its buttons. The programme is the one in the profile's plan (remembered by `gmi programme --plan`),
or the default programme for the body part chosen on the home screen.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

import pygame

from gmi.core.programme import STAGE_LABELS, Programme, StageStatus, programme_for
from gmi.store.programme import stage_status
from gmi.ui.widgets import draw_paragraph, draw_text, panel

SETTINGS_KEY = "programme"     # profile settings: {"plan": path or None, "affected_side": left|right|both}


def programme_settings(ctx) -> dict[str, Any]:
    return dict(ctx.profile.settings.get(SETTINGS_KEY, {}))


def remember_programme_settings(ctx, **values: Any) -> None:
    """Merge ``values`` into the profile's programme settings, saved at once."""
    from gmi.store.db import Profile

    settings = dict(ctx.profile.settings)
    settings[SETTINGS_KEY] = {**programme_settings(ctx), **values}
    ctx.db.save_profile_settings(ctx.profile.id, settings)
    ctx.profile = Profile(ctx.profile.id, ctx.profile.name, ctx.profile.created_at, settings)


def active_programme(ctx, part: str | None = None) -> tuple[Programme, str, str]:
    """(programme, part, message): the plan's programme when it covers ``part``, else the default one."""
    part = part or ctx.drill.part
    saved = programme_settings(ctx)
    programme, message = programme_for(part, saved.get("plan"), saved.get("affected_side"))
    return programme, part, message


def affected_side(ctx, programme: Programme | None = None) -> str | None:
    programme = programme or active_programme(ctx)[0]
    return programme.affected_side or programme_settings(ctx).get("affected_side")


def programme_status(ctx, today: date | None = None, part: str | None = None) -> tuple[StageStatus, str]:
    """The status for the home screen; criteria that hold open the next stage (recorded, with a notice)."""
    programme, part, problem = active_programme(ctx, part)
    status, moved = stage_status(ctx.db, ctx.profile.id, programme, part, today or datetime.now().astimezone().date())
    if moved is not None:
        opened = f"Well done: the next stage, {STAGE_LABELS[moved.to_stage].lower()}, is now open."
        problem = f"{opened} {problem}".strip()
    return status, problem


def _bar(surface: pygame.Surface, rect: pygame.Rect, share: float, colour, theme) -> None:
    pygame.draw.rect(surface, theme.bg, rect, border_radius=rect.height // 2)
    if share > 0:
        pygame.draw.rect(surface, colour, (rect.x, rect.y, max(rect.height, int(rect.width * min(1.0, share))),
                                           rect.height), border_radius=rect.height // 2)


def draw_programme_panel(surface: pygame.Surface, rect: pygame.Rect, theme, status: StageStatus,
                         message: str = "") -> int:
    """Draw the programme status in a panel at the top of ``rect``, as tall as it needs (at most ``rect``);
    returns the panel's bottom."""
    layer = pygame.Surface(rect.size, pygame.SRCALPHA)
    bottom = _draw_status(layer, layer.get_rect(), theme, status, message)
    box = pygame.Rect(rect.x, rect.y, rect.width, min(rect.height, bottom + 12))
    panel(surface, box, theme)
    surface.blit(layer, rect.topleft, area=pygame.Rect(0, 0, rect.width, box.height))
    return box.bottom


def _draw_status(surface: pygame.Surface, rect: pygame.Rect, t, status: StageStatus, message: str) -> int:
    x, y, width = rect.x + 20, rect.y + 14, rect.width - 40
    stage_no = status.stages.index(status.stage) + 1
    y = draw_paragraph(surface, f"Your programme · {status.part}", t.font(22), t.muted, x, y, width)
    y = draw_paragraph(surface, f"Stage {stage_no} of {len(status.stages)}: {STAGE_LABELS[status.stage]}",
                       t.font(26, True), t.fg, x, y, width) + 4
    # stage track: done, current, locked
    seg_w = (width - 8 * (len(status.stages) - 1)) // len(status.stages)
    for k, stage in enumerate(status.stages):
        seg = pygame.Rect(x + k * (seg_w + 8), y, seg_w, 8)
        colour = t.good if k < stage_no - 1 else t.accent if k == stage_no - 1 else t.bg
        pygame.draw.rect(surface, colour, seg, border_radius=4)
    y += 20
    if message:   # a stage just opened, or the plan could not be used: said before anything else
        y = draw_paragraph(surface, message, t.font(20, True), t.accent, x, y, width) + 6
    dose = status.dose_today
    unit = "images" if dose.unit == "images" else "min"
    done_text = (f"Today: {dose.sessions_done} of {dose.sessions_per_day} sessions done"
                 + (" — all done." if dose.done else f", {dose.sessions_left} to go."))
    y = draw_paragraph(surface, done_text, t.font(24, True), t.good if dose.done else t.fg, x, y, width)
    y = draw_paragraph(surface, f"{dose.per_session:g} {unit} a session · {dose.amount_done:g} {unit} so far today",
                       t.font(20), t.muted, x, y, width) + 8
    heading = "Ready for the next stage" if status.ready and status.next_stage else "To move on"
    y = draw_paragraph(surface, heading, t.font(24, True), t.good if status.ready else t.fg, x, y, width) + 2
    label_font, small = t.font(22), t.font(18)
    # the days-in-a-row count says most about readiness: it comes first
    for c in sorted(status.criteria, key=lambda c: c.key != "stable_days"):
        colour = t.good if c.met else t.muted if c.met is None else t.accent   # not yet: calm, not alarming
        if y + label_font.get_linesize() + small.get_linesize() + 12 > rect.bottom - 8:
            break
        draw_text(surface, c.label, label_font, t.fg, (x, y))
        draw_text(surface, c.value_text(), t.font(22, True), colour if c.met is not None else t.muted, (x + width, y),
                  "topright")
        y += label_font.get_linesize() + 2
        _bar(surface, pygame.Rect(x, y, width, 8), c.closeness, colour, t)
        y += 10
        target = f"aim: {c.target_text()}" + (" (default)" if c.is_default else " (your plan)")
        draw_text(surface, target, small, t.muted, (x, y))
        y += small.get_linesize() + 4
    for note in status.notes:
        if y + small.get_linesize() > rect.bottom - 8:
            break
        y = draw_paragraph(surface, note, small, t.muted, x, y + 2, width)
    return y


def programme_entries() -> list[tuple[str, Callable[[], Any]]]:
    """Home-screen buttons for stages 2 and 3 and the programme (the laterality drill has its own)."""
    from gmi.ui.scenes.imagery import ImageryScene
    from gmi.ui.scenes.mirror import MirrorChoiceScene
    from gmi.ui.scenes.programme import ProgrammeScene

    return [("Imagined movements", ImageryScene), ("Mirror therapy", MirrorChoiceScene),
            ("My programme (flare, going back)", ProgrammeScene)]
