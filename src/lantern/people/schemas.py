"""Person as agencies send it (inside events) and as Lantern returns it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lantern.common import clock
from lantern.people import rules

Sex = Literal["female", "male", "indeterminate", "unknown"]
_SEX_CODES = {"f": "female", "m": "male", "u": "unknown", "i": "indeterminate"}


class AddressIn(BaseModel):
    """A postal address; the postcode is validated and normalised."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    line1: str | None = Field(default=None, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    town: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=10)
    uprn: str | None = Field(default=None, pattern=r"^\d{1,12}$")

    @field_validator("postcode")
    @classmethod
    def valid_postcode(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        normalised = rules.normalise_postcode(value)
        if normalised is None:
            raise ValueError(f"{value!r} is not a valid UK postcode")
        return normalised


class PersonIn(BaseModel):
    """A person as named in an agency record: any mix of names, identifiers and address."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name: str | None = Field(default=None, max_length=100)
    family_name: str | None = Field(default=None, max_length=100)
    other_names: str | None = Field(default=None, max_length=200)
    date_of_birth: date | None = None
    sex: Sex | None = None
    nhs_number: str | None = None
    pnc_id: str | None = None
    local_id: str | None = Field(default=None, max_length=80)
    address: AddressIn | None = None
    phone: str | None = Field(default=None, max_length=30)

    @field_validator("sex", mode="before")
    @classmethod
    def sex_from_code(cls, value: object) -> object:
        if isinstance(value, str):
            lowered = value.strip().lower()
            return _SEX_CODES.get(lowered, lowered) or None
        return value

    @field_validator("nhs_number")
    @classmethod
    def valid_nhs_number(cls, value: str | None) -> str | None:
        if not value:
            return None
        normalised = rules.normalise_nhs_number(value)
        if problem := rules.nhs_number_problem(normalised):
            raise ValueError(problem)
        return normalised

    @field_validator("pnc_id")
    @classmethod
    def valid_pnc_id(cls, value: str | None) -> str | None:
        if not value:
            return None
        normalised = rules.normalise_pnc_id(value)
        if normalised is None:
            raise ValueError(f"{value!r} is not a PNC id (YY/NNNNNNNA)")
        return normalised

    @field_validator("date_of_birth")
    @classmethod
    def born_in_the_past(cls, value: date | None) -> date | None:
        if value is not None and value > clock.now().date():
            raise ValueError("date of birth is in the future")
        return value


class PersonRead(BaseModel):
    """A resolved person with the names and identifiers Lantern holds."""

    id: str
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    sex: str | None
    nhs_number: str | None
    created_at: datetime
    names: list[NameRead] = []
    identifiers: list[IdentifierRead] = []
    addresses: list[AddressRead] = []


class NameRead(BaseModel):
    """A name the person was recorded under, by which agency."""

    given_name: str | None
    family_name: str | None
    source_agency: str


class IdentifierRead(BaseModel):
    """A strong identifier and its scheme."""

    scheme: str
    value: str


class AddressRead(BaseModel):
    """An address with when it was first and last recorded."""

    line1: str | None
    line2: str | None
    town: str | None
    postcode: str
    first_seen_at: datetime
    last_seen_at: datetime


class PersonSummary(BaseModel):
    """A search hit."""

    id: str
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    nhs_number: str | None


PersonRead.model_rebuild()
