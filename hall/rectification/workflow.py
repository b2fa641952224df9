"""The lifecycle of a rectification task as data: which status may follow
which, and the right each move needs. `services._move` enforces it; the staff
page offers only the moves of this table."""

from .constants import RIGHT_DECIDE, RIGHT_HANDLE
from .constants import TaskStatus as S

# The applicant's follow-up rating closes a task: no staff right can make it.
APPLICANT = "applicant"

# (from, to) → the right the move needs.
MOVES: dict[tuple[str, str], str] = {
    (S.CALLBACK, S.VERIFY): RIGHT_HANDLE,  # call-back recorded (reached or not)
    (S.VERIFY, S.RECTIFY): RIGHT_HANDLE,  # the rating is justified
    (S.VERIFY, S.APPEAL): RIGHT_HANDLE,  # the department appeals, with evidence
    (S.APPEAL, S.UPHELD): RIGHT_DECIDE,  # the center upholds the appeal: closed
    (S.APPEAL, S.RECTIFY): RIGHT_DECIDE,  # the center rejects the appeal
    (S.RECTIFY, S.REPLY): RIGHT_HANDLE,  # what was changed
    (S.REPLY, S.FOLLOW_UP): RIGHT_HANDLE,  # replied to the applicant by SMS
    (S.FOLLOW_UP, S.CLOSED): APPLICANT,  # the applicant's follow-up rating
}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {s: set() for s in S.values}
for _src, _dst in MOVES:
    ALLOWED_TRANSITIONS[_src].add(_dst)

# Finished tasks: counted as closed.
CLOSED = frozenset({S.CLOSED, S.UPHELD})
# Statuses whose clock is the call-back's, and those whose clock is the rectification's.
CALLBACK_CLOCK = frozenset({S.CALLBACK})
RECTIFY_CLOCK = frozenset({S.VERIFY, S.APPEAL, S.RECTIFY, S.REPLY})
RUNNING = CALLBACK_CLOCK | RECTIFY_CLOCK
# Open: not closed (a task waiting for the follow-up rating is open, its clock stopped).
OPEN = frozenset(set(S.values) - CLOSED)


def can_move(src: str, dst: str) -> bool:
    return (src, dst) in MOVES


def right_for(src: str, dst: str) -> str | None:
    return MOVES.get((src, dst))


def moves_for(status: str, user) -> set[str]:
    """The statuses `user` may move a task in `status` to."""
    return {
        dst
        for (src, dst), right in MOVES.items()
        if src == status and right != APPLICANT and user.has_perm(right)
    }
