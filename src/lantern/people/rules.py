"""Pure checks and normalisation of identifiers and addresses."""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_NORMALISED_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}")
_WHITESPACE = re.compile(r"\s+")
_PNC = re.compile(r"^(\d{2}|\d{4})/\d{1,7}[A-Z]$")
_TEN_DIGITS = re.compile(r"\d{10}")
_NHS_SEPARATORS = re.compile(r"[\s-]")


def _check_digit(first_nine: str) -> int | None:
    """NHS Data Dictionary, "NHS Number": weights 10..2 on the first nine digits; the check
    digit is 11 minus the sum mod 11, where 11 becomes 0 and 10 means no valid number."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def nhs_number_problem(value: str) -> str | None:
    """Why a normalised NHS number is invalid under the modulus-11 rule, or None."""
    if not _TEN_DIGITS.fullmatch(value):
        return "NHS number must be 10 digits"
    if _check_digit(value[:9]) != int(value[9]):
        return "NHS number fails the modulus-11 check"
    return None


def with_check_digit(first_nine: str) -> str | None:
    """Complete nine digits into a valid NHS number, or None when no check digit fits."""
    check = _check_digit(first_nine)
    return None if check is None else f"{first_nine}{check}"


def normalise_nhs_number(value: str) -> str:
    """Remove the spaces and dashes that systems print inside NHS numbers."""
    return _NHS_SEPARATORS.sub("", value)


def normalise_postcode(value: str) -> str | None:
    """A UK postcode in upper case with one space before the inward code, or None if invalid."""
    if _NORMALISED_POSTCODE.fullmatch(value):  # already normalised: the usual case
        return value
    match = _POSTCODE.match(_WHITESPACE.sub("", value.upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def normalise_pnc_id(value: str) -> str | None:
    """A Police National Computer id (YY/NNNNNNNA), upper case, or None if malformed."""
    cleaned = value.strip().upper()
    return cleaned if _PNC.match(cleaned) else None
