"""Online application and status lookup over the API."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hall.cases import services
from hall.cases.constants import (
    NEXT_STEPS,
    CaseStatus,
)
from hall.cases.forms import ApplyForm
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
def application_status(request: HttpRequest, response: HttpResponse, number: str, phone: str):
    """Status, public timeline and clerk replies. `phone` is the applicant's
    mobile number or its last four digits. A wrong number and a wrong phone get
    the same answer. Lookups and failed tries are limited per client (429 with
    Retry-After); a number with many failed tries from everyone needs the whole
    phone number (400 on `phone` when only four digits are given)."""
    found = services.case_lookup(client=ratelimit.client_ip(request), number=number, phone=phone)
    if found.limited:
        response["Retry-After"] = str(found.retry_after)
        return Status(429, {"detail": _("查询过于频繁，请稍后再试。")})
    if found.needs_whole_phone:
        return Status(
            400,
            {
                "detail": str(services.WHOLE_PHONE_NEEDED),
                "errors": [{"field": "phone", "message": str(services.WHOLE_PHONE_NEEDED)}],
            },
        )
    if found.malformed:
        return Status(
            400,
            {
                "detail": _(
                    "查询号有误：请核对是否漏写、多写或写错了字符（共 14 位，可不输入横线）。"
                ),
                "errors": [{"field": "number", "message": _("查询号校验位不符。")}],
            },
        )
    case = found.case
    if case is None:
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


# The form's field names as the API documents them.
IDEMPOTENCY = {"submission_token": "idempotency_key"}


def _field_errors(form, names: dict[str, str]) -> list[dict]:
    return [
        {"field": names.get(field, field), "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


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
    # The apply page's form: one validation of an application, whichever way it comes.
    data = request.POST.copy()
    data["submission_token"] = idempotency_key
    form = ApplyForm(data, request.FILES, item=item, token_required=False)
    errors = [] if form.is_valid() else _field_errors(form, IDEMPOTENCY)
    online = {f"m_{m.pk}" for m in form.online_materials}
    errors += [
        {"field": key, "message": _("该材料不属于此事项或不需在线提交。")}
        for key in request.FILES
        if key not in online
    ]
    if errors:
        return Status(
            422, {"detail": _("申请内容有误，请按提示修改后重新提交。"), "errors": errors}
        )
    try:
        case, created = services.case_submit(**form.submission())
    except services.UploadError as exc:
        form.add_upload_errors(exc.errors)
        return Status(
            422,
            {
                "detail": _("上传的文件有误，请按提示修改后重新提交。"),
                "errors": _field_errors(form, {NON_FIELD_ERRORS: "files"}),
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
