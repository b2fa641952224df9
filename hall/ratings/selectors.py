"""The reads of 好差评 with rules: which case a browser may rate, which
ratings a case may still take, what it was given."""

from __future__ import annotations

from django.http import Http404

from hall.cases import querynumbers
from hall.cases.models import Case
from hall.cases.views import SESSION_KEY

from . import stats
from .constants import TAG_LABELS, Kind
from .models import Rating


def case_looked_up(request, number: str) -> Case:
    """The case whose number and phone this browser proved on the status page
    (the lookup kept in the session), else the uniform 404."""
    number = querynumbers.normalise(number)
    case = (
        Case.objects.select_related("item", "department", "center")
        .filter(query_number=number, pk__in=request.session.get(SESSION_KEY, []))
        .order_by("pk")
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_of_link_or_none(case_id: int) -> Case | None:
    """The case a genuine signed link names (the signature is the proof)."""
    return Case.objects.select_related("item", "department", "center").filter(pk=case_id).first()


def case_of_link(case_id: int) -> Case:
    case = case_of_link_or_none(case_id)
    if case is None:
        raise Http404
    return case


def ratings_of(case: Case) -> dict[str, Rating]:
    """The case's ratings by kind."""
    return {r.kind: r for r in Rating.objects.filter(case=case)}


def kind_applies(case: Case, kind: str, given: dict[str, Rating] | None = None) -> bool:
    """Whether `case` can ever take a rating of `kind` (the others are a 404):
    an acceptance rating only for items that ask for one, a follow-up only
    after a rating whose rectification was answered."""
    if kind == Kind.FINISHED:
        return True
    if kind == Kind.ACCEPTANCE:
        return bool(case.item.rating_at_acceptance)
    if kind == Kind.FOLLOW_UP:
        given = ratings_of(case) if given is None else given
        first = given.get(Kind.FINISHED)
        return first is not None and first.follow_up_open_at is not None
    return False


def invitations(case: Case, given: dict[str, Rating]) -> list[str]:
    """The kinds the applicant is welcome to rate now, in the order shown."""
    kinds = []
    if (
        case.item.rating_at_acceptance
        and case.accepted_at is not None
        and Kind.ACCEPTANCE not in given
    ):
        kinds.append(Kind.ACCEPTANCE)
    if case.status in stats.FINISHED_STATUSES and Kind.FINISHED not in given:
        kinds.append(Kind.FINISHED)
    if kind_applies(case, Kind.FOLLOW_UP, given) and Kind.FOLLOW_UP not in given:
        kinds.append(Kind.FOLLOW_UP)
    return kinds


def tag_labels(rating: Rating) -> list[str]:
    return [str(TAG_LABELS.get(code, code)) for code in rating.tags]
