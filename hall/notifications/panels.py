"""The notification sections of other apps' pages (registered in apps.py)."""

from . import selectors


def case_panel(request, *, case) -> dict | None:
    """The case page: the case's messages, for those who may see them."""
    user = request.user
    if not user.has_perm("notifications.view_notification"):
        return None
    return {
        "rows": list(selectors.case_notifications(case)),
        "can_resend": user.has_perm("notifications.resend_notification"),
    }


def figures_panel(request) -> dict | None:
    """The supervision dashboard: per-day counts and the failure rate in the user's scope."""
    user = request.user
    if not user.has_perm("notifications.view_notification"):
        return None
    return {"figures": selectors.daily_counts(selectors.notifications_visible_to(user))}
