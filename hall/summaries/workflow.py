"""The lifecycle of a monthly summary as data: which status may follow which,
and the right the move needs. `services._move` enforces it; the pages offer
only the moves of this table."""

from .constants import RIGHT_REVIEW, RIGHT_SUBMIT
from .constants import SummaryStatus as S

# (from, to) → the right the move needs.
MOVES: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): RIGHT_SUBMIT,
    (S.SUBMITTED, S.ACCEPTED): RIGHT_REVIEW,
    (S.SUBMITTED, S.RETURNED): RIGHT_REVIEW,  # with a comment
    (S.RETURNED, S.SUBMITTED): RIGHT_SUBMIT,  # a new version
}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {s: set() for s in S.values}
for _src, _dst in MOVES:
    ALLOWED_TRANSITIONS[_src].add(_dst)

# Statuses in which the unit writes (the text is theirs to change).
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Statuses that count as handed in (not overdue).
HANDED_IN = frozenset({S.SUBMITTED, S.ACCEPTED})


def right_for(src: str, dst: str) -> str | None:
    return MOVES.get((src, dst))


def moves_for(status: str, user) -> set[str]:
    """The statuses `user` may move a summary in `status` to."""
    return {dst for (src, dst), right in MOVES.items() if src == status and user.has_perm(right)}
