"""Reads with rules: who may see which case."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from hall.core.permissions import scoped

from . import querynumbers
from .constants import DUE_SOON_DAYS, CaseStatus
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


def _digits(given: str) -> str:
    return "".join(ch for ch in (given or "") if ch.isdigit())


def is_whole_phone(given: str) -> bool:
    """Whether more than the last four digits were given."""
    return len(_digits(given)) > 4


def phone_matches(case: Case, given: str, *, whole: bool = False) -> bool:
    given = _digits(given)
    if given == case.phone:
        return True
    return not whole and len(given) == 4 and given == case.phone[-4:]


def case_for_applicant(number: str, phone: str, *, whole_phone: bool = False) -> Case | None:
    """The case if both the query number and the phone (or its last four digits,
    unless `whole_phone`) match; None otherwise — the caller must not say which
    of the two was wrong."""
    number = querynumbers.normalise(number)
    if not querynumbers.is_valid(number):
        return None
    # get(), not first(): first() orders by the default ordering, which lets the
    # database walk the submitted_at index instead of the unique one.
    try:
        case = Case.objects.select_related("item", "department", "center").get(query_number=number)
    except Case.DoesNotExist:
        return None
    return case if phone_matches(case, phone, whole=whole_phone) else None


def public_timeline(case: Case) -> list:
    return list(case.history.all())


# ---- due soon and overdue: one rule for every list and count of running cases -----


@dataclass(frozen=True)
class DueClock:
    """Today and the last promised date that still counts as due soon.

    The queue's tabs, the supervision figures and the staff digest all filter
    with it: a running (accepted) case is due soon with at most DUE_SOON_DAYS
    working days left on its promised date, overdue once today is past it. A
    suspended case's clock is stopped, so it is neither.
    """

    today: date
    due_soon_until: date

    @classmethod
    def at(cls, calendar, today: date) -> "DueClock":
        return cls(today, calendar.add_working_days(today, DUE_SOON_DAYS))

    @property
    def due_soon(self) -> Q:
        return Q(
            status=CaseStatus.ACCEPTED,
            promised_due__gte=self.today,
            promised_due__lte=self.due_soon_until,
        )

    @property
    def overdue(self) -> Q:
        return Q(status=CaseStatus.ACCEPTED, promised_due__lt=self.today)


def due_soon(qs: QuerySet[Case], clock: DueClock) -> QuerySet[Case]:
    """The cases of `qs` due soon, the nearest promised date first."""
    return qs.filter(clock.due_soon).order_by("promised_due", "pk")


def overdue(qs: QuerySet[Case], clock: DueClock) -> QuerySet[Case]:
    """The cases of `qs` past their promised date, the longest overdue first."""
    return qs.filter(clock.overdue).order_by("promised_due", "pk")
