"""The public 中介服务 column: the directory with search and filters, and each
agency's page with its certificates and linked items."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hall.catalogue.models import ServiceItem
from hall.catalogue.search import catalogue_generation
from hall.core.pagecache import cache_public_page

from . import selectors
from .constants import PUBLIC_PAGE_SIZE, AgencyCategory
from .forms import PublicFilterForm
from .search import INDEX, offered_on


def find(*, q="", category="", item=None, expired=False):
    """The entries of the directory for these filters, best match (or name) first."""
    today = timezone.localdate().toordinal()

    def keep(entry):
        data = entry.data
        return (
            (not category or category in data["categories"])
            and (item is None or item in data["items"])
            and (expired or offered_on(entry, today))
        )

    if q:
        return [hit.entry for hit in INDEX.search(q, limit=None, where=keep).hits]
    return sorted((e for e in INDEX.entries() if keep(e)), key=lambda e: (e.title, e.pk))


def _generation() -> str:
    """The directory's token, the catalogue's (item names and filters) and the day
    (a qualification lapses at midnight)."""
    return f"{INDEX.token()[:12]}.{catalogue_generation()[:8]}.{timezone.localdate():%Y%m%d}"


@require_GET
@cache_public_page(_generation)
def agency_list(request):
    form = PublicFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    item = None
    if data.get("item"):
        item = ServiceItem.objects.published().filter(pk=data["item"]).only("name", "code").first()
    entries = find(
        q=data.get("q", ""),
        category=data.get("category", ""),
        item=item.pk if item else (0 if data.get("item") else None),
        expired=bool(data.get("expired")),
    )
    page = Paginator(entries, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(AgencyCategory.choices)
    today = timezone.localdate().toordinal()
    rows = [
        {
            "entry": e,
            "categories": [labels.get(c, c) for c in e.data["categories"]],
            "expired": not offered_on(e, today),
        }
        for e in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agencies/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "item": item,
            "query": query.urlencode(),
            "terms": (data.get("q") or "").lower().split(),
        },
    )


@require_GET
@cache_public_page(_generation)
def agency_detail(request, pk: int):
    agency = selectors.public_agency(pk)
    if agency is None:
        raise Http404
    today = timezone.localdate()
    certificates = [(c, c.is_expired(today)) for c in agency.certificates.all()]
    items = (
        ServiceItem.objects.published()
        .filter(agencies=agency, center_id=agency.center_id)
        .select_related("department")
        .order_by("department__sort_order", "code")
    )
    return render(
        request,
        "agencies/detail.html",
        {
            "agency": agency,
            "expired": agency.is_expired(today),
            "certificates": certificates,
            "items": items,
        },
    )
