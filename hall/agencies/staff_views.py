"""The center's pages for the agency directory: list, form with certificates,
deactivate and delete, Excel export, template and import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.catalogue import excel as catalogue_excel
from hall.core.permissions import staff_required

from . import excel, selectors, services
from .constants import STAFF_PAGE_SIZE
from .forms import AgencyForm, CertificateFormSet, ImportForm, StaffFilterForm
from .services import CertificateData


@staff_required("agencies.view_agency")
@require_GET
def agency_list(request):
    qs = selectors.agencies_managed_by(request.user).select_related("center")
    form = StaffFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("筛选条件无效，已忽略。"))
        data = {}
    else:
        data = form.cleaned_data
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(name__contains=q) | qs.filter(uscc__contains=q.upper())
    if data.get("category"):
        qs = qs.filter(category_rows__category=data["category"])
    today = timezone.localdate()
    status = data.get("status")
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    elif status == "expired":
        qs = qs.filter(qualified_until__lt=today)
    if data.get("center"):
        qs = qs.filter(center_id=data["center"])
    qs = qs.prefetch_related("category_rows").order_by("center__sort_order", "name", "id")
    page = Paginator(qs.distinct(), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agencies/staff/list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "centers": selectors.centers_managed_by(request.user),
            "query": query.urlencode(),
        },
    )


def _certificates(formset) -> list[CertificateData]:
    out = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("number"):
            continue
        out.append(
            CertificateData(
                category=data["category"],
                number=data["number"],
                level=data.get("level") or "",
                issuer=data.get("issuer") or "",
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
            )
        )
    return out


def _form_page(request, agency):
    centers = selectors.centers_managed_by(request.user)
    creating = agency is None
    instance = agency
    if creating:
        from .models import Agency

        staff = getattr(request.user, "staff", None)
        instance = Agency(center_id=getattr(staff, "center_id", None))
    form = AgencyForm(request.POST or None, instance=instance, centers=centers)
    formset = CertificateFormSet(request.POST or None, instance=instance, prefix="cert")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = form.save(commit=False)
        try:
            with transaction.atomic():
                services.agency_save(
                    actor=request.user,
                    agency=saved,
                    categories=form.cleaned_data["categories"],
                    items=form.cleaned_data["items"],
                    certificates=_certificates(formset),
                )
        except services.AgencyForbidden:
            raise Http404 from None
        messages.success(request, _("中介机构“%(name)s”已保存。") % {"name": saved.name})
        return redirect("agencies:staff_edit", pk=saved.pk)
    return render(
        request,
        "agencies/staff/form.html",
        {"form": form, "formset": formset, "agency": agency, "today": timezone.localdate()},
    )


@staff_required("agencies.add_agency")
@require_http_methods(["GET", "POST"])
def agency_new(request):
    return _form_page(request, None)


def _managed(request, pk):
    return get_object_or_404(selectors.agencies_managed_by(request.user), pk=pk)


@staff_required("agencies.change_agency")
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk: int):
    return _form_page(request, _managed(request, pk))


@staff_required("agencies.change_agency")
@require_POST
def agency_active(request, pk: int):
    agency = _managed(request, pk)
    active = request.POST.get("active") == "1"
    services.agency_set_active(actor=request.user, agency=agency, active=active)
    messages.success(
        request, _("已启用该机构。") if active else _("已停用该机构，公众不再看到它。")
    )
    return redirect("agencies:staff_edit", pk=agency.pk)


@staff_required("agencies.delete_agency")
@require_POST
def agency_delete(request, pk: int):
    agency = _managed(request, pk)
    name = agency.name
    services.agency_delete(actor=request.user, agency=agency)
    messages.success(request, _("中介机构“%(name)s”已删除。") % {"name": name})
    return redirect("agencies:staff_list")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required("agencies.view_agency")
@require_GET
def export_xlsx(request):
    stamp = timezone.localtime().strftime("%Y%m%d")
    data = excel.export_agencies(selectors.agencies_managed_by(request.user))
    return _xlsx(data, f"agencies-{stamp}.xlsx")


@staff_required("agencies.view_agency")
@require_GET
def template_xlsx(request):
    return _xlsx(excel.template(), "agencies-template.xlsx")


@staff_required("agencies.add_agency")
@require_http_methods(["GET", "POST"])
def import_xlsx(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST":
        token = request.POST.get("token", "")
        if "confirm" in request.POST:
            preview = catalogue_excel.load_pending(request, token, key=excel.PENDING_KEY)
            if preview is None:
                messages.error(request, _("导入预览已过期，请重新上传文件。"))
                return redirect("agencies:import")
            try:
                created, updated = excel.apply_import(preview, actor=request.user)
            except (ValidationError, services.AgencyForbidden) as exc:
                catalogue_excel.drop_pending(request, token, key=excel.PENDING_KEY)
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
                return redirect("agencies:import")
            catalogue_excel.drop_pending(request, token, key=excel.PENDING_KEY)
            messages.success(
                request,
                _("导入完成：新增 %(c)d 家，更新 %(u)d 家。") % {"c": created, "u": updated},
            )
            return redirect("agencies:import")
        if form.is_valid():
            preview = excel.parse_import(form.cleaned_data["file"], user=request.user)
            if not preview.errors:
                preview.token = catalogue_excel.store_pending(
                    request, preview, key=excel.PENDING_KEY, value_fields=None
                )
    return render(
        request, "agencies/staff/import.html", {"form": form, "preview": preview, "excel": excel}
    )
