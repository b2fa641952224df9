"""A recipient unit's lifecycle as data: unread → read (the first time one of
its staff opens the notice) → fed back (a task's feedback, once). A task's
feedback is also its reading: a unit that feeds back from unread is read then."""

from .constants import RIGHT_FEEDBACK, RIGHT_VIEW
from .constants import ReceiptStatus as S

# (from, to) → the right the move needs.
MOVES: dict[tuple[str, str], str] = {
    (S.UNREAD, S.READ): RIGHT_VIEW,
    (S.READ, S.FED_BACK): RIGHT_FEEDBACK,
}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {s: set() for s in S.values}
for _src, _dst in MOVES:
    ALLOWED_TRANSITIONS[_src].add(_dst)


def can_move(src: str, dst: str) -> bool:
    return (src, dst) in MOVES


def right_for(src: str, dst: str) -> str | None:
    return MOVES.get((src, dst))
