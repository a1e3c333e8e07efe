"""The posture vocabulary of the stimulus library, with the plain words gmi uses to talk about each one.

Part, view and posture ids are fixed by the stimulus renderer (``tools/``) and referenced by imagery and
mirror sequence files; the phrases complete sentences such as "Watch the picture: <phrase>." and
"Slowly move both hands into <phrase>."
"""

from __future__ import annotations

PART_VIEWS: dict[str, tuple[str, ...]] = {
    "hands": ("dorsal", "palmar", "thumb_side", "little_finger_side"),
    "feet": ("top", "sole", "inner", "outer"),
    "back": ("behind", "front"),
    "neck": ("front", "back"),
    "shoulder": ("front", "back"),
    "knee": ("front", "side"),
}

POSTURE_PHRASES: dict[str, dict[str, str]] = {
    "hands": {
        "flat": "a flat hand, fingers together",
        "fist": "a loose fist",
        "pointing": "a pointing index finger",
        "thumb_up": "a thumb up",
        "pinch": "a pinch between thumb and index finger",
        "spread": "fingers spread wide",
        "ok_sign": "an OK sign, thumb and index finger making a ring",
        "claw": "fingers bent like a claw",
        "cupped": "a cupped hand, as if holding water",
        "holding_ball": "a hand holding a ball",
    },
    "feet": {
        "neutral": "a relaxed foot",
        "pointed": "toes pointed away from the shin",
        "pulled_up": "toes pulled up towards the shin",
        "turned_in": "the sole turned inwards",
        "turned_out": "the sole turned outwards",
        "toes_curled": "toes curled under",
    },
    "back": {
        "rotation_small": "the trunk turned a little",
        "rotation_medium": "the trunk turned part of the way",
        "rotation_large": "the trunk turned as far as it goes",
        "side_bend_small": "the trunk bent a little to the side",
        "side_bend_medium": "the trunk bent part of the way to the side",
        "side_bend_large": "the trunk bent far to the side",
    },
    "neck": {
        "turn_small": "the head turned a little",
        "turn_medium": "the head turned part of the way",
        "turn_large": "the head turned as far as it goes",
        "tilt_small": "the head tilted a little, ear towards the shoulder",
        "tilt_medium": "the head tilted part of the way, ear towards the shoulder",
        "tilt_large": "the head tilted far, ear towards the shoulder",
    },
    "shoulder": {
        "raised_forward": "the arm raised forwards",
        "raised_side": "the arm raised out to the side",
        "behind_back": "the hand reaching behind the back",
        "across_body": "the arm reaching across the body",
        "hand_on_head": "the hand resting on the head",
    },
    "knee": {
        "bent": "the knee bent",
        "straight": "the knee straight",
        "crossed": "the legs crossed",
        "kneeling": "kneeling",
        "step_up": "the foot up on a step",
    },
}

PART_POSTURES: dict[str, tuple[str, ...]] = {part: tuple(p) for part, p in POSTURE_PHRASES.items()}

# Body parts a mirror can stand in for: a limb and its partner. A trunk or neck has no partner to reflect.
MIRROR_PARTS: tuple[str, ...] = ("hands", "feet", "shoulder", "knee")

PART_NOUNS: dict[str, str] = {"hands": "hand", "feet": "foot", "back": "back", "neck": "neck",
                              "shoulder": "shoulder", "knee": "knee"}


def posture_phrase(part: str, posture: str) -> str:
    return POSTURE_PHRASES.get(part, {}).get(posture, posture.replace("_", " "))
