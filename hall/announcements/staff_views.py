"""Intranet pages of the column: a center's announcements, results and hold."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hall.catalogue.constants import ResultField
from hall.core.permissions import staff_required
from hall.org.models import Center

from . import selectors, services
from .forms import AnnouncementForm, HoldForm, WithdrawForm


@staff_required("announcements.view_announcement")
def announcement_list(request):
    qs = selectors.announcements_managed_by(request.user).order_by("-publish_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "announcements/staff/list.html",
        {
            "page": page,
            "can_add": request.user.has_perm(services.RIGHT_ADD),
            "can_settings": request.user.has_perm(services.RIGHT_SETTINGS),
        },
    )


def _save(request, form, announcement):
    try:
        saved = services.announcement_save(
            actor=request.user,
            announcement=announcement,
            data=form.service_data(),
            uploads=form.cleaned_data.get("attachments") or [],
            remove=form.removed_ids(),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    return saved


def _form_page(request, form, announcement):
    return render(
        request, "announcements/staff/form.html", {"form": form, "announcement": announcement}
    )


@staff_required("announcements.add_announcement")
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    if selectors.own_center_id(request.user) is None:
        raise Http404  # a superuser without a center publishes through a center's account
    form = AnnouncementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("公告已保存。"))
            return redirect("announcements:staff_list")
    return _form_page(request, form, None)


@staff_required("announcements.change_announcement")
@require_http_methods(["GET", "POST"])
def announcement_edit(request, pk: int):
    announcement = get_object_or_404(selectors.announcements_managed_by(request.user), pk=pk)
    if request.method == "POST":
        form = AnnouncementForm(request.POST, request.FILES, announcement=announcement)
        if form.is_valid():
            saved = _save(request, form, announcement)
            if saved is not None:
                messages.success(request, _("公告已保存。"))
                return redirect("announcements:staff_list")
    else:
        form = AnnouncementForm(
            announcement=announcement,
            initial={
                "category": announcement.category,
                "title": announcement.title,
                "body": announcement.body,
                "pinned": announcement.pinned,
                "publish_at": announcement.publish_at,
                "expires_at": announcement.expires_at,
            },
        )
    return _form_page(request, form, announcement)


@staff_required("announcements.delete_announcement")
@require_POST
def announcement_delete(request, pk: int):
    announcement = get_object_or_404(selectors.announcements_managed_by(request.user), pk=pk)
    services.announcement_delete(actor=request.user, announcement=announcement)
    messages.success(request, _("公告已删除。"))
    return redirect("announcements:staff_list")


@staff_required("announcements.view_resultentry")
def result_list(request):
    qs = selectors.results_managed_by(request.user)
    late = request.GET.get("late") == "1"
    if late:
        qs = selectors.late_results(qs)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "announcements/staff/results.html",
        {
            "page": page,
            "late": late,
            "query": "late=1" if late else "",
            "labels": dict(ResultField.choices),
            "can_withdraw": request.user.has_perm(services.RIGHT_WITHDRAW),
        },
    )


@staff_required("announcements.withdraw_resultentry")
@require_http_methods(["GET", "POST"])
def result_withdraw(request, pk: int):
    entry = get_object_or_404(
        selectors.results_managed_by(request.user).filter(withdrawn_at__isnull=True), pk=pk
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_withdraw(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValueError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, _("公示已撤回，公示页面将注明撤回日期和理由。"))
            return redirect("announcements:staff_results")
    return render(
        request,
        "announcements/staff/withdraw.html",
        {"entry": entry, "form": form, "labels": dict(ResultField.choices)},
    )


@staff_required("announcements.change_resultsettings")
@require_http_methods(["GET", "POST"])
def hold_settings(request):
    center_id = selectors.own_center_id(request.user)
    if center_id is None:
        raise Http404
    center = Center.objects.get(pk=center_id)
    form = HoldForm(request.POST or None, initial={"hold_days": services.hold_days(center_id)})
    if request.method == "POST" and form.is_valid():
        services.result_hold_set(
            actor=request.user, center=center, days=form.cleaned_data["hold_days"]
        )
        messages.success(request, _("已保存。之后生成的公示按新的等待时间公示。"))
        return redirect("announcements:staff_settings")
    return render(request, "announcements/staff/settings.html", {"form": form, "center": center})
