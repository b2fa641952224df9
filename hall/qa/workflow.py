"""The lifecycle of a question as data: which status may follow which, and the
right each move needs. `services._move` enforces it; the staff page offers only
the moves of this table."""

from .constants import RIGHT_ANSWER, RIGHT_DISPATCH, RIGHT_PUBLISH
from .constants import QuestionStatus as S

# (from, to) → the right the move needs.
MOVES: dict[tuple[str, str], str] = {
    (S.ROUTING, S.OPEN): RIGHT_DISPATCH,  # routed to a department
    (S.ROUTING, S.ANSWERED): RIGHT_DISPATCH,  # a referral: no window's matter, the center answers
    (S.OPEN, S.OPEN): RIGHT_DISPATCH,  # re-routed to another department
    (S.OPEN, S.ROUTING): RIGHT_ANSWER,  # sent back: not this department's
    (S.OPEN, S.ANSWERED): RIGHT_ANSWER,  # answered by the department
    (S.ANSWERED, S.PUBLISHED): RIGHT_PUBLISH,  # reviewed and published
    (S.ANSWERED, S.PRIVATE): RIGHT_PUBLISH,  # reviewed, kept private with a reason
    (S.PUBLISHED, S.PRIVATE): RIGHT_PUBLISH,  # withdrawn from the column
}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {s: set() for s in S.values}
for _src, _dst in MOVES:
    ALLOWED_TRANSITIONS[_src].add(_dst)

# Moves that must say why.
REASON_REQUIRED = {(S.ANSWERED, S.PRIVATE), (S.PUBLISHED, S.PRIVATE), (S.OPEN, S.ROUTING)}

# Statuses still waiting for an answer: their clock runs.
WAITING = frozenset({S.ROUTING, S.OPEN})


def can_move(src: str, dst: str) -> bool:
    return (src, dst) in MOVES


def right_for(src: str, dst: str) -> str | None:
    return MOVES.get((src, dst))


def moves_for(status: str, user) -> set[str]:
    """The statuses `user` may move a question in `status` to."""
    return {dst for (src, dst), right in MOVES.items() if src == status and user.has_perm(right)}
