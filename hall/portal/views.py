from django.http import Http404
from django.shortcuts import render

from .constants import COLUMNS


def home(request):
    return render(request, "portal/home.html", {"columns": COLUMNS})


def column(request, slug: str):
    for key, title, text in COLUMNS:
        if key == slug:
            return render(
                request, "portal/column.html", {"slug": key, "title": title, "text": text}
            )
    raise Http404
