from datetime import UTC, datetime

import pytest

from lantern.access.vocabulary import AGENCIES
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.events.schemas import AgencyCode, parse_event
from tests.factories import event, person


def _errors(record: dict) -> list[dict]:
    with pytest.raises(InvalidInput) as caught:
        parse_event(record)
    return caught.value.errors


def test_valid_event_is_parsed_and_recorded_at_defaults() -> None:
    parsed = parse_event(event())
    assert parsed.recorded_at == parsed.occurred_at


def test_unknown_type_names_the_field() -> None:
    errors = _errors(event(type_="police.parking"))
    assert errors[0]["loc"] == ["type"]
    assert "unknown event type" in errors[0]["msg"]


def test_invalid_nhs_number_names_the_path() -> None:
    errors = _errors(event(subjects=[{"role": "patient", "person": person(nhs_number="9434765918")}]))
    assert errors[0]["loc"] == ["subjects", 0, "person", "nhs_number"]
    assert "modulus-11" in errors[0]["msg"]


def test_future_date_is_refused() -> None:
    clock.set_clock(lambda: datetime(2025, 1, 1, tzinfo=UTC))
    errors = _errors(event(occurred_at="2025-06-01T00:00:00Z"))
    assert errors[0]["loc"] == ["occurred_at"]
    assert errors[0]["msg"] == "date is in the future"


def test_missing_subjects_is_refused() -> None:
    assert _errors(event(subjects=[]))[0]["loc"] == ["subjects"]


def test_agency_must_be_allowed_to_send_the_type() -> None:
    errors = _errors(event(agency="education", type_="gp.consultation"))
    assert errors[0]["loc"] == ["source_agency"]


def test_payload_unknown_field_is_refused() -> None:
    record = event(agency="police", type_="police.domestic_abuse_incident", payload={"risk": "high"})
    errors = _errors(record)
    assert errors[0]["loc"] == ["payload", "risk"]


def test_time_without_offset_is_read_as_london_time() -> None:
    parsed = parse_event(event(occurred_at="2025-07-01T10:00:00"))
    assert parsed.occurred_at == datetime(2025, 7, 1, 9, 0, tzinfo=UTC)


def test_agency_codes_match_the_vocabulary() -> None:
    assert set(AgencyCode.__args__) == set(AGENCIES)
