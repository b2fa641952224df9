"""The case lifecycle as data: which status may follow which, who may make
the move, and which moves need a reason. `services.case_transition` enforces it."""

from .constants import CaseStatus as S

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.CORRECTION_REQUESTED, S.ACCEPTED, S.NOT_ACCEPTED, S.WITHDRAWN},
    S.CORRECTION_REQUESTED: {S.SUBMITTED, S.WITHDRAWN, S.NOT_ACCEPTED},
    S.ACCEPTED: {S.SUSPENDED, S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.SUSPENDED: {S.ACCEPTED},
    S.APPROVED: {S.COMPLETED},
    S.COMPLETED: set(),
    S.NOT_ACCEPTED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}

# Moves the applicant makes from outside; every other move is the clerk's.
APPLICANT_TRANSITIONS = {
    (S.SUBMITTED, S.WITHDRAWN),
    (S.CORRECTION_REQUESTED, S.WITHDRAWN),
    (S.CORRECTION_REQUESTED, S.SUBMITTED),
}
# Moves the clerk may make on the applicant's request as well.
STAFF_TRANSITIONS = {
    (src, dst)
    for src, targets in ALLOWED_TRANSITIONS.items()
    for dst in targets
    if (src, dst) != (S.CORRECTION_REQUESTED, S.SUBMITTED)
}

# A move into these statuses must say why.
REASON_REQUIRED = {S.NOT_ACCEPTED, S.REJECTED, S.SUSPENDED}


def can_move(src: str, dst: str, *, by_applicant: bool) -> bool:
    if dst not in ALLOWED_TRANSITIONS.get(src, set()):
        return False
    return (src, dst) in (APPLICANT_TRANSITIONS if by_applicant else STAFF_TRANSITIONS)


def staff_moves(status: str) -> set[str]:
    """The statuses a clerk may move a case to from `status`: the case page offers these only."""
    return {
        dst for dst in ALLOWED_TRANSITIONS.get(status, set()) if (status, dst) in STAFF_TRANSITIONS
    }
