from django.urls import reverse

from .constants import COLUMNS


def column_links():
    return [
        (
            slug,
            title,
            text,
            reverse(url_name) if url_name else reverse("portal:column", args=[slug]),
        )
        for slug, title, text, url_name in COLUMNS
    ]


def nav(request):
    return {"NAV_COLUMNS": column_links()}
