"""Plan rules, pure: which records contradict which condition."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lantern.plans import rules
from lantern.plans.rules import Notice, Seen, Subject

HOME = {"line1": "Room 5, Harbourlight House", "postcode": "YO11 2PX"}
AWAY = {"line1": "Flat 2", "postcode": "YO12 7HJ"}
CHILD = Subject("child", "patient", "Jacob", HOME, 0)
X = Subject("x", "father", "Shane", AWAY, 29)


def _seen(
    type_: str = "ambulance.call",
    at: str = "2022-09-09T03:18:00",
    location: dict | None = AWAY,
    subjects: tuple[Subject, ...] = (CHILD,),
    **payload: object,
) -> Seen:
    return Seen(type_, datetime.fromisoformat(at).replace(tzinfo=UTC), location, dict(payload), subjects)


def test_overnight_attendance_away_from_home_is_a_breach() -> None:
    text = rules.breach("report_overnight_stays", None, "child", HOME, _seen())
    assert text is not None and "YO12 7HJ" in text and "04:18" in text  # local time (BST)


def test_overnight_attendance_at_home_by_day_or_not_an_attendance_is_no_breach() -> None:
    assert (
        rules.breach(
            "report_overnight_stays",
            None,
            "child",
            HOME,
            _seen(location={"line1": "room 5 harbourlight house", "postcode": "yo112px"}),
        )
        is None
    )
    assert rules.breach("report_overnight_stays", None, "child", HOME, _seen(at="2022-09-09T13:00:00")) is None
    assert rules.breach("report_overnight_stays", None, "child", HOME, _seen(type_="health_visitor.contact")) is None
    other_child = Subject("someone", "patient", "Other", AWAY, 1)
    assert rules.breach("report_overnight_stays", None, "child", HOME, _seen(subjects=(other_child,))) is None


def test_overnight_breach_uses_the_childs_address_when_the_record_has_no_location() -> None:
    away = Subject("child", "child_present", "Jacob", AWAY, 0)
    assert rules.breach(
        "report_overnight_stays",
        None,
        "child",
        HOME,
        _seen(type_="police.domestic_abuse_incident", location=None, subjects=(away,)),
    )


def test_a_stay_told_in_advance_keeps_the_condition() -> None:
    told = [Notice(AWAY, date(2022, 9, 8), date(2022, 9, 8))]  # the night of the 8th, when 04:18 on the 9th falls
    assert rules.breach("report_overnight_stays", None, "child", HOME, _seen(), told) is None
    elsewhere = [Notice({"line1": "1 Other St", "postcode": "YO12 7HJ"}, date(2022, 9, 8), date(2022, 9, 8))]
    assert rules.breach("report_overnight_stays", None, "child", HOME, _seen(), elsewhere) is not None


def test_contact_with_the_named_person_is_a_breach_except_in_csc_records() -> None:
    seen = _seen(type_="health_visitor.contact", at="2022-09-01T10:00:00", subjects=(CHILD, X))
    assert "Shane" in (rules.breach("no_unsupervised_contact", "x", "child", HOME, seen) or "")
    assert rules.breach("no_unsupervised_contact", "y", "child", HOME, seen) is None
    conference = _seen(type_="csc.conference", at="2022-09-01T10:00:00", subjects=(CHILD, X))
    assert rules.breach("no_unsupervised_contact", "x", "child", HOME, conference) is None


def test_person_not_to_live_at_the_address_recorded_there_is_a_breach() -> None:
    living = Subject("y", "applicant", "Carl", {"line1": "Room 5 Harbourlight House", "postcode": "YO11 2PX"}, 34)
    assert rules.breach(
        "not_to_live_at_address", "y", "child", HOME, _seen(type_="housing.application", subjects=(living,))
    )
    at_home = Subject("y", "patient", "Carl", None, 34)
    assert rules.breach(
        "not_to_live_at_address", "y", "child", HOME, _seen(type_="gp.registration", location=HOME, subjects=(at_home,))
    )
    assert (
        rules.breach("not_to_live_at_address", "y", "child", HOME, _seen(type_="gp.registration", subjects=(at_home,)))
        is None
    )


def test_a_child_not_brought_to_an_appointment_breaks_the_health_condition() -> None:
    assert rules.breach(
        "attend_health_appointments", None, "child", HOME, _seen(type_="gp.consultation", was_not_brought=True)
    )
    assert (
        rules.breach(
            "attend_health_appointments", None, "child", HOME, _seen(type_="gp.consultation", was_not_brought=False)
        )
        is None
    )


def test_a_practitioners_account_breaks_only_the_condition_it_names() -> None:
    seen = _seen(type_=rules.OBSERVED, condition="no_unsupervised_contact", account="Father at the flat")
    assert (
        rules.breach("no_unsupervised_contact", "x", "child", HOME, seen)
        == "Recorded by a practitioner: Father at the flat"
    )
    assert rules.breach("report_overnight_stays", None, "child", HOME, seen) is None


def test_new_adults_are_those_named_with_the_child_and_not_known() -> None:
    carl = Subject("carl", "partner", "Carl", AWAY, 34)
    baby = Subject("sib", "child", "Sibling", AWAY, 2)
    unknown_age = Subject("who", "visitor", "Visitor", None, None)
    seen = _seen(subjects=(CHILD, X, carl, baby, unknown_age))
    assert [s.person_id for s in rules.new_adults("child", seen, {"x"})] == ["carl", "who"]
    assert rules.new_adults("nobody", seen, set()) == []


def test_night_and_overdue() -> None:
    assert rules.night_of(datetime(2022, 9, 9, 3, 18, tzinfo=UTC)) == date(2022, 9, 8)
    assert rules.night_of(datetime(2022, 9, 8, 22, 30, tzinfo=UTC)) == date(2022, 9, 8)  # 23:30 BST
    assert rules.is_overdue(date(2022, 9, 7), None, date(2022, 9, 8))
    assert not rules.is_overdue(date(2022, 9, 8), None, date(2022, 9, 8))
    assert not rules.is_overdue(date(2022, 9, 7), date(2022, 9, 9), date(2022, 9, 10))


def test_new_adults_breach_names_each_newcomer() -> None:
    carl = Subject("carl", "partner", "Carl Hebden", AWAY, 34)
    text = rules.new_adults_breach([carl, Subject("v", "household_member", "Vic", None, None)])
    assert "Carl Hebden (partner), Vic (household member)" in text
