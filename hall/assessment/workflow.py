"""The lifecycle of a scheme as data: a draft is set up and dry-run as often as
wanted; publishing freezes it for good (no move leaves `published`)."""

from .constants import RIGHT_PUBLISH
from .constants import SchemeStatus as S

# (from, to) → the right the move needs.
MOVES: dict[tuple[str, str], str] = {
    (S.DRAFT, S.PUBLISHED): RIGHT_PUBLISH,
}

ALLOWED_TRANSITIONS: dict[str, set[str]] = {s: set() for s in S.values}
for _src, _dst in MOVES:
    ALLOWED_TRANSITIONS[_src].add(_dst)

# Only a draft's indicators, external figures and adjustments may change.
EDITABLE = frozenset({S.DRAFT})


def right_for(src: str, dst: str) -> str | None:
    return MOVES.get((src, dst))
