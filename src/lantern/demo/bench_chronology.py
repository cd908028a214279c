"""`lantern bench chronology`: the family chronology of a 12-person network holding 10,000
records, read through the API (JSON) and the page (HTML), in a database of `--size` records.

Background records are written with the bulk writer ingestion uses (`db.portable.insert_rows`),
and the family link summary ingestion keeps (`family.service.note_links`), not parsed from files:
this measures reading, and a million records load in minutes, not hours. The network's records
carry the same police shorthand as the scenarios, so the plain-English writer and the glossary
do real work on the first (cold) read, which is reported separately. The duty rules run over the
network's records as ingestion runs them, so each entry says with whom its record was passed on
(read fresh on every read, as the duties change).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from rich.console import Console
from rich.progress import Progress

from lantern.access import service as access_service
from lantern.audit.service import SYSTEM
from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory
from lantern.db.migrate import upgrade
from lantern.db.portable import insert_rows, session_bindings
from lantern.db.types import new_id
from lantern.deps import SESSION_COOKIE
from lantern.duties import creation
from lantern.events.models import Event, EventSubject
from lantern.events.service import EVENT_COLUMNS, SUBJECT_COLUMNS
from lantern.family import service as family_service
from lantern.main import create_app
from lantern.people.models import Person, PersonAddress

Metric = tuple[str, object]
NETWORK_EVENTS = 10_000
READS = 100  # reads of each kind timed: the 95th percentile of 20 would be nearly their slowest
BATCH = 20_000
START = datetime(2010, 1, 1, tzinfo=UTC)
PEOPLE = ("id", "created_at", "given_name", "family_name", "date_of_birth", "sex", "nhs_number")
ADDRESS = ("person_id", "first_seen_at", "last_seen_at", "line1", "line1_lower", "line2", "town", "postcode", "uprn")
# (name, date of birth) of the child and the 11 people around her; roles are given per record below.
CAST = [
    ("Ava", "Hartley", "2019-03-02"),
    ("Kerry", "Hartley", "1992-05-11"),
    ("Dale", "Hartley", "1990-01-20"),
    ("Mia", "Hartley", "2015-07-14"),
    ("Jay", "Hartley", "2017-09-30"),
    ("Lee", "Brannan", "1988-02-03"),
    ("Rob", "Keele", "1991-06-22"),
    ("Tony", "Marsh", "1986-12-01"),
    ("Sandra", "Hartley", "1966-04-04"),
    ("Craig", "Dunmore", "1989-10-10"),
    ("Shane", "Pollitt", "1995-03-15"),
    ("Jade", "Pollitt", "1998-08-08"),
]
SHORTHAND: list[tuple[str, str, str, dict[str, Any], tuple[tuple[str, int], ...]]] = [
    (
        "police",
        "police.domestic_abuse_incident",
        "DA - IP reports SUSP {p} pushed her. CYP present. DASH MEDIUM. PPN submitted. NFA.",
        {"risk_level": "medium", "children_present": 1, "outcome": "NFA"},
        (("victim", 1), ("perpetrator", 5), ("child_present", 0)),
    ),
    (
        "health_visiting",
        "health_visitor.contact",
        "HV home visit. Mother says baby settled. Routine enquiry re DA: no concerns.",
        {"contact_type": "home visit", "weight_grams": 9100},
        (("child", 0), ("mother", 1)),
    ),
    (
        "gp",
        "gp.consultation",
        "Seen with mum re cough. Hx of asthma. Dx viral URTI, safety-netted.",
        {"reason": "cough"},
        (("patient", 0), ("mother", 1)),
    ),
    (
        "hospital",
        "hospital.ed_attendance",
        "Attended ED with head bump, no LOC. Discharged, HV informed.",
        {"complaint": "head injury", "injury": True, "outcome": "discharged"},
        (("patient", 0), ("mother", 1), ("father", 2)),
    ),
    (
        "csc",
        "csc.referral",
        "Police PPN received re DA, CYP present. MASH decision: CIN assessment.",
        {"reason": "domestic abuse", "decision": "single assessment"},
        (("child", 0), ("mother", 1), ("partner", 6)),
    ),
]


def bench_chronology(*, db_url: str | None, size: int, console: Console, reads: int = READS) -> Iterator[Metric]:
    """Load `size` background records and a 10,000-record network, then time `reads` JSON and HTML reads."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as tmp:
        url = db_url or f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        factory = make_session_factory(make_engine(url))
        started = time.perf_counter()
        _background(factory, size, console)
        cast, duties = _network(factory)
        load_seconds = time.perf_counter() - started
        json_ms, html_ms, cold_ms, count = _time_reads(url, factory, cast[0], reads)
    yield "backend", url.split(":", 1)[0]
    yield "background_events", size
    yield "network_people", len(cast)
    yield "network_events", NETWORK_EVENTS
    yield "network_duties", duties
    yield "entries_returned", count
    yield "load_seconds", round(load_seconds, 1)
    yield "chronology_cold_ms", round(cold_ms, 1)
    yield "chronology_json_median_ms", round(statistics.median(json_ms), 1)
    yield "chronology_html_p95_ms", round(_p95(html_ms), 1)
    yield "chronology_p95_ms", round(_p95(json_ms), 1)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def _background(factory: Any, size: int, console: Console) -> None:
    """`size` records about a population of pairs (a victim and a suspect), in bulk."""
    rng = random.Random(11)
    pool = [new_id() for _ in range(max(size // 4, 10))]
    with factory.begin() as db:
        bind = session_bindings(db)
        insert_rows(
            db,
            Person.__table__,
            PEOPLE,
            [(p, bind.time(START), "Pat", f"Person{i}", None, None, None) for i, p in enumerate(pool)],
        )
    with Progress(console=console) as progress:
        task = progress.add_task("Background records", total=size)
        for offset in range(0, size, BATCH):
            with factory.begin() as db:
                bind = session_bindings(db)
                events, subjects = [], []
                for n in range(offset, min(offset + BATCH, size)):
                    event_id, at = new_id(), START + timedelta(minutes=rng.randrange(8_000_000))
                    events.append(
                        _event_row(
                            bind,
                            event_id,
                            "police",
                            f"BG-{n}",
                            "police.domestic_abuse_incident",
                            at,
                            "DA - verbal argument. NFA.",
                            {},
                        )
                    )
                    subjects += [
                        (event_id, rng.choice(pool), "victim", 0, "{}"),
                        (event_id, rng.choice(pool), "perpetrator", 1, "{}"),
                    ]
                insert_rows(db, Event.__table__, EVENT_COLUMNS, events)
                insert_rows(db, EventSubject.__table__, SUBJECT_COLUMNS, subjects)
                family_service.note_links(db=db, records=_named(events, subjects))
            progress.update(task, completed=min(offset + BATCH, size))


def _named(events: list[tuple[Any, ...]], subjects: list[tuple[Any, ...]]) -> list[family_service.NamedRecord]:
    """The records as the link summary reads them: type, bound time, (person, role) per subject."""
    people: dict[str, list[tuple[str, str]]] = {}
    for event_id, person_id, role, *_ in subjects:
        people.setdefault(event_id, []).append((person_id, role))
    return [(row[5], row[6], people.get(row[0], [])) for row in events]


def _event_row(
    bind: Any, event_id: str, agency: str, ref: str, kind: str, at: datetime, summary: str, payload: dict[str, Any]
) -> tuple[Any, ...]:
    return (
        event_id,
        bind.time(at),
        "bench",
        agency,
        ref,
        kind,
        bind.time(at),
        bind.time(at),
        None,
        summary,
        None,
        bind.json(payload),
    )


def _network(factory: Any) -> tuple[list[str], int]:
    """The 12 people, living at one address, 10,000 records among them, and the duties those raise."""
    rng = random.Random(5)
    cast = [new_id() for _ in CAST]
    with factory.begin() as db:
        bind = session_bindings(db)
        people = [
            (pid, bind.time(START), g, f, bind.date(datetime.fromisoformat(d).date()), None, None)
            for pid, (g, f, d) in zip(cast, CAST, strict=True)
        ]
        insert_rows(db, Person.__table__, PEOPLE, people)
        home = ("7 Larch Row", "7 larch row", None, "Leeds", "LS6 2QT", None)
        insert_rows(
            db,
            PersonAddress.__table__,
            ADDRESS,
            [(pid, bind.time(START), bind.time(START + timedelta(days=5000)), *home) for pid in cast],
        )
        events, subjects = [], []
        for n in range(NETWORK_EVENTS):
            agency, kind, summary, payload, roles = SHORTHAND[n % len(SHORTHAND)]
            partner = 5 + n % 3  # the mother's three partners over the years
            event_id, at = new_id(), START + timedelta(minutes=rng.randrange(7_000_000))
            events.append(
                _event_row(
                    bind, event_id, agency, f"NET-{n}", kind, at, summary.format(p=CAST[partner][1].upper()), payload
                )
            )
            for position, (role, who) in enumerate(roles):
                person = partner if who == 5 else (rng.choice((0, 3, 4)) if who == 0 else who)
                given, family, _ = CAST[person]
                subjects.append(
                    (event_id, cast[person], role, position, bind.json({"given_name": given, "family_name": family}))
                )
        insert_rows(db, Event.__table__, EVENT_COLUMNS, events)
        insert_rows(db, EventSubject.__table__, SUBJECT_COLUMNS, subjects)
        family_service.note_links(db=db, records=_named(events, subjects))
        duties = creation.create_for_events(db=db, event_ids=[row[0] for row in events])
    return cast, duties


def _time_reads(url: str, factory: Any, child: str, reads: int) -> tuple[list[float], list[float], float, int]:
    """Cold first read, then `reads` timed JSON and HTML reads through the app, as a social worker."""
    with factory.begin() as db:
        user = access_service.create_user(
            db=db,
            username="bench.worker",
            password="bench-pass-phrase-1",
            agency="csc",
            role="practitioner",
            full_name="Bench",
            actor=SYSTEM,
        )
        user_id = user.id
    settings = Settings(database_url=url, secret_key="bench-" + "x" * 40, cookie_secure=False, scheduler_seconds=0)
    app = create_app(settings)
    token = app.state.signer.issue(user_id)
    api, page = f"/api/v1/people/{child}/chronology?scope=family", f"/people/{child}/chronology?scope=family"
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {token}"}
        started = time.perf_counter()
        count = client.get(api, headers=headers).json()["count"]
        cold = (time.perf_counter() - started) * 1000
        json_ms = [_timed(client, api, headers) for _ in range(reads)]
        client.cookies.set(SESSION_COOKIE, token)
        html_ms = [_timed(client, page, {}) for _ in range(reads)]
    app.state.engine.dispose()
    return json_ms, html_ms, cold, count


def _timed(client: TestClient, path: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text[:300]
    return (time.perf_counter() - started) * 1000
