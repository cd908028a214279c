"""The team board and the compliance report, from a replayed scenario."""

from __future__ import annotations

from datetime import UTC, datetime

from lantern.db.engine import make_engine, make_session_factory
from lantern.duties import reports
from tests.scenarios.replay import replay, run_scheduler


def test_s1_police_met_two_of_sixteen_csc_notifications_on_time(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    replay(client, login, "s1")
    run_scheduler(settings)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        report = reports.compliance(db=db, agency="police")
        board = reports.board(db=db, agency="csc")
    engine.dispose()
    cells = report.by_rule["police-da-to-csc"].values()
    assert (sum(c.due for c in cells), sum(c.on_time for c in cells)) == (
        16,
        2,
    )  # 15 incidents; the last had both children present
    assert {d.status for d in board.escalated} == {"escalated"}
    assert len(board.escalated) >= 13 and not board.overdue


def test_chart_has_one_bar_per_month() -> None:
    cells = {"2025-01": reports.ComplianceCell(4, 4), "2025-02": reports.ComplianceCell(4, 1)}
    svg = reports.bar_chart_svg(cells)
    assert svg.count("<rect") == 2
    assert "2025-02: 25.0% of 4 on time" in svg


def test_board_puts_duties_due_later_today_in_due_today(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    from tests.duties.test_api import _incident, _post

    _post(client, login("pc", agency="police"), _incident())
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        board = reports.board(db=db, agency="education", now=datetime(2025, 8, 26, 6, 0, tzinfo=UTC))
    engine.dispose()
    assert [d.rule_code for d in board.due_today] == ["police-da-to-school"]
