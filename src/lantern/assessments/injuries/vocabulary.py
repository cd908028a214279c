"""The injury vocabulary, the child's mobility, and the body map's regions.

Each term is defined in plain English on the form. A term names what the recorder saw; its injury
type is what the rules read, so a "mark" that could be a bruise is treated as a bruise (the seed
review: one professional's "mark" was another's "bruise").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A word a recorder may choose, the injury type it counts as, and what it means."""

    code: str
    injury_type: str
    definition: str


TERMS: dict[str, Term] = {
    t.code: t
    for t in (
        Term(
            "bruise", "bruise", "Blue, purple, red, yellow or brown discolouration under unbroken skin from bleeding."
        ),
        Term(
            "mark",
            "bruise",
            "Any discoloured area of skin whose cause is not yet known. It may be a bruise, so it is treated as one.",
        ),
        Term(
            "petechiae", "bruise", "Tiny red or purple pin-point spots of bleeding under the skin; a form of bruising."
        ),
        Term("abrasion", "abrasion", "A graze: the top layer of skin scraped off."),
        Term("laceration", "laceration", "A cut or tear through the skin."),
        Term("burn", "burn", "Skin damaged by dry heat, a hot object, friction, electricity or chemicals."),
        Term("scald", "scald", "Skin damaged by hot liquid or steam."),
        Term("bite", "bite", "A mark in the shape of teeth, from a person or an animal."),
        Term("swelling", "swelling", "A raised, puffy area, which may hide an injury underneath."),
    )
}

MOBILITY: dict[str, str] = {
    "non_mobile": "Not mobile (cannot roll, crawl or walk)",
    "rolling": "Rolling",
    "crawling": "Crawling or bottom shuffling",
    "walking": "Cruising or walking",
}
# NICE CG89 and the RCPCH Child Protection Companion: a child who is not independently mobile
# (not yet crawling or cruising) should not bruise.
NOT_INDEPENDENTLY_MOBILE = frozenset({"non_mobile", "rolling"})


@dataclass(frozen=True)
class Region:
    """A clickable body-map region: view, label, TEN-4-FACES group (or None), and its SVG shape."""

    code: str
    label: str
    view: str  # "front" | "back"
    group: str | None
    shape: str  # SVG element name and attributes, drawn by the template


def _r(code: str, label: str, view: str, group: str | None, shape: str) -> Region:
    return Region(code, label, view, group, shape)


REGIONS: dict[str, Region] = {
    r.code: r
    for r in (
        _r("scalp_front", "Forehead and scalp", "front", None, 'ellipse cx="100" cy="38" rx="26" ry="16"'),
        _r("eyelid_right", "Right eyelid", "front", "eyelids", 'ellipse cx="89" cy="56" rx="7" ry="3"'),
        _r("eyelid_left", "Left eyelid", "front", "eyelids", 'ellipse cx="111" cy="56" rx="7" ry="3"'),
        _r(
            "eye_right",
            "Right eye (white of the eye)",
            "front",
            "subconjunctiva",
            'ellipse cx="89" cy="62" rx="6" ry="3"',
        ),
        _r(
            "eye_left",
            "Left eye (white of the eye)",
            "front",
            "subconjunctiva",
            'ellipse cx="111" cy="62" rx="6" ry="3"',
        ),
        _r("ear_right", "Right ear", "front", "ears", 'ellipse cx="70" cy="64" rx="5" ry="10"'),
        _r("ear_left", "Left ear", "front", "ears", 'ellipse cx="130" cy="64" rx="5" ry="10"'),
        _r("cheek_right", "Right cheek", "front", "cheek", 'ellipse cx="85" cy="74" rx="9" ry="7"'),
        _r("cheek_left", "Left cheek", "front", "cheek", 'ellipse cx="115" cy="74" rx="9" ry="7"'),
        _r("nose", "Nose", "front", None, 'ellipse cx="100" cy="70" rx="4" ry="6"'),
        _r(
            "mouth",
            "Mouth and lips (including the frenulum)",
            "front",
            "frenulum",
            'ellipse cx="100" cy="84" rx="8" ry="4"',
        ),
        _r("jaw_right", "Right angle of the jaw", "front", "angle_of_jaw", 'ellipse cx="78" cy="88" rx="6" ry="5"'),
        _r("jaw_left", "Left angle of the jaw", "front", "angle_of_jaw", 'ellipse cx="122" cy="88" rx="6" ry="5"'),
        _r("chin", "Chin", "front", None, 'ellipse cx="100" cy="95" rx="8" ry="4"'),
        _r("neck_front", "Neck (front)", "front", "neck", 'rect x="88" y="101" width="24" height="14"'),
        _r("chest", "Chest", "front", "torso", 'rect x="70" y="116" width="60" height="44"'),
        _r("abdomen", "Abdomen", "front", "torso", 'rect x="72" y="160" width="56" height="40"'),
        _r("genitals", "Genital area", "front", "torso", 'rect x="86" y="200" width="28" height="16"'),
        _r("arm_right", "Right arm", "front", None, 'rect x="46" y="118" width="22" height="80"'),
        _r("arm_left", "Left arm", "front", None, 'rect x="132" y="118" width="22" height="80"'),
        _r("hand_right", "Right hand", "front", None, 'ellipse cx="56" cy="210" rx="10" ry="12"'),
        _r("hand_left", "Left hand", "front", None, 'ellipse cx="144" cy="210" rx="10" ry="12"'),
        _r("leg_right", "Right leg (front)", "front", None, 'rect x="72" y="218" width="26" height="110"'),
        _r("leg_left", "Left leg (front)", "front", None, 'rect x="102" y="218" width="26" height="110"'),
        _r("foot_right", "Right foot", "front", None, 'ellipse cx="85" cy="338" rx="14" ry="8"'),
        _r("foot_left", "Left foot", "front", None, 'ellipse cx="115" cy="338" rx="14" ry="8"'),
        _r("scalp_back", "Back of the head", "back", None, 'ellipse cx="100" cy="60" rx="28" ry="34"'),
        _r("neck_back", "Neck (back)", "back", "neck", 'rect x="88" y="101" width="24" height="14"'),
        _r("upper_back", "Upper back", "back", "torso", 'rect x="70" y="116" width="60" height="44"'),
        _r("lower_back", "Lower back", "back", "torso", 'rect x="72" y="160" width="56" height="40"'),
        _r("buttocks", "Buttocks", "back", "torso", 'rect x="74" y="200" width="52" height="20"'),
        _r("arm_back_left", "Left arm (back)", "back", None, 'rect x="46" y="118" width="22" height="80"'),
        _r("arm_back_right", "Right arm (back)", "back", None, 'rect x="132" y="118" width="22" height="80"'),
        _r("leg_back_left", "Left leg (back)", "back", None, 'rect x="72" y="222" width="26" height="106"'),
        _r("leg_back_right", "Right leg (back)", "back", None, 'rect x="102" y="222" width="26" height="106"'),
    )
}
