"""The public column 政策法规: the newest policy documents, their pages, files and feed."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hall.catalogue.search import catalogue_generation
from hall.core.files import private_file_response
from hall.core.forms import MAX_ID
from hall.core.pagecache import cache_public_page
from hall.org.models import Department

from . import selectors
from .constants import PAGE_SIZE, PolicyKind, PolicyStatus
from .forms import PublicFilterForm
from .models import PolicyAttachment
from .search import INDEX


def filtered(qs, form):
    """The documents of `qs` that pass the form's filters (invalid ones ignored)."""
    department, kind = form.value("department"), form.value("kind")
    year, status = form.value("year"), form.value("status")
    if department:
        qs = qs.filter(department_id=department)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(issued_on__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


def search_where(form):
    """The same filters, for the search index's entries."""
    department, kind = form.value("department"), form.value("kind")
    year, status = form.value("year"), form.value("status")

    def where(entry):
        d = entry.data
        return (
            (not department or d["department"] == department)
            and (not kind or d["kind"] == kind)
            and (not year or d["year"] == year)
            and (not status or d["status"] == status)
        )

    return where


def _departments():
    ids = selectors.published_policies().values("department_id")
    return (
        Department.objects.filter(pk__in=ids)
        .select_related("center")
        .order_by("center__sort_order", "sort_order")
    )


def _generation() -> str:
    """The column's token, and the catalogue's (the pages name related items)."""
    return f"{INDEX.token()[:12]}.{catalogue_generation()[:8]}"


@require_GET
@cache_public_page(_generation)
def policy_list(request):
    form = PublicFilterForm(request.GET or None)
    q = form.value("q") or ""
    hits = None
    if q:
        found = INDEX.search(q, limit=None, where=search_where(form))
        page = Paginator(found.hits, PAGE_SIZE).get_page(request.GET.get("page"))
        hits = found
    else:
        qs = filtered(selectors.published_policies(), form).only(
            "title",
            "doc_number",
            "issuer",
            "kind",
            "status",
            "issued_on",
            "department__name",
            "center__short_name",
        )
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "policies/list.html",
        {
            "form": form,
            "q": q,
            "found": hits,
            "page": page,
            "query": query.urlencode(),
            "departments": _departments(),
            "kinds": PolicyKind.choices,
            "statuses": PolicyStatus.choices,
            "chosen": {
                "department": form.value("department"),
                "kind": form.value("kind") or "",
                "year": form.value("year"),
                "status": form.value("status") or "",
            },
            "years": [y for y, _label in form.fields["year"].choices if y],
        },
    )


@require_GET
@cache_public_page(_generation)
def policy_detail(request, pk: int):
    document = selectors.policy_for_public(checked_id(pk))
    if document is None:
        raise Http404
    return render(request, "policies/detail.html", detail_context(document, public=True))


def detail_context(document, *, public: bool) -> dict:
    interpretations = document.interpretations.all()
    replaces = document.replaces.all()
    items = document.related_items.all()
    if public:
        interpretations = interpretations.filter(is_published=True)
        replaces = replaces.filter(is_published=True)
        items = items.filter(is_published=True)
    replaced_by = document.replaced_by
    explains = document.explains
    if public:
        replaced_by = replaced_by if replaced_by and replaced_by.is_published else None
        explains = explains if explains and explains.is_published else None
    return {
        "document": document,
        "replaced_by": replaced_by,
        "explains": explains,
        "interpretations": list(interpretations.order_by("-issued_on")),
        "replaces": list(replaces.order_by("-issued_on")),
        "items": list(items.only("code", "name").order_by("code")),
        "regulations": list(document.related_regulations.all()),
        "attachments": list(document.attachments.all()),
    }


def checked_id(value: int) -> int:
    """A path's id within the 64-bit ids of the hall, else no page."""
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


@require_GET
def attachment_file(request, pk: int, attachment_id: int):
    """A published document's attachment: as item templates, only while it is public."""
    pk, attachment_id = checked_id(pk), checked_id(attachment_id)
    attachment = get_object_or_404(
        PolicyAttachment, pk=attachment_id, document_id=pk, document__is_published=True
    )
    return private_file_response(attachment.file, attachment.name)
