"""docs/events.md is the contract: it must name every type, payload field and role the code accepts."""

from pathlib import Path

from lantern.events.vocabulary import EVENT_TYPES, SUBJECT_ROLES

DOC = (Path(__file__).parents[2] / "docs" / "events.md").read_text()


def test_every_type_and_payload_field_is_documented() -> None:
    for event_type in EVENT_TYPES.values():
        row = next((line for line in DOC.splitlines() if line.startswith(f"| `{event_type.code}` |")), None)
        assert row is not None, f"{event_type.code} missing from docs/events.md"
        for field in event_type.payload.model_fields:
            assert f"`{field}`" in row, f"{event_type.code}.{field} missing from docs/events.md"


def test_every_role_is_documented() -> None:
    for role in SUBJECT_ROLES:
        assert f"`{role}`" in DOC
