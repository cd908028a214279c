"""Code sets of the Children in Need census and the mapping of Lantern's values onto them.

Code sets: DfE "Children in need census 2025 to 2026: guide" and its code sets (CIN census XML
specification, collection year ending 31 March 2026), as encoded by the open DfE/data-to-insight
validator (github.com/data-to-insight/csc-validator-be-cin, rules 4180, 4220, 8540, 8640, 8650,
8866, 8897Q, 8905). Written here from those lists, not copied.
"""

from __future__ import annotations

SEX = frozenset({"M", "F", "U"})  # 2024-25 onwards: <Sex> replaces <GenderCurrent>
ETHNICITY = frozenset(
    {
        *("ABAN", "AIND", "AOTH", "APKN", "BAFR", "BCRB", "BOTH", "CHNE", "MOTH", "MWAS"),
        *("MWBA", "MWBC", "NOBT", "OOTH", "REFU", "WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    }
)
DISABILITY = frozenset({"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"})
REFERRAL_SOURCE = frozenset(
    {*("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F"), *("4", "5A", "5B", "5C", "5D")}
    | {"6", "7", "8", "9", "10"}
)
PRIMARY_NEED = frozenset(f"N{n}" for n in range(10))
REASON_FOR_CLOSURE = frozenset(f"RC{n}" for n in range(1, 10))
CATEGORY_OF_ABUSE = frozenset({"NEG", "PHY", "SAB", "EMO", "MUL"})
ASSESSMENT_FACTORS = frozenset(
    {f"{n}{letter}" for n in range(1, 7) for letter in "ABC"}
    | {"7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A"}
    | {"18A", "18B", "18C", "19A", "19B", "19C", "20", "21", "22A", "23A", "24A"}
)

# Lantern's person sex (docs/events.md) -> CIN <Sex>; "indeterminate" is not a census value.
SEX_FROM_LANTERN = {"male": "M", "female": "F", "unknown": "U", "indeterminate": "U"}
# A plan's category (plans.schemas.Category) -> Category of Abuse.
ABUSE_FROM_CATEGORY = {"neglect": "NEG", "physical": "PHY", "emotional": "EMO", "sexual": "SAB", "multiple": "MUL"}
# The referrer's agency (from the record the referral's `referrer_ref` names) -> ReferralSource.
SOURCE_FROM_AGENCY = {
    "education": "2A",
    "gp": "3A",
    "health_visiting": "3B",
    "midwifery": "3F",
    "hospital": "3F",
    "radiology": "3F",
    "ambulance": "3F",
    "housing": "4",
    "csc": "5A",
    "police": "6",
    "probation": "7",
}
SOURCE_FROM_EVENT_TYPE = {"hospital.ed_attendance": "3E"}  # more precise than the agency
SOURCE_UNKNOWN = "10"
# A referral's free-text `category` -> Primary Need; codes N0-N9 are also taken as written.
NEED_FROM_CATEGORY = {
    "abuse": "N1",
    "neglect": "N1",
    "abuse or neglect": "N1",
    "physical": "N1",
    "emotional": "N1",
    "sexual": "N1",
    "domestic abuse": "N1",
    "disability": "N2",
    "parental illness": "N3",
    "parental disability": "N3",
    "acute stress": "N4",
    "family in acute stress": "N4",
    "family dysfunction": "N5",
    "socially unacceptable behaviour": "N6",
    "low income": "N7",
    "absent parenting": "N8",
}
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # check-letter table: 0 = A ... 22 = Z (no I, O, S)


def primary_need(category: str | None) -> str | None:
    """The Primary Need code for a referral's category, or None when it does not map."""
    text = (category or "").strip()
    if text.upper() in PRIMARY_NEED:
        return text.upper()
    return NEED_FROM_CATEGORY.get(text.lower())


def is_no_further_action(*texts: str | None) -> bool:
    """Whether a referral's decision or outcome says no further action."""
    words = " ".join(t.lower() for t in texts if t)
    return "no further action" in words or "nfa" in words.replace(".", " ").split()


def upn_check_letter(upn: str) -> str | None:
    """The check letter a 13-character UPN should start with (DfE "Unique Pupil Numbers" guide
    v1.2: digits 2-13 weighted 2-13, sum mod 23 indexes the letter table), None if not computable."""
    if len(upn) != 13 or not upn[1:12].isdigit() or not (upn[12].isdigit() or upn[12] in UPN_LETTERS):
        return None
    tail = upn[12]  # a letter in a temporary UPN, valued by the same table
    values = [int(c) for c in upn[1:12]] + [int(tail) if tail.isdigit() else UPN_LETTERS.index(tail)]
    total = sum(weight * value for weight, value in zip(range(2, 14), values, strict=True))
    return UPN_LETTERS[total % 23]
