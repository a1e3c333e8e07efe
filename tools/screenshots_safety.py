"""Screenshots of the screens that keep gmi safe and usable: camera consent, the timing check, the exposure
pause buttons, a mirror session that lost its camera, Settings (camera use), and screens that must fit at
large text in a small window (home, programme, imagery, mirror choice).

Run under Xvfb (`DISPLAY=:N python tools/screenshots_safety.py OUT --scale 2 --high-contrast`), with a
throw-away data directory. Options: --scale 1.0–2.0, --high-contrast, --size WxH.
"""

from __future__ import annotations

import datetime as dt
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from tools.screenshots import shots_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    args, app = shots_app(__doc__)
    ctx, db = app.ctx, app.ctx.db
    ctx.prefs.sound = False
    w, h = app.screen.get_size()
    suffix = ("-hc" if args.high_contrast else "") + f"-{round(args.scale * 100)}-{w}x{h}"

    def shot(name: str) -> None:
        app.step(1 / 60)
        app.top.draw(app.screen)  # type: ignore[union-attr]
        pygame.display.flip()
        path = args.out / f"{name}{suffix}.png"
        pygame.image.save(app.screen, str(path))
        print(path)

    def key(k: int) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
        app.step(1 / 60)

    from gmi.core.plans import load_plan
    from gmi.core.programme import StageEvent
    from gmi.store import exposure as store
    from gmi.store.programme import add_event
    from gmi.ui.consent import CameraConsentScene
    from gmi.ui.scenes.exposure import ExposureScene
    from gmi.ui.scenes.home import HomeScene
    from gmi.ui.scenes.imagery import ImageryScene
    from gmi.ui.scenes.mirror import MirrorChoiceScene, MirrorScene
    from gmi.ui.scenes.programme import ProgrammeScene
    from gmi.ui.scenes.selftest import SelftestScene
    from gmi.ui.scenes.settings import SettingsScene

    add_event(db, ctx.profile.id, StageEvent(datetime.now(timezone.utc), "hands", "override", "laterality", "mirror",
                                             "S. Novak", "screenshots"))
    store.install_plan(db, ctx.profile.id, load_plan(ROOT / "plans" / "hand-wrist-camera-free.toml"))
    app.push(HomeScene())
    shot("home")
    consent = CameraConsentScene(lambda allowed: None)
    app.push(consent)
    shot("consent")
    if consent.focused().element.text == "Continue":        # large text, small window: the question comes next
        key(pygame.K_RETURN)
        shot("consent-question")
    app.pop()
    settings = SettingsScene()
    app.push(settings)
    while not settings.focused().element.text.startswith("Camera use"):
        key(pygame.K_DOWN)
    shot("settings-camera-use")
    app.pop()
    app.push(ProgrammeScene())
    shot("programme")
    app.pop()
    app.push(ImageryScene())
    shot("imagery-intro")
    app.pop()
    app.push(MirrorChoiceScene())
    shot("mirror-choice")
    app.pop()
    ctx.remember("camera_consent", True)
    mirror = MirrorScene(setting="camera", source=str(ctx.data_dir / "no-such-camera.mp4"))
    app.push(mirror)
    shot("mirror-no-camera-intro")
    key(pygame.K_RETURN)
    shot("mirror-no-camera-running")
    app.pop()
    exposure = ExposureScene(today=dt.date.today())
    app.push(exposure)
    key(pygame.K_RETURN)
    for _ in range(3):
        key(pygame.K_RIGHT)
        key(pygame.K_RETURN)
    key(pygame.K_RETURN)
    key(pygame.K_SPACE)
    key(pygame.K_ESCAPE)
    shot("exposure-paused")
    app.pop()
    selftest = SelftestScene(2.0)
    app.push(selftest)
    shot("selftest-measuring")
    pygame.quit()


if __name__ == "__main__":
    main()
