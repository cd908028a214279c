"""Register rules without a database: monitoring periods and their boundaries, deadlines, the watch's classification."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lantern.register import rules
from lantern.register.rules import CoSubject


@pytest.mark.parametrize(
    ("months", "years"), [(None, 5), (0, 5), (1, 7), (6, 7), (7, 10), (29, 10), (30, None), (240, None)]
)
def test_monitoring_period_follows_the_sentence_table(months: int | None, years: int | None) -> None:
    assert rules.monitoring_years(months) == years


def test_monitoring_ends_the_day_before_the_anniversary() -> None:
    ends = rules.monitoring_ends_on(date(2016, 6, 17), 10)
    assert ends == date(2026, 6, 16)
    assert rules.is_monitored(ends, date(2026, 6, 16))
    assert not rules.is_monitored(ends, date(2026, 6, 17))
    assert rules.shown_status("active", ends, date(2026, 6, 17)) == "expired"
    assert rules.shown_status("under_appeal", ends, date(2030, 1, 1)) == "under_appeal"


def test_monitoring_from_29_february_and_indefinite() -> None:
    assert rules.monitoring_ends_on(date(2016, 2, 29), 7) == date(2023, 2, 28)
    assert rules.monitoring_ends_on(date(2016, 2, 29), 8) == date(2024, 2, 28)
    assert rules.monitoring_ends_on(date(2020, 1, 1), None) is None
    assert rules.is_monitored(None, date(2099, 1, 1))


def test_address_notification_skips_the_bank_holiday_weekend() -> None:
    seen = datetime(2025, 8, 22, 10, 0, tzinfo=UTC)  # Friday before the August bank holiday (Monday 25th)
    due = rules.notification_due(seen)
    assert due.date() == date(2025, 8, 28)  # Tue, Wed, Thu: three working days


def _s(role: str, age: float | None, pid: str = "p") -> CoSubject:
    return CoSubject(pid, role, "Name", age)


def test_classify_what_links_a_registered_person() -> None:
    assert rules.classify("midwife.booking", [_s("mother", 23)], set()).kind == "pregnancy"  # type: ignore[union-attr]
    assert rules.classify("gp.consultation", [_s("patient", 4)], set()).kind == "child"  # type: ignore[union-attr]
    partner = rules.classify("police.domestic_abuse_incident", [_s("partner", 30, "kim")], {"kim"})
    assert partner is not None and partner.kind == "partner_with_children"
    assert rules.classify("police.domestic_abuse_incident", [_s("partner", 30, "kim")], set()) is None
    assert rules.classify("gp.consultation", [_s("witness", 40)], set()) is None


def test_every_shipped_offence_code_has_a_statute() -> None:
    assert all(o.statute and o.description for o in rules.offences().values())
    assert "CYPA1933-S1(1)" in rules.offences()
