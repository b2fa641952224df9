from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hall.core.files import private_file_response
from hall.core.forms import clean_search, parse_id
from hall.core.pagecache import cache_public_page
from hall.org.models import Center, Department

from . import selectors, services
from .constants import SEARCH_PAGE_SIZE, ApplicantType, OnlineDepth, RegulationLevel
from .forms import SearchForm
from .models import Material, Regulation, ServiceItem, Theme
from .search import catalogue_generation, search_items


@require_GET
@cache_public_page(catalogue_generation)
def search(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    applicant = form.cleaned_data.get("applicant") if form.is_valid() else ""
    types = (applicant, ApplicantType.BOTH) if applicant else ()
    result = search_items(q, applicant_types=types)
    page = Paginator(result.hits, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/search.html",
        {"form": form, "result": result, "page": page, "query": query.urlencode()},
    )


@require_GET
def browse(request):
    """办事指南: by department, by theme / life event, by applicant type."""
    centers = list(Center.objects.order_by("sort_order"))
    center = selectors.chosen_center(centers, request.GET.get("center"))
    items = selectors.published_items().filter(center=center)
    title = ""
    department_id, theme_slug, applicant = (
        request.GET.get("department", ""),
        request.GET.get("theme", ""),
        request.GET.get("applicant", ""),
    )
    if department_id:
        pk = parse_id(department_id)
        if pk is None:
            raise Http404
        department = get_object_or_404(Department, pk=pk, center=center)
        items, title = items.filter(department=department), department.name
    elif theme_slug:
        if "\x00" in theme_slug:
            raise Http404
        theme = get_object_or_404(Theme, slug=theme_slug)
        items, title = items.filter(themes=theme), theme.name
    elif applicant in ApplicantType.values:
        items = items.filter(applicant_type__in=[applicant, ApplicantType.BOTH])
        title = ApplicantType(applicant).label
    else:
        items = None
    page = None
    if items is not None:
        page = Paginator(
            items.only(
                "code",
                "name",
                "online_depth",
                "promised_days",
                "department__name",
                "center__short_name",
            ),
            30,
        ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/browse.html",
        {
            "centers": centers,
            "center": center,
            "departments": selectors.department_item_counts([center.pk]) if center else [],
            "person_themes": Theme.objects.filter(audience="person"),
            "company_themes": Theme.objects.filter(audience="company"),
            "title": title,
            "page": page,
            "query": query.urlencode(),
            "form": SearchForm(),
        },
    )


def _guide_context(item):
    materials = list(item.materials.all())
    return {
        "item": item,
        "bases": selectors.sorted_bases(item),
        "materials": materials,
        "online_materials": [m for m in materials if m.is_online],
        "onsite_materials": [m for m in materials if not m.is_online],
        "depth_label": OnlineDepth(item.online_depth).label,
        "center_phone": settings.HALL_PHONE,
    }


@require_GET
def item_guide(request, code: str):
    item = selectors.item_for_guide(code)
    if item is None:
        raise Http404
    services.item_count_view(item)
    return render(request, "catalogue/item_guide.html", _guide_context(item))


@require_GET
def item_print(request, code: str):
    item = selectors.item_for_guide(code)
    if item is None:
        raise Http404
    return render(request, "catalogue/item_print.html", _guide_context(item))


def _download(stored, display_name: str):
    return private_file_response(stored, display_name or (stored.name or "").rsplit("/", 1)[-1])


@require_GET
def material_file(request, code: str, material_id: int, kind: str):
    material = get_object_or_404(
        Material.objects.select_related("item"),
        pk=material_id,
        item__code=code,
        item__is_published=True,
    )
    if kind == "template":
        return _download(material.template, material.template_name)
    if kind == "example":
        return _download(material.example, material.example_name)
    raise Http404


@require_GET
def result_sample(request, code: str):
    item = get_object_or_404(ServiceItem.objects.published(), code=code)
    return _download(
        item.result_sample, f"{item.result_name or item.name}样本{_suffix(item.result_sample.name)}"
    )


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in (name or "") else ""


@require_GET
def regulations(request):
    qs = selectors.published_regulations()
    level = request.GET.get("level", "")
    if level in RegulationLevel.values:
        qs = qs.filter(level=level)
    q = clean_search(request.GET.get("q"), 50)
    if q:
        qs = qs.filter(title__contains=q)
    page = Paginator(
        qs.only("title", "issuer", "level", "doc_number", "promulgated_on", "in_force"), 30
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/regulations.html",
        {
            "page": page,
            "levels": RegulationLevel.choices,
            "level": level,
            "q": q,
            "query": query.urlencode(),
        },
    )


@require_GET
def regulation_detail(request, pk: int):
    regulation = get_object_or_404(Regulation, pk=pk)
    items = (
        ServiceItem.objects.published()
        .filter(bases__article__regulation=regulation)
        .distinct()
        .only("code", "name")[:50]
    )
    return render(
        request,
        "catalogue/regulation_detail.html",
        {"regulation": regulation, "articles": regulation.articles.all(), "items": items},
    )
