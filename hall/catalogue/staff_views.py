"""Intranet pages of the catalogue: filings, versions, completeness, Excel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.core.permissions import staff_required

from . import excel, selectors, services
from .constants import FilingStatus
from .forms import CompletenessFilterForm, FilingReviewForm, ImportForm


@staff_required("catalogue.view_filing")
def filings(request):
    qs = selectors.filings_visible_to(request.user)
    status = request.GET.get("status", FilingStatus.PENDING)
    if status in FilingStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/staff/filings.html",
        {
            "page": page,
            "status": status,
            "statuses": FilingStatus.choices,
            "query": f"status={status}",
        },
    )


def _filing_page(request, filing, form):
    return render(
        request,
        "catalogue/staff/filing_detail.html",
        {
            "filing": filing,
            "form": form,
            "can_review": request.user.has_perm("catalogue.review_filing")
            and filing.status == FilingStatus.PENDING,
        },
    )


@staff_required("catalogue.view_filing")
@require_GET
def filing_detail(request, pk: int):
    filing = get_object_or_404(selectors.filings_visible_to(request.user), pk=pk)
    return _filing_page(request, filing, FilingReviewForm())


@staff_required("catalogue.review_filing")
@require_POST
def filing_review(request, pk: int):
    # A filing already decided has no review form: a second decision is not there.
    filing = get_object_or_404(
        selectors.filings_visible_to(request.user).filter(status=FilingStatus.PENDING), pk=pk
    )
    form = FilingReviewForm(request.POST)
    if not form.is_valid():
        return _filing_page(request, filing, form)
    try:
        services.filing_review(
            actor=request.user,
            filing=filing,
            accept=form.cleaned_data["decision"] == "review",
            comment=form.cleaned_data["comment"],
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("备案已处理。"))
    return redirect("catalogue:filing", pk=filing.pk)


def _editable_item(request, code):
    return get_object_or_404(selectors.items_editable_by(request.user), code=code)


@staff_required("catalogue.change_serviceitem")
def versions(request, code: str):
    item = _editable_item(request, code)
    return render(
        request,
        "catalogue/staff/versions.html",
        {"item": item, "versions": item.versions.select_related("created_by")},
    )


@staff_required("catalogue.change_serviceitem")
@require_http_methods(["GET", "POST"])
def version_detail(request, code: str, number: int):
    item = _editable_item(request, code)
    version = get_object_or_404(item.versions, number=number)
    if request.method == "POST":
        try:
            services.item_restore_version(actor=request.user, item=item, version=version)
        except ValidationError as exc:
            messages.error(request, _("无法恢复该版本：%(e)s") % {"e": "；".join(exc.messages)})
        else:
            messages.success(request, _("已恢复到第 %(n)d 版，并已报中心备案。") % {"n": number})
        return redirect("catalogue:versions", code=item.code)
    current = services.item_snapshot(item)
    return render(
        request,
        "catalogue/staff/version_detail.html",
        {
            "item": item,
            "version": version,
            "diff": services.snapshot_diff(version.snapshot, current),
            "fields": version.snapshot["fields"],
            "materials": version.snapshot["materials"],
        },
    )


@staff_required("catalogue.view_serviceitem")
def completeness(request):
    items = selectors.items_editable_by(request.user)
    staff = getattr(request.user, "staff", None)
    by_department = None
    if staff is None or staff.department_id is None:
        by_department = selectors.completeness_by_department(items)
    form = CompletenessFilterForm(request.GET)
    department = form.cleaned_data["department"] if form.is_valid() else None
    if form.errors:
        messages.error(request, _("部门参数无效，已忽略。"))
    detail_items = items
    if department is not None:
        detail_items = items.filter(department_id=department)
    elif by_department is not None:
        detail_items = items.none()
    rows = [(i, c) for i, c in selectors.items_with_completeness(detail_items)]
    rows.sort(key=lambda r: (r[1].score, r[0].code))
    return render(
        request,
        "catalogue/staff/completeness.html",
        {"by_department": by_department, "rows": rows, "department": department},
    )


@staff_required("catalogue.view_serviceitem")
def export_xlsx(request):
    items = selectors.items_editable_by(request.user)
    data = excel.export_items(items)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{stamp}.xlsx"'
    return response


@staff_required("catalogue.add_serviceitem")
@require_http_methods(["GET", "POST"])
def import_xlsx(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST":
        if "confirm" in request.POST:
            preview = excel.load_pending(request, request.POST.get("token", ""))
            if preview is None:
                messages.error(request, _("导入预览已过期，请重新上传文件。"))
                return redirect("catalogue:import")
            if preview.errors:
                raise Http404
            try:
                created, updated = excel.apply_import(preview, actor=request.user)
            except ValidationError as exc:
                excel.drop_pending(request, request.POST.get("token", ""))
                messages.error(request, "；".join(exc.messages))
                return redirect("catalogue:import")
            excel.drop_pending(request, request.POST.get("token", ""))
            messages.success(
                request,
                _("导入完成：新增 %(c)d 项，更新 %(u)d 项，均已报中心备案。")
                % {"c": created, "u": updated},
            )
            return redirect("catalogue:import")
        if form.is_valid():
            preview = excel.parse_import(form.cleaned_data["file"], user=request.user)
            if not preview.errors:
                preview.token = excel.store_pending(request, preview)
    return render(request, "catalogue/staff/import.html", {"form": form, "preview": preview})
