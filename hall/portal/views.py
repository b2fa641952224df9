from django.http import Http404
from django.shortcuts import redirect, render

from hall.catalogue.selectors import chosen_center, most_requested
from hall.org.models import Center

from .constants import COLUMNS
from .context_processors import column_links


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
