"""The access matrix over every route: for each kind of user, every GET route of the API about a
person or a record either answers or refuses, never with a server error, and no answer (allowed or
refused) carries the words of a record the user may not read."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lantern.access.records import Viewer
from tests.casework.helpers import record
from tests.records.test_record_access import CHILD, NARRATIVE, _family

SECRET = "cut lip"  # words of the police narrative
USERS = [  # (username, agency, role, whether they may read the police narrative in full once involved)
    ("csc.worker", "csc", "practitioner"),
    ("csc.lead", "csc", "manager"),
    ("police.ppu", "police", "practitioner"),
    ("probation.om", "probation", "practitioner"),
    ("gp.doc", "gp", "practitioner"),
    ("hv.nurse", "health_visiting", "practitioner"),
    ("school.dsl", "education", "practitioner"),
    ("housing.officer", "housing", "practitioner"),
    ("panel.reviewer", "panel", "reviewer"),
    ("csc.admin", "csc", "admin"),
]
# A subject-access export is the person's whole record, for the data protection lead (administrators).
EXPORTS_EVERYTHING = {("admin", "/api/v1/people/{person_id}/subject-access")}
# Whole-caseload routes with no path parameter, given their query, and the (agency, role) pairs that
# may have them (returns: CSC managers only). The family's child is in the caseload (a CSC referral),
# so a route leaks when its answer to anyone else holds the child's date of birth, and the check is
# shown able to fail by the one allowed getting it.
QUERY_ROUTES = {"/api/v1/returns/cin-census?year=2025&la=931": {("csc", "manager")}}
PATH_VALUES = {"person_id": "child", "event_id": "incident", "mother_id": "child", "child_id": "child"}


def _routes(client) -> list[str]:  # type: ignore[no-untyped-def]
    """Every GET path of the API with its path parameters about a person or a record."""
    paths = client.get("/openapi.json").json()["paths"]
    found = []
    for path, methods in paths.items():
        params = re.findall(r"{(\w+)}", path)
        if "get" in methods and params and all(p in PATH_VALUES for p in params):
            found.append(path)
    return sorted(found)


def _reads_narrative(agency: str, involved: bool) -> bool:
    return (
        Viewer(agency, "involved" if involved else "none").decide("police.domestic_abuse_incident", "police") == "full"
    )


@pytest.mark.parametrize(("username", "agency", "role"), USERS, ids=[u[0] for u in USERS])
def test_no_route_gives_a_user_what_they_may_not_read(client, login, username, agency, role) -> None:  # type: ignore[no-untyped-def]
    family = _family(client, login)
    headers = login(username, agency=agency, role=role)
    ids: dict[str, Any] = family
    involved = agency in {"police", "gp", "education", "csc"}  # agencies holding a record of the child
    may_read = role != "admin" and _reads_narrative(agency, involved)
    record(client, login("csc.referrer", agency="csc"), "csc.referral", CHILD, "2025-01-15T10:00:00+00:00")
    routes = _routes(client) + list(QUERY_ROUTES)
    assert len(routes) >= 10  # the person and record routes of every domain
    problems = []
    for path in routes:
        url = re.sub(r"{(\w+)}", lambda m: str(ids[PATH_VALUES[m.group(1)]]), path)
        response = client.get(url, headers=headers)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
        elif path in QUERY_ROUTES:
            holds_child = CHILD["date_of_birth"] in response.text
            if (agency, role) in QUERY_ROUTES[path] and not holds_child:
                problems.append(f"{url}: {response.status_code} without the child for a user who may have it")
            elif (agency, role) not in QUERY_ROUTES[path] and holds_child:
                problems.append(f"{url}: {response.status_code} gives the caseload to a user who may not have it")
        elif SECRET in response.text and not (may_read or (role, path) in EXPORTS_EVERYTHING):
            problems.append(f"{url}: {response.status_code} shows the narrative")
        elif response.status_code in (401, 403, 404) and NARRATIVE[:20] in response.text:
            problems.append(f"{url}: refusal quotes the record")
    assert problems == []
