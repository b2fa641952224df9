"""Public pages of the column: the list, a Q&A, asking, the receipt and the
asker's answer, the lookup, and the suggestions while a subject is typed."""

from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hall.cases import querynumbers
from hall.catalogue.search import search_items
from hall.catalogue.selectors import chosen_center
from hall.core import ratelimit
from hall.core.pagecache import cache_public_page
from hall.org.models import Center, Department

from . import selectors, services
from .constants import PAGE_SIZE, SUGGEST_COUNT
from .errors import AskLimited, QuestionError
from .forms import AskForm, ListFilterForm, LookupForm
from .models import Question
from .search import INDEX, generation

SESSION_KEY = "qa_access"


def _grant(request, question: Question) -> None:
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != question.pk][-19:]
    request.session[SESSION_KEY] = [*ids, question.pk]


@require_GET
@cache_public_page(generation)
def question_list(request):
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    q = data.get("q") or ""
    department_id = data.get("department")
    department = Department.objects.filter(pk=department_id).first() if department_id else None
    if q:
        where = (lambda e: e.data["department_id"] == department.pk) if department else None
        found = INDEX.search(q, limit=None, where=where)
        rows = [h.entry for h in found.hits]
        total = found.total
    else:
        qs = selectors.published()
        if department:
            qs = qs.filter(department=department)
        rows, total = qs, None
    page = Paginator(rows, PAGE_SIZE).get_page(data.get("page") or 1)
    page.rows = [_row(r) for r in page.object_list]
    query = "&".join(
        p
        for p in ((f"q={q}" if q else ""), (f"department={department.pk}" if department else ""))
        if p
    )
    departments = (
        Department.objects.filter(pk__in=Question.objects.published().values("department_id"))
        .select_related("center")
        .order_by("center__sort_order", "sort_order", "code")
    )
    return render(
        request,
        "qa/list.html",
        {
            "page": page,
            "q": q,
            "searched": bool(q),
            "total": total if total is not None else page.paginator.count,
            "department": department,
            "departments": departments,
            "query": query,
            "form": form,
        },
    )


def _row(r) -> dict:
    if isinstance(r, Question):
        return {
            "title": r.shown_subject,
            "url": f"/qa/{r.pk}/",
            "department": r.department_name or r.center.name,
            "date": r.published_at.date() if r.published_at else None,
        }
    return {
        "title": r.title,
        "url": r.url,
        "department": r.data["department"],
        "date": date.fromisoformat(r.data["date"]) if r.data["date"] else None,
    }


@require_GET
@cache_public_page(generation)
def question_detail(request, pk: int):
    question = get_object_or_404(selectors.published(), pk=pk)
    return render(request, "qa/detail.html", {"question": question})


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request):
    centers = list(Center.objects.order_by("sort_order"))
    center = chosen_center(centers, request.POST.get("center") or request.GET.get("center"))
    form = AskForm(request.POST or None, center=center)
    status = 200
    if request.method == "POST":
        try:
            # Counted before the form is read: a malformed flood counts too.
            services.ask_limit_hit(ratelimit.client_ip(request))
        except AskLimited as exc:
            response = render(
                request,
                "qa/ask.html",
                {"form": form, "center": center, "centers": centers, "limited": str(exc)},
                status=429,
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        if form.is_valid():
            d = form.cleaned_data
            try:
                question = services.question_ask(
                    center=center,
                    department=d["department"],
                    subject=d["subject"],
                    question=d["question"],
                    name=d["name"],
                    phone=d["phone"],
                    may_publish=d["may_publish"],
                )
            except QuestionError as exc:
                form.add_error(None, str(exc))
            else:
                _grant(request, question)
                return redirect("qa:status", number=question.number)
        status = 400
    return render(
        request,
        "qa/ask.html",
        {"form": form, "center": center, "centers": centers},
        status=status,
    )


@never_cache
def status(request, number: str):
    number = querynumbers.normalise(number)
    question = (
        Question.objects.select_related("department", "center")
        .filter(number=number, pk__in=request.session.get(SESSION_KEY, []))
        .first()
    )
    if question is None:
        raise Http404
    return render(request, "qa/status.html", {"question": question})


SAME_ANSWER = _("没有找到与该编号和手机号匹配的问题，请核对后重试。")


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    form = LookupForm(
        request.POST or None, initial={"number": (request.GET.get("number") or "")[:20]}
    )
    if request.method == "POST":
        found = services.question_lookup(
            client=ratelimit.client_ip(request),
            number=request.POST.get("number", ""),
            phone=request.POST.get("phone", ""),
        )
        if found.limited:
            response = render(
                request,
                "qa/track.html",
                {"form": form, "limited": True, "retry_minutes": -(-found.retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(found.retry_after)
            return response
        if found.question is not None:
            _grant(request, found.question)
            return redirect("qa:status", number=found.question.number)
        if form.is_valid():
            form.add_error(None, _("没有找到与该编号和手机号匹配的问题，请核对后重试。"))
    return render(request, "qa/track.html", {"form": form})


@require_GET
def suggest(request):
    """Published answers and items matching what is typed in the subject (JSON)."""
    limit, window = settings.QA_SUGGEST_LIMIT_PER_CLIENT
    if not ratelimit.hit("qa-suggest", ratelimit.client_ip(request), limit=limit, window=window):
        return JsonResponse({"answers": [], "items": []}, status=429)
    q = (request.GET.get("q") or "")[:50]
    answers = [
        {"title": h.entry.title, "url": h.entry.url, "department": h.entry.data["department"]}
        for h in INDEX.search(q, limit=SUGGEST_COUNT).hits
    ]
    items = [
        {
            "title": h.item.name,
            "url": f"/items/{h.item.code}/",
            "department": h.item.department.name,
        }
        for h in search_items(q).hits[:SUGGEST_COUNT]
    ]
    return JsonResponse({"answers": answers, "items": items})
