"""The column's sections on other pages: the home page and supervision."""

from hall.core import navigation
from hall.core.permissions import visible_center_ids

from . import selectors
from .constants import HOME_SIZE


def _home(request, **values):
    return {
        "home_announcements": list(selectors.public_announcements()[:HOME_SIZE]),
        "home_results": list(selectors.public_results()[:HOME_SIZE]),
    }


def _supervision(request, **values):
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("cases.view_supervision"):
        return None
    from .models import ResultEntry

    qs = ResultEntry.objects.select_related("item", "department", "center")
    ids = visible_center_ids(user)
    if ids is not None:
        qs = qs.filter(center_id__in=ids)
    late = selectors.late_results(qs).order_by("due_at", "pk")
    unqueued = selectors.unqueued_decisions(user).select_related("item").order_by("decided_at")
    return {
        "late_results": list(late[:20]),
        "late_count": late.count(),
        "unqueued": list(unqueued[:20]),
        "unqueued_count": unqueued.count(),
    }


def register() -> None:
    navigation.register_panel("home", "announcements/panels/home.html", _home, order=40)
    navigation.register_panel(
        "supervision_dashboard", "announcements/panels/late_results.html", _supervision, order=40
    )
