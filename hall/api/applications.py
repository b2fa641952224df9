"""Online application and status lookup over the API."""

import uuid

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hall.cases import querynumbers, selectors, services
from hall.cases.constants import (
    NEXT_STEPS,
    CaseStatus,
)
from hall.cases.forms import ApplicantForm, form_values, item_form_fields
from hall.catalogue.models import ServiceItem
from hall.core import ratelimit

router = Router(tags=["网上申报与办件查询 applications"])


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


class TimelineEntry(Schema):
    at: str
    status: str
    label: str
    by_applicant: bool
    reason: str


class ReplyOut(Schema):
    at: str
    kind: str
    text: str
    points: list[dict]


class StatusOut(Schema):
    query_number: str
    item: str
    department: str
    status: str
    status_label: str
    next_step: str
    submitted_at: str
    timeline: list[TimelineEntry]
    replies: list[ReplyOut]


SAME_ANSWER = "没有找到与该查询号和手机号匹配的办件，请核对后重试。"


@router.get(
    "/{number}",
    response={200: StatusOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="办件查询 Application status",
)
def application_status(request: HttpRequest, number: str, phone: str):
    """Status, public timeline and clerk replies. `phone` is the applicant's
    mobile number or its last four digits. A wrong number and a wrong phone get
    the same answer; lookups are limited per client and per number."""
    ip = ratelimit.client_ip(request)
    normalised = querynumbers.normalise(number)
    (ip_limit, ip_window), (no_limit, no_window) = (
        settings.LOOKUP_LIMIT_PER_CLIENT,
        settings.LOOKUP_LIMIT_PER_NUMBER,
    )
    if not ratelimit.hit("lookup-ip", ip, limit=ip_limit, window=ip_window) or ratelimit.exceeded(
        "lookup-no", normalised, limit=no_limit, window=no_window
    ):
        return Status(429, {"detail": _("查询过于频繁，请稍后再试。")})
    if not querynumbers.is_valid(normalised):
        return Status(
            400,
            {
                "detail": _(
                    "查询号有误：请核对是否漏写、多写或写错了字符（共 14 位，可不输入横线）。"
                ),
                "errors": [{"field": "number", "message": _("查询号校验位不符。")}],
            },
        )
    case = selectors.case_for_applicant(normalised, phone)
    if case is None:
        ratelimit.hit("lookup-no", normalised, limit=no_limit, window=no_window)
        return Status(404, {"detail": _(SAME_ANSWER)})
    return Status(
        200,
        {
            "query_number": case.display_number,
            "item": case.item.name,
            "department": case.department.name,
            "status": case.status,
            "status_label": str(CaseStatus(case.status).label),
            "next_step": str(NEXT_STEPS[case.status]),
            "submitted_at": case.submitted_at.isoformat(),
            "timeline": [
                {
                    "at": h.at.isoformat(),
                    "status": h.to_status,
                    "label": str(CaseStatus(h.to_status).label),
                    "by_applicant": h.by_applicant,
                    "reason": h.reason,
                }
                for h in case.history.all()
            ],
            "replies": [
                {
                    "at": m.created_at.isoformat(),
                    "kind": m.kind,
                    "text": m.text,
                    "points": [{"subject": p.subject, "note": p.note} for p in m.points.all()],
                }
                for m in case.messages.prefetch_related("points")
            ],
        },
    )


class CreatedOut(Schema):
    query_number: str
    status: str
    status_url: str


@router.post(
    "",
    response={201: CreatedOut, 200: CreatedOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="网上申报 Submit an application",
)
def submit_application(
    request: HttpRequest,
    item_code: Form[str],
    applicant_kind: Form[str],
    applicant_name: Form[str],
    id_number: Form[str],
    phone: Form[str],
    address: Form[str] = "",
    sms_opt_in: Form[bool] = True,
    idempotency_key: Form[str] = "",
    files: File[list[UploadedFile]] = None,
):
    """Multipart form: applicant fields, the item's own fields as `f_<key>`, and
    files as `m_<material id>` (several per material). Send the same
    `idempotency_key` (a UUID) when retrying: one case is made, 200 on repeats."""
    item = ServiceItem.objects.published().filter(code=item_code[:40]).first()
    if item is None:
        return Status(
            404,
            {
                "detail": _("事项不存在或未发布。"),
                "errors": [{"field": "item_code", "message": _("事项不存在或未发布。")}],
            },
        )
    data = request.POST.copy()
    applicant = ApplicantForm(data)
    extra_fields = item_form_fields(item)
    errors = []
    if not applicant.is_valid():
        errors += [
            {"field": f, "message": str(m)} for f, ms in applicant.errors.items() for m in ms
        ]
    cleaned_extra = {}
    for name, field in extra_fields.items():
        try:
            cleaned_extra[name] = field.clean(data.get(name))
        except Exception as exc:  # a ValidationError with Chinese messages
            for message in getattr(exc, "messages", [str(exc)]):
                errors.append({"field": name, "message": message})
    token = None
    if idempotency_key:
        try:
            token = uuid.UUID(idempotency_key[:40])
        except ValueError:
            errors.append({"field": "idempotency_key", "message": _("须为 UUID 格式。")})
    online = {m.pk for m in item.materials.filter(submission="online")}
    uploads: dict[int, list] = {}
    for key in request.FILES:
        if not key.startswith("m_") or not key[2:].isdigit() or int(key[2:]) not in online:
            errors.append({"field": key, "message": _("该材料不属于此事项或不需在线提交。")})
            continue
        uploads[int(key[2:])] = request.FILES.getlist(key)
    for m in item.materials.filter(submission="online", required=True):
        if m.pk not in uploads:
            errors.append(
                {
                    "field": f"m_{m.pk}",
                    "message": _("请上传此项必要材料：%(name)s") % {"name": m.name},
                }
            )
    if errors:
        return Status(
            422, {"detail": _("申请内容有误，请按提示修改后重新提交。"), "errors": errors}
        )
    c = applicant.cleaned_data
    try:
        case, created = services.case_submit(
            item=item,
            applicant=services.Applicant.from_cleaned(c),
            form_data=form_values(cleaned_extra, item),
            files=uploads,
            submission_token=token,
        )
    except services.UploadError as exc:
        return Status(
            422,
            {
                "detail": _("上传的文件有误，请按提示修改后重新提交。"),
                "errors": [
                    {"field": f"m_{k}" if k else "files", "message": m}
                    for k, ms in exc.errors.items()
                    for m in ms
                ],
            },
        )
    except services.CaseError as exc:
        return Status(400, {"detail": str(exc)})
    body = {
        "query_number": case.display_number,
        "status": case.status,
        "status_url": f"/api/v1/applications/{case.query_number}",
    }
    return Status(201 if created else 200, body)
