from django import template

from hall.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_notifications(context, case):
    """The case page's panel: the case's notifications, for those who may see them."""
    user = context["request"].user
    if not user.has_perm("notifications.view_notification"):
        return None
    return {
        "rows": list(selectors.case_notifications(case)),
        "can_resend": user.has_perm("notifications.resend_notification"),
    }


@register.simple_tag(takes_context=True)
def notification_figures(context):
    """Per-day counts and failure rate, for a dashboard that includes the panel."""
    user = context["request"].user
    if not user.has_perm("notifications.view_notification"):
        return None
    return selectors.daily_counts(selectors.notifications_visible_to(user))
