"""Staff pages: the notification log with its alert list and resend, the
per-day figures, and the templates of each event."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hall.core.forms import parse_id
from hall.core.permissions import staff_required
from hall.org.selectors import centers_visible_to

from . import rendering, selectors, services
from .constants import LOG_PAGE_SIZE, PLACEHOLDERS, TEMPLATE_EVENTS, Channel, Event, Status
from .forms import LogFilterForm, TemplateForm


@staff_required("notifications.view_notification")
def log(request):
    form = LogFilterForm(request.GET or None)
    visible = selectors.notifications_visible_to(request.user)
    rows = visible
    if form.is_bound and form.is_valid():
        rows = selectors.notifications_filtered(rows, **form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "failed": visible.filter(status=Status.FAILED).count(),
            "can_resend": request.user.has_perm("notifications.resend_notification"),
        },
    )


@staff_required("notifications.resend_notification")
@require_POST
def resend(request, pk: int):
    row = get_object_or_404(selectors.notifications_visible_to(request.user), pk=pk)
    try:
        services.notification_resend(notification=row, actor=request.user)
    except services.NotificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已重新排队发送。"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "notifications:log")


@staff_required("notifications.view_notification")
def stats(request):
    figures = selectors.daily_counts(selectors.notifications_visible_to(request.user))
    return render(request, "notifications/stats.html", {"figures": figures})


def _center(request, raw):
    """The center whose templates are edited: one in the user's scope, else 404."""
    centers = centers_visible_to(request.user)
    if raw in (None, ""):
        staff = getattr(request.user, "staff", None)
        center = centers.filter(pk=staff.center_id).first() if staff else centers.first()
    else:
        pk = parse_id(raw)
        center = centers.filter(pk=pk).first() if pk is not None else None
    if center is None:
        raise Http404
    return center


@staff_required("notifications.change_notificationtemplate")
def templates(request):
    center = _center(request, request.GET.get("center"))
    rows = []
    for event in TEMPLATE_EVENTS:
        text, enabled = services.template_for(center, event, Channel.SMS)
        sample = rendering.render(text, rendering.sample_values())
        rows.append(
            {
                "event": event,
                "text": text,
                "enabled": enabled,
                "length": rendering.sms_length(sample),
            }
        )
    return render(
        request,
        "notifications/templates.html",
        {"center": center, "centers": centers_visible_to(request.user), "rows": rows},
    )


@staff_required("notifications.change_notificationtemplate")
def template_edit(request, center_id: int, event: str):
    center = _center(request, str(center_id))
    if event not in TEMPLATE_EVENTS:
        raise Http404
    text, enabled = services.template_for(center, event, Channel.SMS)
    form = TemplateForm(request.POST or None, initial={"text": text, "enabled": enabled})
    preview = None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            services.template_save(
                center=center,
                event=event,
                channel=Channel.SMS,
                text=form.cleaned_data["text"],
                enabled=form.cleaned_data["enabled"],
                actor=request.user,
            )
            messages.success(request, _("通知模板已保存。"))
            return redirect(request.path)
        preview = form.cleaned_data["text"]
    elif request.method != "POST":
        preview = text
    rendered = rendering.render(preview, rendering.sample_values()) if preview else ""
    return render(
        request,
        "notifications/template_edit.html",
        {
            "center": center,
            "event": event,
            "event_label": Event(event).label,
            "form": form,
            "rendered": rendered,
            "length": rendering.sms_length(rendered) if rendered else None,
            "placeholders": PLACEHOLDERS.items(),
        },
    )
