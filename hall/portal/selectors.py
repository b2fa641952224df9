"""The home page's grouped search: items and every public column's index."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hall.catalogue.search import search_items
from hall.core import textsearch

PER_GROUP = 5


@dataclass
class Group:
    slug: str
    title: str
    total: int
    hits: list
    more_url: str


def _more(list_url: str, query: str) -> str:
    """The column's full list for the query; `list_url` a path or a URL name."""
    if not list_url:
        return ""
    path = list_url if list_url.startswith("/") else reverse(list_url)
    return f"{path}?{urlencode({'q': query})}"


def grouped_search(raw_query: str, *, per_group: int = PER_GROUP) -> tuple[str, list[Group]]:
    """The normalised query and one group per column, in the navigation's order:
    how many match, the best `per_group`, and the link to the column's full list."""
    query = textsearch.normalise_query(raw_query)
    if not query:
        return query, []
    items = search_items(query)
    groups = [
        Group(
            "items",
            _("办事事项"),
            len(items.hits),
            items.hits[:per_group],
            _more("catalogue:search", query),
        )
    ]
    for index in textsearch.indexes():
        where = index.offered() if index.offered else None
        found = index.search(query, limit=per_group, where=where)
        groups.append(
            Group(index.slug, index.title, found.total, found.hits, _more(index.list_url, query))
        )
    return query, groups
