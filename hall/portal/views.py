from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from hall.catalogue.forms import SearchForm
from hall.catalogue.search import catalogue_generation
from hall.catalogue.selectors import chosen_center, most_requested
from hall.core import textsearch
from hall.core.pagecache import cache_public_page
from hall.org.models import Center

from .constants import COLUMNS
from .context_processors import column_links
from .selectors import grouped_search


def _search_generation() -> str:
    return f"{catalogue_generation()[:8]}.{textsearch.tokens()}"


# The home page shows the latest of every column, some of which publish by the
# clock (results after their hold): kept a minute, and rebuilt at once on a change.
HOME_TIMEOUT = 60


@require_GET
@cache_public_page(_search_generation, timeout=HOME_TIMEOUT)
def home(request):
    centers = list(Center.objects.order_by("sort_order"))
    center = chosen_center(centers, request.GET.get("center"))
    return render(
        request,
        "portal/home.html",
        {
            "columns": column_links(),
            "centers": centers,
            "center": center,
            "popular": most_requested(12, center),
        },
    )


def column(request, slug: str):
    for key, title, text, url_name in COLUMNS:
        if key == slug:
            if url_name:
                return redirect(url_name)
            return render(
                request, "portal/column.html", {"slug": key, "title": title, "text": text}
            )
    raise Http404


@require_GET
@cache_public_page(_search_generation)
def search(request):
    """One search box for everything: items, policies, Q&As, results, announcements, agencies."""
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    query, groups = grouped_search(q)
    return render(
        request,
        "portal/search.html",
        {"query": query, "groups": groups, "total": sum(g.total for g in groups)},
    )
