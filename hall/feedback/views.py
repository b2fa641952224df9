"""Public pages of the complaints hall: the column (published complaints with
search), filing, the receipt and the complainant's page, the lookup, the reopen."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.cases import querynumbers
from hall.catalogue.selectors import chosen_center
from hall.core import ratelimit
from hall.core.forms import parse_id
from hall.org.models import Center, Department

from . import selectors, services
from .constants import PAGE_SIZE
from .errors import ComplaintError, FilingLimited
from .forms import FileForm, PublicListForm, ReopenForm, TrackForm
from .models import Complaint

SESSION_KEY = "complaint_access"


def _grant(request, complaint: Complaint) -> None:
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != complaint.pk][-19:]
    request.session[SESSION_KEY] = [*ids, complaint.pk]


@require_GET
def index(request):
    form = PublicListForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    q = data.get("q") or ""
    qs = selectors.published()
    if q:
        qs = qs.filter(
            Q(published_text__icontains=q)
            | Q(published_answer__icontains=q)
            | Q(department__name__icontains=q)
        )
    page = Paginator(qs, PAGE_SIZE).get_page(data.get("page") or 1)
    return render(
        request,
        "feedback/index.html",
        {"page": page, "q": q, "query": f"q={q}" if q else "", "searched": bool(q)},
    )


@require_GET
def published_detail(request, pk: int):
    complaint = get_object_or_404(selectors.published(), pk=pk)
    return render(request, "feedback/published.html", {"complaint": complaint})


def _limited(request, ctx, exc):
    response = render(request, "feedback/file.html", {**ctx, "limited": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def file_complaint(request):
    centers = list(Center.objects.order_by("sort_order"))
    source = request.POST if request.method == "POST" else request.GET
    center = chosen_center(centers, source.get("center"))
    department_id = parse_id(source.get("department"))
    department = (
        Department.objects.filter(pk=department_id, center=center, is_active=True).first()
        if department_id
        else None
    )
    departments = Department.objects.filter(center=center, is_active=True).order_by(
        "sort_order", "code"
    )
    form = FileForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        center=center,
        department=department,
        initial={"department": department.pk if department else None, "kind": "department"},
    )
    ctx = {
        "form": form,
        "center": center,
        "centers": centers,
        "department": department,
        "departments": departments,
    }
    status = 200
    if request.method == "POST":
        anonymous = (request.POST.get("anonymous") or "") in ("on", "true", "1")
        try:
            # Counted before the form is read: a malformed flood counts too.
            services.filing_limit_hit(ratelimit.client_ip(request), anonymous=anonymous)
        except FilingLimited as exc:
            return _limited(request, ctx, exc)
        if form.is_valid():
            d = form.cleaned_data
            case = None
            if d.get("case_number"):
                case = services.proven_case(d["case_number"], d["case_phone"])
                if case is None:
                    form.add_error("case_number", services.WRONG_CASE)
            if not form.errors:
                try:
                    complaint = services.complaint_file(
                        center=center,
                        kind=d["kind"],
                        category=d["category"],
                        description=d["description"],
                        anonymous=d["anonymous"],
                        name=d["name"],
                        phone=d["phone"],
                        department=d.get("department_obj"),
                        item=d.get("item_obj"),
                        window=d.get("window_obj"),
                        staff=d.get("staff_obj"),
                        case=case,
                        uploads=d["files"],
                    )
                except ComplaintError as exc:
                    form.add_error(None, str(exc))
                else:
                    _grant(request, complaint)
                    return redirect("feedback:mine", number=complaint.number)
        status = 400
    return render(request, "feedback/file.html", ctx, status=status)


def _mine(request, number: str) -> Complaint:
    number = querynumbers.normalise(number)
    complaint = (
        Complaint.objects.select_related("department", "center", "item", "window", "staff__user")
        .filter(number=number, pk__in=request.session.get(SESSION_KEY, []))
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def _render_mine(request, complaint, reopen_form=None, status: int = 200):
    return render(
        request,
        "feedback/mine.html",
        {
            "complaint": complaint,
            "reopen": services.reopen_state(complaint),
            "reopen_form": reopen_form or ReopenForm(),
            "due": services.due_of(complaint),
        },
        status=status,
    )


@never_cache
@require_GET
def mine(request, number: str):
    return _render_mine(request, _mine(request, number))


@never_cache
@require_POST
def reopen(request, number: str):
    complaint = _mine(request, number)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(complaint=complaint, reason=form.cleaned_data["reason"])
        except ComplaintError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已申请重新处理，中心将重新调查后答复。"))
            return redirect("feedback:mine", number=complaint.number)
    complaint.refresh_from_db()
    return _render_mine(request, complaint, reopen_form=form, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(
        request.POST or None, initial={"number": (request.GET.get("number") or "")[:20]}
    )
    if request.method == "POST":
        found = services.complaint_lookup(
            client=ratelimit.client_ip(request),
            number=request.POST.get("number", ""),
            phone=request.POST.get("phone", ""),
        )
        if found.limited:
            response = render(
                request,
                "feedback/track.html",
                {"form": form, "limited": True, "retry_minutes": -(-found.retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(found.retry_after)
            return response
        if found.complaint is not None:
            _grant(request, found.complaint)
            return redirect("feedback:mine", number=found.complaint.number)
        if form.is_valid():
            form.add_error(None, _("没有找到与该编号和手机号匹配的投诉，请核对后重试。"))
        return render(request, "feedback/track.html", {"form": form}, status=400)
    return render(request, "feedback/track.html", {"form": form})
