"""The URLconf walked: the pages under a prefix, the back-office lists and
their query parameters, and the hostile values a walk sends to each.

test_permissions reads the staff pages from here; test_hostile_queries sends
every value to every parameter of every list.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.sql.query import Query
from django.urls import URLResolver, get_resolver, reverse

# ---- the pages of the URLconf --------------------------------------------------------


def staff_urls(under: str = "staff/") -> dict:
    """{"namespace:name": (route, view)} of every pattern under /staff/ (or `under`)."""
    return {name: (page.route, page.view) for name, page in pages(under).items()}


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    route: str
    view: object
    converters: dict  # argument → converter, of every level of the route


def pages(under: str = "", resolver=None, prefix="", namespace="", converters=None) -> dict:
    """{"namespace:name": Page} of every named pattern whose route starts with `under`."""
    resolver = resolver or get_resolver()
    found = {}
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(pages(under, pattern, route, ns, known))
        elif route.startswith(under) and pattern.name:
            name = f"{namespace}{pattern.name}"
            found[name] = Page(name, route, pattern.callback, known)
    return found


# ---- hostile values -----------------------------------------------------------------

HUGE = str(2**63)  # one past the largest 64-bit id
HOSTILE = {
    "huge": HUGE,
    "huge30": "9" * 30,
    "negative": "-1",
    "zero": "0",
    "year10000": "10000",
    "text": "abc",
    "other_digit": "²",  # str.isdigit() says yes, int() says no
    "arabic_digit": "١",  # int() reads it as 1
    "long": "x" * 10_000,
    "words": "a " * 5_000,  # one search term each
    "nul": "a\x00b",
    "script": "<script>alert(1)</script>",
    "quote": "' OR '1'='1",
    "date0": "0000-01-01",
    "date1": "0001-01-01",  # leaves Python's range once moved to UTC
    "date9999": "9999-12-31",  # leaves it once a day is added
    "date10000": "10000-01-01",
    "bad_date": "2026-02-30",
}
# The values sent to a parameter, by what it holds: every value that could
# break that kind of parameter, and NUL and 10,000 characters to all.
_ID_VALUES = ["huge", "huge30", "negative", "zero", "other_digit", "arabic_digit", "text"]
_DATE_VALUES = ["date0", "date1", "date9999", "date10000", "bad_date", "zero", "year10000"]
BY_KIND = {
    "search": ["nul", "long", "words", "script", "quote", "other_digit"],
    "id": [*_ID_VALUES, "nul", "long"],
    "int": [*_ID_VALUES, "year10000", "nul", "long"],
    "date": [*_DATE_VALUES, "text", "nul", "long"],
    "choice": ["nul", "long", "script", "quote", "other_digit", "huge"],
    "page": ["huge30", "negative", "zero", "text", "other_digit", "nul", "long"],
    "url": ["script", "nul", "long", "quote"],
    "text": ["nul", "long", "script", "quote"],
    "bool": ["text", "nul", "huge"],
    "any": list(HOSTILE),
}


def form_params(form_class) -> dict:
    """{field: kind} of a filter form."""
    found = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField):
            found[name] = "date"
        elif isinstance(field, forms.ChoiceField):
            found[name] = "choice"
        elif isinstance(field, forms.CharField):
            found[name] = "search"
        else:  # ids: IdField, ModelChoiceField, IntegerField
            found[name] = "id"
    return found


def hostile_values(kind: str = "any") -> list[tuple[str, str]]:
    """(label, value) of the hostile values for a parameter of `kind`."""
    return [(label, HOSTILE[label]) for label in BY_KIND[kind]]


# ---- the back office ----------------------------------------------------------------


def admin_changelists(site=None) -> dict:
    """{"app.model": (model, model_admin, changelist url)} of every registered model."""
    site = site or admin.site
    return {
        model._meta.label_lower: (
            model,
            model_admin,
            reverse(f"{site.name}:{model._meta.app_label}_{model._meta.model_name}_changelist"),
        )
        for model, model_admin in site._registry.items()
    }


def _kind(model, key: str) -> str:
    try:
        _path, final, targets, _rest = Query(model).names_to_path(
            key.split(LOOKUP_SEP), model._meta
        )
    except FieldError:
        return "any"
    field = targets[0] if targets else final
    if isinstance(field, models.IntegerField):
        return "int"
    if isinstance(field, models.DateField):  # DateTimeField too
        return "date"
    if isinstance(field, models.BooleanField):
        return "bool"
    return "text"


def admin_list_params(model_admin, request) -> dict:
    """{parameter: kind} a back-office list knows: its filters' parameters, its
    date hierarchy, search, ordering and page, and lookups Django's admin
    takes from the query string on any field: every foreign key, one field of
    each other kind, an id list and a regular expression."""
    model = model_admin.model
    params = {SEARCH_VAR: "search", ORDER_VAR: "page", PAGE_VAR: "page", "pk__in": "id"}
    changelist = model_admin.get_changelist_instance(request)
    for spec in changelist.filter_specs:
        for name in spec.expected_parameters():
            params[name] = "any" if isinstance(spec, admin.SimpleListFilter) else _kind(model, name)
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, type) and issubclass(list_filter, admin.SimpleListFilter):
            params[list_filter.parameter_name] = "any"
    if model_admin.date_hierarchy:
        for part in ("year", "month", "day"):
            params[f"{model_admin.date_hierarchy}__{part}"] = "int"
    kinds_seen = set()
    for field in model._meta.concrete_fields:
        kind = _kind(model, field.name)
        if field.is_relation or kind not in kinds_seen:
            params.setdefault(field.name, kind)
            if kind == "text" and kind not in kinds_seen:
                params[f"{field.name}__regex"] = "text"
            kinds_seen.add(kind)
    return params
