from lantern.events.adapters import unflatten


def test_csv_columns_become_nested_records() -> None:
    row = {
        "source_ref": "R1",
        "subjects.0.role": "patient",
        "subjects.0.person.given_name": "Amy",
        "subjects.0.person.address.postcode": "OX14 3AB",
        "subjects.1.role": "mother",
        "subjects.1.person.family_name": "Walsh",
        "payload.risk_level": "high",
        "narrative": "",
    }
    assert unflatten(row) == {
        "source_ref": "R1",
        "subjects": [
            {"role": "patient", "person": {"given_name": "Amy", "address": {"postcode": "OX14 3AB"}}},
            {"role": "mother", "person": {"family_name": "Walsh"}},
        ],
        "payload": {"risk_level": "high"},
    }
