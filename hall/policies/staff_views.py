"""Intranet pages: a department's documents, their form, detail, publication and files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.core.files import private_file_response
from hall.core.permissions import staff_required

from . import selectors, services
from .forms import AttachmentForm, PolicyForm, StaffFilterForm
from .models import PolicyAttachment
from .views import checked_id, detail_context, filtered


def _editable(request, pk):
    return get_object_or_404(selectors.policies_editable_by(request.user), pk=checked_id(pk))


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@staff_required(services.RIGHT_VIEW)
@require_GET
def staff_list(request):
    form = StaffFilterForm(request.GET or None)
    qs = filtered(selectors.policies_editable_by(request.user), form)
    q = form.value("q")
    if q:
        qs = qs.filter(title__contains=q) | qs.filter(doc_number__contains=q)
    published = form.value("published")
    if published == "yes":
        qs = qs.filter(is_published=True)
    elif published == "no":
        qs = qs.filter(is_published=False)
    page = Paginator(qs.order_by("-issued_on", "-id"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "policies/staff/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _save(request, form, *, create: bool):
    document = form.save(commit=False)
    items = form.cleaned_data.get("related_items")
    regulations = form.cleaned_data.get("related_regulations")
    if create:
        services.policy_create(
            actor=request.user, document=document, items=items, regulations=regulations
        )
    else:
        services.policy_update(
            actor=request.user, document=document, items=items, regulations=regulations
        )
    return document


@staff_required(services.RIGHT_ADD)
@require_http_methods(["GET", "POST"])
def staff_create(request):
    form = PolicyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = _save(request, form, create=True)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("文件已保存，并已报中心备案。尚未发布。"))
            return redirect("policies:staff_detail", pk=document.pk)
    return render(request, "policies/staff/form.html", {"form": form, "document": None})


@staff_required(services.RIGHT_CHANGE)
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk: int):
    document = _editable(request, pk)
    form = PolicyForm(request.POST or None, instance=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, create=False)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("修改已保存，并已报中心备案。"))
            return redirect("policies:staff_detail", pk=document.pk)
    return render(request, "policies/staff/form.html", {"form": form, "document": document})


@staff_required(services.RIGHT_VIEW)
@require_GET
def staff_detail(request, pk: int):
    document = _editable(request, pk)
    return render(
        request,
        "policies/staff/detail.html",
        {
            **detail_context(document, public=False),
            "attachment_form": AttachmentForm(),
            "filings": services.filings_of(document)[:10],
        },
    )


@staff_required(services.RIGHT_PUBLISH)
@require_POST
def staff_publish(request, pk: int):
    document = _editable(request, pk)
    publish = request.POST.get("publish") != "0"
    services.policy_publish(actor=request.user, document=document, publish=publish)
    messages.success(
        request, _("文件已发布，公众可以查阅。") if publish else _("文件已撤回，公众不再可见。")
    )
    return redirect("policies:staff_detail", pk=document.pk)


@staff_required(services.RIGHT_DELETE)
@require_POST
def staff_delete(request, pk: int):
    document = _editable(request, pk)
    try:
        services.policy_delete(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("policies:staff_detail", pk=document.pk)
    messages.success(request, _("文件已删除，并已报中心备案。"))
    return redirect("policies:staff_list")


@staff_required(services.RIGHT_CHANGE)
@require_POST
def attachment_add(request, pk: int):
    document = _editable(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, document=document, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("附件已上传，并已报中心备案。"))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect("policies:staff_detail", pk=document.pk)


@staff_required(services.RIGHT_CHANGE)
@require_POST
def attachment_delete(request, pk: int, attachment_id: int):
    document = _editable(request, pk)
    attachment = get_object_or_404(
        PolicyAttachment, pk=checked_id(attachment_id), document=document
    )
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("附件已删除，并已报中心备案。"))
    return redirect("policies:staff_detail", pk=document.pk)


@staff_required(services.RIGHT_VIEW)
@require_GET
def staff_attachment(request, pk: int, attachment_id: int):
    """Staff read their documents' files, published or not."""
    document = _editable(request, pk)
    attachment = get_object_or_404(
        PolicyAttachment, pk=checked_id(attachment_id), document=document
    )
    if not attachment.file:
        raise Http404
    return private_file_response(attachment.file, attachment.name)
