"""The complaints hall over the API: filing a complaint and the complainant's
view of it. Attachments are taken only by the page, never here."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from hall.catalogue.models import ServiceItem
from hall.core import ratelimit
from hall.feedback import services
from hall.feedback.constants import Category, TargetKind
from hall.feedback.errors import ComplaintError, FilingLimited
from hall.feedback.forms import plain
from hall.org.models import Department, Staff, Window

router = Router(tags=["投诉大厅 complaints"])


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


class ComplaintIn(Schema):
    kind: str
    category: str
    description: str
    department: int | None = None
    item: int | None = None
    window: int | None = None
    staff: int | None = None
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    case_number: str = ""
    case_phone: str = ""


class ComplaintCreated(Schema):
    number: str
    status: str
    anonymous: bool


class ComplaintOut(Schema):
    number: str
    status: str
    status_label: str
    category: str
    department: str
    filed_at: str
    answered: bool
    answer: str
    answered_at: str | None
    due_on: str | None


def _bad(field: str, message: str):
    return Status(
        400,
        {
            "detail": _("请求参数有误，请检查后重试。"),
            "errors": [{"field": field, "message": message}],
        },
    )


def _pick(qs, pk, **extra):
    if pk is None or not (0 < pk < 2**63):
        return None
    return qs.filter(pk=pk, **extra).first()


@router.post(
    "",
    response={201: ComplaintCreated, 400: ErrorOut, 429: ErrorOut},
    summary="提交投诉 File a complaint",
)
def file_complaint(request: HttpRequest, response: HttpResponse, payload: ComplaintIn):
    """File a complaint about a department, an item, a window or a staff member
    (by id; the object decides the responsible center); 201 with its number.
    The same checks and per-client limits as the page; no attachments."""
    try:
        services.filing_limit_hit(ratelimit.client_ip(request), anonymous=payload.anonymous)
    except FilingLimited as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, {"detail": str(exc)})
    if payload.kind not in TargetKind.values:
        return _bad("kind", _("投诉对象类型应为 department、item、window 或 staff。"))
    if payload.category not in Category.values:
        return _bad("category", _("请选择投诉类别。"))
    description = plain(payload.description)
    if not description:
        return _bad("description", _("请填写投诉内容。"))
    if len(description) > 2000:
        return _bad("description", _("投诉内容不能超过 2000 个字。"))
    objects = {
        "department": _pick(Department.objects, payload.department, is_active=True),
        "item": _pick(ServiceItem.objects.published(), payload.item),
        "window": _pick(Window.objects, payload.window, is_active=True),
        "staff": _pick(Staff.objects, payload.staff, user__is_active=True),
    }
    if objects[payload.kind] is None:
        return _bad(payload.kind, _("投诉对象不存在，请核对编号。"))
    phone = (payload.phone or "").strip()
    if not payload.anonymous:
        from django.core.exceptions import ValidationError

        from hall.cases.validators import validate_mobile

        try:
            validate_mobile(phone)
        except ValidationError:
            return _bad("phone", _("请填写有效的 11 位手机号码，或选择匿名投诉。"))
    case = None
    if payload.case_number or payload.case_phone:
        case = services.proven_case(payload.case_number, payload.case_phone)
        if case is None:
            return _bad("case_number", services.WRONG_CASE)
    try:
        complaint = services.complaint_file(
            kind=payload.kind,
            category=payload.category,
            description=description,
            anonymous=payload.anonymous,
            name=plain(payload.name)[:30],
            phone=phone,
            case=case,
            **{k: v for k, v in objects.items() if k == payload.kind},
        )
    except ComplaintError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        201,
        {
            "number": complaint.display_number,
            "status": complaint.status,
            "anonymous": complaint.anonymous,
        },
    )


SAME_ANSWER = "没有找到与该编号和手机号匹配的投诉，请核对后重试。"


@router.get(
    "/{number}",
    response={200: ComplaintOut, 404: ErrorOut, 429: ErrorOut},
    summary="查看投诉进展 The complainant's view",
)
def complaint_status(request: HttpRequest, response: HttpResponse, number: str, phone: str = ""):
    """The complaint and its answer, by number and the whole phone number. A
    wrong phone and an unknown number get the same 404."""
    found = services.complaint_lookup(
        client=ratelimit.client_ip(request), number=number[:40], phone=phone[:20]
    )
    if found.limited:
        response["Retry-After"] = str(found.retry_after)
        return Status(429, {"detail": _("查询过于频繁，请稍后再试。")})
    c = found.complaint
    if c is None:
        return Status(404, {"detail": _(SAME_ANSWER)})
    answered = c.status in ("answered", "closed")
    waiting = c.status in ("submitted", "accepted", "investigating")
    return {
        "number": c.display_number,
        "status": c.status,
        "status_label": c.get_status_display(),
        "category": c.category,
        "department": c.department.name,
        "filed_at": c.filed_at.isoformat(),
        "answered": answered,
        "answer": c.answer if answered else "",
        "answered_at": c.answered_at.isoformat() if answered and c.answered_at else None,
        "due_on": services.due_of(c).isoformat() if waiting else None,
    }
