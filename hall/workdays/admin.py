import re

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hall.core.admin import AuditedModelAdmin
from hall.core.permissions import staff_scope

from .constants import HolidayKind
from .models import Holiday, PublishedYear


def manages_calendar(user) -> bool:
    """The holiday calendar is one for the whole city: it is kept by the center
    at the top of the tree (a center without a parent) or a superuser. A county
    center's staff get 404 even if their role carries the workdays rights."""
    if user.is_superuser:
        return True
    staff = staff_scope(user)
    return staff is not None and getattr(staff.center, "parent_id", 1) is None


class CalendarAdmin(AuditedModelAdmin):
    """Django's model rights (workdays.view_/add_/change_/delete_…), held by a
    member of the top center."""

    def has_module_permission(self, request):
        return manages_calendar(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return manages_calendar(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return manages_calendar(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return manages_calendar(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return manages_calendar(request.user) and super().has_delete_permission(request, obj)

    # The open cases' deadlines follow in the worker (workdays.signals.calendar_changed),
    # not in this request: the admin is told so.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._deadlines_follow(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._deadlines_follow(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._deadlines_follow(request)

    def _deadlines_follow(self, request) -> None:
        messages.info(
            request,
            _("节假日安排已变更，在办办件的办结期限将由后台稍后自动重新计算。"),
        )


class YearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        # Only a year the calendar can hold: `date__year=0` or 10000 fails in
        # the database driver, after the list has been built.
        value = self.value() or ""
        if re.fullmatch(r"[0-9]{4}", value) and int(value) >= 1:
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(CalendarAdmin):
    list_display = ["date", "weekday", "kind", "name", "source", "updated_at"]
    list_filter = ["kind", YearFilter, "source"]
    search_fields = ["name"]
    ordering = ["date"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "source", "updated_at"]
    readonly_fields = ["source", "updated_at"]
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return obj.weekday_name


@admin.register(PublishedYear)
class PublishedYearAdmin(CalendarAdmin):
    list_display = ["year", "published", "holiday_count", "workday_count", "note"]
    list_filter = ["published"]
    search_fields = ["year", "note"]
    ordering = ["-year"]

    def get_queryset(self, request):
        def count(kind):
            days = (
                Holiday.objects.filter(date__year=OuterRef("year"), kind=kind)
                .values("kind")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(days, output_field=IntegerField()), 0)

        return (
            super()
            .get_queryset(request)
            .annotate(_holidays=count(HolidayKind.HOLIDAY), _workdays=count(HolidayKind.WORKDAY))
        )

    @admin.display(description=_("节假日天数"), ordering="_holidays")
    def holiday_count(self, obj):
        return obj._holidays

    @admin.display(description=_("调休上班日天数"), ordering="_workdays")
    def workday_count(self, obj):
        return obj._workdays
