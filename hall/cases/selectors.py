"""Reads with rules: who may see which case."""

from django.db.models import Prefetch, QuerySet

from hall.core.permissions import scoped

from . import querynumbers
from .models import Case, CaseFile, ReviewMessage


def cases_visible_to(user) -> QuerySet[Case]:
    """A department's staff see its cases; center staff their centers'."""
    return scoped(Case.objects.select_related("item", "department", "center"), user)


def case_detail(qs: QuerySet[Case], pk) -> Case | None:
    return (
        qs.prefetch_related(
            "history__actor",
            "rounds",
            Prefetch(
                "files", queryset=CaseFile.objects.order_by("material_name", "uploaded_at", "id")
            ),
            Prefetch(
                "messages",
                queryset=ReviewMessage.objects.prefetch_related("points").select_related("author"),
            ),
        )
        .filter(pk=pk)
        .order_by("pk")
        .first()
    )


def phone_matches(case: Case, given: str) -> bool:
    given = "".join(ch for ch in (given or "") if ch.isdigit())
    return given == case.phone or (len(given) == 4 and given == case.phone[-4:])


def case_for_applicant(number: str, phone: str) -> Case | None:
    """The case if both the query number and the phone (or its last four digits)
    match; None otherwise — the caller must not say which of the two was wrong."""
    number = querynumbers.normalise(number)
    if not querynumbers.is_valid(number):
        return None
    # get(), not first(): first() orders by the default ordering, which lets the
    # database walk the submitted_at index instead of the unique one.
    try:
        case = Case.objects.select_related("item", "department", "center").get(query_number=number)
    except Case.DoesNotExist:
        return None
    return case if phone_matches(case, phone) else None


def public_timeline(case: Case) -> list:
    return list(case.history.all())
