"""The Standard Safeguarding Dataset (SSD) extract: one CSV per SSD table that Lantern can fill.

Tables, column names and types: data-to-insight's open SSD data model
(github.com/data-to-insight/ssd-data-model, data/objects/ssd_*.yml, as of July 2026), written here
from that specification, not copied. Every column of each table is written, in the model's order;
columns Lantern does not hold are left empty (docs/returns.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from lantern.casework.rules import local_day
from lantern.returns import codes, records
from lantern.returns.cin_census import la_child_id
from lantern.returns.episodes import Episode, Period, episodes
from lantern.returns.records import Child

Row = dict[str, str | date | None]


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "nvarchar"  # nvarchar, nchar, datetime
    required: bool = False
    key: bool = False
    refers: str | None = None  # "table.column" another table's key


def _cols(spec: str) -> tuple[Column, ...]:
    """Columns from "name:type:flags:refers" items; flags k (key, required), r (required)."""
    found = []
    for item in spec.split():
        name, type_, flags, refers = (item.split(":") + ["", "", ""])[:4]
        found.append(Column(name, type_ or "nvarchar", "k" in flags or "r" in flags, "k" in flags, refers or None))
    return tuple(found)


PERSON = "ssd_person.pers_person_id"
WORKER = "ssd_professionals.prof_professional_id"  # every *_worker_id; *_team columns refer to ssd_department,
# which Lantern does not write (teams are free text in Casework), so they are left unreferenced
REFERRAL = "ssd_cin_episodes.cine_referral_id"
TABLES: dict[str, tuple[Column, ...]] = {
    "ssd_person": _cols(
        "pers_person_id::k pers_forename pers_surname pers_sex pers_gender pers_ethnicity pers_dob:datetime "
        "pers_common_child_id pers_legacy_id pers_upn_unknown pers_send_flag:nchar pers_expected_dob:datetime "
        "pers_death_date:datetime pers_is_mother:nchar pers_nationality"
    ),
    "ssd_address": _cols(
        f"addr_table_id::k addr_address_json::r addr_person_id:::{PERSON} addr_address_type "
        "addr_address_start_date:datetime addr_address_end_date:datetime addr_address_postcode"
    ),
    "ssd_professionals": _cols(
        "prof_professional_id::k prof_staff_id prof_professional_name prof_social_worker_registration_no "
        "prof_professional_job_title prof_professional_caseload:int prof_professional_department "
        "prof_full_time_equivalency:float prof_agency_worker_flag:nchar"
    ),
    "ssd_involvements": _cols(
        f"invo_involvements_id::k invo_professional_id:::{WORKER} "
        "invo_professional_role_id invo_professional_team invo_involvement_start_date:datetime "
        f"invo_involvement_end_date:datetime invo_worker_change_reason invo_person_id:::{PERSON} invo_referral_id"
    ),
    "ssd_cin_episodes": _cols(
        f"cine_referral_id::k cine_person_id::r:{PERSON} cine_referral_date:datetime cine_cin_primary_need_code "
        "cine_referral_source_code cine_referral_source_desc cine_referral_outcome_json cine_referral_nfa:nchar "
        f"cine_close_reason cine_close_date:datetime cine_referral_team cine_referral_worker_id:::{WORKER}"
    ),
    "ssd_cin_assessments": _cols(
        f"cina_assessment_id::k cina_person_id::r:{PERSON} cina_referral_id:::{REFERRAL} "
        "cina_assessment_start_date:datetime cina_assessment_child_seen:nchar cina_assessment_auth_date:datetime "
        "cina_assessment_outcome_json cina_assessment_outcome_nfa:nchar cina_assessment_team "
        f"cina_assessment_worker_id:::{WORKER}"
    ),
    "ssd_cin_plans": _cols(
        f"cinp_cin_plan_id::k cinp_referral_id:::{REFERRAL} cinp_person_id::r:{PERSON} "
        "cinp_cin_plan_start_date:datetime cinp_cin_plan_end_date:datetime cinp_cin_plan_team "
        f"cinp_cin_plan_worker_id:::{WORKER}"
    ),
    "ssd_s47_enquiry": _cols(
        f"s47e_s47_enquiry_id::k s47e_referral_id:::{REFERRAL} s47e_person_id::r:{PERSON} "
        "s47e_s47_start_date:datetime s47e_s47_end_date:datetime s47e_s47_nfa:nchar s47e_s47_outcome_json "
        f"s47e_s47_completed_by_worker_id:::{WORKER} s47e_s47_completed_by_team"
    ),
    "ssd_initial_cp_conference": _cols(
        "icpc_icpc_id::k icpc_icpc_meeting_id icpc_s47_enquiry_id:::ssd_s47_enquiry.s47e_s47_enquiry_id "
        f"icpc_person_id::r:{PERSON} icpc_cp_plan_id icpc_referral_id:::{REFERRAL} icpc_icpc_transfer_in:nchar "
        "icpc_icpc_target_date:datetime icpc_icpc_date:datetime icpc_icpc_outcome_cp_flag:nchar "
        f"icpc_icpc_outcome_json icpc_icpc_team icpc_icpc_worker_id:::{WORKER}"
    ),
    "ssd_cp_plans": _cols(
        "cppl_cp_plan_id::k cppl_referral_id cppl_icpc_id:::ssd_initial_cp_conference.icpc_icpc_id "
        f"cppl_person_id::r:{PERSON} cppl_cp_plan_start_date:datetime cppl_cp_plan_end_date:datetime "
        "cppl_cp_plan_initial_category cppl_cp_plan_ola:nchar cppl_cp_plan_latest_category"
    ),
    "ssd_cp_reviews": _cols(
        f"cppr_cp_review_id::k cppr_person_id:::{PERSON} cppr_cp_plan_id:::ssd_cp_plans.cppl_cp_plan_id "
        "cppr_cp_review_due:datetime cppr_cp_review_date:datetime cppr_cp_review_meeting_id "
        "cppr_cp_review_outcome_continue_cp:nchar cppr_cp_review_quorate:nchar cppr_cp_review_participation:nchar"
    ),
}
ALL_TIME = Period(date.min, date.max)


def build(*, db: Session) -> dict[str, list[Row]]:
    """Every SSD table Lantern can fill, from every child with a CSC referral."""
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    children = records.load(db=db)
    sources = records.referral_sources(db=db, children=children)
    for child in children:
        for name, row in _rows(child, sources):
            tables[name].append(row)
    tables["ssd_professionals"] = [{"prof_professional_id": w, "prof_staff_id": w} for w in _workers(tables)]
    return tables


def _workers(tables: dict[str, list[Row]]) -> list[str]:
    """Every worker (by username) a written row names in a column referring to ssd_professionals;
    an unallocated case names none."""
    named = set()
    for name, columns in TABLES.items():
        for column in columns:
            if column.refers == WORKER:
                named |= {str(value) for row in tables[name] if (value := row.get(column.name))}
    return sorted(named)


def _rows(child: Child, sources: dict[str, str]) -> Iterator[tuple[str, Row]]:
    person, pid = child.person, child.person.id
    deaths = child.of("child.death")
    yield (
        "ssd_person",
        {
            "pers_person_id": pid,
            "pers_forename": person.given_name,
            "pers_surname": person.family_name,
            "pers_sex": codes.SEX_FROM_LANTERN.get(person.sex or "unknown"),
            "pers_dob": person.date_of_birth,
            "pers_common_child_id": person.nhs_number,
            "pers_legacy_id": la_child_id(child),
            "pers_death_date": deaths[0].on if deaths else None,
        },
    )
    for address in child.addresses:
        parts = {"line1": address.line1, "line2": address.line2, "town": address.town, "postcode": address.postcode}
        yield (
            "ssd_address",
            {
                "addr_table_id": str(address.id),
                "addr_address_json": json.dumps({k: v for k, v in parts.items() if v}),
                "addr_person_id": pid,
                "addr_address_start_date": local_day(address.first_seen_at),
                "addr_address_postcode": address.postcode,
            },
        )
    for case in child.cases:
        yield "ssd_involvements", _involvement(case.id, case.worker, case.team, case.allocated_at, case.closed_at, pid)
    for episode in episodes(child, ALL_TIME):
        yield from _episode_rows(pid, episode, sources)
        yield from _conference_rows(child, episode)


def _involvement(
    case_id: str, worker: str | None, team: str, start: datetime | None, end: datetime | None, pid: str
) -> Row:
    return {
        "invo_involvements_id": case_id,
        "invo_professional_id": worker,
        "invo_professional_role_id": "Allocated Case Worker" if worker else None,
        "invo_professional_team": team,
        "invo_involvement_start_date": local_day(start) if start else None,
        "invo_involvement_end_date": local_day(end) if end else None,
        "invo_person_id": pid,
    }


def _episode_rows(pid: str, episode: Episode, sources: dict[str, str]) -> Iterator[tuple[str, Row]]:
    referral, ref_id = episode.referral, episode.referral.event_id
    yield (
        "ssd_cin_episodes",
        {
            "cine_referral_id": ref_id,
            "cine_person_id": pid,
            "cine_referral_date": referral.on,
            "cine_cin_primary_need_code": codes.primary_need(referral.payload.get("category")),
            "cine_referral_source_code": sources[ref_id],
            "cine_referral_nfa": "Y" if episode.nfa else "N",
            "cine_close_reason": episode.reason,
            "cine_close_date": episode.closed_on,
        },
    )
    for a in episode.assessments:
        row: Row = {"cina_assessment_id": a.event_id, "cina_person_id": pid, "cina_referral_id": ref_id}
        yield "ssd_cin_assessments", row | {"cina_assessment_auth_date": a.on}
    for plan in episode.cin_plans:
        yield (
            "ssd_cin_plans",
            {
                "cinp_cin_plan_id": plan.id,
                "cinp_referral_id": ref_id,
                "cinp_person_id": pid,
                "cinp_cin_plan_start_date": plan.start_on,
                "cinp_cin_plan_end_date": plan.end_on,
                "cinp_cin_plan_worker_id": plan.lead_professional,
            },
        )
    for s47 in episode.enquiries:
        row = {"s47e_s47_enquiry_id": s47.strategy.event_id, "s47e_referral_id": ref_id, "s47e_person_id": pid}
        yield "ssd_s47_enquiry", row | {"s47e_s47_start_date": s47.strategy.on}


def _conference_rows(child: Child, episode: Episode) -> Iterator[tuple[str, Row]]:
    pid, ref_id = child.person.id, episode.referral.event_id
    plan_from: dict[date, str] = {p.start_on: p.id for p in episode.cp_plans}
    icpc_of_plan: dict[str, str] = {}
    for s47 in episode.enquiries:
        c = s47.conference
        if c is None:
            continue
        plan_id = plan_from.get(c.held_on) if c.held_on else None
        if plan_id:
            icpc_of_plan[plan_id] = c.id
        yield (
            "ssd_initial_cp_conference",
            {
                "icpc_icpc_id": c.id,
                "icpc_s47_enquiry_id": s47.strategy.event_id,
                "icpc_person_id": pid,
                "icpc_cp_plan_id": plan_id,
                "icpc_referral_id": ref_id,
                "icpc_icpc_target_date": c.due_on,
                "icpc_icpc_date": c.held_on if c.status == "held" else None,
                "icpc_icpc_outcome_cp_flag": {"child_protection_plan": "Y", "no_plan": "N"}.get(c.outcome or ""),
            },
        )
    for plan in episode.cp_plans:
        category = codes.ABUSE_FROM_CATEGORY.get(plan.category or "")
        yield (
            "ssd_cp_plans",
            {
                "cppl_cp_plan_id": plan.id,
                "cppl_referral_id": ref_id,
                "cppl_icpc_id": icpc_of_plan.get(plan.id),
                "cppl_person_id": pid,
                "cppl_cp_plan_start_date": plan.start_on,
                "cppl_cp_plan_end_date": plan.end_on,
                "cppl_cp_plan_initial_category": category,
                "cppl_cp_plan_latest_category": category,
            },
        )
        for c in child.conferences:
            if c.kind == "review" and c.held_on and plan.start_on <= c.held_on <= (plan.end_on or date.max):
                yield (
                    "ssd_cp_reviews",
                    {
                        "cppr_cp_review_id": c.id,
                        "cppr_person_id": pid,
                        "cppr_cp_plan_id": plan.id,
                        "cppr_cp_review_due": c.due_on,
                        "cppr_cp_review_date": c.held_on,
                        "cppr_cp_review_outcome_continue_cp": {"child_protection_plan": "Y", "no_plan": "N"}.get(
                            c.outcome or ""
                        ),
                    },
                )


def to_csv(name: str, rows: list[Row]) -> str:
    """One table as CSV: the model's columns in order, dates as YYYY-MM-DD, empty where not held."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.name for c in TABLES[name])
    for row in rows:
        writer.writerow(_cell(row.get(c.name)) for c in TABLES[name])
    return out.getvalue()


def _cell(value: str | date | None) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
