from django.http import Http404
from django.shortcuts import redirect, render

from hall.catalogue.selectors import most_requested

from .constants import COLUMNS
from .context_processors import column_links


def home(request):
    return render(
        request,
        "portal/home.html",
        {"columns": column_links(), "popular": most_requested(12)},
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
