"""What the library contains: one render job per (part, view, posture, level), with the variety (skin tone,
build, background, light side, camera jitter) spread evenly and deterministically across the jobs."""

from __future__ import annotations

from dataclasses import dataclass

from .backgrounds import FIGURE_SCENES, PLAIN, SCENES, TEXTURES

SKINS = ("light", "medium", "brown", "dark")
HAND_ROTATIONS = tuple(range(0, 360, 45))


@dataclass(frozen=True)
class PartSpec:
    part: str
    views: tuple[str, ...]
    postures: tuple[str, ...]
    rotations: tuple[int, ...]
    builds: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    part: str
    view: str
    posture: str
    level: int
    skin: str
    build: str
    background: str
    background_flip: bool
    light_side: int      # +1 key light on the viewer's left, -1 on the right
    yaw: float           # small camera jitter (degrees) so pictures of one view are not all identical
    pitch: float
    zoom: float          # level 3 frames the subject tighter (a partial crop)
    seed: int

    @property
    def stem(self) -> str:
        return f"{self.view}_{self.posture}_l{self.level}"

    def file(self, side: str, ext: str = "webp") -> str:
        return f"{self.part}/{side}_{self.stem}.{ext}"

    def stimulus_id(self, side: str, rotation: int) -> str:
        return f"{self.part}_{side}_{self.stem}_r{rotation:03d}"


def part_specs() -> dict[str, PartSpec]:
    from . import hand
    specs = {"hands": PartSpec("hands", hand.VIEWS, hand.POSTURES, HAND_ROTATIONS, tuple(hand.BUILDS))}
    try:
        from . import foot
        specs["feet"] = PartSpec("feet", foot.VIEWS, foot.POSTURES, HAND_ROTATIONS, tuple(foot.BUILDS))
    except ImportError:
        pass
    try:
        from . import figure
        for name, (views, postures) in figure.PARTS.items():
            specs[name] = PartSpec(name, views, postures, (0,), tuple(figure.BUILDS))
    except ImportError:
        pass
    return specs


def _jitter(i: int, level: int) -> tuple[float, float]:
    # a fixed low-discrepancy walk: small, varied, never extreme
    yaw = ((i * 7 + level * 3) % 9 - 4) * 2.5
    pitch = ((i * 5 + level * 2) % 7 - 3) * 2.5
    return yaw, pitch


def jobs_for(spec: PartSpec) -> list[Job]:
    jobs = []
    plain = tuple(PLAIN)
    i = 0
    for view in spec.views:
        for posture in spec.postures:
            for level in (1, 2, 3):
                k = i + level
                yaw, pitch = _jitter(i, level)
                if level == 1:
                    bg = plain[(i + level) % len(plain)]
                elif level == 2:
                    bg = TEXTURES[(i * 5 + level) % len(TEXTURES)]
                else:
                    scenes = SCENES if spec.part in ("hands", "feet") else FIGURE_SCENES
                    bg = scenes[(i * 5 + level) % len(scenes)]
                jobs.append(Job(spec.part, view, posture, level, SKINS[k % len(SKINS)],
                                spec.builds[(i // len(SKINS) + level) % len(spec.builds)], bg, bool((i // 2 + level) % 2),
                                1 if (i + level) % 2 == 0 else -1, yaw, pitch, 1.22 if level == 3 else 1.0,
                                seed=1000 * (list(_PART_ORDER).index(spec.part) + 1) + 3 * i + level))
            i += 1
    return jobs


_PART_ORDER = ("hands", "feet", "back", "neck", "shoulder", "knee")


def make_shot(job: Job, size: int = 512):
    if job.part == "hands":
        from .hand import hand_shot
        return hand_shot(job.view, job.posture, job.build, job.skin, light_side=job.light_side, yaw=job.yaw,
                         pitch=job.pitch, size=size, zoom=job.zoom, seed=job.seed)
    if job.part == "feet":
        from .foot import foot_shot
        return foot_shot(job.view, job.posture, job.build, job.skin, light_side=job.light_side, yaw=job.yaw,
                         pitch=job.pitch, size=size, zoom=job.zoom, seed=job.seed)
    from .figure import figure_shot
    return figure_shot(job.part, job.view, job.posture, job.build, job.skin, light_side=job.light_side,
                       yaw=job.yaw, pitch=job.pitch, size=size, zoom=job.zoom, seed=job.seed)
