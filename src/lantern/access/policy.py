"""The access policy: the one place that decides who may do what.

This is the foundation's role-level policy; relationship-based rules (allocated worker,
treating clinician, break-glass) extend `can` here and nowhere else.
"""

from __future__ import annotations

from lantern.audit.service import Actor
from lantern.common.errors import Forbidden

# Recording relationships, judging significance and deciding identity (link, keep apart, merge,
# unmerge) is casework; reviewers only read.
_CASEWORK = (
    "relationship:write",
    "significance:write",
    "alert:read",
    "identity:review",
    "assessment:read",
    "assessment:write",
    "meeting:read",  # standing multi-agency meetings (casework.meetings)
    "meeting:write",
    "plan:read",
    "plan:write",
)
# Minimum necessary: administrators manage accounts, bulk loads and the glossary but do not read records.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "practitioner": frozenset({"person:read", "event:read", "event:write", "duty:read", *_CASEWORK}),
    "manager": frozenset(
        {"person:read", "event:read", "event:write", "duty:read", "duty:report", "break_glass:review", *_CASEWORK}
    ),
    "reviewer": frozenset(
        {"person:read", "event:read", "duty:read", "duty:report", "alert:read", "assessment:read", "plan:read"}
    ),
    # An agency's administrator is its Caldicott guardian / data protection lead: reviews emergency
    # openings and answers subject-access requests (UK GDPR Art. 15).
    "admin": frozenset(
        {"user:manage", "event:write", "event:write_any_agency", "audit:read", "glossary:manage", "break_glass:review"}
    )
    | {"subject_access:export"},
    "system": frozenset({"event:write", "event:write_any_agency", "user:manage"}),
    # `lantern chronology`: whoever runs commands on the server produces a case review's chronology
    # (audited as a read by "cli:chronology"); no user account can hold this role.
    "export": frozenset({"person:read", "event:read", "subject_access:export"}),
}


_CASEWORKERS = frozenset({"practitioner", "manager"})
# The register of violent offenders against children: details only for police, probation and named
# CSC roles; registering, addresses and disclosure decisions for police and probation. Everyone
# else doing casework sees an alert's action ("contact the police public protection unit") only.
AGENCY_ROLE_ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "register:read": {"police": _CASEWORKERS, "probation": _CASEWORKERS, "csc": _CASEWORKERS},
    "register:write": {"police": _CASEWORKERS, "probation": _CASEWORKERS},
    "disclosure:manage": {"police": _CASEWORKERS},
    # Casework (allocation, handover, conferences) is children's social care's; supervision is its
    # managers'; partnership reviewers read cases for a review.
    "case:read": {"csc": _CASEWORKERS, "panel": frozenset({"reviewer"})},
    "case:write": {"csc": _CASEWORKERS},
    "supervision:manage": {"csc": frozenset({"manager"})},
    # Child-protection and child-in-need plans are children's social care's to make and change.
    "plan:manage": {"csc": _CASEWORKERS},
    # Pre-birth assessments: written by children's social care, signed off by their managers.
    "prebirth:write": {"csc": _CASEWORKERS},
    "prebirth:sign_off": {"csc": frozenset({"manager"})},
    "access_log:read": {"csc": frozenset({"manager"}), "panel": frozenset({"reviewer"})},  # who has looked at a child
    # Serious-incident reviews: opened by hand, snapshotted and given findings by the safeguarding
    # partnership's reviewers and managers and by CSC managers. Staff involved are told of a review
    # through their own notices and keep every access they had (no lockout).
    "review:read": {"panel": frozenset({"reviewer", "manager"}), "csc": frozenset({"manager"})},
    "review:write": {"panel": frozenset({"reviewer", "manager"}), "csc": frozenset({"manager"})},
    # CP-IS-style flag look-ups: unscheduled care (emergency departments and maternity, ambulance,
    # out-of-hours GPs) asks whether a child is on a plan or looked after; CSC reads who asked.
    "flags:read": dict.fromkeys(("hospital", "ambulance", "gp", "midwifery"), _CASEWORKERS),
    "flags:history": {"csc": _CASEWORKERS},
    # Statutory returns (CIN census, Standard Safeguarding Dataset): the whole caseload in one file,
    # for CSC's managers and `lantern returns` on the server. Not administrators: they do not read
    # records (ROLE_ACTIONS), and a return is personal data (date of birth, CSC's child id).
    "returns:export": {"csc": frozenset({"manager", "export"})},
}


def can(actor: Actor, action: str, *, agency: str | None = None) -> bool:
    """Whether the actor may perform the action (writing events: only as their own agency)."""
    if action in AGENCY_ROLE_ACTIONS:
        return actor.role in AGENCY_ROLE_ACTIONS[action].get(actor.agency or "", frozenset())
    allowed = ROLE_ACTIONS.get(actor.role, frozenset())
    if action not in allowed:
        return False
    if action == "event:write" and agency is not None and agency != actor.agency:
        return "event:write_any_agency" in allowed
    return True


def require(actor: Actor, action: str, *, agency: str | None = None) -> None:
    """Raise Forbidden unless the policy allows the action."""
    if not can(actor, action, agency=agency):
        raise Forbidden(f"{actor.role} of {actor.agency or 'no agency'} may not {action}")
