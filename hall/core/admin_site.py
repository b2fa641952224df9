import re
from datetime import date
from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList, ChangeListSearchForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.sql.query import Query
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .forms import MAX_ID, SearchField, clean_search

# What a back-office list accepts in its query string. Django's admin lets a
# lookup on any local field through (`?department=…`, `?name__regex=…`) and
# checks the values only as far as building the query; a value the database
# cannot take (an id past 64 bits, NUL, year 0) fails later, as a 500. Each
# lookup is checked here against the field it reaches, before any query.
SAFE_LOOKUPS = {
    "exact",
    "iexact",
    "in",
    "isnull",
    "gt",
    "gte",
    "lt",
    "lte",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
}
TEXT_LOOKUPS = {
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
}
# The years a back-office filter may name: wide, yet far from where a date
# converted to UTC or moved by a day leaves Python's range.
ADMIN_YEARS = (1900, 2999)
DATE_PARTS = {"year": ADMIN_YEARS, "month": (1, 12), "day": (1, 31)}
MAX_VALUE_LENGTH = 200
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_TERMS = 10
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def _integer_ok(text: str, low: int = -MAX_ID - 1, high: int = MAX_ID) -> bool:
    return bool(_INTEGER.fullmatch(text)) and low <= int(text) <= high


def _value_ok(field, text: str) -> bool:
    if isinstance(field, models.IntegerField):  # ids, counts, every auto field
        return _integer_ok(text)
    try:
        value = field.to_python(text)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return not isinstance(value, date) or ADMIN_YEARS[0] <= value.year <= ADMIN_YEARS[1]


def lookup_is_valid(model, key: str, values: list[str]) -> bool:
    """Whether `key=value` of a list's query string is a lookup the database can
    answer for every value. A key that names no field of `model` is left to
    the list's own filters (and Django refuses what none of them takes)."""
    try:
        _path, final_field, targets, rest = Query(model).names_to_path(
            key.split(LOOKUP_SEP), model._meta
        )
    except FieldError:
        return True
    if len(rest) > 2 or any(name not in SAFE_LOOKUPS | set(DATE_PARTS) for name in rest):
        return False
    lookup = rest[-1] if rest else "exact"
    part = rest[0] if rest and rest[0] in DATE_PARTS else None
    field = targets[0] if targets else final_field
    for raw in values:
        text = str(raw)
        if "\x00" in text or len(text) > MAX_VALUE_LENGTH:
            return False
        if lookup == "isnull":
            continue
        for one in text.split(",") if lookup == "in" else [text]:
            if part is not None:
                if not _integer_ok(one, *DATE_PARTS[part]):
                    return False
            elif lookup in TEXT_LOOKUPS:
                continue
            elif not _value_ok(field, one):
                return False
    return True


class HallSearchForm(ChangeListSearchForm):
    """The search box of a list: control characters dropped, cut to a length
    (a search of thousands of words would build a query no database takes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {SEARCH_VAR: SearchField(max_length=SEARCH_MAX_LENGTH, strip=False)}


class HallChangeList(ChangeList):
    """A back-office list whose every filter value is checked before a query:
    a value the database cannot answer sends the user back to the whole list
    (Django's `?e=1`) with a message naming the filter."""

    search_form_class = HallSearchForm

    def get_filters(self, request):
        for key, values in self.get_filters_params().items():
            if not lookup_is_valid(self.model, key, values):
                self._refuse(request, key)
        found = super().get_filters(request)
        for spec in found[0]:
            # A filter of the hall's own offers its choices; any other value is none of them.
            if not isinstance(spec, admin.SimpleListFilter) or spec.value() is None:
                continue
            if str(spec.value()) not in {str(value) for value, _label in spec.lookup_choices}:
                self._refuse(request, spec.parameter_name)
        return found

    def _refuse(self, request, key):
        messages.error(
            request, _("筛选条件“%(name)s”的值无效，已显示全部记录。") % {"name": key[:40]}
        )
        raise IncorrectLookupParameters(key)


class ValidatedListMixin:
    """For every ModelAdmin of the hall's site (HallAdminSite.register adds it
    to those of other packages): the checked list and a bounded search."""

    def get_changelist(self, request, **kwargs):
        return HallChangeList

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete view searches too, without the list's form.
        terms = clean_search(search_term, SEARCH_MAX_LENGTH).split()[:SEARCH_MAX_TERMS]
        return super().get_search_results(request, queryset, " ".join(terms))


class LabelledInlinesMixin:
    """For every ModelAdmin of the hall's site: each input of a table-like
    inline (one row per object, the field names only as column headers) is
    named for screen readers by its field's label."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        for formset, inline in zip(formsets, inline_instances, strict=False):
            if isinstance(inline, admin.TabularInline):
                # The form class is made for this request; its fields are
                # copied into every row, the empty row added by script too.
                label_inputs(formset.form.base_fields)
                for form in formset.forms:
                    label_inputs(form.fields)
        return super().get_inline_formsets(request, formsets, inline_instances, obj)


def label_inputs(fields) -> None:
    for field in fields.values():
        widget = getattr(field.widget, "widget", field.widget)  # inside a related-object wrapper
        if not widget.is_hidden and field.label:
            widget.attrs.setdefault("aria-label", field.label)


class HallAdminSite(admin.AdminSite):
    """The back office (后台界面管理): open to roles granted `core.access_backoffice`.

    A signed-in user without the right, or without the right to a model or
    object, gets 404 — the same answer as for an object outside their scope.
    """

    site_header = _("网上办事大厅 后台管理")
    site_title = _("后台管理")
    index_title = _("配置与管理")

    # Names for the sections of installed packages that give none in Chinese
    # (their app has no verbose name; HallAdminConfig.ready sets these), and
    # for a list whose model's name is not translatable.
    APP_NAMES = {"axes": _("登录防护"), "otp_totp": _("动态口令")}
    MODEL_NAMES = {("otp_totp", "totpdevice"): _("动态口令设备")}

    def _build_app_dict(self, request, label=None):
        app_dict = super()._build_app_dict(request, label)
        for app in [app_dict] if label else app_dict.values():
            for model in (app or {}).get("models", []):
                key = (app["app_label"], model["object_name"].lower())
                model["name"] = self.MODEL_NAMES.get(key, model["name"])
        return app_dict

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(
            mixin
            for mixin in (ValidatedListMixin, LabelledInlinesMixin)
            if not issubclass(admin_class, mixin)
        )
        if mixins:
            admin_class = type(
                admin_class.__name__,
                (*mixins, admin_class),
                {"__module__": admin_class.__module__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.has_perm("core.access_backoffice")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            try:
                return inner(request, *args, **kwargs)
            except PermissionDenied:
                raise Http404 from None

        return update_wrapper(wrapper, inner)

    def login(self, request, extra_context=None):
        # One login page for the whole intranet, with its lockout and audit.
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.get_full_path(), reverse("org:login"))
