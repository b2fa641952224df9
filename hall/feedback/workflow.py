"""The lifecycle of a complaint as data: which status may follow which, and who
may make the move. `services._move` enforces it; the staff page offers only the
moves of this table."""

from .constants import RIGHT_HANDLE
from .constants import ComplaintStatus as S

# The complainant's own move (a reopen): no staff right, proved by number + phone.
COMPLAINANT = "complainant"

# (from, to) → the right the move needs.
MOVES: dict[tuple[str, str], str] = {
    (S.SUBMITTED, S.ACCEPTED): RIGHT_HANDLE,
    (S.SUBMITTED, S.NOT_ACCEPTED): RIGHT_HANDLE,  # with a reason
    (S.ACCEPTED, S.INVESTIGATING): RIGHT_HANDLE,
    (S.INVESTIGATING, S.ANSWERED): RIGHT_HANDLE,
    (S.ANSWERED, S.CLOSED): RIGHT_HANDLE,
    (S.ANSWERED, S.INVESTIGATING): COMPLAINANT,  # reopened, once, within 10 working days
}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {s: set() for s in S.values}
for _src, _dst in MOVES:
    ALLOWED_TRANSITIONS[_src].add(_dst)

# Statuses still waiting for an answer: the 督办 clock runs.
WAITING = frozenset({S.SUBMITTED, S.ACCEPTED, S.INVESTIGATING})
# Statuses with an answer the center may share with the department or publish.
ANSWERED = frozenset({S.ANSWERED, S.CLOSED})


def right_for(src: str, dst: str) -> str | None:
    return MOVES.get((src, dst))


def staff_moves_for(status: str, user) -> set[str]:
    """The statuses `user` may move a complaint in `status` to."""
    return {
        dst
        for (src, dst), right in MOVES.items()
        if src == status and right != COMPLAINANT and user.has_perm(right)
    }
