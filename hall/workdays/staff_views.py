"""The staff page where the city center enters a year's holiday schedule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.core.permissions import staff_required

from . import schedule as parsing
from . import services
from .constants import HolidayKind
from .forms import ScheduleForm
from .models import Holiday, PublishedYear


def _years(today):
    """This year and the next two: whether each is entered, and its counts."""
    wanted = [today.year, today.year + 1, today.year + 2]
    published = set(
        PublishedYear.objects.filter(year__in=wanted, published=True).values_list("year", flat=True)
    )
    rows = []
    for year in wanted:
        days = Holiday.objects.filter(date__year=year)
        rows.append(
            {
                "year": year,
                "published": year in published,
                "holidays": days.filter(kind=HolidayKind.HOLIDAY).count(),
                "workdays": days.filter(kind=HolidayKind.WORKDAY).count(),
            }
        )
    return rows


@staff_required("workdays.change_holiday")
def schedule(request):
    if not services.can_enter_schedule(request.user):
        raise Http404
    today = timezone.localdate()
    missing = services.unpublished_years(today)
    initial = {"year": missing[0] if missing else today.year + 1}
    form = ScheduleForm(request.POST or None, request.FILES or None, initial=initial)
    preview = None
    if request.method == "POST" and "confirm" in request.POST and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            entries = parsing.parse_text(form.cleaned_data["text"], year)
            result = services.calendar_enter_schedule(
                actor=request.user, year=year, entries=entries, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "%(year)d 年节假日安排已录入：放假 %(h)d 天，调休上班 %(w)d 天。"
                    "在办办件的办结期限将由后台稍后自动重新计算。"
                )
                % {"year": year, "h": result["holidays"], "w": result["workdays"]},
            )
            return redirect("workdays:schedule")
    elif request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            if form.cleaned_data["file"]:
                entries = parsing.parse_xlsx(form.cleaned_data["file"], year)
            else:
                entries = parsing.parse_text(form.cleaned_data["text"], year)
        except ValidationError as exc:
            form.add_error("file" if form.cleaned_data["file"] else "text", exc)
        else:
            preview = {
                "year": year,
                "entries": entries,
                "holidays": sum(e.kind == HolidayKind.HOLIDAY for e in entries),
                "workdays": sum(e.kind == HolidayKind.WORKDAY for e in entries),
                "lines": parsing.as_lines(entries),
                "note": form.cleaned_data["note"],
                "moves": services.schedule_moves(year, entries, today=today),
                "replaces": Holiday.objects.filter(date__year=year).count(),
            }
    return render(
        request,
        "workdays/staff/schedule.html",
        {"form": form, "preview": preview, "years": _years(today), "missing": missing},
    )
